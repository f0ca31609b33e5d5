#!/usr/bin/python3
"""The paper's protocol as a researcher would write it in numpy (the anchor of the simulation benchmark).

Per trial: w = w0; for each of n generations X = randn(T0, d), w = lstsq(X, X @ w + sigma0 * randn(T0));
then the downstream fit X = randn(T, d), w_hat = lstsq(X, X @ w + sigma * randn(T)) (lambda = 0: OLS /
min-norm); test error |w_hat - w0|^2 (Sigma = I). Prints seconds per trial and the error's mean +- se.

usage: numpy_protocol.py [--d 300] [--T0 600] [--T 1000] [--n 5] [--trials 30] [--sigma 1] [--sigma0 1]
"""
import argparse
import time

import numpy as np


def trial(rng, d, T0, T, n, sigma, sigma0, w0):
    w = w0.copy()
    for _ in range(n):
        X = rng.standard_normal((T0, d))
        w = np.linalg.lstsq(X, X @ w + sigma0 * rng.standard_normal(T0), rcond=None)[0]
    X = rng.standard_normal((T, d))
    w_hat = np.linalg.lstsq(X, X @ w + sigma * rng.standard_normal(T), rcond=None)[0]
    return float(np.sum((w_hat - w0) ** 2))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--d", type=int, default=300)
    p.add_argument("--T0", type=int, default=600)
    p.add_argument("--T", type=int, default=1000)
    p.add_argument("--n", type=int, default=5)
    p.add_argument("--trials", type=int, default=30)
    p.add_argument("--sigma", type=float, default=1.0)
    p.add_argument("--sigma0", type=float, default=1.0)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    rng = np.random.default_rng(a.seed)
    w0 = np.full(a.d, 1 / np.sqrt(a.d))  # |w0|^2 = 1
    trial(rng, a.d, a.T0, a.T, a.n, a.sigma, a.sigma0, w0)  # warm-up (BLAS threads, page faults)
    start = time.perf_counter()
    errs = [trial(rng, a.d, a.T0, a.T, a.n, a.sigma, a.sigma0, w0) for _ in range(a.trials)]
    elapsed = time.perf_counter() - start
    errs = np.array(errs)
    print(f"seconds_per_trial={elapsed / a.trials:.6g} mean={errs.mean():.6g} se={errs.std(ddof=1) / np.sqrt(len(errs)):.3g} "
          f"trials={a.trials} numpy={np.__version__}")


if __name__ == "__main__":
    main()
