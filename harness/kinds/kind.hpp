// harness/kinds/kind.hpp -- what every suite kind shares (private to harness/kinds/): the header and
// [simulation] settings of a suite file, a case's spectrum, one simulation of a case, and rows with
// their acceptance criteria. A kind reads its whole file first (so that `ctx.check_only` can stop
// before anything runs), then computes rows. Seeds come from block_seed() (harness/suite.hpp) only.
#pragma once

#include "harness/suite.hpp"
#include "numerics/simulate.hpp"

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

/// The [simulation] table: trials (full_trials under --full), seed_offset, engine and estimator of the
/// one simulator (numerics/simulate.hpp): engine "fast" (default) or "reference"; estimator
/// "rao-blackwell" (default), "plain", or "rao-blackwell-chain" = rao-blackwell also averaged over the
/// signs of w0 (numerics' sign_average; needs T0 >= d when n >= 1).
struct sim_settings {
  long trials = 0;
  long seed_offset = 0;
  std::string engine, estimator;  // as written in the file (for the rule texts)
};
sim_settings read_simulation(const entries& suite, const suite_context& ctx);

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

/// The generations `n` of a case: integers lo <= n <= hi in ascending order (one simulation runs the
/// chain to the last and records each).
std::vector<long> generations(const entries& c, long lo, long hi);

/// What every [[case]] has: its table (errors name its position; every key is read through it) and its
/// label (key "label", default "caseN", N counted from 1).
struct case_base {
  case_base(const entries& table, std::size_t index);
  entries c;
  std::string label;
};

/// Every [[case]] of `suite`, in file order: a Case (derived from case_base) constructed from its table,
/// then filled by `read(k)`.
template <class Case, class Read> std::vector<Case> read_cases(const entries& suite, Read&& read) {
  std::vector<Case> cases;
  const auto tables = suite.tables("case");
  for (std::size_t i = 0; i < tables.size(); ++i) {
    Case k(tables[i], i);
    read(k);
    cases.push_back(std::move(k));
  }
  return cases;
}

/// A [[case]] of a simulated OLS chain with a downstream fit (identity, lambda-opt-mc): d, T,
/// T0 >= d + 2 (the generator's moments), sigma2, sigma02; read_chain fills them from k.c.
struct chain_case : case_base {
  using case_base::case_base;
  long d = 0, T = 0, T0 = 0;
  exact_number sigma2, sigma02;
};
void read_chain(chain_case& k);

/// The simulator's configuration for one simulation of a case: the settings' engine, estimator (and
/// sign averaging), trials and the run's threads, the case's exact spectrum, the chain (T0, sigma02,
/// n generations) and `seed`. The caller sets what the kind measures: T, sigma2, the lambda grid and
/// the record_* flags (downstream by default).
numerics::simulation_config simulation_of(const sim_settings& sim, const suite_context& ctx, const case_spectrum& sp, long T0,
                                          const exact_number& sigma02, long n, std::uint64_t seed);

/// Every per-trial value of `config` (numerics::run_trials, or ctx.trials: split over the processes of
/// a shared run, the same values), a domain error of the simulator becoming a suite_error at the case.
/// Refuses, before anything runs, a configuration in which a recorded generation's per-trial value has
/// an infinite variance (numerics::moment_regime): the suites judge means by their standard errors.
numerics::trial_table run_case(const entries& c, const numerics::simulation_config& config, const suite_context& ctx);
/// run_case without a suite file (`collapse compare`, harness/compare.hpp): the same checks, as domain_errors.
numerics::trial_table checked_trials(const numerics::simulation_config& config, const suite_context& ctx);

/// The per-trial table of a fixed-trials `config`: ctx.trials(config) when set, else numerics::run_trials.
numerics::trial_table simulate_trials(const suite_context& ctx, const numerics::simulation_config& config);

/// Mean and standard error of f(t) over the trials of `tab` (numerics::moments_of, in trial order, so
/// the same for any number of threads).
numerics::sample_moments moments(const numerics::trial_table& tab, const std::function<double(std::uint64_t)>& f);

/// One simulation of a case for the kinds that compare a mean with theory (exact-mc, de-extrapolation):
/// the mean and standard error of the observable (downstream error at one lambda, or the generator's
/// own error) at each generation of `ns` (ascending).
struct block_request {
  const entries* c = nullptr;
  const case_spectrum* sp = nullptr;
  std::string observable = "downstream";
  long T = 0, T0 = 0;
  exact_number lambda, sigma2, sigma02;  // lambda and sigma2: downstream only
  std::vector<long> ns;
  std::uint64_t seed = 0;
  /// Issue-12 protocol variant fields (protocol, design, generator_lambda, synthetic_fraction,
  /// teacher_shift) set on the config before it runs; empty = the §1 protocol.
  std::function<void(numerics::simulation_config&)> variant;
};
std::vector<numerics::sample_moments> simulate_block(const sim_settings& sim, const suite_context& ctx, const block_request& b);

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
