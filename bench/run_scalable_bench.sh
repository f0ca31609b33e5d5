#!/usr/bin/env bash
# Issue 9's power-law benchmark point, both sides in the same minutes: the numpy protocol
# (bench/numpy_protocol.py, OpenBLAS) against `collapse simulate` on the dual Gram path, per trial, with the
# wall and CPU seconds of each and the peak memory (max RSS) of collapse.
#   bash bench/run_scalable_bench.sh [COLLAPSE (default build/collapse)] [numpy trials (default 1)] [collapse trials (default 20)]
# numpy runs --no-warmup: at this point one trial takes minutes, so the timed trial is a whole real trial
# including BLAS start-up (a slight overestimate of numpy's steady state, stated with the result).
set -euo pipefail
cd "$(dirname "$0")/.."
C=${1:-build/collapse}
numpy_trials=${2:-1}
trials=${3:-20}
lambdas=0,1e-4,3e-4,1e-3,3e-3,1e-2,3e-2,1e-1
point="--d 4000 --T 400 --T0 8000 --n 1"
echo "## power law beta = 2, r = 2/5, $point, 8 lambda ($(date -u '+%F %T') UTC, $(nproc) cores)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
t=$(mktemp)
/usr/bin/time -f "%e %U %S %M" -o "$t" /usr/bin/python3 bench/numpy_protocol.py --beta 2 --r 0.4 --d 4000 --T 400 --T0 8000 --n 1 \
  --lambda "$lambdas" --trials "$numpy_trials" --no-warmup
read -r nw nu ns nm < "$t"
echo "numpy: $numpy_trials trial(s): wall $nw s, CPU $(echo "$nu + $ns" | bc) s, max RSS $((nm / 1024)) MB; load $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f "%e %U %S %M" -o "$t" "$C" simulate --spectrum powerlaw --beta 2 --r 0.4 $point --lambda "$lambdas" \
  --sigma2 1 --sigma02 1 --trials "$trials" --threads 2 --format json > "$t.json"
read -r cw cu cs cm < "$t"
echo "collapse: $trials trials ($(grep -o '"path": *"[^"]*"' "$t.json")): wall $cw s, CPU $(echo "$cu + $cs" | bc) s, max RSS $((cm / 1024)) MB; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "per trial: numpy wall $(echo "scale=4; $nw / $numpy_trials" | bc) s, CPU $(echo "scale=4; ($nu + $ns) / $numpy_trials" | bc) s;" \
     "collapse wall $(echo "scale=4; $cw / $trials" | bc) s, CPU $(echo "scale=4; ($cu + $cs) / $trials" | bc) s"
echo "ratio numpy/collapse per trial: wall $(echo "scale=1; ($nw / $numpy_trials) / ($cw / $trials)" | bc)x, CPU $(echo "scale=1; (($nu + $ns) / $numpy_trials) / (($cu + $cs) / $trials)" | bc)x"
rm -f "$t" "$t.json"
