// harness/sim_adapter.cpp -- see sim_adapter.hpp.
#include "harness/sim_adapter.hpp"

#include "numerics/simulate.hpp"

#include "theory/errors.hpp"

namespace collapse::harness {

std::vector<mean_se> simulate_downstream(const sim_request& r, double* seconds) {
  numerics::simulation_config c;
  c.spectrum = r.spectrum;
  c.T = r.T;
  c.T0 = r.T0;
  c.n = r.n.empty() ? 0 : static_cast<int>(r.n.back());
  c.lambda = {parse_exact("lambda", r.lambda)};
  c.sigma2 = parse_exact("sigma2", r.sigma2);
  c.sigma02 = parse_exact("sigma02", r.sigma02);
  c.trials = static_cast<std::uint64_t>(r.trials);
  c.seed = r.seed;
  c.threads = static_cast<unsigned>(r.threads);
  if (r.engine == "fast") c.engine = numerics::engine_kind::fast;
  else if (r.engine == "reference") c.engine = numerics::engine_kind::reference;
  else throw domain_error("engine", r.engine, "fast or reference (numerics/simulate.hpp), or harness");
  if (r.estimator == "rao-blackwell") c.estimator = numerics::estimator_kind::rao_blackwell;
  else if (r.estimator == "plain") c.estimator = numerics::estimator_kind::plain;
  else throw domain_error("estimator", r.estimator, "rao-blackwell or plain for the simulator engines");
  auto res = numerics::run_simulation(c);
  if (seconds) *seconds = res.elapsed_seconds;
  std::vector<mean_se> out;
  for (long k : r.n) {
    const auto& e = res.rows.at(static_cast<std::size_t>(k));  // one λ: rows[k]
    out.push_back({e.mean, e.se, static_cast<long>(e.trials)});
  }
  return out;
}

}  // namespace collapse::harness
