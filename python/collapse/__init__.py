"""collapse -- model collapse in regression from Python (issue 14).

The same library as the ``collapse`` command line, not a re-implementation: every call goes through the
command's own request builder, certification, simulator and verification runner, so names, ranges,
messages and numbers are the CLI's. Section numbers (§) refer to the theory document
(model-collapse-regression.md, Dohmatob, Feng & Kempe, NeurIPS 2024).

    >>> import collapse, math
    >>> pl = collapse.Spectrum.powerlaw(beta="1.5", r="0.4", d=math.inf)
    >>> r = collapse.eval("ridge-risk", spectrum=pl, T=1000, lam="1e-3", sigma2=1, n=0, digits=50)
    >>> r.value, r.components["kappa"], r.diagnostics["method"]

Numbers. Every numeric argument is converted to an exact number before the library sees it:
    str                  parsed exactly like the command line ("0.1" is 1/10, "1/3", "1e-6", "inf" for d)
    int, numpy integer   exactly
    fractions.Fraction   exactly
    decimal.Decimal      exactly
    float, numpy float   its exact binary value: 0.1 is 0.1000000000000000055511151231257827021181583404541015625,
                         not 1/10 -- pass "0.1" for one tenth (error messages show that exact decimal)
    mpmath.mpf           its exact binary value
Parameter names are the CLI's without "--"; ``lam`` (or ``lambda_``) stands for ``lambda`` and an
underscore for a hyphen (``sigma_eff2`` for ``sigma-eff2``).

Errors. A bad argument raises ValueError whose message is the CLI's error line without the
"collapse: error: " prefix (parameter, value, valid range); a quantity whose digits cannot be certified
raises CertificationError (a subclass of ArithmeticError). Ctrl-C interrupts eval, sweep and simulate
within about 50 ms (an interrupted eval leaves its evaluation finishing in a background thread, whose result
is dropped), and verify at its next progress line (seconds apart: a suite's own computation has no hook).
"""

from __future__ import annotations

import decimal
import math
import numbers
import os
import sys
import tempfile
import weakref
from dataclasses import dataclass, field
from fractions import Fraction

import mpmath
import numpy as np

from . import _core
from ._core import CertificationError

__all__ = ["eval", "sweep", "simulate", "verify", "quantities", "Spectrum", "Result", "CertificationError"]

_PARAMETERS = set(_core.parameter_names())
_SPECTRUM_PARAMETERS = {"d", "w0norm2", "beta", "r"}


def _name(python_name: str) -> str:
    """The CLI parameter name of a Python keyword: lam/lambda_ -> lambda, sigma_eff2 -> sigma-eff2."""
    if python_name in ("lam", "lambda_"):
        return "lambda"
    if python_name not in _PARAMETERS and python_name.replace("_", "-") in _PARAMETERS:
        return python_name.replace("_", "-")
    return python_name


def _text(name: str, x) -> str:
    """The exact text of a numeric argument (see the module docstring); TypeError for other types."""
    if isinstance(x, bool) or x is None:
        raise TypeError(f"{name}: a number or a numeric string, not {x!r}")
    if isinstance(x, str):
        return x
    if isinstance(x, numbers.Integral):
        return str(int(x))
    if isinstance(x, Fraction):
        return f"{x.numerator}/{x.denominator}"
    if isinstance(x, decimal.Decimal):
        return str(x)
    if isinstance(x, mpmath.mpf):
        if mpmath.isinf(x) or mpmath.isnan(x):
            return str(float(x))
        man, exp = x.man_exp
        return _text(name, Fraction(man) * Fraction(2) ** exp)
    if isinstance(x, numbers.Real):  # float, numpy floating
        f = float(x)
        if math.isinf(f) or math.isnan(f):
            return str(f)  # "inf" (accepted for the power-law d only), "nan" (refused by the parser)
        return str(decimal.Decimal(f))  # exact: every binary float is a finite decimal
    raise TypeError(f"{name}: a number (str, int, Fraction, Decimal, float, mpmath.mpf), not {type(x).__name__}")


