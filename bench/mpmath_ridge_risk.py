#!/usr/bin/env python3
"""The same quantity as bench/bench_eval.cpp, written the way a researcher would with mpmath:
ridge-risk on the power law (beta = 1.5, r = 0.4, d = inf, T = 1000, lambda = 1e-3, sigma2 = 1),
kappa by findroot, every spectral sum by mpmath's default nsum. Prints the median time over REPS runs (default 1)
and the value, and shows where the default nsum is silently wrong (beta = 1.5, kappa = 1e-8).
Usage: /usr/bin/python3 bench/mpmath_ridge_risk.py DIGITS [REPS]
"""
import statistics
import sys
import time

import mpmath as mp


def ridge_risk(digits):
    mp.mp.dps = digits
    beta, r, T, lam, s2 = mp.mpf(3) / 2, mp.mpf(2) / 5, mp.mpf(1000), mp.mpf(1) / 1000, mp.mpf(1)
    df = lambda k, m: mp.nsum(lambda j: (1 / (1 + k * j ** beta)) ** m, [1, mp.inf])
    B = lambda k: k * k * mp.nsum(lambda j: j ** (-1 - 2 * beta * r + 2 * beta) / (1 + k * j ** beta) ** 2, [1, mp.inf])
    # verify=False: with the default nsum the residual never reaches the working tolerance
    k = mp.findroot(lambda k: k - lam - k * df(k, 1) / T, lam + mp.zeta(beta) / T, verify=False)
    df2 = df(k, 2)
    return B(k) / (1 - df2 / T) + s2 * df2 / (T - df2)


def main():
    digits = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    times = []
    for _ in range(int(sys.argv[2]) if len(sys.argv) > 2 else 1):
        t = time.perf_counter()
        v = ridge_risk(digits)
        times.append(time.perf_counter() - t)
    print(f"mpmath ridge-risk digits={digits}: median {statistics.median(times) * 1000:.0f} ms, value {mp.nstr(v, digits)}")
    mp.mp.dps = digits
    k = mp.mpf(10) ** -8
    v = mp.nsum(lambda j: 1 / (1 + k * j ** mp.mpf(1.5)), [1, mp.inf])
    print(f"mpmath nsum df1(beta=1.5, kappa=1e-8) = {mp.nstr(v, 30)}")


if __name__ == "__main__":
    main()
