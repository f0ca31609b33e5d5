#!/usr/bin/python3
"""Monte Carlo of the issue-12 protocol variants, run literally (explicit designs, explicit label noise,
the fits solved from the stacked normal equations), against the formulas of docs/theory-extensions.md.

It produces the data rows of tests/theory/test_variants.cpp: for every case the Monte Carlo mean, its
standard error (per-trial sample standard deviation / sqrt(trials)), the formula, and the z-scores of the
formula and of plausible wrong variants. Deterministic: numpy's PCG64 seeded per case.

    /usr/bin/python3 tests/theory/variants_mc/variants_mc.py [case ...]      (all cases: about 2 min)

Protocols (A: §A of the doc, B: §B, C: §C):
  A-fixed  one design X (T x d) reused by every fit; fit k = stacked OLS on batches 1..k, batch j labelled
           by fit j-1 (fit 0 = w0) with noise s_j^2: s_j^2 = sigma02 for the n generator batches, sigma2
           for the downstream batch n+1.
  A-fresh  the same with a fresh design per batch: generator batches of T0 rows, the downstream batch of T.
  B        T rows, T2 of them labelled by w0 + Delta (synthetic teacher), T - T2 by w0; OLS on all.
  C        ridge generators (lambda0) chained as in §4.3, then downstream ridge (T, lambda).
"""
import sys
import numpy as np


def stats(x):
    x = np.asarray(x, dtype=float)
    return x.mean(), x.std(ddof=1) / np.sqrt(len(x))


def report(name, mean, se, formulas):
    print(f"  {name}: MC {mean:.6f} +- {se:.6f}")
    for label, v in formulas:
        print(f"      {label:<44s} {v:.6f}  z = {(mean - v) / se:+8.2f}  rel = {(mean - v) / v:+.4%}")


def H2(n):
    return sum(1.0 / k**2 for k in range(1, n + 1))


# ---------------------------------------------------------------- A: accumulate, fixed design
def accumulate_fixed(seed, d, T, n, s2, s02, eig, trials, batch=20000):
    rng = np.random.default_rng(seed)
    sq = np.sqrt(eig)
    w0 = np.ones(d) / np.sqrt(d)
    noise = [np.sqrt(s02)] * n + [np.sqrt(s2)]
    errs = [[] for _ in range(n + 1)]
    eucl = [[] for _ in range(n + 1)]
    done = 0
    while done < trials:
        B = min(batch, trials - done)
        X = rng.standard_normal((B, T, d)) * sq
        G = np.einsum('bti,btj->bij', X, X)
        w = np.broadcast_to(w0, (B, d)).copy()
        ysum = np.zeros((B, T))
        for k in range(1, n + 2):
            y = np.einsum('btd,bd->bt', X, w) + noise[k - 1] * rng.standard_normal((B, T))
            ysum += y
            w = np.linalg.solve(k * G, np.einsum('btd,bt->bd', X, ysum)[..., None])[..., 0]
            e = w - w0
            errs[k - 1].append(np.einsum('bd,d,bd->b', e, eig, e))
            eucl[k - 1].append(np.einsum('bd,bd->b', e, e))
        done += B
    return [np.concatenate(e) for e in errs], [np.concatenate(e) for e in eucl]


def case_A_fixed_issue():
    # The issue's point: d = 7, T = 89, sigma0 = sigma = 1; the issue's "n = 8" is the 8th fit.
    d, T, n = 7, 89, 8
    eig = np.linspace(0.5, 2.0, d)
    trials = 200000
    errs, _ = accumulate_fixed(1201, d, T, n, 1.0, 1.0, eig, trials)
    print(f"A-fixed, issue point d={d} T={T} sigma2=sigma02=1, Sigma=diag(linspace(.5,2,7)), {trials} trials")
    for k in (1, 2, 8, 9):
        m, se = stats(errs[k - 1])
        report(f"fit {k} (project n = {k-1})", m, se,
               [("d/(T-d-1) H2(k)  [EXACT, A1]", d / (T - d - 1) * H2(k)),
                ("d/(T-d) H2(k)  [wrong: T-d]", d / (T - d) * H2(k)),
                ("d/(T-d-1) k  [replace]", d / (T - d - 1) * k)])


