// harness/figures_compare.cpp -- the figure of `collapse compare` (issue 13): the relative discrepancy
// (MC mean − value)/value of every candidate at every grid point with its 95 % interval (1.96 se/|value|),
// against the grid's axis, with the fitted a + c/x of each candidate and generation drawn through its points,
// and 0 (a candidate that is right) as a gray line. Rendered by render_computed_figure (harness/figures.cpp).
#include "harness/compare.hpp"
#include "harness/figures.hpp"
#include "harness/figures_variants.hpp"

#include "report/gnuplot.hpp"
#include "report/output.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace collapse::harness {

std::vector<std::string> render_compare_figure(const compare_result& r, const std::string& out_dir, const plot_options& o) {
  return render_computed_figure("compare", out_dir, o, [&](const std::function<std::string(const std::string&)>& file, bool latex) {
    static const char* const colour[] = {"#1b6ca8", "#c0392b", "#2e8b57", "#8e44ad", "#d68910", "#34495e"};
    const report::gnuplot_label L{latex};
    const auto& rq = r.request;
    detail::variant_figure_script s;
    std::string plot = "0 with lines dt 2 lw 1.2 lc rgb 'gray50' notitle";
    double lo = INFINITY, hi = 0;
    for (const auto& p : r.points) {
      lo = std::min(lo, p.x);
      hi = std::max(hi, p.x);
    }
    for (std::size_t c = 0; c < r.labels.size(); ++c)
      for (std::size_t i = 0; i < rq.ns.size(); ++i) {
        const long n = rq.ns[i];
        std::string lines = fmt::format("# {} relative_discrepancy ci95_low ci95_high ({} = {}, n = {})\n", rq.axis, r.labels[c], r.texts[c], n);
        for (const auto& p : r.points) {
          if (p.n != n || p.value[c] == 0) continue;
          const double rel = (p.mean - p.value[c]) / p.value[c], half = 1.96 * p.se / std::fabs(p.value[c]);
          lines += fmt::format("{:.10g} {:.10g} {:.10g} {:.10g}\n", p.x, rel, rel - half, rel + half);
        }
        const std::string name = fmt::format("cmp_{}_{}.dat", c, i);
        report::write_file_atomic(file(name), lines);
        const std::string title = fmt::format("{} (n = {}): {}", r.labels[c], n, r.verdicts[c]);
        s.series.push_back({title, file(name), 1, 2, 3, 4});
        const char* col = colour[c % 6];
        plot += fmt::format(", {} using 1:2:3:4 with yerrorbars pt {} ps 1 lw 1.4 lc rgb '{}' title {}", report::gnuplot_quote(file(name)),
                            6 + 2 * static_cast<int>(i % 3), col,
                            report::gnuplot_quote(latex ? "$" + r.labels[c] + "$ ($n = " + std::to_string(n) + "$): " + r.verdicts[c] : title));
        if (const auto& f = r.fits[c][i])
          plot += fmt::format(", {:.10g} + {:.10g}/x with lines lw 1.2 lc rgb '{}' notitle", f->intercept, f->slope, col);
      }
    std::string b = "set title " +
                    L(fmt::format("collapse compare: (MC - candidate)/candidate vs {} ({} trials per point, 95% CI); lines: fitted a + c/{}",
                                  rq.axis, rq.trials, rq.axis),
                      fmt::format("collapse compare: (MC $-$ candidate)/candidate vs ${}$ ({} trials per point, 95\\% CI); lines: $a + c/{}$",
                                  rq.axis, rq.trials, rq.axis)) +
                    "\n";
    if (hi >= 8 * lo) b += "set logscale x\n";
    b += fmt::format("set xrange [{:.10g}:{:.10g}]\n", lo / 1.08, hi * 1.08);
    b += "set xlabel " + L(rq.axis, "$" + rq.axis + "$") + "\nset ylabel " + L("relative discrepancy", "relative discrepancy") +
         "\nset grid\nset key outside bottom center maxrows 4\nset samples 400\n";
    b += "plot " + plot + "\n";
    s.body = b;
    s.width = 10;
    s.height = 6.4;
    return s;
  });
}

}  // namespace collapse::harness
