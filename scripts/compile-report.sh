#!/usr/bin/env bash
# scripts/compile-report.sh LOG [N] -- summary of a scripts/time-compile.sh log: total CPU seconds
# (user + sys) of every compile and link, the N (default 15) most expensive steps, and the wall time
# this would take on an idle 2-core machine, estimated as CPU / 2 (perfect use of both cores; the
# real wall time is longer by the serial tail, e.g. the precompiled header and the final links).
set -euo pipefail
log=$1 n=${2:-15}
awk -v n="$n" '
  { cpu = $1 + $2; total += cpu; count++; name = $4; sub(/.*CMakeFiles\//, "", name); sub(/\.dir\//, ": ", name)
    if ($4 !~ /\.o$|\.gch$/) { links += cpu; nlinks++ } ; line[count] = sprintf("%8.1f  %s", cpu, name) }
  END {
    printf "steps %d (links %d), CPU %.0f s (links %.0f s), idle 2-core wall estimate %.0f s\n", count, nlinks, total, links, total / 2
    for (i = 1; i <= count; i++) print line[i] | "sort -rn | head -" n
  }' "$log"
