#!/usr/bin/env python3
"""Reference values for tests/theory/test_reference.cpp, computed by an INDEPENDENT implementation.

Run with Debian's python3 + python3-mpmath:   /usr/bin/python3 data/reference/generate.py

Every value is computed here from the formulas of shared/theory/model-collapse-regression.md by plain
mpmath code that shares nothing with the C++ (direct per-direction sums, per-direction recursion for
§4.3, bracketing root finders, numerical differentiation for §6, the β = 2 coth closed form for
d = ∞, Python fractions for the exact results), at 140 working digits, and written with 100
significant digits -- twice the 50 digits the C++ test checks.
Each row is: quantity, the exact `collapse eval` arguments, value.
"""
import csv
import os
from fractions import Fraction as F

import mpmath as mp

mp.mp.dps = 140
OUT_DIGITS = 100
HERE = os.path.dirname(os.path.abspath(__file__))


def q(x):
    """exact rational -> mpf at working precision"""
    x = F(x)
    return mp.mpf(x.numerator) / x.denominator


def fmt(v):
    return mp.nstr(v, OUT_DIGITS, strip_zeros=False, min_fixed=-5, max_fixed=15)


# ---- spectra -----------------------------------------------------------------------------------------

def linspace_spectrum():
    """eig_j = 1/5 + 14 j/95 (linspace(0.2, 3, 20)), w2_j = 1/(j+1); written as a CSV for the C++ side"""
    eig = [F(1, 5) + F(14 * j, 95) for j in range(20)]
    w2 = [F(1, j + 1) for j in range(20)]
    path = os.path.join(HERE, "spectra", "linspace20.csv")
    with open(path, "w") as f:
        f.write("eig,w2\n")
        for e, w in zip(eig, w2):
            f.write(f"{e.numerator}/{e.denominator},{w.numerator}/{w.denominator}\n")
    return [q(e) for e in eig], [q(w) for w in w2], "file:data/reference/spectra/linspace20.csv"


def powerlaw_spectrum(beta, r, d):
    b, rr = q(beta), q(r)
    eig = [mp.mpf(j) ** (-b) for j in range(1, d + 1)]
    w2 = [mp.mpf(j) ** (-1 - 2 * b * rr) / e for j, e in zip(range(1, d + 1), eig)]
    return eig, w2


# ---- §3 deterministic equivalents, direct sums -----------------------------------------------------------

class Direct:
    def __init__(self, eig, w2):
        self.eig, self.w2, self.d = eig, w2, len(eig)

    def df(self, k, m):
        return mp.fsum((l / (l + k)) ** m for l in self.eig)

    def bias_numerator(self, k):
        return mp.fsum(l * w * (k / (l + k)) ** 2 for l, w in zip(self.eig, self.w2))

    def trace(self):
        return mp.fsum(self.eig)


class Beta2Infinite:
    """λ_j = j^-2, d = ∞, r = 3/4 (so w2_j = j^-2 and B(κ) = κ² df2(κ)): closed forms (§8.4)."""
    d = None

    def df1(self, k):
        s = mp.sqrt(k)
        return mp.pi / (2 * s) * mp.coth(mp.pi / s) - mp.mpf(1) / 2

    def df(self, k, m):
        if m == 1:
            return self.df1(k)
        # df2 = df1 + κ d(df1)/dκ  (§8.4)
        return self.df1(k) + k * mp.diff(self.df1, k)

    def bias_numerator(self, k):
        return k * k * self.df(k, 2)

    def trace(self):
        return mp.zeta(2)


def solve_kappa(S, T, lam):
    T, lam = q(T), q(lam)
    if lam == 0:
        if S.d is not None and S.d <= T:
            return mp.mpf(0)
        f = lambda k: S.df(k, 1) - T
        hi = S.trace() / T
        lo = hi
        while f(lo) <= 0:
            lo /= 4
        return mp.findroot(f, (lo, hi), solver="illinois")
    f = lambda k: k - lam - k * S.df(k, 1) / T
    hi = lam + S.trace() / T
    lo = lam
    return mp.findroot(f, (lo, hi), solver="illinois")


