#!/usr/bin/env bash
# Strong scaling of `mpirun -np K collapse` on this machine (issue 10; docs/cluster.md): one process vs
# K ranks, one thread each, for a simulate point (about 30-60 s serially) and for verify-sized work;
# checks that the outputs are identical and prints a markdown table with the load average before and
# after each run (the machine is shared: a speed-up means something only at load well below the cores).
#   bash bench/run_mpi_bench.sh [BINARY (default build/collapse)] [K (default 2)] [SUITES (default: all)]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/collapse}
k=${2:-2}
suites=${3:-}
source bench/mpi_bench_common.sh  # OMPI root variables, $tmp, load, timed, wall

point="simulate --spectrum isotropic --d 200 --w0norm2 1 --T 400 --T0 300 --n 3 --lambda 0,0.01,0.1 --sigma2 1 --sigma02 1 \
--trials 2000 --seed 7 --threads 1 --yes"
echo "## MPI strong scaling ($(date -u '+%F %H:%M UTC'), $(nproc) cores, $bin, K = $k ranks x 1 thread)"
echo
echo "| work | 1 process: wall s (CPU s) | load before/after | $k ranks: wall s (CPU s) | load before/after | speed-up | output identical |"
echo "|---|---:|---|---:|---|---:|---|"
l0=$(load); s=$(timed sim1 $bin $point); l1=$(load)
p=$(timed simk mpirun --oversubscribe -np "$k" $bin $point); l2=$(load)
same=$(cmp -s "$tmp/sim1.out" "$tmp/simk.out" && echo yes || echo NO)
echo "| simulate (fast engine, d = 200, T = 400, T0 = 300, n = 3, 3 λ, 2000 trials) | $s | $l0/$l1 | $p | $l1/$l2 | $(echo "scale=2; $(wall "$s") / $(wall "$p")" | bc) | $same |"
l0=$(load); s=$(timed ver1 $bin verify $suites --threads 1 --report "$tmp/r1"); l1=$(load)
p=$(timed verk mpirun --oversubscribe -np "$k" $bin verify $suites --threads 1 --report "$tmp/rk"); l2=$(load)
same=$(cmp -s "$tmp/r1/results.csv" "$tmp/rk/results.csv" && echo yes || echo NO)
echo "| verify ${suites:-(default suites)} --report (results.csv compared) | $s | $l0/$l1 | $p | $l1/$l2 | $(echo "scale=2; $(wall "$s") / $(wall "$p")" | bc) | $same |"
