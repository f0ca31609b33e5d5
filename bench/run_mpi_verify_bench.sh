#!/usr/bin/env bash
# What splitting the trials of large points buys `mpirun -np K collapse verify` (issue 10; docs/cluster.md):
# one process, then K ranks handing out whole simulations (--part-seconds 0, the granularity of a grid
# point), then K ranks splitting each simulation into trial ranges (the default); one thread per process.
# Checks that the three results.csv are identical and prints a markdown table with the load average
# before and after each run (the machine is shared: a speed-up means something only at low load). Each
# process runs in a session of its own (setsid): with the kernel's autogroup scheduling, the ranks of one
# mpirun would otherwise share one session's CPU share on a loaded machine (measured: rank 1 then got
# a seventh of rank 0's CPU), as no rank does on a cluster node or an idle machine.
# Note: with --full, --report adds the paper's figures' simulated points (~2.5 CPU min) on rank 0 alone;
# for a proxy of the suites' own work give a --suites-dir whose default sizes are the --full ones.
#   bash bench/run_mpi_verify_bench.sh [BINARY (default build/collapse)] [K (default 2)] [SUITES (default:
#        de-powerlaw de-isotropic)] [FLAGS (default --full)]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/collapse}
k=${2:-2}
suites=${3:-de-powerlaw de-isotropic}
flags=${4:---full}
source bench/mpi_bench_common.sh  # OMPI root variables, $tmp, load, timed, wall
run="verify $suites $flags --threads 1"
echo "## verify $suites $flags: 1 process vs $k ranks ($(date -u '+%F %H:%M UTC'), $(nproc) cores, $bin, 1 thread each)"
echo
echo "| run | wall s (CPU s) | load before/after | speed-up (wall) | results.csv as 1 process |"
echo "|---|---:|---|---:|---|"
l0=$(load); s=$(timed one setsid -w $bin $run --report "$tmp/one"); l1=$(load)
echo "| 1 process | $s | $l0/$l1 | 1 | — |"
for mode in whole split; do
  extra=$([ $mode = whole ] && echo "--part-seconds 0" || echo "")
  l0=$(load); p=$(timed $mode mpirun --oversubscribe -np "$k" setsid -w $bin $run $extra --report "$tmp/$mode"); l1=$(load)
  same=$(cmp -s "$tmp/one/results.csv" "$tmp/$mode/results.csv" && echo identical || echo DIFFERENT)
  label=$([ $mode = whole ] && echo "$k ranks, whole simulations (--part-seconds 0)" || echo "$k ranks, trial ranges (default)")
  echo "| $label | $p | $l0/$l1 | $(echo "scale=2; $(wall "$s") / $(wall "$p")" | bc) | $same |"
  grep -h "simulations shared as" "$tmp/$mode.err" | sed 's/^/  <!-- /; s/$/ -->/' || true
done
