"""Errors: ValueError with the CLI's message, CertificationError for a refused certification, Ctrl-C."""
import math
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

import collapse

from conftest import ROOT

CASES = [
    # (collapse.eval arguments, the same on the command line)
    (dict(quantity="iso-kappa", phi="-1", lam="0.1"), "eval iso-kappa --phi -1 --lambda 0.1"),
    (dict(quantity="iso-kappa", phi="2/3", lam="0.1", T="5"), "eval iso-kappa --phi 2/3 --lambda 0.1 --T 5"),
    (dict(quantity="no-such-quantity", phi=1), "eval no-such-quantity --phi 1"),
    (dict(quantity="ols-exact", d=20, T=40, n=0, sigma2=1, T0=30), "eval ols-exact --d 20 --T 40 --n 0 --sigma2 1 --T0 30"),
    (dict(quantity="ols-exact", d=20, T=40, n=2, sigma2=1), "eval ols-exact --d 20 --T 40 --n 2 --sigma2 1"),
    (dict(quantity="kappa", spectrum=collapse.Spectrum.powerlaw("0.5", "0.4", d=math.inf), T=10, lam=1),
     "eval kappa --spectrum powerlaw --beta 0.5 --r 0.4 --d inf --T 10 --lambda 1"),
    (dict(quantity="iso-kappa", phi="1e99999", lam="0.1"), "eval iso-kappa --phi 1e99999 --lambda 0.1"),
    (dict(quantity="iso-kappa", phi="2/3", lam="0.1", digits=5), "eval iso-kappa --phi 2/3 --lambda 0.1 --digits 5"),
]


@pytest.mark.parametrize("kwargs,command", CASES, ids=[c[1].split()[1] + f"-{i}" for i, c in enumerate(CASES)])
def test_a_bad_argument_raises_value_error_with_the_cli_message(cli, kwargs, command):
    rc, out, err = cli(*command.split())
    assert rc == 2 and out == "" and err.startswith("collapse: error: ") and err.count("\n") == 1
    kwargs = dict(kwargs)
    with pytest.raises(ValueError) as e:
        collapse.eval(kwargs.pop("quantity"), **kwargs)
    assert str(e.value) == err[len("collapse: error: "):].rstrip("\n")


def test_a_bad_simulate_argument_raises_value_error_with_the_cli_message(cli):
    rc, out, err = cli("simulate", "--spectrum", "isotropic", "--d", "10", "--w0norm2", "1", "--T", "0", "--sigma2", "1", "--trials", "10")
    assert rc == 2
    with pytest.raises(ValueError) as e:
        collapse.simulate(spectrum=collapse.Spectrum.isotropic(10, 1), T=0, sigma2=1, trials=10)
    assert str(e.value) == err[len("collapse: error: "):].rstrip("\n")
    with pytest.raises(ValueError, match="engine = warp"):
        collapse.simulate(spectrum=collapse.Spectrum.isotropic(10, 1), T=20, sigma2=1, trials=10, engine="warp")


def test_a_non_numeric_argument_is_a_type_error():
    with pytest.raises(TypeError):
        collapse.eval("iso-kappa", phi=True, lam="0.1")
    with pytest.raises(TypeError):
        collapse.eval("iso-kappa", phi=[1], lam="0.1")


def test_a_refused_certification_raises_certification_error_with_the_cli_message(cli):
    args = "eval lambda-opt --spectrum isotropic --d 2 --w0norm2 3 --T 2 --sigma2 0 --n 1 --T0 4 --sigma02 1/2".split()
    rc, out, err = cli(*args)
    assert rc == 1 and err.startswith("collapse: error: lambda-opt: cannot certify")
    with pytest.raises(collapse.CertificationError) as e:
        collapse.eval("lambda-opt", spectrum=collapse.Spectrum.isotropic(2, 3), T=2, sigma2=0, n=1, T0=4, sigma02="1/2")
    assert isinstance(e.value, ArithmeticError) and not isinstance(e.value, ValueError)
    assert str(e.value) == err[len("collapse: error: "):].rstrip("\n")


LONG_CALLS = {
    "simulate": "collapse.simulate(spectrum=collapse.Spectrum.isotropic(100, 1), T=200, T0=300, n=5, sigma2=1, sigma02=1,"
                " lam=[0, 0.1], trials=10**9, engine='reference')",
    "sweep": "collapse.sweep('ridge-risk', 'lam', np.logspace(-6, 0, 10**6), spectrum=collapse.Spectrum.powerlaw(1.5, 0.4),"
             " T=1000, sigma2=1, n=0)",
    "eval": "collapse.eval('ridge-risk', spectrum=collapse.Spectrum.powerlaw(1.5, 0.4, d=10**7), T=1000, lam='1e-3', sigma2=1,"
            " n=0, digits=1000)",
}


@pytest.mark.parametrize("call", sorted(LONG_CALLS))
def test_ctrl_c_interrupts_a_long_call_within_a_second(call):
    assert interrupt_after(LONG_CALLS[call], 1.5) < 2.0


def test_ctrl_c_interrupts_verify_at_its_next_progress_line():
    # verify polls at the runner's log lines (no hook inside a suite's own computation): seconds apart
    assert interrupt_after("collapse.verify(['de-isotropic', 'crossover'])", 2.5) < 15.0


def interrupt_after(call, delay):
    """Runs `call` in a fresh interpreter, sends SIGINT after `delay` s, returns the seconds until it returned
    (asserting that it raised KeyboardInterrupt rather than finishing)."""
    script = textwrap.dedent(f"""
        import sys, time, numpy as np, collapse
        print("start", flush=True)
        t = time.monotonic()
        try:
            {call}
            print("finished", flush=True)
        except KeyboardInterrupt:
            print("interrupted %.3f" % (time.monotonic() - t), flush=True)
        """)
    p = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=os.environ.copy())
    assert p.stdout.readline().strip() == "start"
    time.sleep(delay)
    sent = time.monotonic()
    p.send_signal(signal.SIGINT)
    out, _ = p.communicate(timeout=60)
    assert out.startswith("interrupted"), out
    return time.monotonic() - sent


def test_out_of_range_integers_and_suite_lists_raise_value_error_with_the_cli_wording(cli):
    rc, out, err = cli("eval", "iso-kappa", "--phi", "2", "--lambda", "0.1", "--digits", "5")
    assert rc == 2
    with pytest.raises(ValueError) as e:
        collapse.eval("iso-kappa", phi=2, lam="0.1", digits=5)
    assert str(e.value) == err[len("collapse: error: "):].rstrip("\n")
    with pytest.raises(ValueError, match="--digits = 1000000000000000000000000000000"):
        collapse.eval("iso-kappa", phi=2, lam="0.1", digits=10**30)
    with pytest.raises(ValueError, match="seed"):
        collapse.verify(["ols-exact"], seed=-1)
    with pytest.raises(ValueError, match="seed"):
        collapse.verify(["ols-exact"], seed=2**64)
    with pytest.raises(ValueError, match=r"suites = \[\]"):
        collapse.verify([])
    rows = collapse.verify("ols-exact")  # one name, not its characters
    assert [r["suite"] for r in rows] == ["ols-exact"]
