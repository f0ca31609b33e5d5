// harness/kinds/kind.hpp -- what every suite kind shares (private to harness/kinds/): the header and
// [simulation] settings of a suite file, a case's spectrum, one simulation of a case, and rows with
// their acceptance criteria. A kind reads its whole file first (so that `ctx.check_only` can stop
// before anything runs), then computes rows. Seeds come from block_seed() (harness/suite.hpp) only.
#pragma once

#include "harness/mc_engine.hpp"
#include "harness/suite.hpp"

#include "theory/rational.hpp"
#include "theory/spectrum_spec.hpp"

#include <fmt/format.h>

#include <optional>
#include <string>
#include <vector>

namespace collapse::harness {


namespace kinds {

using params_t = std::map<std::string, std::string>;
using bound = criterion::bound;

/// result and section of the suite file (kind is read by the runner).
suite_result header(const entries& suite);

/// The [simulation] table: trials (full_trials under --full), seed_offset, engine and estimator.
/// `harness_only`: the kind needs engine = "harness" (per-trial values the simulator does not expose).
struct sim_settings {
  long trials = 0;
  long seed_offset = 0;
  std::string engine, estimator;
};
sim_settings read_simulation(const entries& suite, const suite_context& ctx, const char* harness_only_because = nullptr);

/// A case's spectrum at dimension d: isotropic (w0norm2), powerlaw (beta, r) or linspace (eig_lo,
/// eig_hi, w0norm2; equal w2_j = w0norm2/d), both as the exact spec the theory takes and as doubles.
struct case_spectrum {
  spectrum_spec spec;
  std::vector<double> eig, w0;
  std::string describe;
};
case_spectrum read_spectrum(const entries& c, long d);

/// An integer-valued exact number (d, T, T0), or a suite_error at its key.
long whole(const entries& c, const std::string& key, const exact_number& x);

/// A [[case]] of a simulated OLS chain with a downstream fit (identity, lambda-opt-mc): label, d, T,
/// T0 >= d + 2 (the generator's moments), sigma2, sigma02.
struct chain_case {
  const entries* c = nullptr;
  std::string label;
  long d = 0, T = 0, T0 = 0;
  exact_number sigma2, sigma02;
};
chain_case read_chain_case(const entries& c, std::size_t index);

/// One simulation of a case: mean and standard error of the observable at each generation of `ns`,
/// by the harness engine or by the simulator (engine fast/reference; downstream only).
struct block_request {
  const entries* c = nullptr;
  const case_spectrum* sp = nullptr;
  std::string observable = "downstream";
  long T = 0, T0 = 0;
  std::string lambda = "0", sigma2 = "0", sigma02 = "0";  // exact texts
  std::vector<long> ns;
  std::uint64_t seed = 0;
};
std::vector<mean_se> simulate_block(const sim_settings& sim, const suite_context& ctx, const block_request& b, double* seconds);

/// The harness engine's configuration shared by identity and lambda-opt-mc: spectrum, chain, sizes.
mc_config chain_config(const case_spectrum& sp, long T0, const rational& sigma02, const std::vector<long>& ns, long T,
                       const rational& sigma2);

check_row make_row(std::string key, params_t params, std::string theory, double theory_value, double observed, double se,
                   double discrepancy, std::string units, std::vector<criterion> criteria, std::string note);

/// The cached rows for `keys` when every one of them is finished, else nullopt.
std::optional<std::vector<check_row>> all_cached(const suite_context& ctx, const std::vector<std::string>& keys);
std::optional<check_row> cached(const suite_context& ctx, const std::string& key);
/// Stores (checkpoints) a finished row and appends it.
void emit(const suite_context& ctx, suite_result& res, const check_row& r);
void progress(const suite_context& ctx, const std::string& s);

inline std::string rat_text(const rational& q) { return fraction_string(q); }
inline double dbl(const exact_number& x) { return to_real<double>(x.value); }

/// Runs `f`, turning a theory domain_error into a suite_error at the case.
template <class F> auto at_case(const entries& c, const std::string& what, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const suite_error&) {
    throw;
  } catch (const collapse::domain_error& e) {
    throw suite_error(c.where(), what, "this case", "the domain of " + what, e.what());
  }
}

}  // namespace kinds
}  // namespace collapse::harness
