"""collapse.simulate gives the numbers of `collapse simulate` for the same seed; verify the summary rows."""
import numpy as np
import pytest

import collapse

from conftest import ROOT

RUNS = [
    # (keyword arguments, command-line arguments): the engines, estimators, a λ grid, generators, a file spectrum
    (dict(spectrum=collapse.Spectrum.isotropic(20, 1), T=40, T0=35, n=2, sigma2=1, sigma02="0.49", lam=[0, "0.1", 1], trials=2000, seed=7),
     "--spectrum isotropic --d 20 --w0norm2 1 --T 40 --T0 35 --n 2 --sigma2 1 --sigma02 0.49 --lambda 0,0.1,1 --trials 2000 --seed 7"),
    (dict(spectrum=collapse.Spectrum.powerlaw("1.5", "0.4", d=60), T=30, T0=40, n=3, sigma2="0.09", sigma02="0.25", lam=[0, "0.01"],
          trials=500, seed=3, estimator="plain", threads=2),
     "--spectrum powerlaw --beta 1.5 --r 0.4 --d 60 --T 30 --T0 40 --n 3 --sigma2 0.09 --sigma02 0.25 --lambda 0,0.01 --trials 500 --seed 3 "
     "--estimator plain --threads 2"),
    (dict(spectrum=collapse.Spectrum.from_file(ROOT / "data/reference/spectra/linspace20.csv"), T=40, T0=35, n=1, sigma2=1,
          sigma02="0.49", lam=[0, "0.05"], trials=300, seed=11, engine="reference"),
     f"--spectrum file:{ROOT}/data/reference/spectra/linspace20.csv --T 40 --T0 35 --n 1 --sigma2 1 --sigma02 0.49 --lambda 0,0.05 "
     "--trials 300 --seed 11 --engine reference"),
    (dict(spectrum=collapse.Spectrum.isotropic(10, 1), T=12, n=0, sigma2=1, lam=[0, "0.5"], trials=200, seed=5),
     "--spectrum isotropic --d 10 --w0norm2 1 --T 12 --n 0 --sigma2 1 --lambda 0,0.5 --trials 200 --seed 5"),
    (dict(spectrum=collapse.Spectrum.isotropic(20, 1), T=40, n=0, sigma2=1, lam="0.1", target_se="0.01", seed=2),
     "--spectrum isotropic --d 20 --w0norm2 1 --T 40 --n 0 --sigma2 1 --lambda 0.1 --target-se 0.01 --seed 2"),
    # the issue-12 protocol variants
    (dict(spectrum=collapse.Spectrum.isotropic(6, 1), T=20, T0=20, n=3, sigma2=1, sigma02=1, trials=400, seed=4, protocol="accumulate",
          design="fixed"),
     "--spectrum isotropic --d 6 --w0norm2 1 --T 20 --T0 20 --n 3 --sigma2 1 --sigma02 1 --trials 400 --seed 4 --protocol accumulate "
     "--design fixed"),
    (dict(spectrum=collapse.Spectrum.isotropic(6, 1), T=20, T0=4, n=2, sigma2=1, sigma02="0.5", lam="0.1", trials=200, seed=6,
          engine="reference", generator_lambda="0.2"),
     "--spectrum isotropic --d 6 --w0norm2 1 --T 20 --T0 4 --n 2 --sigma2 1 --sigma02 0.5 --lambda 0.1 --trials 200 --seed 6 "
     "--engine reference --generator-lambda 0.2"),
    (dict(spectrum=collapse.Spectrum.isotropic(6, 1), T=20, n=0, sigma2=1, trials=300, seed=8, engine="reference",
          synthetic_fraction="0.25", teacher_shift=1),
     "--spectrum isotropic --d 6 --w0norm2 1 --T 20 --n 0 --sigma2 1 --trials 300 --seed 8 --engine reference "
     "--synthetic-fraction 0.25 --teacher-shift 1"),
]


@pytest.mark.parametrize("kwargs,args", RUNS, ids=["iso-fast-rb", "powerlaw-plain-2threads", "file-reference", "no-interval-row", "target-se",
                                               "accumulate-fixed", "ridge-generator", "mixing"])
def test_simulate_returns_the_cli_numbers_bit_for_bit(cli_json, kwargs, args):
    expected = cli_json("simulate", *args.split())
    r = collapse.simulate(**kwargs)
    rows = expected["results"]
    assert len(r["mean"]) == len(rows) and r["total_trials"] == expected["trials"]
    for key in ("generation", "lambda", "mean", "se", "ci_lo", "ci_hi", "trials"):
        assert isinstance(r[key], np.ndarray) and r[key].shape == (len(rows),)
    assert r["mean"].dtype == np.float64 and r["generation"].dtype == np.int64
    for i, row in enumerate(rows):
        assert r["generation"][i] == row["generation"] and r["trials"][i] == row["trials"]
        assert r["lambda"][i] == row["lambda"]
        assert r["mean"][i] == row["mean"]  # exact: JSON doubles round-trip
        if "se" in row:
            assert r["se"][i] == row["se"] and [r["ci_lo"][i], r["ci_hi"][i]] == row["ci95"]
            assert r["no_interval"][i] is None
        else:  # infinite per-trial variance: no se, no interval, and the reason
            assert np.isnan(r["se"][i]) and np.isnan(r["ci_lo"][i]) and r["no_interval"][i] == row["no_interval"]


def test_the_same_seed_gives_the_same_numbers_for_any_thread_count():
    kw = dict(spectrum=collapse.Spectrum.isotropic(20, 1), T=40, T0=35, n=2, sigma2=1, sigma02="0.49", lam=[0, "0.1"], trials=3000, seed=9)
    a, b = collapse.simulate(threads=1, **kw), collapse.simulate(threads=2, **kw)
    assert np.array_equal(a["mean"], b["mean"]) and np.array_equal(a["se"], b["se"])
    c = collapse.simulate(threads=1, **{**kw, "seed": 10})
    assert not np.array_equal(a["mean"], c["mean"])


def test_verify_returns_the_summary_rows_of_collapse_verify(cli_json):
    expected = cli_json("verify", "lambda-opt-quartic", "crossover")["suites"]
    rows = collapse.verify(["lambda-opt-quartic", "crossover"])
    strip = lambda rs: [{k: v for k, v in r.items() if k != "seconds"} for r in rs]
    assert strip(rows) == strip(expected)
    assert all(r["pass"] for r in rows) and [r["suite"] for r in rows] == ["lambda-opt-quartic", "crossover"]  # in the order named
    with pytest.raises(ValueError, match="no-such-suite"):
        collapse.verify(["no-such-suite"])
