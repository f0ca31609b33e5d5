"""collapse.eval agrees with `collapse eval` to every printed digit, and converts numbers exactly."""
import math
import os
import shlex
from fractions import Fraction

import mpmath
import pytest

import collapse

from conftest import ROOT

# A dozen quantities of every kind (exact rationals, closed forms, DE fixed points, the three spectra,
# d = inf, generator parameters), at 30 and 50 digits. Arguments as in data/golden/points.txt.
POINTS = [
    ("ols-exact --d 20 --T 40 --T0 35 --n 4 --sigma2 1 --sigma02 0.49", 30),
    ("iso-minnorm-exact --d 60 --T 30 --T0 80 --n 3 --sigma2 1/4 --sigma02 1 --w0norm2 1", 50),
    ("overgen-iso-exact --d 40 --T 60 --T0 20 --n 3 --sigma2 1/4 --sigma02 1/4 --w0norm2 1", 30),
    ("iso-kappa --phi 2/3 --lambda 0.01", 50),
    ("iso-risk --phi 2/3 --lambda 0.1 --w0norm2 1 --sigma2 1/4 --m 600/199", 30),
    ("kappa --spectrum powerlaw --beta 2 --r 2/5 --d inf --T 1000 --lambda 0.001", 50),
    ("kappa0 --spectrum isotropic --d 300 --w0norm2 1 --T0 100", 30),
    ("df --spectrum powerlaw --beta 2 --r 1/2 --d 1000 --kappa 0.001 --m 1", 30),
    ("bias-numerator --spectrum file:data/golden/sigma-linspace-20.csv --kappa 0.3", 40),
    ("ridge-risk --spectrum isotropic --d 200 --w0norm2 1 --T 300 --lambda 0.1 --sigma2 1/4 --n 3 --T0 400 --sigma02 1", 50),
    ("ridge-risk --spectrum powerlaw --beta 3/2 --r 2/5 --d inf --T 1000 --lambda 1e-3 --sigma2 1 --n 0", 50),
    ("overgen-risk --spectrum isotropic --d 200 --w0norm2 1 --T0 100 --n 3 --sigma02 1/4 --T 300 --lambda 0.1 --sigma2 1/4", 30),
    ("powerlaw-constants --beta 3/2 --r 3/10", 30),
    ("iso-lambda-opt --phi 1/2 --w0norm2 1 --sigma2 1/4 --m 10", 30),
]


def python_call(args: str, digits: int):
    words = shlex.split(args)
    quantity, rest = words[0], words[1:]
    kwargs = {}
    for name, value in zip(rest[::2], rest[1::2]):
        name = name[2:]
        if name == "spectrum" and value.startswith("file:"):
            value = "file:" + str(ROOT / value[5:])
        kwargs["lam" if name == "lambda" else name.replace("-", "_")] = value
    return collapse.eval(quantity, digits=digits, **kwargs)


@pytest.mark.parametrize("args,digits", POINTS, ids=[p[0].split()[0] + f"-{i}" for i, p in enumerate(POINTS)])
def test_every_printed_digit_equals_the_cli(cli_json, args, digits):
    expected = cli_json("eval", *shlex.split(args), "--digits", str(digits))
    r = python_call(args, digits)
    assert r.text["value"] == expected["value"]
    assert {k: v for k, v in r.text.items() if k != "value"} == expected["components"]
    assert r.digits == digits
    if "exact" in expected:
        assert r.exact == Fraction(expected["exact"]) and r.value == r.exact
        assert all(isinstance(v, Fraction) for v in r.components.values())
        for k, v in r.components.items():  # the exact component rounds to the printed one
            assert mpmath.nstr(mpmath.mpf(v.numerator) / v.denominator, 5) == mpmath.nstr(mpmath.mpf(expected["components"][k]), 5)
    else:
        assert isinstance(r.value, mpmath.mpf)
        with mpmath.workdps(digits + 10):  # the mpf carries all the certified digits
            assert abs(r.value - mpmath.mpf(expected["value"])) <= abs(r.value) * mpmath.mpf(10) ** (-digits - 5)
        assert r.diagnostics["method"] == expected["diagnostics"]["method"]
        assert r.diagnostics["working_digits"] == expected["diagnostics"]["working_digits"]


def test_a_str_is_parsed_exactly_and_a_float_is_its_binary_value(cli_json):
    common = dict(d=20, T=40, n=0)
    tenth = collapse.eval("ols-exact", sigma2="0.1", **common)
    assert tenth.exact == Fraction(1, 10) * Fraction(20, 40 - 20 - 1)
    binary = collapse.eval("ols-exact", sigma2=0.1, **common)
    assert binary.exact == Fraction(0.1) * Fraction(20, 19) != tenth.exact
    assert collapse.eval("ols-exact", sigma2=Fraction(1, 10), **common).exact == tenth.exact
    assert collapse.eval("ols-exact", sigma2=mpmath.mpf(0.1), **common).exact == binary.exact
    # the CLI given the float's exact decimal prints the same digits
    exact_decimal = str(__import__("decimal").Decimal(0.1))
    assert cli_json("eval", "ols-exact", "--d", "20", "--T", "40", "--n", "0", "--sigma2", exact_decimal)["exact"] == \
        f"{binary.exact.numerator}/{binary.exact.denominator}"


def test_spectra_from_arrays_and_the_infinite_power_law_equal_their_cli_forms(cli_json, tmp_path):
    import numpy as np

    eig = np.array([2.0, 1.0, 0.5, 0.25])
    w2 = np.array([0.5, 0.25, 0.125, 1.0])
    s = collapse.Spectrum.from_arrays(eig, w2)
    r = collapse.eval("kappa", spectrum=s, T=3, lam="0.01", digits=40)
    f = tmp_path / "s.csv"
    f.write_text("eig,w2\n" + "".join(f"{a},{b}\n" for a, b in zip(eig, w2)))
    assert r.text["value"] == cli_json("eval", "kappa", "--spectrum", f"file:{f}", "--T", "3", "--lambda", "0.01", "--digits", "40")["value"]
    pl = collapse.eval("df", spectrum=collapse.Spectrum.powerlaw("1.5", "0.4", d=math.inf), kappa="1e-8", m=1)
    assert pl.text["value"] == "521027.802808530241064492621752"  # README: certified by two routes
    iso = collapse.eval("kappa", spectrum=collapse.Spectrum.isotropic(200, 1), T=300, lam="0.1")
    assert iso.text["value"] == cli_json("eval", "kappa", "--spectrum", "isotropic", "--d", "200", "--w0norm2", "1", "--T", "300",
                                         "--lambda", "0.1")["value"]