def case_A_fixed_small():
    # Small T - d so that T-d-1 and T-d differ by 20 %; sigma02 != sigma2 separates the two noises.
    d, T, n, s2, s02 = 4, 10, 4, 0.25, 1.0
    eig = np.array([0.5, 1.0, 1.5, 2.0])
    trials = 400000
    errs, eucl = accumulate_fixed(1202, d, T, n, s2, s02, eig, trials)
    c = d / (T - d - 1)
    print(f"A-fixed small: d={d} T={T} n={n} sigma2={s2} sigma02={s02}, Sigma=diag(.5,1,1.5,2), {trials} trials")
    m, se = stats(errs[n])
    report(f"downstream (fit n+1 = {n+1})", m, se,
           [("d/(T-d-1) [s02 H2(n) + s2/(n+1)^2]  [EXACT]", c * (s02 * H2(n) + s2 / (n + 1) ** 2)),
            ("d/(T-d) [s02 H2(n) + s2/(n+1)^2]  [wrong: T-d]", d / (T - d) * (s02 * H2(n) + s2 / (n + 1) ** 2)),
            ("d/(T-d-1) s2 H2(n+1)  [issue, sigma=sigma2]", c * s2 * H2(n + 1)),
            ("d/(T-d-1) s02 H2(n+1)  [issue, sigma=sigma02]", c * s02 * H2(n + 1)),
            ("d/(T-d-1) [s2 + s02 H2(n)]  [wrong: downstream weight 1]", c * (s2 + s02 * H2(n)))])
    m, se = stats(errs[n - 1])
    report(f"generator n = {n} (fit {n})", m, se,
           [("d/(T-d-1) s02 H2(n)  [EXACT]", c * s02 * H2(n)),
            ("d/(T-d) s02 H2(n)  [wrong: T-d]", d / (T - d) * s02 * H2(n))])
    m, se = stats(eucl[n - 1])
    trinv = np.sum(1 / eig)
    report(f"generator n = {n}, Euclidean |e|^2 (Cov = c Sigma^-1 ?)", m, se,
           [("s02 H2(n) tr(Sigma^-1)/(T-d-1)  [EXACT]", s02 * H2(n) * trinv / (T - d - 1))])


