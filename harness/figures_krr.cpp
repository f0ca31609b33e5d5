// harness/figures_krr.cpp -- see figures_krr.hpp.
#include "harness/figures_krr.hpp"

#include "krr/run.hpp"
#include "report/gnuplot.hpp"
#include "report/output.hpp"

#include <fmt/format.h>

#include <cmath>

namespace collapse::harness::detail {

namespace {

using report::gnuplot_quote;

const char* colour[] = {"#1b9e77", "#d95f02", "#7570b3", "#e7298a"};

/// The MNIST experiment of both figures, with `n` generations and the lambda grid `lambdas` simulated
/// (trials = 0: the spectrum only, two trials run but not drawn).
krr::run_result mnist_run(long n, std::vector<double> lambdas, const plot_options& o, krr::run_config& c) {
  c.dataset = "mnist";
  c.problem.N = 2000;
  c.problem.test = 1000;
  c.problem.seed = o.seed;
  c.chain.T = c.chain.T0 = 500;
  c.chain.n = n;
  c.chain.lambdas = std::move(lambdas);
  c.chain.sigma2 = 1;  // label std of the centred digit label is 2.9: noise large enough for a finite optimal lambda
  c.chain.sigma02 = 4;
  c.chain.trials = std::max<std::uint64_t>(2, std::min<std::uint64_t>(o.trials, 40));
  c.chain.seed = o.seed;
  c.chain.threads = o.threads;
  return krr::run(c);
}

/// One simulated point: x, the pool error's mean and its 95 % interval.
std::string point_line(double x, const numerics::sample_moments& m) {
  return fmt::format("{:.10g} {:.10g} {:.10g} {:.10g}\n", x, m.mean, m.mean - 1.96 * m.se, m.mean + 1.96 * m.se);
}

/// Writes the simulated points `pts` to the data file `name`, draws them as error bars in colour i (titled for
/// i = 0) and lists them as `dataset` for NAME.csv.
void add_points(const std::function<std::string(const std::string&)>& file, const std::string& name, const std::string& pts,
                const std::string& dataset, std::size_t i, const report::gnuplot_label& L, std::string& plot,
                std::vector<variant_series>& series) {
  report::write_file_atomic(file(name), pts);
  series.push_back({dataset, file(name), 1, 2, 3, 4});
  plot += fmt::format(", {} using 1:2:3:4 with yerrorbars pt 6 ps 0.9 lw 1.2 lc rgb '{}' {}", gnuplot_quote(file(name)), colour[i],
                      i == 0 ? "title " + L("real chain (95% CI)", "real chain (95\\% CI)") : std::string("notitle"));
}

std::string caption(const krr::run_result& r, const plot_options& o) {
  return fmt::format("MNIST, {}, N = {}, T = T_0 = 500, σ^2 = 1, σ_0^2 = 4{}", r.kernel, r.N,
                     o.trials > 0 ? fmt::format(", {} trials", std::min<std::uint64_t>(o.trials, 40)) : std::string());
}

}  // namespace

variant_figure_script krr_lambda_figure(const std::function<std::string(const std::string&)>& file, const plot_options& o, bool latex) {
  const report::gnuplot_label L{latex};
  const long ns[] = {0, 1, 2, 4};
  std::vector<double> grid;
  for (int i = 0; i <= 8; ++i) grid.push_back(std::pow(10.0, -4.5 + 0.5 * i));
  krr::run_config c;
  const auto r = mnist_run(4, grid, o, c);
  const auto spec = krr::to_spec(r.spectrum, "MNIST pool");
  std::vector<variant_series> series;
  std::string plot;
  for (int i = 0; i < 4; ++i) {
    std::string lines = "# lambda E_n (DE on the pool spectrum)\n";
    for (int k = 0; k <= 80; ++k) {
      const double l = std::pow(10.0, -5 + 5.0 * k / 80);
      lines += fmt::format("{:.10g} {:.10g}\n", l, krr::de_risk(r.spectrum, spec, c.chain, ns[i], l).total);
    }
    report::write_file_atomic(file(fmt::format("krr_de{}.dat", i)), lines);
    series.push_back({fmt::format("n = {}, DE", ns[i]), file(fmt::format("krr_de{}.dat", i)), 1, 2});
    plot += fmt::format("{}{} using 1:2 with lines lw 2.2 lc rgb '{}' title {}", plot.empty() ? "" : ", ", gnuplot_quote(file(fmt::format("krr_de{}.dat", i))),
                        colour[i], L(fmt::format("n = {} (DE)", ns[i]), fmt::format("$n = {}$ (DE)", ns[i])));
    if (o.trials > 0) {
      std::string pts = "# lambda mean ci95_low ci95_high (the real chain, krr/experiment.hpp)\n";
      for (const auto& p : r.points)
        if (p.n == ns[i]) pts += point_line(p.lambda, p.pool);
      add_points(file, fmt::format("krr_sim{}.dat", i), pts, fmt::format("n = {}, simulated", ns[i]), std::size_t(i), L, plot, series);
    }
  }
  std::string b = "set title " + L("Pool error vs λ after n generations (" + caption(r, o) + ")",
                                   "Kernel ridge on MNIST: pool error vs $\\lambda$ after $n$ generations") + "\n";
  b += "set logscale x\nset format x " + L("10^{%L}", "$10^{%L}$") + "\nset xlabel " + L("downstream ridge λ", "downstream ridge $\\lambda$") +
       "\nset ylabel " + L("E_μ (f - f*)^2", "$E_\\mu (f - f^*)^2$") + "\nset grid\nset key top left\nset xrange [1e-5:1]\n";
  b += "plot " + plot + "\n";
  return {b, 10, 6.4, series};
}

variant_figure_script krr_n_figure(const std::function<std::string(const std::string&)>& file, const plot_options& o, bool latex) {
  const report::gnuplot_label L{latex};
  const std::vector<double> lambdas = {1e-3, 1e-2, 1e-1};
  const long n = 6;
  krr::run_config c;
  const auto r = mnist_run(n, lambdas, o, c);
  const auto spec = krr::to_spec(r.spectrum, "MNIST pool");
  std::vector<variant_series> series;
  std::string plot;
  for (std::size_t i = 0; i < lambdas.size(); ++i) {
    std::string lines = "# n E_n (DE on the pool spectrum)\n", pts = "# n mean ci95_low ci95_high (the real chain)\n";
    for (long k = 0; k <= n; ++k) lines += fmt::format("{} {:.10g}\n", k, krr::de_risk(r.spectrum, spec, c.chain, k, lambdas[i]).total);
    for (const auto& p : r.points)
      if (p.lambda == lambdas[i]) pts += point_line(double(p.n), p.pool);
    report::write_file_atomic(file(fmt::format("krrn_de{}.dat", i)), lines);
    series.push_back({fmt::format("lambda = {}, DE", lambdas[i]), file(fmt::format("krrn_de{}.dat", i)), 1, 2});
    plot += fmt::format("{}{} using 1:2 with lines lw 2.2 lc rgb '{}' title {}", plot.empty() ? "" : ", ", gnuplot_quote(file(fmt::format("krrn_de{}.dat", i))),
                        colour[i], L(fmt::format("λ = {} (DE)", lambdas[i]), fmt::format("$\\lambda = {}$ (DE)", lambdas[i])));
    if (o.trials > 0) add_points(file, fmt::format("krrn_sim{}.dat", i), pts, fmt::format("lambda = {}, simulated", lambdas[i]), i, L, plot, series);
  }
  std::string b = "set title " + L("Pool error vs generation n (" + caption(r, o) + ")",
                                   "Kernel ridge on MNIST: pool error vs generation $n$") + "\n";
  b += "set xlabel " + L("generations n", "generations $n$") + "\nset ylabel " + L("E_μ (f - f*)^2", "$E_\\mu (f - f^*)^2$") +
       "\nset grid\nset key bottom right\nset xrange [-0.3:6.3]\n";
  b += "plot " + plot + "\n";
  return {b, 10, 6.4, series};
}

}  // namespace collapse::harness::detail