class Spectrum:
    """A population spectrum (§1, §5.1): the covariance eigenvalues λ_j and the teacher's energies
    w2_j = (w0 in Σ's eigenbasis)_j². Build one with isotropic(), powerlaw(), from_arrays() or from_file();
    pass it as ``spectrum=`` to eval, sweep and simulate. Validated by the library when used (ValueError
    with the CLI's message)."""

    def __init__(self, options: dict[str, str], description: str, keep=None):
        self._options = dict(options)
        self._description = description
        self._keep = keep  # the temporary file of from_arrays, removed with the object

    @classmethod
    def isotropic(cls, d, w0norm2) -> "Spectrum":
        """Σ = I_d, w2_j = ‖w0‖²/d. d: integer 1..1e18; w0norm2 >= 0."""
        return cls({"spectrum": "isotropic", "d": _text("d", d), "w0norm2": _text("w0norm2", w0norm2)},
                   f"isotropic(d={d}, w0norm2={w0norm2})")

    @classmethod
    def powerlaw(cls, beta, r, d=math.inf) -> "Spectrum":
        """λ_j = j^-β, λ_j w2_j = j^(-1-2βr) for j = 1..d (§5.1). d = math.inf (or "inf") is the infinite
        power law (β > 1 then), evaluated without truncation by `collapse eval`'s sums (§8.4); the
        simulator needs a finite d."""
        return cls({"spectrum": "powerlaw", "beta": _text("beta", beta), "r": _text("r", r), "d": _text("d", d)},
                   f"powerlaw(beta={beta}, r={r}, d={d})")

    @classmethod
    def from_file(cls, path) -> "Spectrum":
        """A CSV file with header ``eig,w2`` (values parsed exactly), as ``--spectrum file:PATH``."""
        return cls({"spectrum": "file:" + os.fspath(path)}, f"file:{path}")

    @classmethod
    def from_arrays(cls, eig, w2) -> "Spectrum":
        """An explicit spectrum from two equal-length 1-d arrays (eig > 0, w2 >= 0). Each entry is converted
        exactly (a float is its binary value) and written to a temporary ``eig,w2`` file that the library
        reads like ``--spectrum file:PATH``, so the checks and messages are the CLI's (messages name that
        file); the file is removed when the Spectrum is garbage-collected."""
        eig = np.asarray(eig)
        w2 = np.asarray(w2)
        if eig.ndim != 1 or w2.ndim != 1 or eig.shape != w2.shape:
            raise ValueError(f"invalid spectrum arrays = shapes {eig.shape} and {w2.shape}: "
                             "valid range is two one-dimensional arrays of equal length")
        fd, path = tempfile.mkstemp(prefix="collapse-spectrum-", suffix=".csv")
        with os.fdopen(fd, "w") as f:
            f.write(f"# rows = {eig.shape[0]}\neig,w2\n")
            for a, b in zip(eig.tolist(), w2.tolist()):
                f.write(f"{_text('eig', a)},{_text('w2', b)}\n")
        spectrum = cls({"spectrum": "file:" + path}, f"from_arrays(d={eig.shape[0]})")
        spectrum._keep = weakref.finalize(spectrum, os.remove, path)
        return spectrum

    def options(self) -> dict[str, str]:
        """The spectrum as the CLI's option texts (names without "--")."""
        return dict(self._options)

    def __repr__(self) -> str:
        return f"collapse.Spectrum.{self._description}"


def _options(spectrum, params: dict) -> dict[str, str]:
    opts: dict[str, str] = {}
    if spectrum is not None:
        if isinstance(spectrum, Spectrum):
            opts.update(spectrum.options())
        elif isinstance(spectrum, str):
            opts["spectrum"] = spectrum
        else:
            raise TypeError(f"spectrum: a collapse.Spectrum or a string, not {type(spectrum).__name__}")
    for k, v in params.items():
        name = _name(k)
        if name in opts and spectrum is not None and name in _SPECTRUM_PARAMETERS and isinstance(spectrum, Spectrum):
            raise ValueError(f"invalid --{name} = {_text(name, v)}: valid range is not given twice (the Spectrum sets it)")
        opts[name] = _text(name, v)
    return opts


