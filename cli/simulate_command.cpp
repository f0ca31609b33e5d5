// cli/simulate_command.cpp -- `collapse simulate`: the finite-sample Monte Carlo of
// numerics/simulate.hpp behind the option names and spectrum syntax of `collapse eval`.
//
// Every value is parsed exactly (theory/rational.hpp) and validated before anything is allocated;
// bad input throws collapse::domain_error naming the option, its value and the valid range, and
// nothing is written to stdout. The result is printed only after the run completes. A progress bar
// goes to stderr once a run has taken more than a second.
#include "numerics/cost.hpp"
#include "numerics/simulate.hpp"
#include "cli/commands.hpp"
#include "cli/simulate_config.hpp"
#include "cli/options.hpp"
#include "cli/processes.hpp"
#include "cli/spectrum_options.hpp"
#include "parallel/shard.hpp"
#include "parallel/verify_shard.hpp"
#include "report/output.hpp"
#include "report/progress.hpp"
#include "report/table.hpp"
#include "eval/option_lists.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
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
  std::string protocol = "replace";                                             // issue 12 variants
  std::optional<std::string> design, generator_lambda, synthetic_fraction, teacher_shift;
  std::vector<std::string> lambda = {"0"};
  std::string max_trials = "1000000", seed = "1", threads = "1";
  std::string engine = "fast", estimator = "rb", precision = "double";
  std::string path = "auto";  // issue 9: the fast engine's per-trial path
  std::string chain = "auto";  // issue 9: the scalable paths' chain, integrated or sampled
  format_options format;
  bool yes = false;
  std::string max_seconds = "3600";
  std::optional<std::string> shard, output;  // issue 10: --shard I/N writes a shard file (--output FILE)
};

/// The options that define a run, by name (without "--"), as the fields of `o` that hold them: the one list
/// that a shard's fingerprint (run_options_of) and its reader (simulation_config_from) share, so an option
/// added to the run cannot be left out of one of them. --lambda is the list below; --threads and the other
/// layout options are not part of a run.
struct run_fields {
  std::map<std::string, std::optional<std::string>*> optional;  // written only when given
  std::map<std::string, std::string*> given;                    // always written (they have defaults)
};
run_fields run_fields_of(simulate_options& o) {
  return {{{"d", &o.spectrum.d}, {"w0norm2", &o.spectrum.w0norm2}, {"beta", &o.spectrum.beta}, {"r", &o.spectrum.r},
           {"T", &o.T}, {"T0", &o.T0}, {"n", &o.n}, {"sigma2", &o.sigma2}, {"sigma02", &o.sigma02},
           {"trials", &o.trials}, {"target-se", &o.target_se},
           // issue-12 variants, as --design ... --teacher-shift
           {"design", &o.design}, {"generator-lambda", &o.generator_lambda}, {"synthetic-fraction", &o.synthetic_fraction},
           {"teacher-shift", &o.teacher_shift}},
          {{"spectrum", &o.spectrum.spectrum}, {"max-trials", &o.max_trials}, {"seed", &o.seed},
           {"engine", &o.engine}, {"estimator", &o.estimator}, {"precision", &o.precision}, {"protocol", &o.protocol},
           {"path", &o.path}, {"chain", &o.chain}}};  // issue 9: a forced path or chain changes the random streams
}