def ridge_risk(S, T, lam, sigma2, n=0, T0=None, sigma02=0):
    k = solve_kappa(S, T, lam)
    T = q(T)
    if k == 0:
        d = S.d
        df1 = df2 = mp.mpf(d)
        B = mp.mpf(0)
    else:
        df1, df2, B = S.df(k, 1), S.df(k, 2), S.bias_numerator(k)
    bias = B / (1 - df2 / T)
    var = q(sigma2) * df2 / (T - df2)
    coll = mp.mpf(0)
    if n:
        d = S.d
        rho = df2 * (T + d - 2 * df1) / ((q(T0) - d - 1) * (T - df2))
        coll = n * q(sigma02) * rho
    return k, bias + var + coll


# ---- §4.3 over-parameterised recursion, per direction ------------------------------------------------------

def overgen(S, T0, n, sigma02, T=None, lam=None, sigma2=None):
    k0 = solve_kappa(S, T0, 0)
    s = [l / (l + k0) for l in S.eig]
    g = [l / (l + k0) ** 2 for l in S.eig]
    G = mp.fsum(g)
    m = list(S.w2)
    for _ in range(n):
        c = k0 / G * mp.fsum(gi * mi for gi, mi in zip(g, m))
        m = [si * si * mi + c * gi + q(sigma02) * gi / (k0 * G) for si, mi, gi in zip(s, m, g)]
    gen = mp.fsum(l * (mi - 2 * si ** n * w + w) for l, mi, si, w in zip(S.eig, m, s, S.w2))
    if T is None:
        return gen
    k = solve_kappa(S, T, lam)
    t = [l / (l + k) for l in S.eig]
    df2 = mp.fsum(ti * ti for ti in t)
    Tq = q(T)
    first = mp.fsum(l * (ti * ti * mi - 2 * ti * si ** n * w + w) for l, ti, mi, si, w in zip(S.eig, t, m, s, S.w2))
    second = k * k * mp.fsum(l * mi / (l + k) ** 2 for l, mi in zip(S.eig, m)) * df2 / (Tq - df2)
    return first + second + q(sigma2) * df2 / (Tq - df2)


# ---- §6 optimal λ by numerical differentiation ------------------------------------------------------------

def lambda_opt(S, T, sigma2, n, T0, sigma02):
    Tq = q(T)
    d = S.d

    def E(k):
        df1, df2, B = S.df(k, 1), S.df(k, 2), S.bias_numerator(k)
        seff = q(sigma2) + n * q(sigma02) * (Tq + d - 2 * df1) / (q(T0) - d - 1)
        return (Tq * B + seff * df2) / (Tq - df2)

    with mp.workdps(260):
        dE = lambda k: mp.diff(E, k)
        # bracket by a coarse log scan
        ks = [mp.mpf(10) ** (mp.mpf(e) / 8) for e in range(-48, 25)]
        prev = None
        for k in ks:
            if dE(k) >= 0:
                break
            prev = k
        kstar = mp.findroot(dE, (prev, k), solver="illinois")
        lam = kstar * (1 - S.df(kstar, 1) / Tq)
        return +lam, +kstar, +E(kstar)


# ---- §5 constants ---------------------------------------------------------------------------------------

def powerlaw_constants(beta, r):
    b, rr = q(beta), q(r)
    C1 = (mp.pi / b) / mp.sin(mp.pi / b)
    C2 = (1 - 1 / b) * C1
    B = mp.gamma(2 * rr) * mp.gamma(2 - 2 * rr) / b if rr < 1 else mp.zeta(1 + 2 * b * (rr - 1))
    return C1, C2, B


def crossover(beta, r, seff2):
    C1, C2, B = powerlaw_constants(beta, r)
    b, ru = q(beta), min(q(r), mp.mpf(1))
    return (2 * ru * b * B * C1 ** (2 * b * ru + 1) / (C2 * q(seff2))) ** (1 / (2 * b * ru))


def kappa_opt_asym(beta, r, T, seff2):
    C1, C2, B = powerlaw_constants(beta, r)
    b, ru = q(beta), min(q(r), mp.mpf(1))
    return (q(seff2) * C2 / (2 * ru * b * B * q(T))) ** (b / (2 * b * ru + 1))


# ---- §3.5 / §6 isotropic closed forms, independently -------------------------------------------------------