# ---------------------------------------------------------------- A: accumulate, fresh designs
def case_A_fresh():
    d, T0, T, n, s2, s02 = 4, 8, 12, 3, 0.25, 1.0
    eig = np.array([0.5, 1.0, 1.5, 2.0])
    sq = np.sqrt(eig)
    w0 = np.ones(d) / np.sqrt(d)
    trials, batch = 400000, 50000
    rng = np.random.default_rng(1203)
    sizes = [T0] * n + [T]
    noise = [np.sqrt(s02)] * n + [np.sqrt(s2)]
    errs = [[] for _ in range(n + 1)]
    eucl = [[] for _ in range(n + 1)]
    done = 0
    while done < trials:
        B = min(batch, trials - done)
        G = np.zeros((B, d, d))
        h = np.zeros((B, d))
        w = np.broadcast_to(w0, (B, d)).copy()
        for k in range(n + 1):
            X = rng.standard_normal((B, sizes[k], d)) * sq
            y = np.einsum('btd,bd->bt', X, w) + noise[k] * rng.standard_normal((B, sizes[k]))
            G += np.einsum('bti,btj->bij', X, X)
            h += np.einsum('btd,bt->bd', X, y)
            w = np.linalg.solve(G, h[..., None])[..., 0]
            e = w - w0
            errs[k].append(np.einsum('bd,d,bd->b', e, eig, e))
            eucl[k].append(np.einsum('bd,bd->b', e, e))
        done += B
    errs = [np.concatenate(e) for e in errs]
    eucl = [np.concatenate(e) for e in eucl]
    N = np.cumsum(sizes)
    s = [s02] * n + [s2]
    exact = lambda m: sum(s[k] * sizes[k] / N[k] * d / (N[k] - d - 1) for k in range(m))
    fixedlike = lambda m: sum(s[k] / (k + 1) ** 2 * d / (sizes[0] - d - 1) for k in range(m))
    print(f"A-fresh: d={d} T0={T0} T={T} n={n} sigma2={s2} sigma02={s02}, {trials} trials")
    m_, se = stats(errs[n])
    report("downstream (all n+1 batches)", m_, se,
           [("sum_k s_k^2 (T_k/N_k) d/(N_k-d-1)  [EXACT]", exact(n + 1)),
            ("sum_k s_k^2 d/(k^2 (T0-d-1))  [wrong: fixed-design]", fixedlike(n + 1)),
            ("sum_k s_k^2 (T_k/N_k) d/(N_k-d)  [wrong: N-d]",
             sum(s[k] * sizes[k] / N[k] * d / (N[k] - d) for k in range(n + 1)))])
    m_, se = stats(errs[n - 1])
    report(f"generator n = {n}", m_, se,
           [("s02 sum_k d/(k(k T0-d-1))  [EXACT]", exact(n)),
            ("s02 H2(n) d/(T0-d-1)  [wrong: fixed-design]", fixedlike(n))])
    m_, se = stats(eucl[n - 1])
    report(f"generator n = {n}, Euclidean |e|^2", m_, se,
           [("s02 sum_k 1/(k(kT0-d-1)) tr Sigma^-1  [EXACT]",
             s02 * sum(1 / (k * (k * T0 - d - 1)) for k in range(1, n + 1)) * np.sum(1 / eig))])


# ---------------------------------------------------------------- B: mixing
def mixing_exact(d, T, T2, s2r, s2s, delta2):
    p2 = T2 / T
    p1 = 1 - p2
    N = T * T * d + T * T - T * d - 5 * T + 2 * d + 2
    return (p1 * s2r + p2 * s2s) * d / (T - d - 1) + delta2 * (p2**2 + p1 * p2 * N / ((T - 1) * (T + 2) * (T - d - 1)))


def mixing_prop(d, T, T2, s2, delta2):
    phi, p2 = d / T, T2 / T
    return s2 * phi / (1 - phi) + delta2 * (p2**2 + (1 - p2) * p2 * phi / (1 - phi))


def mixing_mc(seed, d, T, T2, s2r, s2s, eig, delta, trials, batch):
    rng = np.random.default_rng(seed)
    sq = np.sqrt(eig)
    w0 = np.ones(d) / np.sqrt(d)
    out = []
    done = 0
    while done < trials:
        B = min(batch, trials - done)
        X = rng.standard_normal((B, T, d)) * sq
        y = np.einsum('btd,d->bt', X, w0)
        y[:, :T2] += np.einsum('btd,d->bt', X[:, :T2], delta) + np.sqrt(s2s) * rng.standard_normal((B, T2))
        y[:, T2:] += np.sqrt(s2r) * rng.standard_normal((B, T - T2))
        G = np.einsum('bti,btj->bij', X, X)
        w = np.linalg.solve(G, np.einsum('btd,bt->bd', X, y)[..., None])[..., 0]
        e = w - w0
        out.append(np.einsum('bd,d,bd->b', e, eig, e))
        done += B
    return np.concatenate(out)


