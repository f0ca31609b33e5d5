// harness/figures_crossover_mc.cpp -- see figures_crossover_mc.hpp.
#include "harness/figures_crossover_mc.hpp"

#include "report/gnuplot.hpp"
#include "report/output.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace collapse::harness::detail {

crossover_mc_params crossover_mc_figure_params(const plot_options& o) {
  crossover_mc_params p = default_crossover_mc_params();
  p.trials = static_cast<long>(std::min<std::uint64_t>(o.trials, 40));
  p.seed = o.seed;
  p.threads = o.threads;
  return p;
}

variant_figure_script crossover_mc_figure(const std::function<std::string(const std::string&)>& file, const plot_options& o, bool latex) {
  using report::gnuplot_quote;
  const report::gnuplot_label L{latex};
  const crossover_mc_params p = crossover_mc_figure_params(o);
  const crossover_mc_result x = simulate_crossover(p);
  const bool simulated = p.trials > 0;
  std::vector<variant_series> series;

  std::string de = "# T E*_n(DE, lambda >= 0) E*_n(DE, lambda grid)\n";
  for (const auto& q : x.points) de += fmt::format("{} {:.10g} {:.10g}\n", q.T, q.E_de, q.E_de_grid);
  report::write_file_atomic(file("cmc_de.dat"), de);
  series.push_back({"E*_n, DE minimised over lambda >= 0", file("cmc_de.dat"), 1, 2});
  series.push_back({"E*_n, DE minimised over the lambda grid", file("cmc_de.dat"), 1, 3});
  std::string ds = "# T_mid slope(DE, lambda grid)\n";
  for (const auto& [t, v] : x.slopes_de_grid) ds += fmt::format("{:.8g} {:.8f}\n", t, v);
  report::write_file_atomic(file("cmc_de_slope.dat"), ds);
  series.push_back({"local slope, DE on the lambda grid", file("cmc_de_slope.dat"), 1, 2});
  if (simulated) {
    std::string sim = "# T E*_sim ci95_low ci95_high (bootstrap over whole trials)\n";
    for (const auto& q : x.points) sim += fmt::format("{} {:.10g} {:.10g} {:.10g}\n", q.T, q.E_sim, q.ci_lo, q.ci_hi);
    report::write_file_atomic(file("cmc_sim.dat"), sim);
    series.push_back({"E*_n, simulated (minimum over the lambda grid, 95% bootstrap interval)", file("cmc_sim.dat"), 1, 2, 3, 4});
    std::string ss = "# T_mid slope(simulated)\n";
    for (const auto& [t, v] : x.slopes_sim) ss += fmt::format("{:.8g} {:.8f}\n", t, v);
    report::write_file_atomic(file("cmc_sim_slope.dat"), ss);
    series.push_back({"local slope, simulated", file("cmc_sim_slope.dat"), 1, 2});
  }
  const auto& a = x.points.front();
  const auto& z = x.points.back();
  std::string b;
  b += fmt::format("Tf = {:.6g}\nTd = {:.6g}\nfast = {:.8f}\nslow = {:.8f}\nmid = {:.8f}\n", x.de.T_formula, x.de.T_de, x.de.fast, x.de.slow,
                   x.de.mid);
  b += fmt::format("fastg(t) = {:.10g} * (t/{})**fast\nslowg(t) = {:.10g} * (t/{})**slow\n", a.E_de, a.T, z.E_de, z.T);
  const std::string title = fmt::format("β = 2, r = 2/5, n = 1, σ_0^2 = {:.3g}, φ_0 = 1/2, d = 4T, σ = 0", p.de.sigma02.convert_to<double>());
  b += "set multiplot layout 2,1 title " +
       L("Fast → slow crossover in simulation (§5.6): " + title + (simulated ? fmt::format("; {} trials at T = {}, more below", p.trials, x.points.back().T) : std::string()),
         fmt::format("Fast $\\to$ slow crossover in simulation (\\S5.6): $\\beta = 2$, $r = 2/5$, $n = 1$, $\\sigma_0^2 = {:.3g}$, $\\phi_0 = 1/2$, "
                     "$d = 4T$, $\\sigma = 0$",
                     p.de.sigma02.convert_to<double>()) +
             (simulated ? fmt::format("; {} trials at $T = {}$, more below", p.trials, x.points.back().T) : std::string())) +
       "\n";
  b += fmt::format("set logscale x\nset format x {}\nset grid\nset xrange [{}:{}]\nset lmargin 12\n", L("10^{%L}", "$10^{%L}$"), a.T * 0.8,
                   z.T * 1.25);
  b += "set logscale y\nset format y " + L("10^{%L}", "$10^{%L}$") + "\nset ylabel 'test error'\nset key bottom left\nunset xlabel\n";
  b += "set arrow 1 from Tf, graph 0 to Tf, graph 1 nohead dt 2 lw 1.5 lc rgb '#d95f02'\n";
  b += "set arrow 2 from Td, graph 0 to Td, graph 1 nohead dt 3 lw 1.5 lc rgb '#7570b3'\n";
  b += "set label 1 sprintf(" + L("T*_{formula} = %.3g", "$T^*_{\\mathrm{formula}} = %.3g$") + ", Tf) at Tf*1.08, graph 0.95 tc rgb '#d95f02'\n";
  b += "set label 2 sprintf(" + L("T*_{DE} = %.3g", "$T^*_{\\mathrm{DE}} = %.3g$") + ", Td) at Td/1.08, graph 0.95 right tc rgb '#7570b3'\n";
  if (simulated && x.T_sim) {
    b += fmt::format("Ts = {:.6g}\n", *x.T_sim);
    b += "set arrow 3 from Ts, graph 0 to Ts, graph 1 nohead lw 1.5 lc rgb '#1b9e77'\n";
    if (x.interval_defined)
      b += fmt::format("set object 1 rect from {:.6g}, graph 0 to {:.6g}, graph 1 behind fc rgb '#1b9e77' fs transparent solid 0.12 noborder\n",
                       x.T_sim_lo, x.T_sim_hi);
    b += "set label 3 sprintf(" +
         L(x.interval_defined ? fmt::format("T*_{{sim}} = %.3g [{:.3g}, {:.3g}]", x.T_sim_lo, x.T_sim_hi) : std::string("T*_{sim} = %.3g"),
           x.interval_defined ? fmt::format("$T^*_{{\\mathrm{{sim}}}} = %.3g$ [{:.3g}, {:.3g}]", x.T_sim_lo, x.T_sim_hi)
                              : std::string("$T^*_{\\mathrm{sim}} = %.3g$")) +
         ", Ts) at Ts*1.08, graph 0.85 tc rgb '#1b9e77'\n";
  }
  std::string plot = fmt::format(
      "plot {0} using 1:2 with lines lw 2 lc rgb '#7570b3' title {1}, {0} using 1:3 with lines lw 1.2 dt 4 lc rgb 'gray40' title {2}, "
      "fastg(x) with lines dt 2 lc rgb '#e7298a' title sprintf({3}, fast), slowg(x) with lines dt 2 lc rgb '#66a61e' title sprintf({4}, slow)",
      gnuplot_quote(file("cmc_de.dat")), L("E^*_n (DE, λ ≥ 0 optimised)", "$E^*_n$ (DE, $\\lambda \\ge 0$ optimised)"),
      L("E^*_n (DE, λ grid)", "$E^*_n$ (DE, $\\lambda$ grid)"), L("∝ T^{%.3f} (fast)", "$\\propto T^{%.3f}$ (fast)"),
      L("∝ T^{%.4f} (slow)", "$\\propto T^{%.4f}$ (slow)"));
  if (simulated)
    plot += fmt::format(", {} using 1:2:3:4 with yerrorbars pt 7 ps 0.7 lw 1.2 lc rgb '#1b9e77' title {}", gnuplot_quote(file("cmc_sim.dat")),
                        L("simulated min over λ grid (95% bootstrap CI)", "simulated, min over $\\lambda$ grid (95\\,\\% bootstrap CI)"));
  b += plot + "\n";
  b += "unset logscale y\nset format y " + L("%.2f", "$%.2f$") + "\nset ylabel " +
       L("local slope d log E^*_n / d log T", "local slope $d \\log E^*_n / d \\log T$") + "\nset xlabel " +
       L("downstream sample size T", "downstream sample size $T$") + "\nset key bottom right\n";
  b += "set yrange [-1.9:-0.3]\nunset label 1\nunset label 2\nunset label 3\n";
  std::string slopes = fmt::format(
      "plot {} using 1:2 with linespoints lw 1.5 pt 6 ps 0.6 lc rgb '#7570b3' title 'DE (λ grid)', fast with lines dt 2 lc rgb '#e7298a' "
      "title 'fast rate', slow with lines dt 2 lc rgb '#66a61e' title 'slow rate', mid with lines dt 3 lc rgb 'gray40' title 'midpoint'",
      gnuplot_quote(file("cmc_de_slope.dat")));
  if (simulated)
    slopes += fmt::format(", {} using 1:2 with linespoints lw 2 pt 7 ps 0.7 lc rgb '#1b9e77' title 'simulated'", gnuplot_quote(file("cmc_sim_slope.dat")));
  b += slopes + "\nunset multiplot\n";
  return {b, 10, 9, series};
}

}  // namespace collapse::harness::detail
