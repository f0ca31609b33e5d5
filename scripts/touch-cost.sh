#!/usr/bin/env bash
# scripts/touch-cost.sh BUILD_DIR LOG HEADER... -- the CPU seconds that `touch HEADER` costs: the sum,
# over the objects whose dependency file (BUILD_DIR/**/*.o.d) names HEADER, of their compile time in
# LOG (a scripts/time-compile.sh log of a clean build of BUILD_DIR); relinks are not counted.
set -euo pipefail
dir=$1 log=$2
shift 2
for h in "$@"; do
  objs=$(cd "$dir" && grep -l -- "$h" $(find . -name '*.o.d') | sed 's|^\./||; s|\.d$||')
  echo "$objs" | awk -v h="$h" 'NR == FNR { want[$1] = 1; next }
    ($4 in want) { cpu += $1 + $2; n++; line[n] = sprintf("%8.1f  %s", $1 + $2, $4) }
    END { printf "touch %s: %d objects, CPU %.0f s (idle 2-core wall >= %.0f s)\n", h, n, cpu, cpu / 2
          for (i = 1; i <= n; i++) print line[i] }' - "$log"
done
