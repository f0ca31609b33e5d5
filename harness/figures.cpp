// harness/figures.cpp -- see plot.hpp.
#include "harness/figures.hpp"
#include "harness/figures_crossover_mc.hpp"
#include "harness/figures_krr.hpp"
#include "harness/figures_variants.hpp"

#include "theory/lambda_opt.hpp"
#include "theory/ridge_de.hpp"
#include "theory/spectrum.hpp"
#include "numerics/simulate.hpp"
#include "eval/powerlaw_scaling.hpp"
#include "report/cleanup.hpp"
#include "report/gnuplot.hpp"
#include "report/output.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace collapse::harness {

using namespace collapse::numerics;
using namespace collapse::eval;

namespace fs = std::filesystem;

namespace {

/// The private temporary folder of a figure's data and scripts (removed also on SIGINT/SIGTERM).
using temp_dir = report::temp_dir;

void write_text(const std::string& path, const std::string& text) {
  std::ofstream f(path);
  f << text;
  if (!f) throw std::runtime_error("cannot write " + path);
}

using report::gnuplot_quote;

/// The gnuplot terminal of a figure format at a size in inches (png and svg: 100 pixels per inch, the
/// size the figures always had; pdf: cairo; cairolatex: a PDF with the text set by LaTeX in a .tex;
/// tikz: gnuplot's lua terminal, a tikzpicture using gnuplot-lua-tikz.sty).
std::string terminal_line(const std::string& fmt_name, double w, double h) {
  const long pw = std::lround(w * 100), ph = std::lround(h * 100);
  if (fmt_name == "png") return fmt::format("set terminal pngcairo size {},{} enhanced font 'DejaVu Sans,11' background rgb 'white'", pw, ph);
  if (fmt_name == "svg") return fmt::format("set terminal svg size {},{} enhanced font 'DejaVu Sans,11' background rgb 'white'", pw, ph);
  if (fmt_name == "pdf") return fmt::format("set terminal pdfcairo size {:.4g}in,{:.4g}in enhanced font 'DejaVu Sans,11'", w, h);
  if (fmt_name == "cairolatex") return fmt::format("set terminal cairolatex pdf size {:.4g}in,{:.4g}in color colortext", w, h);
  return fmt::format("set terminal tikz size {:.4g}in,{:.4g}in color", w, h);
}


/// One plotted data set: the data file and its 1-based columns (x, y; lo, hi of an error bar or 0).
struct plotted {
  std::string dataset, file;
  int x = 1, y = 2, lo = 0, hi = 0;
};

spectrum_spec iso_spec(long d) {
  spectrum_spec s;
  s.type = spectrum_spec::kind::isotropic;
  s.d = parse_exact("d", std::to_string(d));
  s.w0norm2 = parse_exact("w0norm2", "1");
  return s;
}

spectrum_spec powerlaw_spec(const std::string& beta, const std::string& r, long d) {
  spectrum_spec s;
  s.type = spectrum_spec::kind::powerlaw;
  s.beta = parse_exact("beta", beta);
  s.r = parse_exact("r", r);
  s.d = parse_exact("d", std::to_string(d));
  return s;
}

/// Simulated E_n ± 95 % interval for generations 0..n_max at the λ grid (exact decimal strings).
numerics::simulation_result simulate(const spectrum_spec& spec, long T, long T0, int n_max, const std::vector<std::string>& lambdas,
                                     const std::string& sigma2, const std::string& sigma02, const plot_options& o, std::uint64_t seed_offset) {
  numerics::simulation_config c;
  c.spectrum = spec;
  c.T = T;
  c.T0 = T0;
  c.n = n_max;
  for (const auto& l : lambdas) c.lambda.push_back(parse_exact("lambda", l));
  c.sigma2 = parse_exact("sigma2", sigma2);
  c.sigma02 = parse_exact("sigma02", sigma02);
  c.trials = o.trials;
  c.seed = o.seed + seed_offset;
  c.threads = o.threads;
  c.path = numerics::fast_path::general;  // the figures' recorded streams (docs/simulation.md "Paths")
  return numerics::run_simulation(c);
}

const char* colours[] = {"#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02"};

// ---- fig1a: isotropic, E_n vs λ (§3.5, §6) ------------------------------------------------------------
struct figure_script {
  std::string body;
  double width, height;          // inches (the default size)
  std::vector<plotted> series;     // what the plot draws from files, for NAME.csv
};

figure_script fig1a(const temp_dir& dir, const plot_options& o, const report::gnuplot_label& L) {
  const long d = 100;
  const double sigma2 = 0.25, T0 = 200, sigma02 = 1;
  const int ns[] = {0, 1, 2, 4};
  const long Ts[] = {50, 200};
  spectrum<double> s(iso_spec(d));
  std::string plots[2];
  std::vector<plotted> series;
  for (int panel = 0; panel < 2; ++panel) {
    const long T = Ts[panel];
    std::string mins;
    for (int ci = 0; ci < 4; ++ci) {
      const int n = ns[ci];
      std::string data = "# lambda E_n (DE, §3.3)\n";
      for (int i = 0; i <= 120; ++i) {
        ridge_params<double> p;
        p.T = T; p.lambda = std::pow(10.0, -3 + 5.0 * i / 120); p.sigma2 = sigma2; p.n = n; p.T0 = T0; p.sigma02 = sigma02;
        data += fmt::format("{:.8g} {:.10g}\n", p.lambda, ridge_risk(s, p).total);
      }
      write_text(dir.file(fmt::format("a_T{}_n{}.dat", T, n)), data);
      lambda_opt_params<double> lp{double(T), sigma2, double(n), T0, sigma02};
      auto opt = lambda_opt(s, lp);
      mins += fmt::format("{:.8g} {:.10g}\n", opt.lambda, opt.risk);
      plots[panel] += fmt::format("{}{} using 1:2 with lines lw 2.2 lc rgb '{}' title {}", plots[panel].empty() ? "" : ", ",
                                  gnuplot_quote(dir.file(fmt::format("a_T{}_n{}.dat", T, n))), colours[ci],
                                  L(fmt::format("n = {}", n), fmt::format("$n = {}$", n)));
      series.push_back({fmt::format("E_n vs lambda, DE, T={}, n={}", T, n), dir.file(fmt::format("a_T{}_n{}.dat", T, n))});
    }
    write_text(dir.file(fmt::format("a_T{}_min.dat", T)), "# lambda* E* (§6, minimised DE)\n" + mins);
    if (o.trials > 0) {
      std::vector<std::string> lams;
      for (int i = 0; i <= 10; ++i) {  // λ ≈ 10^(-3 + i/2) as 6-digit decimals; each point is drawn at the λ simulated
        const double l = std::pow(10.0, -3 + 0.5 * i);
        lams.push_back(fmt::format("{:.6g}", l));
      }
      auto sim = simulate(iso_spec(d), T, long(T0), 4, lams, "0.25", "1", o, static_cast<std::uint64_t>(T));
      for (int ci = 0; ci < 4; ++ci) {
        const int n = ns[ci];
        std::string pts = "# lambda mean ci95_low ci95_high (simulated, numerics/simulate.hpp)\n";
        for (std::size_t l = 0; l < lams.size(); ++l) {
          const auto& e = sim.rows[static_cast<std::size_t>(n) * lams.size() + l];
          pts += fmt::format("{:.8g} {:.10g} {:.10g} {:.10g}\n", e.lambda, e.mean, e.ci95_low, e.ci95_high);
        }
        write_text(dir.file(fmt::format("a_T{}_n{}_sim.dat", T, n)), pts);
        plots[panel] += fmt::format(", {} using 1:2:3:4 with yerrorbars pt 6 ps 0.9 lw 1.2 lc rgb '{}' {}",
                                    gnuplot_quote(dir.file(fmt::format("a_T{}_n{}_sim.dat", T, n))), colours[ci],
                                    ci == 0 ? "title " + L(fmt::format("simulated ({} trials, 95% CI)", o.trials),
                                                           fmt::format("simulated ({} trials, 95\\,\\% CI)", o.trials))
                                            : std::string("notitle"));
        series.push_back({fmt::format("E_n vs lambda, simulated, T={}, n={}", T, n), dir.file(fmt::format("a_T{}_n{}_sim.dat", T, n)), 1, 2, 3, 4});
      }
    }
    plots[panel] += fmt::format(", {} using 1:2 with points pt 7 ps 1.1 lc rgb 'black' title {}",
                                gnuplot_quote(dir.file(fmt::format("a_T{}_min.dat", T))), L("optimal λ*", "optimal $\\lambda^*$"));
    series.push_back({fmt::format("optimal lambda* and E*, T={}", T), dir.file(fmt::format("a_T{}_min.dat", T))});
  }
  std::string b;
  b += "set multiplot layout 1,2 title " +
       L("Isotropic Σ = I, d = 100: test error vs ridge λ after n generations (T_0 = 200, σ^2 = 0.25, σ_0^2 = 1, ||w_0||^2 = 1)",
         "Isotropic $\\Sigma = I$, $d = 100$: test error vs ridge $\\lambda$ after $n$ generations "
         "($T_0 = 200$, $\\sigma^2 = 0.25$, $\\sigma_0^2 = 1$, $\\|w_0\\|^2 = 1$)") + "\n";
  b += "set logscale xy\nset format x " + L("10^{%L}", "$10^{%L}$") + "\n" + (L.latex ? "set format y '$%g$'\n" : "") + "set xlabel " +
       L("ridge λ", "ridge $\\lambda$") + "\nset ylabel " + L("test error E_n (DE, §3.3)", "test error $E_n$ (DE, \\S3.3)") +
       "\nset grid\nset key top right\n";
  b += "set xrange [1e-3:1e2]\n";
  for (int panel = 0; panel < 2; ++panel)
    b += fmt::format("set title {}\nplot {}\n",
                     L(fmt::format("T = {} (φ = d/T = {})", Ts[panel], double(d) / Ts[panel]),
                       fmt::format("$T = {}$ ($\\phi = d/T = {}$)", Ts[panel], double(d) / Ts[panel])),
                     plots[panel]);
  b += "unset multiplot\n";
  return {b, 12, 5.6, series};
}

// ---- fig1b: power law, E_n vs T with λ = T^-ℓ_crit (§5.4, §5.6 MC setting) ---------------------------
figure_script fig1b(const temp_dir& dir, const plot_options& o, const report::gnuplot_label& L) {
  const long d = 400;
  const double T0 = 800, sigma2 = 0.01, sigma02 = 0.25;
  const rational lc = ell_crit(rational(3, 2), rational(2, 5));  // 15/22
  const double ell = lc.convert_to<double>();
  spectrum<double> s(powerlaw_spec("3/2", "2/5", d));
  std::string plot;
  std::vector<plotted> series;
  const int ns[] = {0, 1, 2, 3};
  for (int ci = 0; ci < 4; ++ci) {
    const int n = ns[ci];
    std::string data = "# T lambda=T^-ell_crit E_n (DE, §3.3)\n";
    for (int i = 0; i <= 80; ++i) {
      ridge_params<double> p;
      p.T = std::pow(10.0, 1 + 4.0 * i / 80);
      p.lambda = std::pow(p.T, -ell); p.sigma2 = sigma2; p.n = n; p.T0 = T0; p.sigma02 = sigma02;
      data += fmt::format("{:.8g} {:.8g} {:.10g}\n", p.T, p.lambda, ridge_risk(s, p).total);
    }
    write_text(dir.file(fmt::format("b_n{}.dat", n)), data);
    plot += fmt::format("{}{} using 1:3 with lines lw 2.2 lc rgb '{}' title {}", plot.empty() ? "" : ", ",
                        gnuplot_quote(dir.file(fmt::format("b_n{}.dat", n))), colours[ci], L(fmt::format("n = {}", n), fmt::format("$n = {}$", n)));
    series.push_back({fmt::format("E_n vs T, DE, n={}", n), dir.file(fmt::format("b_n{}.dat", n)), 1, 3});
  }
  if (o.trials > 0) {
    // one simulation per T (λ = T^-ℓ_crit changes with T); d = 400 makes each trial O(d³)
    const long Tsim[] = {20, 60, 200, 600, 2000};
    std::vector<std::string> files(4);
    for (long T : Tsim) {
      const std::string lam = fmt::format("{:.17g}", std::pow(double(T), -ell));
      auto sim = simulate(powerlaw_spec("3/2", "2/5", d), T, long(T0), 3, {lam}, "0.01", "0.25", o, static_cast<std::uint64_t>(T));
      for (int n = 0; n <= 3; ++n) {
        const auto& e = sim.rows[static_cast<std::size_t>(n)];
        files[n] += fmt::format("{} {:.10g} {:.10g} {:.10g}\n", T, e.mean, e.ci95_low, e.ci95_high);
      }
    }
    for (int n = 0; n <= 3; ++n) {
      write_text(dir.file(fmt::format("b_n{}_sim.dat", n)), "# T mean ci95_low ci95_high (simulated)\n" + files[n]);
      plot += fmt::format(", {} using 1:2:3:4 with yerrorbars pt 6 ps 1 lw 1.2 lc rgb '{}' {}", gnuplot_quote(dir.file(fmt::format("b_n{}_sim.dat", n))),
                          colours[n],
                          n == 0 ? "title " + L(fmt::format("simulated ({} trials, 95% CI)", o.trials),
                                                fmt::format("simulated ({} trials, 95\\,\\% CI)", o.trials))
                                 : std::string("notitle"));
      series.push_back({fmt::format("E_n vs T, simulated, n={}", n), dir.file(fmt::format("b_n{}_sim.dat", n)), 1, 2, 3, 4});
    }
  }
  std::string b;
  b += "set title " +
       L(fmt::format("Power law λ_j = j^{{-3/2}}, r = 2/5, d = 400: test error vs T with λ = T^{{-ℓ_{{crit}}}}, ℓ_{{crit}} = {} "
                     "(T_0 = 800, σ^2 = 0.01, σ_0^2 = 0.25)", fraction_string(lc)),
         fmt::format("Power law $\\lambda_j = j^{{-3/2}}$, $r = 2/5$, $d = 400$: test error vs $T$ with $\\lambda = T^{{-\\ell_{{\\mathrm{{crit}}}}}}$, "
                     "$\\ell_{{\\mathrm{{crit}}}} = {}$ ($T_0 = 800$, $\\sigma^2 = 0.01$, $\\sigma_0^2 = 0.25$)", fraction_string(lc))) + "\n";
  b += "set logscale xy\nset format x " + L("10^{%L}", "$10^{%L}$") + "\n" + (L.latex ? "set format y '$%g$'\n" : "") + "set xlabel " +
       L("downstream sample size T", "downstream sample size $T$") + "\nset ylabel " + L("test error E_n (DE, §3.3)", "test error $E_n$ (DE, \\S3.3)") +
       "\nset grid\nset key top right\n";
  b += "set xrange [10:1e5]\n";
  b += "plot " + plot + "\n";
  return {b, 10, 6.4, series};
}

// ---- crossover (§5.6) -----------------------------------------------------------------------------------
figure_script crossover_fig(const temp_dir& dir, const report::gnuplot_label& L) {
  eval::crossover_params p;  // the doc's §5.6 table: β = 2, r = 2/5, n = 1, σ0² = 1e-6, φ0 = 1/2, d = 100 T, σ = 0
  auto x = eval::locate_crossover(p);
  std::string data = "# T lambda* E*_n E_0\n";
  for (const auto& q : x.points) data += fmt::format("{:.8g} {:.8g} {:.10g} {:.10g}\n", q.T, q.lambda, q.E, q.E0);
  write_text(dir.file("c_curve.dat"), data);
  std::string sl = "# T_mid local_slope\n";
  for (const auto& [t, v] : x.slopes) sl += fmt::format("{:.8g} {:.8f}\n", t, v);
  write_text(dir.file("c_slope.dat"), sl);
  // guides through the first and last points: ∝ T^fast and ∝ T^slow
  const auto& a = x.points.front();
  const auto& z = x.points.back();
  std::string b;
  b += fmt::format("Tf = {:.6g}\nTd = {:.6g}\nfast = {:.8f}\nslow = {:.8f}\nmid = {:.8f}\n", x.T_formula, x.T_de, x.fast, x.slow, x.mid);
  b += fmt::format("fastg(t) = {:.10g} * (t/{:.6g})**fast\nslowg(t) = {:.10g} * (t/{:.6g})**slow\n", a.E, a.T, z.E, z.T);
  b += "set multiplot layout 2,1 title " +
       L("Fast → slow crossover (§5.6): β = 2, r = 2/5, n = 1, σ_0^2 = 10^{-6}, φ_0 = 1/2, d = 100 T, σ = 0; λ optimised at each T",
         "Fast $\\to$ slow crossover (\\S5.6): $\\beta = 2$, $r = 2/5$, $n = 1$, $\\sigma_0^2 = 10^{-6}$, $\\phi_0 = 1/2$, $d = 100\\,T$, "
         "$\\sigma = 0$; $\\lambda$ optimised at each $T$") + "\n";
  b += "set logscale x\nset format x " + L("10^{%L}", "$10^{%L}$") + "\nset grid\nset xrange [10:1e8]\n";
  b += "set lmargin 12\n";
  b += "set logscale y\nset format y " + L("10^{%L}", "$10^{%L}$") + "\nset ylabel 'test error'\nset key bottom left\nunset xlabel\n";
  b += "set arrow 1 from Tf, graph 0 to Tf, graph 1 nohead dt 2 lw 1.5 lc rgb '#d95f02'\n";
  b += "set arrow 2 from Td, graph 0 to Td, graph 1 nohead dt 3 lw 1.5 lc rgb '#7570b3'\n";
  b += "set label 1 sprintf(" + L("T*_{formula} = %.3g", "$T^*_{\\mathrm{formula}} = %.3g$") + ", Tf) at Tf*1.15, graph 0.92 tc rgb '#d95f02'\n";
  b += "set label 2 sprintf(" + L("T*_{DE} = %.3g", "$T^*_{\\mathrm{DE}} = %.3g$") + ", Td) at Td/1.15, graph 0.82 right tc rgb '#7570b3'\n";
  b += fmt::format("plot {0} using 1:3 with linespoints lw 2.2 pt 7 ps 0.6 lc rgb '#1b9e77' title {1}, "
                   "{0} using 1:4 with lines lw 1.5 dt 4 lc rgb 'gray40' title {2}, "
                   "fastg(x) with lines dt 2 lc rgb '#e7298a' title sprintf({3}, fast), "
                   "slowg(x) with lines dt 2 lc rgb '#66a61e' title sprintf({4}, slow)\n",
                   gnuplot_quote(dir.file("c_curve.dat")), L("E^*_n (DE minimised over λ)", "$E^*_n$ (DE minimised over $\\lambda$)"),
                   L("E_0 (clean, noiseless, λ → 0)", "$E_0$ (clean, noiseless, $\\lambda \\to 0$)"),
                   L("∝ T^{%.3f} (fast, -2βr)", "$\\propto T^{%.3f}$ (fast, $-2\\beta\\underline{r}$)"),
                   L("∝ T^{%.4f} (slow, -2βr/(2βr+1))", "$\\propto T^{%.4f}$ (slow, $-2\\beta\\underline{r}/(2\\beta\\underline{r}+1)$)"));
  b += "unset logscale y\nset format y " + L("%.2f", "$%.2f$") + "\nset ylabel " +
       L("local slope d log E^*_n / d log T", "local slope $d \\log E^*_n / d \\log T$") + "\nset xlabel " +
       L("downstream sample size T", "downstream sample size $T$") + "\nset key bottom right\n";
  b += "set yrange [-1.75:-0.45]\nunset label 1\nunset label 2\n";
  b += fmt::format("plot {} using 1:2 with linespoints lw 2.2 pt 7 ps 0.6 lc rgb '#1b9e77' title 'local slope', "
                   "fast with lines dt 2 lc rgb '#e7298a' title 'fast rate', slow with lines dt 2 lc rgb '#66a61e' title 'slow rate', "
                   "mid with lines dt 3 lc rgb 'gray40' title 'midpoint'\n",
                   gnuplot_quote(dir.file("c_slope.dat")));
  b += "unset multiplot\n";
  const std::vector<plotted> series = {{"E*_n vs T (DE minimised over lambda)", dir.file("c_curve.dat"), 1, 3},
                                     {"E_0 vs T (clean, noiseless, lambda -> 0)", dir.file("c_curve.dat"), 1, 4},
                                     {"local slope of E*_n vs T", dir.file("c_slope.dat"), 1, 2}};
  return {b, 10, 9, series};
}

}  // namespace

