#!/usr/bin/python3
"""The paper's protocol as a researcher would write it in numpy (the anchor of the simulation benchmark).

Per trial: w = w0; for each of n generations X = randn(T0, d), w = lstsq(X, X @ w + sigma0 * randn(T0));
then the downstream fit X = randn(T, d), w_hat = lstsq(X, X @ w + sigma * randn(T)) (lambda = 0: OLS /
min-norm); test error |w_hat - w0|^2 (Sigma = I). Prints seconds per trial and the error's mean +- se.

usage: numpy_protocol.py [--d 300] [--T0 600] [--T 1000] [--n 5] [--trials 30] [--sigma 1] [--sigma0 1]
                         [--lambda 0,0.01,...] [--beta B --r R] [--no-warmup]
--no-warmup (issue 9) times the first trial too: at sizes where one trial takes minutes, the warm-up trial
would double the run; the timed trial is then a whole real trial including BLAS start-up.
With --lambda (issue 9) the downstream fit is ridge for every lambda of the grid from one SVD of X (the
cheapest numpy route), the printed error the mean over the grid's last row; with --beta/--r the spectrum is the
power law lambda_j = j^-beta, lambda_j w0_j^2 = j^(-1-2 beta r) (theory §5.1) and the error is Sigma-weighted.
"""
import argparse
import time

import numpy as np


def trial(rng, d, T0, T, n, sigma, sigma0, w0, sqrt_eig=None, lambdas=None):
    w = w0.copy()
    scale = 1.0 if sqrt_eig is None else sqrt_eig
    for _ in range(n):
        X = rng.standard_normal((T0, d)) * scale
        w = np.linalg.lstsq(X, X @ w + sigma0 * rng.standard_normal(T0), rcond=None)[0]
    X = rng.standard_normal((T, d)) * scale
    y = X @ w + sigma * rng.standard_normal(T)
    if lambdas is None:
        w_hat = np.linalg.lstsq(X, y, rcond=None)[0]
        return float(np.sum((scale * (w_hat - w0)) ** 2))
    U, D, Vt = np.linalg.svd(X, full_matrices=False)
    Uty = U.T @ y
    errs = []
    for lam in lambdas:  # (X'X + T lam)^-1 X'y; lam = 0: pseudo-inverse
        f = np.where(D > D[0] * max(T, d) * np.finfo(float).eps, D / (D * D + T * lam) if lam > 0 else 1 / np.maximum(D, 1e-300), 0)
        w_hat = Vt.T @ (f * Uty)
        errs.append(float(np.sum((scale * (w_hat - w0)) ** 2)))
    return errs[-1]


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
    p.add_argument("--lambda", dest="lambdas", default=None, help="comma-separated ridge grid (default: OLS only)")
    p.add_argument("--beta", type=float, default=None)
    p.add_argument("--r", type=float, default=None)
    p.add_argument("--no-warmup", action="store_true", help="time every trial, the first one included")
    a = p.parse_args()
    rng = np.random.default_rng(a.seed)
    lambdas = None if a.lambdas is None else [float(x) for x in a.lambdas.split(",")]
    sqrt_eig = None
    w0 = np.full(a.d, 1 / np.sqrt(a.d))  # |w0|^2 = 1
    if a.beta is not None:
        j = np.arange(1, a.d + 1, dtype=float)
        eig = j ** -a.beta
        sqrt_eig = np.sqrt(eig)
        w0 = np.sqrt(j ** (-1 - 2 * a.beta * a.r) / eig)
    args = (a.d, a.T0, a.T, a.n, a.sigma, a.sigma0, w0, sqrt_eig, lambdas)
    if not a.no_warmup:
        trial(rng, *args)  # warm-up (BLAS threads, page faults)
    start = time.perf_counter()
    errs = [trial(rng, *args) for _ in range(a.trials)]
    elapsed = time.perf_counter() - start
    errs = np.array(errs)
    se = errs.std(ddof=1) / np.sqrt(len(errs)) if len(errs) > 1 else float("nan")
    print(f"seconds_per_trial={elapsed / a.trials:.6g} mean={errs.mean():.6g} se={se:.3g} "
          f"trials={a.trials} numpy={np.__version__}")


if __name__ == "__main__":
    main()
