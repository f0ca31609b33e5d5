#!/usr/bin/env bash
# scripts/time-compile.sh -- compiler/linker launcher that appends "user_s sys_s wall_s output" for
# every compile and link to $COLLAPSE_TIME_LOG (issue 15 item 7: build time is measured in CPU seconds
# per translation unit, since wall time on the shared 2-core machine is noise). Use it with ccache off:
#   cmake -S . -B build-time -DCMAKE_CXX_COMPILER_LAUNCHER=$PWD/scripts/time-compile.sh \
#         -DCMAKE_CXX_LINKER_LAUNCHER=$PWD/scripts/time-compile.sh
#   COLLAPSE_TIME_LOG=$PWD/build-time/times.log cmake --build build-time -j2
#   scripts/compile-report.sh build-time/times.log
set -euo pipefail
out=unknown prev=
for a in "$@"; do
  [[ $prev == -o ]] && out=$a
  prev=$a
done
exec /usr/bin/time -a -o "${COLLAPSE_TIME_LOG:-/dev/null}" -f "%U %S %e $out" "$@"