/// The options that define the run, as given: the fingerprint of a shard, from which `collapse merge`
/// rebuilds the configuration (simulation_config_from).
std::map<std::string, std::string> run_options_of(simulate_options o) {
  std::map<std::string, std::string> m;
  const run_fields f = run_fields_of(o);
  for (const auto& [name, v] : f.optional)
    if (*v) m[name] = **v;
  for (const auto& [name, v] : f.given)
    if (!v->empty()) m[name] = *v;  // an empty --spectrum is the default: left out, as before
  std::string lambda;
  for (const auto& l : o.lambda) lambda += (lambda.empty() ? "" : ",") + l;
  m["lambda"] = lambda;
  return m;
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

/// The issue-12 protocol variants (docs/simulation.md "Protocol variants"); numerics::validate checks
/// them against the rest of the config (ranges, combinations, the engines that support them).
void set_variant(numerics::simulation_config& c, const simulate_options& o) {
  using numerics::design_kind;
  using numerics::protocol_kind;
  c.protocol = choose<protocol_kind>("--protocol", o.protocol, {{"replace", protocol_kind::replace}, {"accumulate", protocol_kind::accumulate}});
  if (o.design) {
    if (c.protocol != protocol_kind::accumulate)
      throw domain_error("--design", *o.design, "not given unless --protocol accumulate", "the replacing protocol draws a fresh design per batch");
    c.design = choose<design_kind>("--design", *o.design, {{"fresh", design_kind::fresh}, {"fixed", design_kind::fixed}});
  }
  c.generator_lambda = parse_exact("--generator-lambda", o.generator_lambda.value_or("0"));
  c.synthetic_fraction = parse_exact("--synthetic-fraction", o.synthetic_fraction.value_or("0"));
  if (c.synthetic_fraction.value != 0 && !o.teacher_shift)
    throw domain_error("--teacher-shift", "(missing)", "|Delta|^2_Sigma >= 0 (needed when --synthetic-fraction > 0)", "required");
  c.teacher_shift = parse_exact("--teacher-shift", o.teacher_shift.value_or("0"));
}

/// The variant fields for the output, only when a variant was asked for (the §1 output is unchanged).
std::string variant_text(const numerics::simulation_config& c) {
  if (!numerics::is_variant(c)) return "";
  return fmt::format(" protocol={} design={} generator-lambda={} synthetic-fraction={} teacher-shift={}", numerics::to_string(c.protocol),
                     numerics::to_string(c.design), c.generator_lambda.value.str(), c.synthetic_fraction.value.str(), c.teacher_shift.value.str());
}

numerics::simulation_config build_config(const simulate_options& o) {
  numerics::simulation_config c;
  c.spectrum = o.spectrum.build();
  constexpr long long big = 1000000000000LL;
  c.T = parse_integer("--T", required(o.T, "--T", "an integer 1 <= T <= 1e12"), 1, big);
  c.n = static_cast<int>(parse_integer("--n", o.n.value_or("0"), 0, 100000));
  // with n = 0 no generator is fitted: a generator option would be silently ignored, so it is refused
  if (c.n == 0)
    for (const auto& [name, v] : {std::pair{"--T0", &o.T0}, std::pair{"--sigma02", &o.sigma02}})
      if (*v) throw domain_error(name, **v, "not given when n = 0", "the generator is used only for n >= 1 (generations 1..n)");
  if (c.n > 0) c.T0 = parse_integer("--T0", required(o.T0, "--T0", "an integer 1 <= T0 <= 1e12 (needed when n >= 1)"), 1, big);
  // --lambda L1,L2,... (split by CLI11): each >= 0, 0 meaning the pseudo-inverse.
  for (const auto& item : o.lambda) {
    exact_number l = parse_exact("--lambda", item);
    if (l.value < 0) throw domain_error("--lambda", item, "lambda >= 0 (0 = pseudo-inverse)");
    c.lambda.push_back(l);
  }
  c.sigma2 = parse_exact("--sigma2", required(o.sigma2, "--sigma2", "sigma2 >= 0"));
  if (c.sigma2.value < 0) throw domain_error("--sigma2", c.sigma2.text, "sigma2 >= 0");
  c.sigma02 = parse_exact("--sigma02", c.n > 0 ? required(o.sigma02, "--sigma02", "sigma02 >= 0 (needed when n >= 1)") : "0");
  if (c.sigma02.value < 0) throw domain_error("--sigma02", c.sigma02.text, "sigma02 >= 0");
  if (o.trials && o.target_se)
    throw domain_error("--trials", *o.trials, "either --trials or --target-se, not both");
  if (!o.trials && !o.target_se)
    throw domain_error("--trials", "(missing)", "--trials K (K >= 2) or --target-se X (0 < X < 1)");
  if (o.trials) c.trials = parse_unsigned("--trials", *o.trials, 2, big);
  if (o.target_se) {
    exact_number x = parse_exact("--target-se", *o.target_se);
    if (x.value <= 0 || x.value >= 1)
      throw domain_error("--target-se", *o.target_se, "0 < target-se < 1 (relative standard error of every mean)");
    c.target_rse = to_real<double>(x.value);
    // a target below the smallest double rounds to 0 and would be blamed on another parameter later
    if (!(c.target_rse >= 1e-12))
      throw domain_error("--target-se", *o.target_se, "1e-12 <= target-se < 1",
                         "a relative standard error below 1e-12 needs more than 1e24 trials");
  }
  c.max_trials = parse_unsigned("--max-trials", o.max_trials, 2, big);
  c.seed = parse_unsigned("--seed", o.seed, 0, std::numeric_limits<std::uint64_t>::max());
  c.threads = static_cast<unsigned>(parse_integer("--threads", o.threads, 1, 256));
  c.engine = choose<engine_kind>("--engine", o.engine, {{"reference", engine_kind::reference}, {"fast", engine_kind::fast}});
  c.estimator = choose<estimator_kind>("--estimator", o.estimator,
                                       {{"plain", estimator_kind::plain}, {"rb", estimator_kind::rao_blackwell}});
  c.precision = choose<precision_kind>("--precision", o.precision,
                                       {{"double", precision_kind::double_precision},
                                        {"long-double", precision_kind::long_double_precision},
                                        {"mp50", precision_kind::mp50}});
  c.path = choose<numerics::fast_path>("--path", o.path,
                                       {{"auto", numerics::fast_path::automatic}, {"general", numerics::fast_path::general},
                                        {"isotropic-spectral", numerics::fast_path::isotropic_spectral},
                                        {"dual-gram", numerics::fast_path::dual_gram}});
  c.chain = choose<numerics::chain_kind>("--chain", o.chain,
                                         {{"auto", numerics::chain_kind::automatic}, {"integrated", numerics::chain_kind::integrated},
                                          {"sampled", numerics::chain_kind::sampled}});
  set_variant(c, o);
  numerics::validate(c);  // sizes, memory: refused before anything is allocated
  return c;
}

/// Feeds the simulator's progress callback to the report/progress.hpp bar. Generic so that it accepts
/// both the (done, planned) callback and the progress_info one (real total and ETA, numerics/).
struct bar_adapter {
  report::progress_bar* bar;
  template <class... A> void operator()(const A&... a) const {
    if constexpr (sizeof...(A) == 1) {
      const auto& info = (a, ...);
      bar->update(info.done, info.projected ? info.projected : info.total, info.eta_seconds);
    } else {
      bar->update(a...);
    }
  }
};

/// Refuses a run whose estimated duration exceeds --max-seconds (unless --yes): a pilot of doubling
/// size (2, 4, 8, ... trials, same configuration, results discarded) until it takes 0.2 s gives the
/// time per trial; the estimate for the requested trials is printed on stderr when above a minute.
/// The pilot starts at two trials, whatever the run's size (review, 2026-11-30: runs of at most 64 trials
/// were never checked, and a pilot of 16 expensive trials ran silently for minutes before refusing).
/// A shard job (`shard_trials` > 0) is judged by its own share of the trials, and its pilot stays below
/// a quarter of that share. On the scalable paths an a priori work model (numerics::flops_per_trial) is
/// checked first, for any number of trials, and replaces the pilot when 16 trials would take over a second.
void check_duration(const numerics::simulation_config& c, const simulate_options& o, std::uint64_t shard_trials = 0) {
  const double max_seconds = static_cast<double>(parse_integer("--max-seconds", o.max_seconds, 1, 1000000000LL));
  const std::uint64_t planned = shard_trials ? shard_trials : c.trials ? c.trials : c.max_trials;
  const std::string what = c.trials ? "--trials" : "--max-trials";
  const std::string given = c.trials ? *o.trials : o.max_trials;
  // The scalable paths have a work model (numerics::flops_per_trial): a run it puts above the bound is
  // refused before its first trial, whatever the number of trials, and a pilot that would itself be long
  // is not run (issue 9: a dual-path trial at T = 10^4 takes hours).
  if (const long double flops = numerics::flops_per_trial(c); flops > 0) {
    const double threads = std::max(1u, c.threads), per_trial = static_cast<double>(flops / numerics::assumed_flops_per_second);
    const double estimate = per_trial * static_cast<double>(planned) / std::min<double>(threads, static_cast<double>(planned));
    const std::string basis = fmt::format("a priori: {:.3g} flop per trial on the {} path at {:.3g} Gflop/s per thread, {} thread(s); memory about {:.0f} MiB",
                                          static_cast<double>(flops), numerics::to_string(numerics::resolve_path(c)),
                                          static_cast<double>(numerics::assumed_flops_per_second) / 1e9, threads,
                                          static_cast<double>(numerics::memory_estimate(c)) / (1 << 20));
    if (estimate > max_seconds && !o.yes && c.trials)
      throw domain_error(what, given, fmt::format("a {} of at most --max-seconds = {} s", shard_trials ? "shard" : "run", o.max_seconds),
                         fmt::format("estimated {} ({}); pass --yes or a larger --max-seconds to run it", report::human_duration(estimate), basis));
    if (per_trial * 16 > 1) {
      if (estimate > 60) std::cerr << fmt::format("collapse simulate: estimated {} for {} trials ({})\n", report::human_duration(estimate), planned, basis);
      return;
    }
  }
  numerics::simulation_config pilot = c;
  pilot.target_rse = 0;
  double seconds = 0;
  std::uint64_t k = 2;  // the smallest simulation (a standard error needs two trials)
  for (; k < planned / 4; k *= 2) {
    pilot.trials = k;
    const auto t0 = std::chrono::steady_clock::now();
    numerics::run_simulation(pilot);
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (seconds > 0.2) break;
  }
  if (k >= planned / 4) return;  // the pilot already took a quarter of the run: it is short
  const double estimate = seconds / static_cast<double>(k) * static_cast<double>(planned);
  if (estimate > max_seconds && !o.yes && c.trials)
    throw domain_error(what, given, fmt::format("a {} of at most --max-seconds = {} s", shard_trials ? "shard" : "run", o.max_seconds),
                       fmt::format("estimated {}{} from a pilot of {} trials in {:.2f} s; pass --yes or a larger --max-seconds to run it",
                                   report::human_duration(estimate), shard_trials ? fmt::format(" for this shard's {} trials", planned) : "",
                                   k, seconds));
  if (estimate > 60)
    std::cerr << fmt::format("collapse simulate: estimated {1} for {0}{2} trials ({3} = {4})\n", c.trials ? "" : "at most ", report::human_duration(estimate), planned, what,
                             given);
}

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
  if (numerics::is_variant(c)) {
    p["protocol"] = numerics::to_string(c.protocol);
    p["design"] = numerics::to_string(c.design);
    p["generator_lambda"] = c.generator_lambda.value.str();
    p["synthetic_fraction"] = c.synthetic_fraction.value.str();
    p["teacher_shift"] = c.teacher_shift.value.str();
  }
  return p;
}