@dataclass(frozen=True)
class Result:
    """A certified evaluation (``collapse eval``).

    value, components: mpmath.mpf holding the certified decimal (every one of its `digits` significant
        digits guaranteed, §8) -- or fractions.Fraction when the quantity is an exact rational (then exact).
        The mpf values are made at digits + 10 decimal digits of precision; print them with
        mpmath.nstr(x, digits) or use `text`.
    text: the decimals exactly as `collapse eval` prints them: {"value": ..., component: ...}.
    diagnostics: method, κ iterations and residual, error estimate, working precisions, seconds, ...
        (the CLI's JSON "diagnostics").
    """

    quantity: str
    digits: int
    value: object
    components: dict = field(default_factory=dict)
    text: dict = field(default_factory=dict)
    exact: Fraction | None = None
    diagnostics: dict = field(default_factory=dict)

    def __float__(self) -> float:
        return float(self.value)


def eval(quantity: str, *, digits: int = 30, spectrum=None, **params) -> Result:
    """Evaluate a catalogue quantity with every printed digit certified, as ``collapse eval`` does.

    quantity: a name of ``collapse eval --list`` / quantities(), e.g. "ridge-risk" (§3.2-3.3).
    digits: 10..1000 significant digits, guaranteed.
    spectrum: a Spectrum (or "isotropic"/"powerlaw"/"file:PATH" with d, w0norm2, beta, r as keywords)
        for quantities that take one.
    params: the quantity's parameters by CLI name (lam for lambda); numbers as in the module docstring.
    Returns a Result. Raises ValueError (bad or missing argument, unknown quantity: the CLI's message),
    CertificationError (the digits cannot be vouched for), TypeError (a non-numeric argument).
    """
    if isinstance(digits, bool) or not isinstance(digits, numbers.Integral):
        raise TypeError(f"digits: an integer 10..1000, not {digits!r}")
    if not 10 <= digits <= 1000:  # before the C++ call, whose int cannot hold 10**30
        raise ValueError(f"invalid --digits = {digits}: valid range is an integer 10 <= digits <= 1000")
    out = _core.eval(quantity, _options(spectrum, params), int(digits))
    text = {"value": out["value"]}
    text.update(dict(out["components"]))
    diagnostics = out["diagnostics"]
    if out["exact"] is not None:
        exact = Fraction(out["exact"])
        comps = {k: Fraction(v) for k, v in diagnostics.get("exact_components", {}).items()}
        return Result(out["quantity"], out["digits"], exact, comps, text, exact, diagnostics)
    with mpmath.workdps(int(digits) + 10):
        value = mpmath.mpf(out["value"])
        comps = {k: mpmath.mpf(v) for k, v in out["components"]}
    return Result(out["quantity"], out["digits"], value, comps, text, None, diagnostics)


def sweep(quantity: str, over: str, grid, *, spectrum=None, **params) -> dict:
    """Evaluate a quantity over a grid of one parameter in one call, in double precision (not certified).

    over: the parameter swept (CLI name; "lam" for lambda), e.g. "lam" or "T".
    grid: a 1-d array-like of floats (each taken as its exact binary value).
    Other arguments as in eval(). The loop runs in C++ with the GIL released (one thread); every point
    is validated like a single call (a point out of range raises ValueError naming its value).
    Returns {"value": float64 array, "components": {name: float64 array}}, same length as grid; the
    value at each point is the one the quantity's double-precision evaluator gives for that point alone.
    """
    grid = np.ascontiguousarray(np.asarray(grid, dtype=np.float64))
    return _core.sweep(quantity, _options(spectrum, params), _name(over), grid)