def iso_kappa(phi, lam):
    phi, lam = q(phi), q(lam)
    if lam == 0:
        return max(mp.mpf(0), phi - 1)
    # the positive root of κ² + (1 − φ − λ)κ − λ = 0, by a bracketing solver (not the closed form)
    return mp.findroot(lambda k: k * k + (1 - phi - lam) * k - lam, (mp.mpf(0), lam + phi + 1), solver="illinois")


def iso_risk(phi, lam, a, s, m):
    k = iso_kappa(phi, lam)
    phi_, a_, s_, m_ = q(phi), q(a), q(s), q(m)
    # general form of §3.3 with Σ = I per unit dimension: bias, variance and the ρ form of collapse
    df1 = 1 / (1 + k)
    df2 = 1 / (1 + k) ** 2
    bias = a_ * (k / (1 + k)) ** 2 / (1 - phi_ * df2)
    var = s_ * phi_ * df2 / (1 - phi_ * df2)
    coll = m_ * df2 * (1 + phi_ - 2 * phi_ * df1) / (1 - phi_ * df2)  # m·ρ·(T0−d−1)/d with T = d/φ
    return bias + var + coll


def iso_lambda_opt(phi, a, s, m):
    phi_, a_, s_, m_ = q(phi), q(a), q(s), q(m)
    roots = mp.polyroots([a_, -((a_ + m_) * (1 + phi_) + s_ * phi_), (a_ + 3 * m_) * phi_, 0, -m_ * phi_ ** 2],
                         maxsteps=400, extraprec=400)
    lo = max(mp.mpf(1), phi_)
    t = max(mp.re(x) for x in roots if abs(mp.im(x)) < mp.mpf(10) ** -100 and mp.re(x) > lo)
    return (t - 1) * (t - phi_) / t


# ---- rows --------------------------------------------------------------------------------------------------

