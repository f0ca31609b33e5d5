// krr/run.cpp -- see run.hpp.
#include "krr/run.hpp"

#include "theory/errors.hpp"

#include <chrono>
#include <cmath>

namespace collapse::krr {

double run_flops(const run_config& c, long features) {
  const double N = double(c.problem.N), M = double(c.problem.test);
  return 2 * (N + M) * N * double(features) + 9 * N * N * N + chain_flops(c.problem.N, c.problem.test, c.chain);
}

run_result run(const run_config& c, const run_progress& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  auto phase = [&](const char* name) {
    if (progress.phase) progress.phase(name);
  };
  phase("reading the data set");
  // IDX files are read only as far as the pool and the test set need (the split permutes that prefix)
  const dataset data = load_dataset(c.dataset, std::size_t(c.problem.N + c.problem.test));
  phase("Gram matrices");
  const problem p = make_problem(data, c.problem);
  run_result r;
  r.dataset = data.name;
  r.kernel = p.kernel.describe();
  r.target = p.target;
  r.N = p.N();
  r.M = p.M();
  phase("pool spectrum (eigendecomposition of K_pool/N)");
  r.spectrum = pool_spectrum(p);
  r.d = long(r.spectrum.eig.size());
  const spectrum_spec spec = to_spec(r.spectrum, "pool spectrum");
  r.seconds_setup = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const chain_moments m = run_chain(p, c.chain, progress.trials);
  phase("theory");
  r.seconds_chain = m.seconds;
  r.cpu_seconds_chain = m.cpu_seconds;
  auto de_at = [&](long n, double lambda, std::string& note) -> std::optional<de_value> {
    try {
      auto v = de_risk(r.spectrum, spec, c.chain, n, lambda);
      if (v.unreliable.empty()) return v;
      note = v.unreliable;
    } catch (const domain_error& e) {
      note = e.what();
    } catch (const convergence_error& e) {
      note = e.what();
    }
    return std::nullopt;
  };
  const auto t1 = std::chrono::steady_clock::now();
  for (long n = 0; n <= c.chain.n; ++n) {
    r.generator.push_back(m.generator[std::size_t(n)]);
    std::string note;
    const auto g = de_at(n, c.chain.lambdas.front(), note);
    r.generator_de.push_back(g ? std::optional<double>(g->generator) : std::nullopt);
    for (std::size_t l = 0; l < c.chain.lambdas.size(); ++l) {
      run_point pt;
      pt.n = n;
      pt.lambda = c.chain.lambdas[l];
      pt.pool = m.pool[std::size_t(n)][l];
      pt.test = m.test[std::size_t(n)][l];
      if (const auto v = de_at(n, pt.lambda, pt.de_note)) {
        pt.de = v->total;
        if (pt.pool.se > 0) pt.z = (pt.pool.mean - v->total) / pt.pool.se;
        pt.rel = (pt.pool.mean - v->total) / v->total;
      }
      r.points.push_back(pt);
    }
  }
  r.seconds_theory = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
  return r;
}

}  // namespace collapse::krr
