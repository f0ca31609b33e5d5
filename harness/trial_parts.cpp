// harness/trial_parts.cpp -- see trial_parts.hpp.
#include "harness/trial_parts.hpp"

#include "harness/runner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace collapse::harness {

namespace {
std::string exact_text(const exact_number& x) { return x.infinite ? "inf" : x.value.str(); }
}  // namespace

std::string simulation_key(const numerics::simulation_config& c) {
  const auto& s = c.spectrum;
  std::string t = fmt::format("spectrum {} d {} w0norm2 {} beta {} r {}", static_cast<int>(s.type), exact_text(s.d), exact_text(s.w0norm2),
                              exact_text(s.beta), exact_text(s.r));
  for (std::size_t j = 0; j < s.eig.size(); ++j) t += " " + s.eig[j].str() + ":" + (j < s.w2.size() ? s.w2[j].str() : "");
  t += fmt::format("|T {} T0 {} n {} lambda", c.T, c.T0, c.n);
  for (const auto& l : c.lambda) t += " " + exact_text(l);
  t += fmt::format("|sigma2 {} sigma02 {} trials {} target {} max {} seed {}|engine {} estimator {} precision {}", exact_text(c.sigma2),
                   exact_text(c.sigma02), c.trials, c.target_rse, c.max_trials, c.seed, numerics::to_string(c.engine),
                   numerics::to_string(c.estimator), numerics::to_string(c.precision));
  t += fmt::format("|record {}{}{} sign {}|protocol {} design {} lambda0 {} p2 {} shift {}|path {}", c.record_downstream, c.record_generator,
                   c.record_design_trace, c.sign_average, numerics::to_string(c.protocol), numerics::to_string(c.design),
                   exact_text(c.generator_lambda), exact_text(c.synthetic_fraction), exact_text(c.teacher_shift), numerics::to_string(c.path));
  return fnv1a_hex(t);
}

double estimated_trial_seconds(const numerics::simulation_config& c) {
  const double d = static_cast<double>(c.spectrum.dimension().convert_to<long double>());
  const double T = c.record_downstream ? static_cast<double>(c.T) : 0.0;
  const double flops = 10 * d * d * d + 4 * (T + static_cast<double>(c.n) * static_cast<double>(std::max(c.T0, 0L))) * d * d;
  return flops / 2e9;
}

long parts_of(const numerics::simulation_config& c, double part_seconds) {
  if (c.trials < 8 || !(part_seconds > 0)) return 1;
  const double want = std::ceil(estimated_trial_seconds(c) * static_cast<double>(c.trials) / part_seconds);
  const double most = std::min(4096.0, static_cast<double>(c.trials / 4));
  return static_cast<long>(std::clamp(want, 1.0, most));
}

std::pair<std::uint64_t, std::uint64_t> part_range(std::uint64_t trials, long parts, long p) {
  const auto P = static_cast<std::uint64_t>(parts), i = static_cast<std::uint64_t>(p);
  const std::uint64_t first = trials / P * i + std::min(i, trials % P);
  return {first, trials / P + (i < trials % P ? 1 : 0)};
}

numerics::trial_table assemble_parts(const numerics::simulation_config& c, const part_set& parts, std::uint64_t* computed_here) {
  numerics::trial_table out;
  out.layout = numerics::layout_of(c);
  const std::size_t cols = out.layout.columns;
  out.values.reserve(c.trials * cols);
  auto compute = [&](std::uint64_t first, std::uint64_t count) {
    const auto t = numerics::run_trial_range(c, first, count);
    out.values.insert(out.values.end(), t.values.begin(), t.values.end());
    if (computed_here) *computed_here += count;
  };
  std::uint64_t at = 0;
  for (const auto& [first, part] : parts) {
    if (first < at || part.count == 0 || first + part.count > c.trials) continue;  // overlaps what is assembled, or foreign
    if (first > at) compute(at, first - at);
    if (part.values.size() == part.count * cols) out.values.insert(out.values.end(), part.values.begin(), part.values.end());
    else compute(first, part.count);  // failed where it was taken (or of another layout): the error, if any, is raised here
    at = first + part.count;
  }
  if (at < c.trials) compute(at, c.trials - at);
  out.trials = c.trials;
  return out;
}

numerics::trial_table placeholder_table(const numerics::simulation_config& c) {
  numerics::trial_table out;
  out.layout = numerics::layout_of(c);
  out.trials = c.trials;
  out.values.resize(c.trials * out.layout.columns);
  for (std::uint64_t t = 0; t < c.trials; ++t)
    std::fill_n(out.values.begin() + static_cast<std::ptrdiff_t>(t * out.layout.columns), out.layout.columns, t % 2 ? 1.5 : 1.0);
  return out;
}

}  // namespace collapse::harness
