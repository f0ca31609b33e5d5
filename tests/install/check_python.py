"""Run by tests/install/run.cmake with PYTHONPATH=PREFIX/lib/pythonX.Y/site-packages: the installed package is
the one imported, it evaluates, and its verify() reads the suites installed under PREFIX/share/collapse/data."""
import sys

import collapse

prefix = sys.argv[1]
assert collapse.__file__.startswith(prefix), collapse.__file__
print(collapse._core.data_dir())
print(collapse.eval("iso-kappa", phi="2/3", lam="0.01").text["value"])
print([r["suite"] for r in collapse.verify(["lambda-opt-quartic"]) if r["pass"]])
