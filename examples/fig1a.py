"""Figure 1a of Dohmatob, Feng & Kempe (NeurIPS 2024) from Python: test error E_n of ridge regression vs λ after
n generations of synthetic data, isotropic Σ (d = 100, σ² = 1/4, T0 = 200, σ0² = 1), T = 50 and 200. Lines: the
deterministic equivalent (§3.3) by one vectorised sweep each; points: the simulator (§1) with 95 % intervals;
stars: the optimal λ* (§6).
Run from the repository:  PYTHONPATH=build/python /usr/bin/python3 examples/fig1a.py [out.png]"""
import sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import collapse

iso, lam, lam_sim = collapse.Spectrum.isotropic(100, 1), np.logspace(-3, 2, 121), np.logspace(-3, 2, 11)
fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
for ax, T in zip(axes, (50, 200)):
    sim = collapse.simulate(spectrum=iso, T=T, T0=200, n=4, sigma2=0.25, sigma02=1, lam=lam_sim, trials=400, seed=T, threads=2)
    for n, colour in zip((0, 1, 2, 4), ("C0", "C1", "C2", "C3")):
        gen = dict(T0=200, sigma02=1) if n else {}  # generator parameters only with n >= 1, as the CLI
        de = collapse.sweep("ridge-risk", "lam", lam, spectrum=iso, T=T, sigma2=0.25, n=n, **gen)["value"]
        ax.loglog(lam, de, colour, label=f"n = {n}")
        rows = sim["generation"] == n
        ax.errorbar(sim["lambda"][rows], sim["mean"][rows], fmt="o", color=colour, ms=4,
                    yerr=[sim["mean"][rows] - sim["ci_lo"][rows], sim["ci_hi"][rows] - sim["mean"][rows]])
        opt = collapse.eval("lambda-opt", spectrum=iso, T=T, sigma2=0.25, n=n, digits=10, **gen)  # §6, certified
        ax.plot(float(opt.value), float(opt.components["risk_opt"]), "k*", ms=9)
    ax.set(title=f"T = {T}", xlabel="λ", ylabel="test error $E_n$")
axes[0].legend()
fig.savefig(sys.argv[1] if len(sys.argv) > 1 else "fig1a.png", dpi=120, bbox_inches="tight")
