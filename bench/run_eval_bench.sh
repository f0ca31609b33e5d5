#!/usr/bin/env bash
# Builds the benchmarks and prints the theory-evaluator timing table of the README (issue 2):
# C++ (one evaluation and the certified CLI path) and the mpmath implementation of the same quantity.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCOLLAPSE_BUILD_BENCH=ON >/dev/null
cmake --build build -j2 --target bench_eval collapse >/dev/null
build/bench_eval
for digits in 30 50; do /usr/bin/python3 bench/mpmath_ridge_risk.py "$digits"; done
echo "collapse (certified): $(build/collapse eval df --spectrum powerlaw --beta 1.5 --r 0.4 --d inf --kappa 1e-8 --m 1 --digits 30)"