const std::vector<std::string>& plot_figures() {
  static const std::vector<std::string> f = {"fig1a", "fig1b", "crossover"};
  return f;
}

const std::vector<std::string>& extension_figures() {
  static const std::vector<std::string> f = {"accumulate", "mixing"};
  return f;
}

const std::vector<std::string>& krr_figures() {
  static const std::vector<std::string> f = {"krr-lambda", "krr-n"};
  return f;
}

std::string find_gnuplot() { return report::find_gnuplot(); }

figure_size parse_figure_size(const std::string& text) {
  const std::string range = "WIDTH,HEIGHT with units cm or in, each 2..100 cm (0.8..40 in), e.g. 12cm,8cm or 5in,3in";
  const auto comma = text.find(',');
  if (comma == std::string::npos) throw domain_error("--size", text.empty() ? "''" : text, range, "two lengths separated by a comma");
  double inches[2];
  const std::string parts[2] = {text.substr(0, comma), text.substr(comma + 1)};
  for (int i = 0; i < 2; ++i) {
    const std::string& p = parts[i];
    const bool cm = p.size() > 2 && p.compare(p.size() - 2, 2, "cm") == 0, in = p.size() > 2 && p.compare(p.size() - 2, 2, "in") == 0;
    if (!cm && !in) throw domain_error("--size", text, range, "each length needs its unit, cm or in");
    rational v;
    std::string why;
    if (!collapse::detail::parse_decimal(p.substr(0, p.size() - 2), v, &why)) throw domain_error("--size", text, range, "not a number: " + p);
    const rational in_value = cm ? v / rational(254, 100) : v;
    if (in_value < rational(2 * 100, 254) || in_value > rational(100 * 100, 254))
      throw domain_error("--size", text, range, (i == 0 ? "width " : "height ") + p + " is outside");
    inches[i] = in_value.convert_to<double>();
  }
  return {inches[0], inches[1]};
}