report::table result_table(const numerics::simulation_config& c, const numerics::simulation_result& r, unsigned threads) {
  using report::align;
  using report::cell;
  using report::column;
  using report::format;
  using report::format_set;
  report::table t;
  const auto not_md_json = format_set::except({format::md, format::json});
  t.columns = {
      column{.key = "generation", .alignment = align::right, .md_alignment = align::right, .min_width = 10},
      column{.key = "lambda", .alignment = align::right, .md_alignment = align::right, .min_width = 12,
             .formats = format_set::except({format::json})},
      column{.key = "lambda", .formats = format_set::only({format::json})},
      column{.key = "mean", .alignment = align::right, .md_alignment = align::right, .number_format = "{:.9g}",
             .md_number_format = "{:.6g}", .min_width = 16},
      column{.key = "se", .alignment = align::right, .md_alignment = align::right, .number_format = "{:.4g}",
             .md_number_format = "{:.3g}", .min_width = 12},
      column{.key = "ci95_low", .alignment = align::right, .number_format = "{:.9g}", .min_width = 16, .formats = not_md_json},
      column{.key = "ci95_high", .alignment = align::right, .number_format = "{:.9g}", .min_width = 16, .formats = not_md_json},
      column{.key = "ci95", .title = "95% CI", .md_alignment = align::center, .formats = format_set::only({format::md, format::json})},
      column{.key = "trials", .alignment = align::right, .md_alignment = align::right, .min_width = 10},
      column{.key = "no_interval", .formats = format_set::only({format::json})},
  };
  for (const auto& e : r.rows) {
    // Rows without an interval (infinite per-trial variance, docs/simulation.md): se and the interval
    // are absent ("—" in plain/md, empty in csv, left out of json, which gives the reason instead).
    cell ci = cell::none();
    if (e.interval) {
      ci = cell::of_json(nlohmann::ordered_json::array({e.ci95_low, e.ci95_high}));
      ci.text = fmt::format("[{:.6g}, {:.6g}]", e.ci95_low, e.ci95_high);
    }
    const auto maybe = [&](double x) { return e.interval ? cell::of_number(x) : cell::none(); };
    t.rows.push_back({cell::of_integer(e.generation), cell::of_exact(e.lambda_text), cell::of_number(e.lambda), cell::of_number(e.mean),
                      maybe(e.se), maybe(e.ci95_low), maybe(e.ci95_high), ci, cell::of_integer(static_cast<long long>(e.trials)),
                      e.interval ? cell::none() : cell::of_text(e.no_interval_reason)});
  }
  t.plain.separator = " ";
  t.comment = fmt::format("collapse simulate: spectrum={} T={} T0={} n={} sigma2={} sigma02={} engine={} estimator={} precision={} seed={} trials={}",
                          c.spectrum.describe(), c.T, c.T0, c.n, c.sigma2.text, c.sigma02.text, numerics::to_string(c.engine),
                          numerics::to_string(c.estimator), numerics::to_string(c.precision), c.seed, r.trials) + variant_text(c);
  nlohmann::ordered_json j;
  j["command"] = "simulate";
  j["parameters"] = parameters_json(c);
  j["seed"] = c.seed;
  j["engine"] = numerics::to_string(c.engine);
  j["estimator"] = numerics::to_string(c.estimator);
  j["path"] = numerics::to_string(r.path);
  j["chain"] = numerics::to_string(numerics::resolve_chain(c));
  j["trials"] = r.trials;
  j["results"] = nullptr;                   // the rows go here
  j["threads"] = threads;                   // the two fields that may differ between runs
  j["elapsed_seconds"] = r.elapsed_seconds; // of the same seed (docs/simulation.md)
  t.json_document = j;
  t.json_rows_key = "results";
  return t;
}