def main():
    rows = []
    add = lambda quantity, args, value: rows.append((quantity, args, fmt(value)))

    eig, w2, lin = linspace_spectrum()
    L = Direct(eig, w2)
    for T, lam, n in [(40, "1/100", 0), (40, "1/100", 3), (40, "1/2", 3), (40, "0", 2), (15, "1/10", 0), (15, "0", 0), (15, "1/10", 2)]:
        T0 = 35
        args = f"--spectrum {lin} --T {T} --lambda {lam} --sigma2 1 --n {n}" + (f" --T0 {T0} --sigma02 49/100" if n else "")
        k, v = ridge_risk(L, T, lam, 1, n, T0, "49/100")
        add("ridge-risk", args, v)
        add("kappa", f"--spectrum {lin} --T {T} --lambda {lam}", k)
    add("kappa0", f"--spectrum {lin} --T0 12", solve_kappa(L, 12, 0))
    for kk in ["1/1000", "1/3", "7"]:
        add("df", f"--spectrum {lin} --kappa {kk} --m 1", L.df(q(kk), 1))
        add("df", f"--spectrum {lin} --kappa {kk} --m 2", L.df(q(kk), 2))
        add("bias-numerator", f"--spectrum {lin} --kappa {kk}", L.bias_numerator(q(kk)))

    P = Direct(*powerlaw_spectrum("3/2", "2/5", 300))
    for lam, n in [("1/100", 0), ("1/100", 2), ("1/1000", 2)]:
        args = f"--spectrum powerlaw --beta 3/2 --r 2/5 --d 300 --T 100 --lambda {lam} --sigma2 9/100 --n {n}" + (" --T0 400 --sigma02 1/4" if n else "")
        add("ridge-risk", args, ridge_risk(P, 100, lam, "9/100", n, 400, "1/4")[1])

    Binf = Beta2Infinite()
    for T, lam in [(100, "1/100"), (100, "1e-5"), (10000, "1e-7"), (100, "0"), (10000, "0")]:
        args = f"--spectrum powerlaw --beta 2 --r 3/4 --d inf --T {T} --lambda {lam} --sigma2 1/4 --n 0"
        k, v = ridge_risk(Binf, T, lam, "1/4")
        add("ridge-risk", args, v)
        add("kappa", f"--spectrum powerlaw --beta 2 --r 3/4 --d inf --T {T} --lambda {lam}", k)
    for kk in ["1e-12", "1e-6", "1/100", "1", "10"]:
        for m in (1, 2):
            add("df", f"--spectrum powerlaw --beta 2 --r 3/4 --d inf --kappa {kk} --m {m}", Binf.df(q(kk), m))

    E = Direct(eig[:], w2[:])
    for n in (1, 3):
        add("overgen-generator-risk", f"--spectrum {lin} --T0 12 --n {n} --sigma02 1/4", overgen(E, 12, n, "1/4"))
        add("overgen-risk", f"--spectrum {lin} --T0 12 --n {n} --sigma02 1/4 --T 30 --lambda 1/100 --sigma2 1/4",
            overgen(E, 12, n, "1/4", 30, "1/100", "1/4"))
    P300 = Direct(*powerlaw_spectrum("3/2", "2/5", 300))
    add("overgen-generator-risk", "--spectrum powerlaw --beta 3/2 --r 2/5 --d 300 --T0 150 --n 6 --sigma02 9/100",
        overgen(P300, 150, 6, "9/100"))
    add("overgen-risk", "--spectrum powerlaw --beta 3/2 --r 2/5 --d 300 --T0 150 --n 6 --sigma02 9/100 --T 200 --lambda 1/100 --sigma2 1/25",
        overgen(P300, 150, 6, "9/100", 200, "1/100", "1/25"))

    for n in (0, 2):
        args = f"--spectrum {lin} --T 40 --sigma2 1/4 --n {n}" + (" --T0 35 --sigma02 1" if n else "")
        add("lambda-opt", args, lambda_opt(L, 40, "1/4", n, 35, 1)[0])

    for beta, r in [("3/2", "2/5"), ("2", "2/5"), ("37/10", "3/2")]:
        C1, C2, B = powerlaw_constants(beta, r)
        add("powerlaw-constants", f"--beta {beta} --r {r}", C1)
        add("crossover", f"--beta {beta} --r {r} --sigma-eff2 1e-6", crossover(beta, r, "1e-6"))
        add("kappa-opt-asymptotic", f"--beta {beta} --r {r} --T 1e8 --sigma-eff2 1", kappa_opt_asym(beta, r, "1e8", 1))

    for phi, lam in [("1/2", "1/10"), ("2", "1/100"), ("1", "1e-6"), ("2/3", "0")]:
        add("iso-kappa", f"--phi {phi} --lambda {lam}", iso_kappa(phi, lam))
        add("iso-risk", f"--phi {phi} --lambda {lam} --w0norm2 1 --sigma2 1/4 --m 3/2", iso_risk(phi, lam, 1, "1/4", "3/2"))
    for phi, m in [("1/2", "1/2"), ("1/2", "10"), ("2", "1")]:
        add("iso-lambda-opt", f"--phi {phi} --w0norm2 1 --sigma2 1/4 --m {m}", iso_lambda_opt(phi, 1, "1/4", m))

    # §2 exact, with Python fractions
    def ols(d, T, T0, n, s2, s02):
        return F(s2) * d / (T - d - 1) + n * F(s02) * d / (T0 - d - 1)
    add("ols-exact", "--d 20 --T 40 --T0 35 --n 4 --sigma2 1 --sigma02 49/100", q(ols(20, 40, 35, 4, 1, F(49, 100))))
    iso = lambda d, T, T0, n, s2, s02, a: F(a) * (1 - F(T, d)) + F(s2) * T / (d - T - 1) + n * F(s02) * T / (T0 - d - 1)
    add("iso-minnorm-exact", "--d 60 --T 30 --T0 80 --n 3 --sigma2 1/4 --sigma02 1 --w0norm2 1", q(iso(60, 30, 80, 3, F(1, 4), 1, 1)))
    gen = lambda d, T0, n, s02, a: (1 - F(T0, d) ** n) * (F(a) + F(s02) * T0 * d / ((d - T0) * (d - T0 - 1)))
    add("overgen-iso-generator-exact", "--d 40 --T0 20 --n 3 --sigma02 1/4 --w0norm2 1", q(gen(40, 20, 3, F(1, 4), 1)))

    out = os.path.join(HERE, "reference.csv")
    with open(out, "w", newline="") as f:
        f.write("# generated by data/reference/generate.py (mpmath %s, %d working digits); %d significant digits\n"
                % (mp.__version__, mp.mp.dps, OUT_DIGITS))
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["quantity", "args", "value"])
        for r in rows:
            w.writerow(r)
    print(f"wrote {len(rows)} rows to {out}")


if __name__ == "__main__":
    main()
