// harness/figures_variants.cpp -- see figures_variants.hpp. Theory lines are the exact rationals of
// theory/exact.hpp and theory/variants/ in double; simulated points come from numerics/simulate.hpp (the
// replacing and fixed-design runs on the fast engine, fresh designs and mixing on the reference engine,
// Rao–Blackwell estimator, seeds from plot_options).
#include "harness/figures_variants.hpp"

#include "numerics/simulate.hpp"
#include "report/gnuplot.hpp"
#include "report/output.hpp"
#include "theory/exact.hpp"
#include "theory/variants/accumulate.hpp"
#include "theory/variants/mixing.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <stdexcept>

namespace collapse::harness::detail {

namespace {

using report::gnuplot_quote;

numerics::simulation_config base_config(long d, long T, long T0, int n, const std::string& sigma2, const std::string& sigma02,
                                        const plot_options& o, std::uint64_t seed_offset) {
  numerics::simulation_config c;
  c.spectrum.type = spectrum_spec::kind::isotropic;
  c.spectrum.d = parse_exact("d", std::to_string(d));
  c.spectrum.w0norm2 = parse_exact("w0norm2", "1");
  c.T = T;
  c.T0 = T0;
  c.n = n;
  c.lambda = {parse_exact("lambda", "0")};
  c.sigma2 = parse_exact("sigma2", sigma2);
  c.sigma02 = parse_exact("sigma02", sigma02);
  c.trials = o.trials;
  c.seed = o.seed + seed_offset;
  c.threads = o.threads;
  return c;
}

std::string points_of(const numerics::simulation_result& r, const std::function<double(const numerics::estimate&)>& x) {
  std::string s = "# x mean ci95_low ci95_high (simulated, numerics/simulate.hpp)\n";
  for (const auto& e : r.rows) s += fmt::format("{:.10g} {:.10g} {:.10g} {:.10g}\n", x(e), e.mean, e.ci95_low, e.ci95_high);
  return s;
}

const char* colour[] = {"#1b9e77", "#d95f02", "#7570b3", "#e7298a"};

}  // namespace

variant_figure_script accumulate_figure(const std::function<std::string(const std::string&)>& file, const plot_options& o, bool latex) {
  const report::gnuplot_label L{latex};
  std::vector<variant_series> series;
  const long d = 20, T = 40;  // T0 = T: the fixed design needs it; σ² = σ0² = 1
  const int n = 10;
  std::string lines = "# n replace accumulate-fixed accumulate-fresh (exact: §2.3, extensions §A.2)\n";
  for (int k = 0; k <= n; ++k)
    lines += fmt::format("{} {:.10g} {:.10g} {:.10g}\n", k, to_real<double>(exact::ols(rational(d), rational(T), rational(T), rational(k), 1, 1).total),
                         variants::accumulate_fixed_ols<double>(d, T, k, 1.0, 1.0).total,
                         variants::accumulate_fresh_ols<double>(d, T, T, k, 1.0, 1.0).total);
  report::write_file_atomic(file("acc_exact.dat"), lines);
  series.push_back({"replace, exact (§2.3)", file("acc_exact.dat"), 1, 2});
  series.push_back({"accumulate fixed design, exact (A1)", file("acc_exact.dat"), 1, 3});
  series.push_back({"accumulate fresh designs, exact (A2)", file("acc_exact.dat"), 1, 4});
  std::string plot = fmt::format("{0} using 1:2 with lines lw 2.2 lc rgb '{1}' title {4}, "
                                 "{0} using 1:3 with lines lw 2.2 lc rgb '{2}' title 'accumulate, fixed design (A1)', "
                                 "{0} using 1:4 with lines lw 2.2 lc rgb '{3}' title 'accumulate, fresh designs (A2)'",
                                 gnuplot_quote(file("acc_exact.dat")), colour[0], colour[1], colour[2], L("replace (§2.3)", "replace (\\S2.3)"));
  if (o.trials > 0) {
    auto replace = base_config(d, T, T, n, "1", "1", o, 101);
    auto fixed = base_config(d, T, T, n, "1", "1", o, 102);
    fixed.protocol = numerics::protocol_kind::accumulate;
    fixed.design = numerics::design_kind::fixed;
    auto fresh = base_config(d, T, T, n, "1", "1", o, 103);
    fresh.protocol = numerics::protocol_kind::accumulate;
    fresh.engine = numerics::engine_kind::reference;
    const numerics::simulation_config runs[] = {replace, fixed, fresh};
    for (int i = 0; i < 3; ++i) {
      report::write_file_atomic(file(fmt::format("acc_sim{}.dat", i)),
                 points_of(numerics::run_simulation(runs[i]), [](const numerics::estimate& e) { return double(e.generation); }));
      static const char* const name[] = {"replace", "accumulate fixed design", "accumulate fresh designs"};
      series.push_back({fmt::format("{}, simulated", name[i]), file(fmt::format("acc_sim{}.dat", i)), 1, 2, 3, 4});
      plot += fmt::format(", {} using 1:2:3:4 with yerrorbars pt 6 ps 0.9 lw 1.2 lc rgb '{}' {}", gnuplot_quote(file(fmt::format("acc_sim{}.dat", i))),
                          colour[i], i == 0 ? "title " + L(fmt::format("simulated ({} trials, 95% CI)", o.trials), fmt::format("simulated ({} trials, 95\\% CI)", o.trials)) : std::string("notitle"));
    }
  }
  std::string b = "set title " +
                  L("Accumulate vs replace: OLS test error after n generations (Σ = I, d = 20, T = T_0 = 40, σ^2 = σ_0^2 = 1)",
                    "Accumulate vs replace: OLS test error after $n$ generations ($\\Sigma = I$, $d = 20$, $T = T_0 = 40$, "
                    "$\\sigma^2 = \\sigma_0^2 = 1$)") + "\n";
  b += "set xlabel " + L("generations n", "generations $n$") + "\nset ylabel " + L("test error E_n", "test error $E_n$") +
       "\nset grid\nset key top left\nset xrange [-0.3:10.3]\nset yrange [0:*]\n";
  b += fmt::format("bound = {:.10g}\n", 20.0 / 19 * (M_PI * M_PI / 6));
  b += "plot " + plot + ", bound with lines dt 2 lc rgb 'gray40' title " +
       L("(π^2/6) σ_0^2 d/(T-d-1): the fixed-design bound", "$(\\pi^2/6)\\,\\sigma_0^2 d/(T-d-1)$: the fixed-design bound") + "\n";
  return {b, 10, 6.4, series};
}

variant_figure_script mixing_figure(const std::function<std::string(const std::string&)>& file, const plot_options& o, bool latex) {
  const report::gnuplot_label L{latex};
  std::vector<variant_series> series;
  const long d = 20;
  const double p2s[] = {0, 0.05, 0.1, 0.2};
  const long Tsim[] = {40, 100, 200, 500, 1000};
  std::string plot, b;
  for (int i = 0; i < 4; ++i) {
    std::string lines = "# T E (exact B1, sigma2 = 1, |Delta|^2_Sigma = 1)\n";
    for (long T = 40; T <= 20000; T += std::max(20L, T / 10 / 20 * 20)) {  // multiples of 20: p2 T is an integer, ~10 % steps
      const long T2 = std::lround(p2s[i] * double(T));
      lines += fmt::format("{} {:.10g}\n", T, variants::mixing_ols<double>(d, T, T2, 1.0, 1.0, 1.0).total);
    }
    report::write_file_atomic(file(fmt::format("mix_p{}.dat", i)), lines);
    series.push_back({fmt::format("p2 = {}, exact (B1)", p2s[i]), file(fmt::format("mix_p{}.dat", i)), 1, 2});
    plot += fmt::format("{}{} using 1:2 with lines lw 2.2 lc rgb '{}' title {}", plot.empty() ? "" : ", ",
                        gnuplot_quote(file(fmt::format("mix_p{}.dat", i))), colour[i],
                        L(fmt::format("p_2 = {}", p2s[i]), fmt::format("$p_2 = {}$", p2s[i])));
    if (i > 0)
      plot += fmt::format(", {:.10g} with lines dt 2 lw 1.2 lc rgb '{}' notitle", p2s[i] * p2s[i], colour[i]);
    if (o.trials > 0) {
      std::string pts = "# T mean ci95_low ci95_high (simulated, reference engine)\n";
      for (long T : Tsim) {
        auto c = base_config(d, T, 0, 0, "1", "0", o, 200 + static_cast<std::uint64_t>(10 * i + T));
        c.engine = numerics::engine_kind::reference;
        if (i > 0) {
          c.synthetic_fraction = parse_exact("p2", fmt::format("{}", p2s[i]));
          c.teacher_shift = parse_exact("teacher-shift", "1");
        }
        const auto& e = numerics::run_simulation(c).rows[0];
        pts += fmt::format("{} {:.10g} {:.10g} {:.10g}\n", T, e.mean, e.ci95_low, e.ci95_high);
      }
      report::write_file_atomic(file(fmt::format("mix_sim{}.dat", i)), pts);
      series.push_back({fmt::format("p2 = {}, simulated", p2s[i]), file(fmt::format("mix_sim{}.dat", i)), 1, 2, 3, 4});
      plot += fmt::format(", {} using 1:2:3:4 with yerrorbars pt 6 ps 0.9 lw 1.2 lc rgb '{}' {}", gnuplot_quote(file(fmt::format("mix_sim{}.dat", i))),
                          colour[i], i == 0 ? "title " + L(fmt::format("simulated ({} trials, 95% CI)", o.trials), fmt::format("simulated ({} trials, 95\\% CI)", o.trials)) : std::string("notitle"));
    }
  }
  b += "set title " +
       L("Mixing real and shifted-teacher rows: OLS test error vs T (Σ = I, d = 20, σ^2 = 1, ||Δ||^2_Σ = 1); dashed: floors p_2^2 ||Δ||^2_Σ",
         "Mixing real and shifted-teacher rows: OLS test error vs $T$ ($\\Sigma = I$, $d = 20$, $\\sigma^2 = 1$, "
         "$\\|\\Delta\\|^2_\\Sigma = 1$); dashed: floors $p_2^2 \\|\\Delta\\|^2_\\Sigma$") + "\n";
  b += "set logscale xy\nset format x " + L("10^{%L}", "$10^{%L}$") + "\nset format y " + L("%g", "$%g$") + "\nset xlabel " +
       L("sample size T", "sample size $T$") + "\nset ylabel 'test error (exact B1)'\nset grid\nset key bottom left\n";
  b += "set xrange [30:25000]\n";
  b += "plot " + plot + "\n";
  return {b, 10, 6.4, series};
}

}  // namespace collapse::harness::detail