/// The result on stdout; rows without an interval (infinite per-trial variance) get one warning line
/// per reason on stderr.
void print_result(const format_options& format, const numerics::simulation_config& c, const numerics::simulation_result& r,
                  unsigned threads) {
  std::string last;
  for (const auto& e : r.rows)
    if (!e.interval && e.no_interval_reason != last) {
      last = e.no_interval_reason;
      std::fprintf(stderr, "collapse: warning: no standard error or interval for generation %d, lambda %s: %s\n", e.generation,
                   e.lambda_text.c_str(), last.c_str());
    }
  std::cout << format.render(result_table(c, r, threads)) << std::flush;
}

}  // namespace

namespace {

/// The PATH of --spectrum file:PATH, if that is the spectrum.
std::optional<std::string> spectrum_file_of(const simulate_options& o) {
  if (o.spectrum.spectrum.rfind("file:", 0) != 0) return std::nullopt;
  return o.spectrum.spectrum.substr(5);
}

/// The file a simulate shard job writes: --output, or collapse-shard-I-of-N.json in the working directory.
std::string shard_output_path(const simulate_options& o, const parallel::shard_spec& spec) {
  return o.output.value_or(fmt::format("collapse-shard-{}-of-{}.json", spec.index, spec.count));
}

}  // namespace