const std::vector<std::string>& figure_formats() {
  static const std::vector<std::string> f = {"png", "svg", "pdf", "cairolatex", "tikz", "both"};
  return f;
}

namespace {
std::vector<std::string> render_any(const std::string& figure, const std::string& out_dir, const plot_options& o, const computed_figure* computed);
}  // namespace

std::vector<std::string> render_figure(const std::string& figure, const std::string& out_dir, const plot_options& o) {
  bool known = false;
  for (const auto& f : plot_figures()) known = known || f == figure;
  for (const auto& f : extension_figures()) known = known || f == figure;
  for (const auto& f : krr_figures()) known = known || f == figure;
  known = known || figure == "crossover-mc";  // issue 9 (harness/figures_crossover_mc.hpp)
  if (!known) throw domain_error("FIGURE", figure, "one of fig1a, fig1b, crossover, accumulate, mixing, crossover-mc, krr-lambda, krr-n");
  return render_any(figure, out_dir, o, nullptr);
}

std::vector<std::string> render_computed_figure(const std::string& name, const std::string& out_dir, const plot_options& o,
                                                const computed_figure& make) {
  return render_any(name, out_dir, o, &make);
}

namespace {
std::vector<std::string> render_any(const std::string& figure, const std::string& out_dir, const plot_options& o, const computed_figure* computed) {
  const std::string& format = o.format;
  bool known_format = false;
  for (const auto& f : figure_formats()) known_format = known_format || f == format;
  if (!known_format) throw domain_error("--format", format, "one of png, svg, pdf, cairolatex, tikz, both (png and svg)");
  if (find_gnuplot().empty()) throw std::runtime_error("gnuplot not found on PATH (Debian package gnuplot-nox)");
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (!fs::is_directory(out_dir)) throw std::runtime_error("cannot create output directory " + out_dir + (ec ? ": " + ec.message() : ""));

  const report::gnuplot_label L{format == "cairolatex" || format == "tikz"};
  temp_dir dir("plot");
  figure_script fs_;
  if (computed) {  // issue 13: a figure whose data another command computed (collapse compare)
    const auto v = (*computed)([&](const std::string& name) { return dir.file(name); }, L.latex);
    fs_ = {v.body, v.width, v.height, {}};
    for (const auto& d : v.series) fs_.series.push_back({d.dataset, d.file, d.x, d.y, d.lo, d.hi});
  } else if (figure == "accumulate" || figure == "mixing" || figure == "krr-lambda" || figure == "krr-n" || figure == "crossover-mc") {  // issues 12, 11, 9
    const auto file = [&](const std::string& name) { return dir.file(name); };
    const auto v = figure == "accumulate" ? detail::accumulate_figure(file, o, L.latex)
                   : figure == "mixing"   ? detail::mixing_figure(file, o, L.latex)
                   : figure == "crossover-mc" ? detail::crossover_mc_figure(file, o, L.latex)
                   : figure == "krr-n"    ? detail::krr_n_figure(file, o, L.latex)
                                          : detail::krr_lambda_figure(file, o, L.latex);
    fs_ = {v.body, v.width, v.height, {}};
    for (const auto& d : v.series) fs_.series.push_back({d.dataset, d.file, d.x, d.y, d.lo, d.hi});
  } else {
    fs_ = figure == "fig1a" ? fig1a(dir, o, L) : figure == "fig1b" ? fig1b(dir, o, L) : crossover_fig(dir, L);
  }
  const double w = o.size ? o.size->width_in : fs_.width, h = o.size ? o.size->height_in : fs_.height;
  std::vector<std::string> formats;
  if (format == "both") formats = {"png", "svg"};
  else formats = {format};
  std::vector<std::string> written;
  for (const auto& f : formats) {
    const std::string header = "# collapse plot " + figure + " (generated)\n" + terminal_line(f, w, h);
    if (f == "png" || f == "svg" || f == "pdf") {
      const std::string final_path = (fs::path(out_dir) / (figure + "." + f)).string();
      report::render_gnuplot(header, fs_.body, f, final_path, dir.path());
      written.push_back(final_path);
    } else {
      for (auto& p : report::render_gnuplot_latex(header, fs_.body, f, out_dir, figure, dir.path())) written.push_back(p);
    }
  }
  // the plotted data beside the figure: one tidy CSV, one line per plotted point
  std::string csv = "dataset,x,y,ci95_low,ci95_high\n";
  for (const auto& d : fs_.series) {
    std::ifstream in(d.file);
    for (std::string line; std::getline(in, line);) {
      if (line.empty() || line[0] == '#') continue;
      std::istringstream fields(line);
      std::vector<std::string> v;
      for (std::string x; fields >> x;) v.push_back(x);
      auto col = [&](int k) { return k > 0 && k <= static_cast<int>(v.size()) ? v[static_cast<std::size_t>(k - 1)] : std::string(); };
      csv += report::csv_field(d.dataset) + "," + col(d.x) + "," + col(d.y) + "," + col(d.lo) + "," + col(d.hi) + "\n";
    }
  }
  const std::string csv_path = (fs::path(out_dir) / (figure + ".csv")).string();
  report::write_file_atomic(csv_path, csv);
  written.push_back(csv_path);
  return written;
}
}  // namespace

}  // namespace collapse::harness
