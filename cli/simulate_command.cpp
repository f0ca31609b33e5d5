// cli/simulate_command.cpp -- `collapse simulate`: the finite-sample Monte Carlo of
// numerics/simulate.hpp behind the option names and spectrum syntax of `collapse eval`.
//
// Every value is parsed exactly (theory/rational.hpp) and validated before anything is allocated;
// bad input throws collapse::domain_error naming the option, its value and the valid range, and
// nothing is written to stdout. The result is printed only after the run completes. A progress bar
// goes to stderr once a run has taken more than a second.
#include "numerics/simulate.hpp"
#include "cli/commands.hpp"
#include "cli/spectrum_options.hpp"
#include "eval/option_lists.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

namespace collapse::cli {

namespace {

using numerics::engine_kind;
using numerics::estimator_kind;
using numerics::precision_kind;

struct simulate_options {
  spectrum_options spectrum;
  std::optional<std::string> T, T0, n, sigma2, sigma02, trials, target_se;
  std::string lambda = "0", max_trials = "1000000", seed = "1", threads = "1";
  std::string engine = "fast", estimator = "rb", precision = "double", format = "plain";
};

/// An integer option in [lo, hi], parsed exactly.
long long parse_integer(const std::string& name, const std::string& text, long long lo, long long hi,
                        const std::string& range) {
  exact_number x = parse_exact(name, text);
  if (!is_integer(x.value) || x.value < lo || x.value > hi) throw domain_error(name, text, range);
  return boost::multiprecision::numerator(x.value).convert_to<long long>();
}

std::string required(const std::optional<std::string>& v, const std::string& name, const std::string& range) {
  if (!v) throw domain_error(name, "(missing)", range, "required");
  return *v;
}

template <class Enum>
Enum choose(const std::string& name, const std::string& value,
            std::initializer_list<std::pair<const char*, Enum>> choices) {
  std::string valid;
  for (const auto& [text, e] : choices) {
    if (value == text) return e;
    valid += (valid.empty() ? "" : " | ") + std::string(text);
  }
  throw domain_error(name, value.empty() ? "''" : value, valid);
}

numerics::simulation_config build_config(const simulate_options& o) {
  numerics::simulation_config c;
  c.spectrum = o.spectrum.build();
  constexpr long long big = 1000000000000LL;
  c.T = parse_integer("--T", required(o.T, "--T", "an integer T >= 1"), 1, big, "an integer 1 <= T <= 1e12");
  c.n = static_cast<int>(parse_integer("--n", o.n.value_or("0"), 0, 100000, "an integer 0 <= n <= 100000"));
  if (c.n > 0)
    c.T0 = parse_integer("--T0", required(o.T0, "--T0", "an integer T0 >= 1 (needed when n >= 1)"), 1, big,
                         "an integer 1 <= T0 <= 1e12");
  else if (o.T0)
    c.T0 = parse_integer("--T0", *o.T0, 1, big, "an integer 1 <= T0 <= 1e12");
  // --lambda L1,L2,...: each >= 0, 0 meaning the pseudo-inverse.
  for (const exact_number& l : eval::parse_exact_list("--lambda", o.lambda)) {
    if (l.value < 0) throw domain_error("--lambda", l.text, "lambda >= 0 (0 = pseudo-inverse)");
    c.lambda.push_back(l);
  }
  c.sigma2 = parse_exact("--sigma2", required(o.sigma2, "--sigma2", "sigma2 >= 0"));
  if (c.sigma2.value < 0) throw domain_error("--sigma2", c.sigma2.text, "sigma2 >= 0");
  c.sigma02 = parse_exact("--sigma02", c.n > 0 ? required(o.sigma02, "--sigma02", "sigma02 >= 0 (needed when n >= 1)")
                                                 : o.sigma02.value_or("0"));
  if (c.sigma02.value < 0) throw domain_error("--sigma02", c.sigma02.text, "sigma02 >= 0");
  if (o.trials && o.target_se)
    throw domain_error("--trials", *o.trials, "either --trials or --target-se, not both");
  if (!o.trials && !o.target_se)
    throw domain_error("--trials", "(missing)", "--trials K (K >= 2) or --target-se X (0 < X < 1)");
  if (o.trials)
    c.trials = static_cast<std::uint64_t>(parse_integer("--trials", *o.trials, 2, big, "an integer 2 <= trials <= 1e12"));
  if (o.target_se) {
    exact_number x = parse_exact("--target-se", *o.target_se);
    if (x.value <= 0 || x.value >= 1)
      throw domain_error("--target-se", *o.target_se, "0 < target-se < 1 (relative standard error of every mean)");
    c.target_rse = to_real<double>(x.value);
  }
  c.max_trials = static_cast<std::uint64_t>(parse_integer("--max-trials", o.max_trials, 2, big, "an integer 2 <= max-trials <= 1e12"));
  c.seed = static_cast<std::uint64_t>(parse_integer("--seed", o.seed, 0, std::numeric_limits<long long>::max(),
                                                    "an integer 0 <= seed < 2^63"));
  c.threads = static_cast<unsigned>(parse_integer("--threads", o.threads, 1, 256, "an integer 1 <= threads <= 256"));
  c.engine = choose<engine_kind>("--engine", o.engine, {{"reference", engine_kind::reference}, {"fast", engine_kind::fast}});
  c.estimator = choose<estimator_kind>("--estimator", o.estimator,
                                       {{"plain", estimator_kind::plain}, {"rb", estimator_kind::rao_blackwell}});
  c.precision = choose<precision_kind>("--precision", o.precision,
                                       {{"double", precision_kind::double_precision},
                                        {"long-double", precision_kind::long_double_precision},
                                        {"mp50", precision_kind::mp50}});
  numerics::validate(c);  // sizes, memory: refused before anything is allocated
  return c;
}

/// Progress bar on stderr, shown once the run has lasted more than a second.
class progress_bar {
public:
  void operator()(std::uint64_t done, std::uint64_t planned) {
    double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (t < 1 || planned == 0) return;
    shown_ = true;
    int width = 40, filled = static_cast<int>(width * static_cast<double>(done) / planned);
    std::fprintf(stderr, "\r[%s%s] %llu/%llu trials, %.1f s", std::string(filled, '#').c_str(),
                 std::string(width - filled, '.').c_str(), static_cast<unsigned long long>(done),
                 static_cast<unsigned long long>(planned), t);
    std::fflush(stderr);
  }
  ~progress_bar() { if (shown_) std::fputs("\n", stderr); }
private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  bool shown_ = false;
};

nlohmann::ordered_json parameters_json(const numerics::simulation_config& c) {
  nlohmann::ordered_json p;
  p["spectrum"] = c.spectrum.describe();
  p["d"] = c.spectrum.dimension().str();
  p["T"] = c.T;
  p["T0"] = c.T0;
  p["n"] = c.n;
  nlohmann::ordered_json l = nlohmann::ordered_json::array();
  for (const auto& x : c.lambda) l.push_back(x.text);
  p["lambda"] = l;
  p["sigma2"] = c.sigma2.text;
  p["sigma02"] = c.sigma02.text;
  if (c.trials) p["trials"] = c.trials;
  else { p["target_se"] = c.target_rse; p["max_trials"] = c.max_trials; }
  p["precision"] = numerics::to_string(c.precision);
  return p;
}

std::string render(const numerics::simulation_config& c, const numerics::simulation_result& r, const std::string& format,
                   unsigned threads) {
  std::string out;
  if (format == "json") {
    nlohmann::ordered_json j;
    j["command"] = "simulate";
    j["parameters"] = parameters_json(c);
    j["seed"] = c.seed;
    j["engine"] = numerics::to_string(c.engine);
    j["estimator"] = numerics::to_string(c.estimator);
    j["trials"] = r.trials;
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (const auto& e : r.rows) {
      nlohmann::ordered_json row;
      row["generation"] = e.generation;
      row["lambda"] = e.lambda;
      row["mean"] = e.mean;
      row["se"] = e.se;
      row["ci95"] = {e.ci95_low, e.ci95_high};
      row["trials"] = e.trials;
      rows.push_back(row);
    }
    j["results"] = rows;
    j["threads"] = threads;                   // the two fields that may differ between runs
    j["elapsed_seconds"] = r.elapsed_seconds; // of the same seed (docs/simulation.md)
    return j.dump(2) + "\n";
  }
  std::string header = fmt::format("spectrum={} T={} T0={} n={} sigma2={} sigma02={} engine={} estimator={} precision={} seed={} trials={}",
                                   c.spectrum.describe(), c.T, c.T0, c.n, c.sigma2.text, c.sigma02.text,
                                   numerics::to_string(c.engine), numerics::to_string(c.estimator),
                                   numerics::to_string(c.precision), c.seed, r.trials);
  if (format == "csv") {
    out = "generation,lambda,mean,se,ci95_low,ci95_high,trials\n";
    for (const auto& e : r.rows)
      out += fmt::format("{},{},{},{},{},{},{}\n", e.generation, e.lambda_text, e.mean, e.se, e.ci95_low, e.ci95_high, e.trials);
  } else if (format == "md") {
    out = "<!-- " + header + " -->\n\n| generation | lambda | mean | se | 95% CI | trials |\n|---:|---:|---:|---:|:---:|---:|\n";
    for (const auto& e : r.rows)
      out += fmt::format("| {} | {} | {:.6g} | {:.3g} | [{:.6g}, {:.6g}] | {} |\n", e.generation, e.lambda_text, e.mean, e.se,
                         e.ci95_low, e.ci95_high, e.trials);
  } else {
    out = "# collapse simulate: " + header + "\n";
    out += fmt::format("{:>10} {:>12} {:>16} {:>12} {:>16} {:>16} {:>10}\n", "generation", "lambda", "mean", "se",
                       "ci95_low", "ci95_high", "trials");
    for (const auto& e : r.rows)
      out += fmt::format("{:>10} {:>12} {:>16.9g} {:>12.4g} {:>16.9g} {:>16.9g} {:>10}\n", e.generation, e.lambda_text,
                         e.mean, e.se, e.ci95_low, e.ci95_high, e.trials);
  }
  return out;
}

}  // namespace

void add_simulate_command(CLI::App& app) {
  auto opts = std::make_shared<simulate_options>();
  auto* cmd = app.add_subcommand(
      "simulate",
      "Monte Carlo of the iterated synthetic-data protocol (theory §1): mean test error per generation 0..n and "
      "ridge lambda, with standard errors; exact-in-distribution fast engine or the literal reference protocol. "
      "See docs/simulation.md.");
  opts->spectrum.add_to(cmd);
  cmd->add_option("--T", opts->T, "downstream sample size");
  cmd->add_option("--T0", opts->T0, "generator sample size per generation (required when n >= 1)");
  cmd->add_option("--n", opts->n, "number of generations; rows for 0..n (default 0)");
  cmd->add_option("--lambda", opts->lambda, "ridge grid L1,L2,... (each >= 0; 0 = pseudo-inverse; default 0)");
  cmd->add_option("--sigma2", opts->sigma2, "downstream label-noise variance sigma^2");
  cmd->add_option("--sigma02", opts->sigma02, "generator label-noise variance sigma0^2 (required when n >= 1)");
  cmd->add_option("--trials", opts->trials, "number of trials K >= 2");
  cmd->add_option("--target-se", opts->target_se, "stop when every mean has relative standard error below X");
  cmd->add_option("--max-trials", opts->max_trials, "cap for --target-se (default 1000000); unreachable = error");
  cmd->add_option("--seed", opts->seed, "seed (default 1); same seed => bit-identical results for any --threads");
  cmd->add_option("--threads", opts->threads, "worker threads (default 1)");
  cmd->add_option("--engine", opts->engine, "fast (exact in distribution, default) | reference (literal protocol)");
  cmd->add_option("--estimator", opts->estimator, "rb (label noise integrated analytically, default) | plain");
  cmd->add_option("--precision", opts->precision, "double (default) | long-double | mp50");
  cmd->add_option("--format", opts->format, "plain (default) | json | csv | md");
  cmd->callback([opts] {
    const auto& o = *opts;
    if (o.format != "plain" && o.format != "json" && o.format != "csv" && o.format != "md")
      throw domain_error("--format", o.format, "plain | json | csv | md");
    numerics::simulation_config c = build_config(o);
    numerics::simulation_result r;
    {
      progress_bar bar;
      r = numerics::run_simulation(c, std::ref(bar));
    }
    std::cout << render(c, r, o.format, c.threads) << std::flush;
  });
}

}  // namespace collapse::cli