numerics::simulation_config simulation_config_from(const std::map<std::string, std::string>& options) {
  simulate_options o;
  run_fields f = run_fields_of(o);
  f.given["threads"] = &o.threads;  // layout, not part of a run, but accepted here (the Python door passes it)
  for (const auto& [name, text] : options) {
    if (auto a = f.optional.find(name); a != f.optional.end()) *a->second = text;
    else if (auto g = f.given.find(name); g != f.given.end()) *g->second = text;
    else if (name == "lambda") o.lambda = parse_list("--lambda", text);  // split like the command line's --lambda L1,L2,...
    else {
      std::string known = "lambda";
      for (const auto& [k, v] : f.optional) known += ", " + k;
      for (const auto& [k, v] : f.given) known += ", " + k;
      throw domain_error("--" + name, text, "an option of collapse simulate: " + known);
    }
  }
  return build_config(o);
}

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
  add_list_option(cmd, "--lambda", opts->lambda, "ridge grid L1,L2,... (each >= 0; 0 = pseudo-inverse; default 0)");
  cmd->add_option("--sigma2", opts->sigma2, "downstream label-noise variance sigma^2");
  cmd->add_option("--sigma02", opts->sigma02, "generator label-noise variance sigma0^2 (required when n >= 1)");
  cmd->add_option("--trials", opts->trials, "number of trials K >= 2");
  cmd->add_option("--target-se", opts->target_se, "stop when every mean has relative standard error below X");
  cmd->add_option("--max-trials", opts->max_trials, "cap for --target-se (default 1000000); unreachable = error");
  cmd->add_option("--seed", opts->seed, "seed (default 1); same seed => bit-identical results for any --threads");
  cmd->add_option("--threads", opts->threads, "worker threads (default 1)");
  cmd->add_option("--protocol", opts->protocol,
                  "replace (default, §1) | accumulate: every fit, downstream included, is OLS on all batches so far "
                  "(docs/theory-extensions.md §A; lambda = 0)");
  cmd->add_option("--design", opts->design, "with --protocol accumulate: fresh (default, a new design per batch) | fixed (one design, T0 = T)");
  cmd->add_option("--generator-lambda", opts->generator_lambda,
                  "lambda0 >= 0: ridge generators (S_k + lambda0)^-1 X_k'y_k/T0 (default 0 = pseudo-inverse; extensions §C; reference engine)");
  cmd->add_option("--synthetic-fraction", opts->synthetic_fraction,
                  "p2 in [0,1] with p2*T an integer: that many downstream rows labelled by the shifted teacher w0 + Delta "
                  "(n = 0; extensions §B; reference engine)");
  cmd->add_option("--teacher-shift", opts->teacher_shift,
                  "|Delta|^2_Sigma >= 0 of the shifted teacher (Delta spread evenly over Sigma's eigendirections; with --synthetic-fraction)");
  cmd->add_option("--engine", opts->engine, "fast (exact in distribution, default) | reference (literal protocol)");
  cmd->add_option("--estimator", opts->estimator, "rb (label noise integrated analytically, default) | plain");
  cmd->add_option("--precision", opts->precision, "double (default) | long-double | mp50");
  cmd->add_option("--path", opts->path,
                  "auto (default) | general | isotropic-spectral | dual-gram: the fast engine's per-trial algorithm "
                  "(docs/simulation.md \"Paths\")");
  cmd->add_option("--chain", opts->chain,
                  "auto (default) | integrated | sampled: on the scalable paths, integrate the generator chain with the exact "
                  "inverse-Wishart mean 1/(T0-d-1) (auto there; presupposes that factor) or sample one chi-square per generation "
                  "as the general path does (T0 >= d); the general path always samples");
  add_format_options(cmd, opts->format);
  add_progress_flag(cmd);
  cmd->add_flag("--yes", opts->yes, "run even when the estimated duration exceeds --max-seconds");
  cmd->add_option("--max-seconds", opts->max_seconds,
                  "refuse a run estimated (from a short pilot) to take longer than this (default 3600)");
  cmd->add_option("--shard", opts->shard,
                  "I/N: compute only shard I of N of the trials (fixed --trials) and write a shard file; `collapse merge` "
                  "combines the N files into the output of the whole run (docs/cluster.md)");
  cmd->add_option("--output", opts->output, "with --shard: the shard file (default collapse-shard-I-of-N.json)");
  cmd->callback([opts] {
    const auto& o = *opts;
    o.format.parse();  // a bad --format or --standalone is refused before any work
    const processes& procs = current_processes();
    if (o.output && !o.shard) throw domain_error("--output", *o.output, "only with --shard I/N", "the output of a whole run goes to stdout");
    std::optional<parallel::shard_spec> spec;
    if (o.shard) {
      spec = parallel::parse_shard("--shard", *o.shard);
      if (procs.shared())
        throw domain_error("--shard", *o.shard, "a run without mpirun", "a shard is one job of a batch system; under mpirun the ranks share the run");
      if (o.target_se)
        throw domain_error("--shard", *o.shard, "a run with fixed --trials", "a --target-se stop is decided on the running estimate, batch by batch");
      report::check_output_path("--output", shard_output_path(o, *spec));
    }
    numerics::simulation_config c = build_config(o);
    if (spec) {  // issue 10: one shard of the trials, to a file; nothing on stdout
      const auto [first, count] = parallel::shard_trials(*spec, c.trials);
      check_duration(c, o, count);
      parallel::shard s;
      s.run = {{"command", "simulate"}, {"options", run_options_of(o)}, {"build", parallel::build_id()}};
      if (const auto file = spectrum_file_of(o)) s.run["spectrum_file"] = parallel::file_fingerprint(*file);
      s.spec = *spec;
      s.first_trial = first;
      s.threads = c.threads;
      {
        report::progress_bar bar("collapse simulate --shard", "trials");
        s.table = numerics::run_trial_range(c, first, count, bar_adapter{&bar});
      }
      const std::string path = shard_output_path(o, *spec);
      parallel::write_shard(path, s);
      std::fprintf(stderr, "collapse simulate: shard %s (trials %llu..%llu of %llu) written to %s\n", o.shard->c_str(),
                   static_cast<unsigned long long>(first), static_cast<unsigned long long>(first + count - 1),
                   static_cast<unsigned long long>(c.trials), path.c_str());
      return;
    }
    on_root_then_agree([&] { check_duration(c, o); });  // issue 10: one pilot, on rank 0, and one verdict
    c.group = procs.group;
    numerics::simulation_result r;
    {
      report::progress_bar bar("collapse simulate", "trials");
      r = numerics::run_simulation(c, procs.root() ? numerics::progress_callback(bar_adapter{&bar}) : numerics::progress_callback{});
    }
    if (!procs.root()) return;  // rank 0 prints
    print_result(o.format, c, r, c.threads);
  });
}