def case_B():
    eig4 = np.array([0.5, 1.0, 1.5, 2.0])
    delta4 = np.array([1.0, -0.5, 0.25, 0.0])
    delta4 = delta4 / np.sqrt(delta4 @ (eig4 * delta4))  # |Delta|_Sigma^2 = 1
    for (d, T, T2, s2r, s2s, eig, delta, trials) in [
        (4, 10, 3, 0.0, 0.0, eig4, delta4, 400000),
        (4, 10, 3, 0.25, 1.0, eig4, delta4, 400000),
    ]:
        x = mixing_mc(1300 + T2 + int(4 * s2s), d, T, T2, s2r, s2s, eig, delta, trials, 50000)
        m, se = stats(x)
        print(f"B: d={d} T={T} T2={T2} sigma2_real={s2r} sigma2_synth={s2s} |Delta|_Sigma^2=1, Sigma=diag(.5,1,1.5,2), {trials} trials")
        N = T * T * d + T * T - T * d - 5 * T + 2 * d + 2
        p2 = T2 / T
        report("E_test", m, se,
               [("exact (this doc)", mixing_exact(d, T, T2, s2r, s2s, 1.0)),
                ("proportional (issue) with mean noise", mixing_prop(d, T, T2, (1 - p2) * s2r + p2 * s2s, 1.0)),
                ("exact but T-d in place of T-d-1",
                 ((1 - p2) * s2r + p2 * s2s) * d / (T - d) + p2**2 + (1 - p2) * p2 * N / ((T - 1) * (T + 2) * (T - d)))])
    # isotropic, moderate size: the issue's d = 20 remark
    d, T, T2 = 20, 60, 18
    eig = np.ones(d)
    delta = np.zeros(d)
    delta[0] = 1.0
    trials = 60000
    x = mixing_mc(1320, d, T, T2, 0.25, 0.25, eig, delta, trials, 5000)
    m, se = stats(x)
    print(f"B: isotropic d={d} T={T} T2={T2} (p2=0.3) sigma2=0.25 |Delta|^2=1, {trials} trials")
    report("E_test", m, se, [("exact (this doc)", mixing_exact(d, T, T2, 0.25, 0.25, 1.0)),
                             ("proportional (issue)", mixing_prop(d, T, T2, 0.25, 1.0))])


# ---------------------------------------------------------------- C: ridge generators
def solve_kappa(eig, T, lam):
    # kappa - lam = kappa df1(kappa)/T, by bisection on F(k) = k(1 - df1/T) - lam (increasing above kappa_0)
    lo, hi = 0.0, lam + eig.sum() / T
    if lam == 0 and len(eig) <= T:
        return 0.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        F = mid * (1 - np.sum(eig / (eig + mid)) / T) - lam
        if F > 0 or (lam == 0 and np.sum(eig / (eig + mid)) < T):
            hi = mid
        else:
            lo = mid
    return 0.5 * (lo + hi)


def ridge_chain_de(eig, w2, T0, lam0, n, s02, T, lam, s2, variant="corrected"):
    k0 = solve_kappa(eig, T0, lam0)
    s = eig / (eig + k0)
    g = eig / (eig + k0) ** 2
    G = g.sum()
    df2_0 = np.sum(s**2)
    if variant == "corrected":
        D0 = T0 - df2_0
        coup, nz = k0 * k0 / D0, s02 / D0
    else:  # literal §7: kappa0 -> kappa(lambda0, T0) in the §4.3 recursion, kappa0/G and 1/(kappa0 G) kept
        coup, nz = k0 / G, s02 / (k0 * G)
    m = w2.copy()
    for _ in range(n):
        m = s**2 * m + coup * np.sum(g * m) * g + nz * g
    gen = np.sum(eig * (m - 2 * s**n * w2 + w2))
    k = solve_kappa(eig, T, lam)
    t = eig / (eig + k)
    df2 = np.sum(t**2)
    vf = df2 / (T - df2)
    down = np.sum(eig * (t**2 * m - 2 * t * s**n * w2 + w2)) + k * k * np.sum(eig * m / (eig + k) ** 2) * vf + s2 * vf
    return gen, down


