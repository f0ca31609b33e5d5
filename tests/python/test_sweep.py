"""A vectorised sweep equals single evaluations point by point."""
import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest

import collapse

PL = collapse.Spectrum.powerlaw("1.5", "0.4", d=math.inf)


def test_a_lambda_sweep_equals_certified_single_calls_to_double_precision():
    lam = np.logspace(-6, 0, 13)
    s = collapse.sweep("ridge-risk", "lam", lam, spectrum=PL, T=1000, sigma2=1, n=0)
    assert s["value"].dtype == np.float64 and s["value"].shape == lam.shape
    assert set(s["components"]) == {"kappa", "df1", "df2", "bias", "variance", "collapse", "sigma_eff2"}
    for i, x in enumerate(lam):
        r = collapse.eval("ridge-risk", spectrum=PL, T=1000, lam=float(x), sigma2=1, n=0, digits=20)  # the same binary λ
        assert s["value"][i] == pytest.approx(float(r.value), rel=1e-12, abs=0)
        assert s["components"]["kappa"][i] == pytest.approx(float(r.components["kappa"]), rel=1e-12, abs=0)


def test_a_T_sweep_with_generators_equals_single_calls():
    T = np.array([300.0, 450.0, 1000.0, 1e5])
    iso = collapse.Spectrum.isotropic(200, 1)
    s = collapse.sweep("ridge-risk", "T", T, spectrum=iso, lam="0.1", sigma2="0.25", n=3, T0=400, sigma02=1)
    for i, t in enumerate(T):
        r = collapse.eval("ridge-risk", spectrum=iso, T=int(t), lam="0.1", sigma2="0.25", n=3, T0=400, sigma02=1, digits=20)
        assert s["value"][i] == pytest.approx(float(r.value), rel=1e-12, abs=0)
        assert s["components"]["collapse"][i] == pytest.approx(float(r.components["collapse"]), rel=1e-12, abs=0)


def test_an_exact_quantity_sweeps_to_the_rounded_rational():
    T = np.arange(25.0, 35.0)
    s = collapse.sweep("ols-exact", "T", T, d=20, n=0, sigma2=1)
    assert list(s["value"]) == [float(Fraction(20, int(t) - 21)) for t in T]  # correctly rounded


def test_a_grid_point_out_of_range_raises_the_single_call_error():
    with pytest.raises(ValueError) as e:
        collapse.sweep("ridge-risk", "lam", [0.1, -0.5], spectrum=PL, T=1000, sigma2=1, n=0)
    with pytest.raises(ValueError) as single:
        collapse.eval("ridge-risk", spectrum=PL, T=1000, lam=-0.5, sigma2=1, n=0)
    assert str(e.value) == str(single.value)
    with pytest.raises(ValueError, match="valid range is a finite number"):
        collapse.sweep("ridge-risk", "lam", [0.1, float("nan")], spectrum=PL, T=1000, sigma2=1, n=0)
    with pytest.raises(ValueError, match="over = sigma"):
        collapse.sweep("ridge-risk", "sigma", [1.0], spectrum=PL, T=1000, sigma2=1, n=0, lam=0.1)