void add_merge_command(CLI::App& app) {
  auto files = std::make_shared<std::vector<std::string>>();
  auto format = std::make_shared<format_options>();
  auto report_dir = std::make_shared<std::string>();
  auto suites_dir = std::make_shared<std::string>(harness::default_suites_dir());
  auto* cmd = app.add_subcommand("merge",
                                 "combine the shard files of `collapse simulate|verify --shard I/N` (N jobs of one run) into the output "
                                 "of the whole run, exactly as one process prints it; refuses shards of different runs, missing or duplicate "
                                 "shards (docs/cluster.md)");
  cmd->add_option("SHARDS", *files, "the shard files (any order)");
  add_format_options(cmd, *format);
  cmd->add_option("--report", *report_dir, "verify shards: write the report of the whole run to DIR (as collapse verify --report)");
  cmd->add_option("--suites-dir", *suites_dir, "verify shards: the directory of the suite files they were computed from")->capture_default_str();
  cmd->callback([cmd, files, format, report_dir, suites_dir] {
    format->parse();
    if (files->empty()) throw domain_error("SHARDS", "(none)", "one or more shard files", "nothing to merge");
    if (cmd->count("--report")) report::check_output_path("--report", *report_dir, report::output_kind::directory);
    std::vector<parallel::shard> shards;
    for (const auto& f : *files) shards.push_back(parallel::read_shard(f));
    const auto& run = shards.front().run;
    if (run.value("build", "") != parallel::build_id())
      throw domain_error("SHARD", shards.front().path, "shards written by this build (" + parallel::build_id() + ")",
                         "it was written by " + run.value("build", std::string("?")) + "; merge with the binary that computed it");
    if (run.value("command", "") == "verify") {  // issue 10: the suites rerun with every row of the shards cached
      harness::run_options opt = parallel::verify_merge_options(shards, *suites_dir);
      opt.report_dir = *report_dir;
      print_outcome(*format, harness::run_suites(opt, std::cerr), opt);
      return;
    }
    if (run.value("command", "") != "simulate")
      throw domain_error("SHARD", shards.front().path, "a shard of collapse simulate or verify",
                         "it is of '" + run.value("command", std::string("?")) + "'");
    if (!report_dir->empty())
      throw domain_error("--report", *report_dir, "only when merging verify shards", "a simulate run has no report directory");
    const auto options = run.at("options").get<std::map<std::string, std::string>>();
    numerics::simulation_config c = simulation_config_from(options);
    const unsigned threads = shards.front().threads;
    const std::string first_path = shards.front().path, file_hash = run.value("spectrum_file", std::string("no fingerprint"));
    numerics::trial_table table = parallel::merge_tables(std::move(shards), c.trials);  // the shards agree with each other ...
    if (auto it = options.find("spectrum"); it != options.end() && it->second.rfind("file:", 0) == 0) {  // ... and with the file now
      const std::string file = it->second.substr(5), now = parallel::file_fingerprint(file);
      if (file_hash != now)
        throw domain_error("SHARD", first_path, "shards of the spectrum file as it is now (" + now + ")",
                           file + " changed since the shards were computed (" + file_hash + ")");
    }
    numerics::simulation_result r = numerics::summarise_trials(c, table);
    r.elapsed_seconds = table.elapsed_seconds;  // the shards' compute time, summed
    print_result(*format, c, r, threads);
  });
}

}  // namespace collapse::cli
