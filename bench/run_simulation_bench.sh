#!/usr/bin/env bash
# Builds the benchmark (cmake -DCOLLAPSE_BUILD_BENCH=ON), runs the numpy protocol and the C++ engines
# at d = 300, T0 = 600, T = 1000, n = 5, λ = 0, Σ = I, and prints a markdown table with the ratios.
#   bash bench/run_simulation_bench.sh [numpy trials (default 10)] [seconds per C++ case (default 3)]
set -euo pipefail
cd "$(dirname "$0")/.."
numpy_trials=${1:-10}
budget=${2:-3}
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCOLLAPSE_BUILD_BENCH=ON >&2
cmake --build build -j 2 --target bench_simulation >&2

blas=$(readlink -f /etc/alternatives/libblas.so.3-x86_64-linux-gnu 2>/dev/null || echo unknown)
echo "numpy protocol: $numpy_trials trials (BLAS: $blas)" >&2
line=$(/usr/bin/python3 bench/numpy_protocol.py --trials "$numpy_trials")
echo "$line" >&2
numpy_seconds=$(sed -n 's/.*seconds_per_trial=\([^ ]*\).*/\1/p' <<<"$line")

echo "## Simulation benchmark ($(date -u +%F), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
echo
echo "numpy: \`$line\` (BLAS library: \`$blas\`)"
echo
build/bench_simulation --numpy-seconds "$numpy_seconds" --seconds-per-case "$budget"
