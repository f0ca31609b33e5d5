#!/usr/bin/python3
"""tests/theory/lambda_opt_reference.py -- the independent route for the optimal-lambda edge sweep
(issue 8, gap b), written with mpmath and nothing from theory/.

For Sigma = I with collapse the ridge risk along kappa >= kappa_0 = max(0, phi - 1) is (theory §3.5, §6)
    E(kappa) = (kappa^2 (a+m) + s phi)/((1+kappa)^2 - phi) + m (1-kappa)/(1+kappa),
and its stationary points t = 1 + kappa are the real roots of the *unshifted* quartic of §6
    a t^4 - [(a+m)(1+phi) + s phi] t^3 + (a+3m) phi t^2 - m phi^2 = 0,   lambda = (t-1)(t-phi)/t.
Here the quartic is evaluated as written (not in the shifted variable the C++ uses) in exact rational
arithmetic (Fractions: every sign is exact); the largest root above L = max(1, phi) is bracketed by scanning
t = L + v, v = bound/2^k downwards, and refined by bisection to 1e-75 relative in v; lambda, kappa and the
risk are exact at both ends of the bracket, which must agree to 55 digits. No root above L (down to
v = bound 2^-8000) means the risk does not fall on kappa > kappa_0: lambda* = 0, kappa* = kappa_0 and risk* is the lambda -> 0+
limit (E(kappa_0) for phi != 1; m when phi = 1 and s = 0, since kappa(a+m)/(2+kappa) -> 0).

Writes tests/theory/data/lambda_opt_reference.csv: quantity;options;lambda;kappa_opt;risk_opt (45 digits);tie
(tie: phi = 1, s = 0, a = 3m, the exact tie of the boundary decision, lambda* = 0).
Run: /usr/bin/python3 tests/theory/lambda_opt_reference.py
"""
import mpmath as mp
from fractions import Fraction
import os, sys

PHIS = [("1e-60", (1, "1e60")), ("1e-54", (1, "1e54")), ("1e-30", (1, "1e30")), ("1e-10", (1, "1e10")),
        ("1/2", (2, "4")), ("1", (2, "2")), ("1", (100, "100")), ("2", (2, "1")), ("1e10", ("1e10", "1")),
        ("1e18", ("1e18", "1")), ("1e50", None), ("1e100", None), ("1e160", None)]  # isotropic spectra take d <= 1e18
SIGMA2 = ["0", "1e-40", "1e-20", "1e-10", "1e-3", "1"]
WM = [("1", "0"), ("1", "1"), ("4", "1"), ("3", "1"), ("2", "1"), ("1", "1/3"), ("1e-3", "1")]


def optimum(phi, a, s, m):
    """(lambda*, kappa*, risk*) as exact Fractions, the root bracketed to 1e-75 relative."""
    L = max(Fraction(1), phi)
    c4, c3, c2, c0 = a, -((a + m) * (1 + phi) + s * phi), (a + 3 * m) * phi, -m * phi ** 2
    p = lambda t: (((c4 * t + c3) * t + c2) * t) * t + c0   # exact: its sign is never rounding
    bound = Fraction(2) ** (max(abs(c3 / c4), abs(c2 / c4), abs(c0 / c4), Fraction(1)).__ceil__().bit_length() + 2) * L
    v, found = bound, None
    for _ in range(8000):  # down to v = bound 2^-8000, far below every root of the table (>= 1e-100 L)
        if p(L + v) <= 0:
            found = v
            break
        v /= 2
    if found is None:  # no root above L: the risk does not fall on kappa > kappa_0, lambda* = 0
        k0 = phi - 1 if phi > 1 else Fraction(0)
        if phi == 1:
            assert s == 0
            return Fraction(0), k0, m  # kappa (a+m)/(2+kappa) -> 0, m (1-kappa)/(1+kappa) -> m
        gap = (1 + k0) ** 2 - phi
        return Fraction(0), k0, (k0 ** 2 * (a + m) + s * phi) / gap + m * (1 - k0) / (1 + k0)
    lo, hi = found, 2 * found       # p(L + lo) <= 0 < p(L + hi)
    while hi - lo > lo / 10 ** 75:
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if p(L + mid) <= 0 else (lo, mid)
    def at(v):
        t = L + v
        kappa = t - 1
        gap = (1 + kappa) ** 2 - phi
        return (t - 1) * (t - phi) / t, kappa, (kappa ** 2 * (a + m) + s * phi) / gap + m * (1 - kappa) / (1 + kappa)
    x, y = at(lo), at(hi)
    for u, w in zip(x, y):
        assert abs(u - w) <= abs(u) / 10 ** 55, "bracket too wide"
    return x


def rows():
    out = []
    for phi_text, dT in PHIS:
        d, T = dT if dT else (None, None)
        for s_text in SIGMA2:
            for a_text, m_text in WM:
                phi, s, a, m = Fraction(phi_text), Fraction(s_text), Fraction(a_text), Fraction(m_text)
                iso = f"--phi {phi_text} --w0norm2 {a_text} --sigma2 {s_text} --m {m_text}"
                if phi_text != "1" or d == 2:
                    out.append(("iso-lambda-opt", iso, phi, a, s, m))
                if d is None:
                    continue
                dd, TT = Fraction(str(d)), Fraction(T)
                spec = f"--spectrum isotropic --d {d} --w0norm2 {a_text} --T {T} --sigma2 {s_text}"
                if m == 0:
                    out.append(("lambda-opt", spec + " --n 0", dd / TT, a, s, m))
                else:  # one generator with T0 = d + 2 and sigma02 = m/d: m_col = n sigma02 d/(T0 - d - 1) = m
                    s02 = m / dd
                    s02_text = f"{s02.numerator}/{s02.denominator}" if s02.denominator != 1 else str(s02.numerator)
                    out.append(("lambda-opt", spec + f" --n 1 --T0 {dd + 2} --sigma02 {s02_text}", dd / TT, a, s, m))
    return out


def text(x):
    if x == 0:
        return "0"
    mp.mp.dps = 80
    return mp.nstr(mp.mpf(x.numerator) / x.denominator, 45, min_fixed=1, max_fixed=0)


def main():
    # "tie": the boundary decision is an exact tie (phi = 1, s = 0, a = 3m, where E'(0+) = 0): lambda-opt decides in
    # floating point and may only refuse it (convergence_error); iso-lambda-opt decides it on the exact inputs.
    lines = [";".join([quantity, options] + [text(x) for x in optimum(phi, a, s, m)] +
                      ["tie" if phi == 1 and s == 0 and m > 0 and a == 3 * m else ""])
             for quantity, options, phi, a, s, m in rows()]
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "lambda_opt_reference.csv")
    with open(path, "w") as f:
        f.write("# generated by tests/theory/lambda_opt_reference.py (exact rational quartic of §6, root bracketed to 1e-75)\n")
        f.write("# quantity;options;lambda;kappa_opt;risk_opt;tie\n")
        f.write("\n".join(lines) + "\n")
    print(f"{len(lines)} rows -> {path}")


if __name__ == "__main__":
    main()