def simulate(*, spectrum: Spectrum, T, sigma2, n=0, lam=0, T0=None, sigma02=None, trials=None, target_se=None,
             max_trials=None, seed=1, threads=1, engine="fast", estimator="rb", precision="double",
             protocol="replace", design=None, generator_lambda=None, synthetic_fraction=None, teacher_shift=None) -> dict:
    """Monte Carlo of the iterated synthetic-data protocol (§1), as ``collapse simulate`` (same options,
    ranges and messages; docs/simulation.md).

    lam: one λ or a sequence (the ridge grid, each >= 0; 0 is the pseudo-inverse).
    trials (>= 2) or target_se (relative standard error of every mean, 1e-12..1), not both.
    protocol ("replace" | "accumulate"), design ("fresh" | "fixed", accumulate only), generator_lambda (λ0 of
    ridge generators), synthetic_fraction (p2) and teacher_shift (‖Δ‖²_Σ): the issue-12 protocol variants of
    ``collapse simulate --protocol ... --teacher-shift`` (docs/simulation.md "Protocol variants").
    Reproducibility: the same arguments and seed give exactly the numbers of ``collapse simulate``
    (same build), for any threads. The CLI's --max-seconds pilot is not applied (Ctrl-C cancels).
    Returns a dict of numpy arrays, one entry per (generation, λ) row, generation-major:
        generation (int64), lambda, mean, se, ci_lo, ci_hi (float64; the 95 % normal interval), trials (int64),
    plus "no_interval" (per row None, or why se and the interval are NaN: infinite per-trial variance),
    "total_trials", "elapsed_seconds", "seed", "engine", "estimator".
    Raises ValueError for a bad argument.
    """
    if not isinstance(spectrum, Spectrum):
        raise TypeError("spectrum: a collapse.Spectrum")
    opts = spectrum.options()
    lams = lam if isinstance(lam, (list, tuple, np.ndarray)) else [lam]
    opts["lambda"] = ",".join(_text("lambda", x) for x in lams)
    for name, v in (("T", T), ("sigma2", sigma2), ("n", n), ("T0", T0), ("sigma02", sigma02), ("trials", trials),
                    ("target-se", target_se), ("max-trials", max_trials), ("seed", seed), ("threads", threads),
                    ("generator-lambda", generator_lambda), ("synthetic-fraction", synthetic_fraction),
                    ("teacher-shift", teacher_shift)):
        if v is not None:
            opts[name] = _text(name, v)
    for name, v in (("engine", engine), ("estimator", estimator), ("precision", precision), ("protocol", protocol)):
        opts[name] = str(v)
    if design is not None:
        opts["design"] = str(design)
    return _core.simulate(opts)


def verify(suites=None, *, full: bool = False, seed: int = 20240707, threads: int = 2, suites_dir=None,
           log=None) -> list:
    """Run verification suites, as ``collapse verify [SUITE...]``.

    suites: suite names (file stems of data/suites/*.toml); None runs all (~50 s).
    full: the larger sizes of --full. seed, threads: as the CLI's --seed and --threads.
    suites_dir: a directory of suite files; default the installed data, $COLLAPSE_DATA_DIR/suites, or the
        source tree's data/suites.
    log: None (quiet), True (progress lines to sys.stderr) or a callable taking each line.
    Returns the rows of the summary table, one dict per suite with the keys of `collapse verify --format json`:
    suite, section, result, tolerance_used (fraction of its tolerance), worst, worst_row, rule, pass (bool), seconds; check
    row["pass"]. Raises ValueError for an unknown suite or a broken suite file.
    """
    if isinstance(suites, (str, os.PathLike)):
        suites = [suites]  # one name, not its characters
    elif suites is not None:
        suites = list(suites)
        if not suites:
            raise ValueError("invalid suites = []: valid range is None (every suite) or a non-empty list of suite names")
    for name, v, lo, hi in (("seed", seed, 0, 2**64 - 1), ("threads", threads, 1, 256)):
        if isinstance(v, bool) or not isinstance(v, numbers.Integral) or not lo <= v <= hi:
            raise ValueError(f"invalid --{name} = {v!r}: valid range is an integer {lo} <= {name} <= {hi}")
    if log is True:
        def log(line):
            sys.stderr.write(line)
    summary, passed, seconds = _core.verify([os.fspath(x) for x in (suites or [])], os.fspath(suites_dir) if suites_dir else "",
                                            bool(full), int(seed), int(threads), log)
    return summary["suites"]


def quantities() -> list:
    """The catalogue of ``collapse eval --list``: per quantity its name, section, description, parameters,
    generator parameters (only with n >= 1), uses_spectrum, components, and whether it is exact."""
    return _core.quantities()
