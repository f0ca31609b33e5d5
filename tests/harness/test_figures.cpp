// tests/harness/test_figures.cpp -- `collapse plot` renders every figure to a non-empty PNG and SVG through
// gnuplot (with a few simulated points), atomically (no temporary file is left beside the result).
#include "harness/figures.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

using namespace collapse::harness;
namespace fs = std::filesystem;

namespace {
std::string slurp(const std::string& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), {}};
}
struct scratch {
  fs::path dir = fs::temp_directory_path() / ("collapse-test-plot-" + std::to_string(::getpid()));
  scratch() { fs::remove_all(dir); }
  ~scratch() { std::error_code ec; fs::remove_all(dir, ec); }
};
}  // namespace

TEST_CASE("every figure renders to a non-empty PNG and SVG with nothing half-written left behind", "[plot]") {
  if (find_gnuplot().empty()) {
    WARN("gnuplot not found on PATH (Debian package gnuplot-nox): plot test skipped");
    return;
  }
  scratch s;
  for (const auto& fig : plot_figures()) {
    plot_options o;
    o.format = "both";
    o.trials = 20;  // a few simulated points: this checks the plumbing, not the Monte Carlo
    auto files = render_figure(fig, s.dir.string(), o);
    REQUIRE(files.size() == 3);  // png, svg and the plotted data
    CHECK(files[2] == (s.dir / (fig + ".csv")).string());
    CHECK(slurp(files[2]).rfind("dataset,x,y,ci95_low,ci95_high\n", 0) == 0);
    const std::string png = slurp(files[0]), svg = slurp(files[1]);
    CAPTURE(fig, files[0], png.size(), svg.size());
    CHECK(png.size() > 10000);
    CHECK(png.substr(0, 8) == std::string("\x89PNG\r\n\x1a\n", 8));
    CHECK(svg.find("<svg") != std::string::npos);
    CHECK(svg.find("</svg>") != std::string::npos);
  }
  for (const auto& e : fs::directory_iterator(s.dir)) {
    CAPTURE(e.path().string());
    CHECK(e.path().filename().string().find(".tmp.") == std::string::npos);
  }
}

TEST_CASE("an unknown figure or format is refused before anything is written", "[plot][errors]") {
  scratch s;
  plot_options png, jpeg;
  jpeg.format = "jpeg";
  CHECK_THROWS_WITH(render_figure("fig2", s.dir.string(), png), Catch::Contains("FIGURE") && Catch::Contains("fig1a, fig1b, crossover"));
  CHECK_THROWS_WITH(render_figure("fig1a", s.dir.string(), jpeg), Catch::Contains("--format") && Catch::Contains("png, svg, pdf, cairolatex, tikz, both"));
  CHECK(!fs::exists(s.dir));
}