def ridge_chain_mc(seed, eig, w0, T0, lam0, n, s02, T, lam, s2, trials, batch):
    rng = np.random.default_rng(seed)
    d = len(eig)
    sq = np.sqrt(eig)
    gens, downs = [], []
    done = 0
    I = np.eye(d)
    while done < trials:
        B = min(batch, trials - done)
        w = np.broadcast_to(w0, (B, d)).copy()
        for _ in range(n):
            X = rng.standard_normal((B, T0, d)) * sq
            y = np.einsum('btd,bd->bt', X, w) + np.sqrt(s02) * rng.standard_normal((B, T0))
            S = np.einsum('bti,btj->bij', X, X) / T0
            w = np.linalg.solve(S + lam0 * I, (np.einsum('btd,bt->bd', X, y) / T0)[..., None])[..., 0]
        e = w - w0
        gens.append(np.einsum('bd,d,bd->b', e, eig, e))
        X = rng.standard_normal((B, T, d)) * sq
        y = np.einsum('btd,bd->bt', X, w) + np.sqrt(s2) * rng.standard_normal((B, T))
        S = np.einsum('bti,btj->bij', X, X) / T
        wd = np.linalg.solve(S + lam * I, (np.einsum('btd,bt->bd', X, y) / T)[..., None])[..., 0]
        e = wd - w0
        downs.append(np.einsum('bd,d,bd->b', e, eig, e))
        done += B
    return np.concatenate(gens), np.concatenate(downs)


def case_C():
    cases = [
        # name, eig, T0, lam0, n, s02, T, lam, s2, trials
        ("isotropic d=100, T0=150 (T0 > d), lambda0=0.5", np.ones(100), 150, 0.5, 3, 0.25, 200, 0.1, 0.25, 1500),
        ("isotropic d=100, T0=60 (T0 < d), lambda0=0.2", np.ones(100), 60, 0.2, 3, 0.25, 200, 0.1, 0.25, 1500),
        ("power law beta=1.5 r=0.4 d=100, T0=150, lambda0=0.01", np.arange(1, 101) ** -1.5, 150, 0.01, 3, 0.04, 200, 0.01, 0.04, 1500),
    ]
    for i, (name, eig, T0, lam0, n, s02, T, lam, s2, trials) in enumerate(cases):
        d = len(eig)
        if name.startswith("power"):
            beta, r = 1.5, 0.4
            j = np.arange(1, d + 1)
            w2 = j ** (-1 - 2 * beta * r) / eig  # lambda_j w2_j = j^(-1-2 beta r)
        else:
            w2 = np.ones(d) / d
        w0 = np.sqrt(w2)
        g, dn = ridge_chain_mc(1400 + i, eig, w0, T0, lam0, n, s02, T, lam, s2, trials, 250)
        print(f"C: {name}, n={n} sigma02={s02}; downstream T={T} lambda={lam} sigma2={s2}; {trials} trials")
        gc, dc = ridge_chain_de(eig, w2, T0, lam0, n, s02, T, lam, s2, "corrected")
        gl, dl = ridge_chain_de(eig, w2, T0, lam0, n, s02, T, lam, s2, "literal")
        m, se = stats(g)
        report("generator E_test(w_n)", m, se, [("DE corrected (this doc)", gc), ("DE literal §7 substitution", gl)])
        m, se = stats(dn)
        report("downstream E_n", m, se, [("DE corrected (this doc)", dc), ("DE literal §7 substitution", dl)])


CASES = {"A-fixed-issue": case_A_fixed_issue, "A-fixed-small": case_A_fixed_small, "A-fresh": case_A_fresh,
         "B": case_B, "C": case_C}

if __name__ == "__main__":
    for name in (sys.argv[1:] or CASES):
        CASES[name]()
        sys.stdout.flush()
