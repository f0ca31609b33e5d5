"""Timing of the Python module (issue 14, "Performance"); prints the README table.

ridge-risk on the power law β = 1.5, r = 0.4, d = ∞, T = 1000, σ² = 1, n = 0:
  (1) 1000 λ values (logspace 1e-6..1) at double precision: one vectorised collapse.sweep call, vs a Python
      loop of 1000 single-point collapse.sweep calls (the same double evaluator, one call per λ), vs a Python
      loop over collapse.eval at its lowest precision (digits=10, certified by two mpfr routes);
  (2) one certified collapse.eval at λ = 1e-3, 30 and 50 digits, median of 15 after 3 warm-ups -- the same
      quantity and protocol as bench/bench_eval.cpp's "certified" column; pass that program's output file
      to print the ratio.
Run: PYTHONPATH=build/python /usr/bin/python3 bench/python_bench.py [bench_eval-output.txt]
"""
import math
import re
import statistics
import sys
import time

import numpy as np

import collapse

PL = collapse.Spectrum.powerlaw("1.5", "0.4", d=math.inf)
ARGS = dict(spectrum=PL, T=1000, sigma2=1, n=0)


def seconds(f, reps=5, warm=1):
    for _ in range(warm):
        f()
    t = []
    for _ in range(reps):
        a = time.perf_counter()
        f()
        t.append(time.perf_counter() - a)
    return statistics.median(t)


lam = np.logspace(-6, 0, 1000)
vector = seconds(lambda: collapse.sweep("ridge-risk", "lam", lam, **ARGS))
loop_sweep = seconds(lambda: [collapse.sweep("ridge-risk", "lam", [x], **ARGS) for x in lam], reps=3)
loop_eval = seconds(lambda: [collapse.eval("ridge-risk", lam=float(x), digits=10, **ARGS) for x in lam], reps=1, warm=0)
print("| 1000 λ values of ridge-risk (power law, d = ∞) | total s | per λ ms | vectorised is faster by |")
print("|---|---:|---:|---:|")
print(f"| one vectorised `collapse.sweep` (double) | {vector:.3f} | {vector:.3f} | 1 |")
print(f"| Python loop of single-point `collapse.sweep` (double) | {loop_sweep:.3f} | {loop_sweep:.3f} | {loop_sweep / vector:.1f}× |")
print(f"| Python loop over `collapse.eval(digits=10)` (certified) | {loop_eval:.2f} | {loop_eval:.2f} | {loop_eval / vector:.0f}× |")

cpp = {}
if len(sys.argv) > 1:  # bench_eval's markdown table: | case d=inf ... | digits | one | certified |
    for line in open(sys.argv[1]):
        m = re.match(r"\| ridge-risk.*d=inf.*\| (\d+) \| ([\d.]+) \| ([\d.]+) \|", line)
        if m:
            cpp[int(m.group(1))] = float(m.group(3))
print()
print("| one certified eval, λ = 1e-3 | Python `collapse.eval` median ms | C++ `evaluate_certified` (bench_eval) ms | ratio |")
print("|---|---:|---:|---:|")
for digits in (30, 50):
    py = 1000 * seconds(lambda: collapse.eval("ridge-risk", lam="1e-3", digits=digits, **ARGS), reps=15, warm=3)
    c = cpp.get(digits)
    print(f"| {digits} digits | {py:.2f} | {c if c is not None else '—'} | {py / c:.2f} |" if c else f"| {digits} digits | {py:.2f} | — | — |")

# The fixed cost of crossing into the library: a quantity that costs microseconds in C++ (iso-kappa, a closed
# form, and ols-exact, a rational), so the time is the module's own (request building, the worker thread
# hand-off, JSON diagnostics, mpmath/Fraction conversion).
print()
print("| the call itself | Python median ms |")
print("|---|---:|")
for name, kwargs in (("iso-kappa", dict(phi="2/3", lam="0.01")), ("ols-exact", dict(d=20, T=40, n=0, sigma2=1))):
    ms = 1000 * seconds(lambda: collapse.eval(name, **kwargs), reps=201, warm=20)
    print(f"| `collapse.eval(\"{name}\")`, 30 digits | {ms:.3f} |")
