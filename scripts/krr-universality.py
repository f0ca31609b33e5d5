#!/usr/bin/python3
"""Universality sweep of `collapse krr` (issue 11 item 6, theory document §7): where does the deterministic
equivalent, which assumes Gaussian(-equivalent) features, predict the real kernel-ridge chain on real digits,
and where not -- over the kernel (RBF at 0.5x, 1x, 2x the median bandwidth; polynomial of degree 2 and 3) on
the UCI 8x8 digits and on MNIST at moderate size.

Every number of the table in docs/krr.md ("Universality over kernel and bandwidth") comes from this script:
    /usr/bin/python3 scripts/krr-universality.py build/collapse --csv docs/krr-universality.csv --update docs/krr.md
runs the `collapse krr` invocations listed below (printed as it goes, so each is reproducible by hand), writes
every point (data, kernel, n, lambda, MC mean, se, DE, rel = (MC - DE)/DE, z = (MC - DE)/se) to the CSV and
replaces the text between the markers `<!-- krr-universality:begin -->` and `<!-- krr-universality:end -->`
of the markdown file by the summary table. Same collapse binary, same seeds => the same bytes (collapse krr's
output does not depend on --threads).

Summary cell: the range over generations n = 0..3 of rel, and of z, at that lambda.
"""
import argparse
import csv
import json
import os
import subprocess
import sys

KERNELS = [("rbf, 0.5x median h", ["--kernel", "rbf", "--bandwidth", "median*0.5"]),
           ("rbf, median h", ["--kernel", "rbf", "--bandwidth", "median"]),
           ("rbf, 2x median h", ["--kernel", "rbf", "--bandwidth", "median*2"]),
           ("poly, degree 2", ["--kernel", "poly", "--degree", "2", "--coef0", "1"]),
           ("poly, degree 3", ["--kernel", "poly", "--degree", "3", "--coef0", "1"])]
LAMBDAS = ["1e-4", "1e-3", "1e-2", "1e-1"]
COMMON = ["--n", "3", "--lambda0", "0", "--sigma2", "0.01", "--sigma02", "0.25", "--seed", "1", "--lambda", ",".join(LAMBDAS)]
DATA = [("digits", "8x8 digits, N = 1000, T = 200, T0 = 300", ["--dataset", "digits", "--N", "1000", "--test", "300", "--T", "200", "--T0", "300"]),
        ("mnist", "MNIST, N = 2000, T = T0 = 500", ["--dataset", "mnist", "--N", "2000", "--test", "1000", "--T", "500", "--T0", "500"])]


def run(collapse, args):
    cmd = [collapse, "krr"] + args + ["--format", "json"]
    print("$ collapse " + " ".join(cmd[1:-2]), file=sys.stderr, flush=True)
    out = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    return out["kernel"], out["d"], out["rows"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("collapse")
    p.add_argument("--trials-digits", type=int, default=100)
    p.add_argument("--trials-mnist", type=int, default=60)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--csv", help="write every point here")
    p.add_argument("--update", help="markdown file whose marked block receives the summary table")
    p.add_argument("--only", choices=["digits", "mnist"], help="one data set (the table then has only its rows)")
    a = p.parse_args()
    points, table = [], []
    table.append("| data | kernel (resolved) | d kept | " + " | ".join("λ = " + l for l in LAMBDAS) + " |")
    table.append("|---|---|---|" + "---|" * len(LAMBDAS))
    for key, title, dargs in DATA:
        if a.only and a.only != key:
            continue
        trials = a.trials_digits if key == "digits" else a.trials_mnist
        for name, kargs in KERNELS:
            kernel, d, rows = run(a.collapse, dargs + kargs + COMMON + ["--trials", str(trials), "--threads", str(a.threads)])
            cells = []
            for lam in LAMBDAS:
                at = [r for r in rows if r["lambda"] == float(lam)]
                rel = [r["rel"] for r in at if r.get("rel") is not None]
                z = [r["z"] for r in at if r.get("z") is not None]
                if not rel:
                    cells.append("no DE")
                    continue
                bold = max(abs(x) for x in rel) > 0.05 and max(abs(x) for x in z) > 3
                cell = "{:+.1f} … {:+.1f} % (z {:+.1f} … {:+.1f})".format(100 * min(rel), 100 * max(rel), min(z), max(z))
                cells.append("**" + cell + "**" if bold else cell)
            for r in rows:
                points.append({"data": title, "kernel": kernel, "trials": trials, "n": r["n"], "lambda": r["lambda"], "mc": r["pool_mean"],
                               "se": r["pool_se"], "de": r["de"], "rel": r["rel"], "z": r["z"], "test_mean": r["test_mean"]})
            table.append("| {} | {} | {} | {} |".format(title + ", " + str(trials) + " trials", kernel, d, " | ".join(cells)))
    text = "\n".join(table) + "\n"
    sys.stdout.write(text)
    if a.csv:
        with open(a.csv, "w", newline="") as f:
            f.write("# scripts/krr-universality.py: every point of the universality sweep (interpolating generators, sigma2 = 0.01, "
                    "sigma02 = 0.25, seed 1); rel = (MC - DE)/DE, z = (MC - DE)/se\n")
            w = csv.DictWriter(f, fieldnames=list(points[0].keys()))
            w.writeheader()
            w.writerows(points)
    if a.update:
        doc = open(a.update).read()
        begin, end = "<!-- krr-universality:begin -->\n", "<!-- krr-universality:end -->"
        i, j = doc.index(begin) + len(begin), doc.index(end)
        with open(a.update + ".tmp", "w") as f:
            f.write(doc[:i] + text + doc[j:])
        os.replace(a.update + ".tmp", a.update)


if __name__ == "__main__":
    main()
