"""Shared fixtures of tests/python (run by ctest with PYTHONPATH=build/python and COLLAPSE_BINARY set)."""
import json
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def cli():
    """Runs the built `collapse` binary; returns (exit status, stdout, stderr)."""
    binary = os.environ.get("COLLAPSE_BINARY", str(ROOT / "build" / "collapse"))

    def run(*args):
        p = subprocess.run([binary, *args], capture_output=True, text=True, cwd=ROOT)
        return p.returncode, p.stdout, p.stderr

    return run


@pytest.fixture(scope="session")
def cli_json(cli):
    def run(*args):
        rc, out, err = cli(*args, "--format", "json")
        assert rc == 0, err
        return json.loads(out)

    return run
