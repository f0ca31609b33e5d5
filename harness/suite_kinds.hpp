// harness/suite_kinds.hpp -- the harness's built-in suite kinds (see suite.hpp for the contract):
//   exact-mc          §2.3, §2.4, §4.1, §4.2: Monte Carlo vs an exact rational, |z| ≤ k and se bounded
//   identity          §2.2: E_n − E_0 vs n σ0²/(T0−d−1)·tr[ΣAΣ⁻¹A] on the same designs, and vs the DE
//   de-extrapolation  §3, §4.3: relative MC − DE discrepancy fitted as a + c/d, require |a| ≤ k·se(a)
//   lambda-opt-digits §6: quartic root = numerical minimum of the DE = general-Σ root, to ≥ D digits
//   lambda-opt-mc     §6: the simulated error at λ* is within k s.e. of the simulated minimum over a grid
#pragma once

namespace collapse::harness {

void register_builtin_suite_kinds();

}  // namespace collapse::harness
