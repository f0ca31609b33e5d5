// tests/report/test_report.cpp -- the report layer: the one table renderer (every format, finiteness),
// atomic file output (unique temporary names, a failed write renames nothing and leaves no *.tmp), the
// gnuplot output check, and the exact integer parser of the command line.
#include "report/cleanup.hpp"
#include "report/gnuplot.hpp"
#include "report/output.hpp"
#include "report/table.hpp"
#include "cli/options.hpp"
#include "run_command.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <csignal>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sys/resource.h>

using namespace collapse;
using report::cell;
using report::column;
using report::format;
namespace fs = std::filesystem;

namespace {

report::table small_table(double x) {
  report::table t;
  t.columns = {column{.key = "name"}, column{.key = "value", .alignment = report::align::right, .number_format = "{:.3g}"}};
  t.rows = {{cell::of_text("a|b"), cell::of_number(-1.5e-5)}, {cell::of_text("c"), cell::of_number(x)}};
  t.json_rows_key = "rows";
  return t;
}

std::size_t tmp_files_in(const std::string& dir) {
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().find(".tmp") != std::string::npos) ++n;
  return n;
}

}  // namespace

TEST_CASE("the table renderer prints the same cells in every format with each format's rules", "[report][table]") {
  const auto t = small_table(2);
  CHECK(report::render(t, format::plain) == "name     value\na|b   -1.5e-05\nc            2\n");
  CHECK(report::render(t, format::md) == "| name | value |\n|---|---|\n| a\\|b | -1.5e-05 |\n| c | 2 |\n");
  CHECK(report::render(t, format::csv) == "name,value\na|b,-1.5e-05\nc,2\n");  // csv: shortest round trip
  auto j = nlohmann::json::parse(report::render(t, format::json));
  CHECK(j["rows"][0]["value"].get<double>() == -1.5e-5);
  CHECK(j["rows"][1]["name"] == "c");
  const std::string tex = report::render(t, format::latex);
  CHECK_THAT(tex, Catch::Contains("\\toprule") && Catch::Contains("\\midrule") && Catch::Contains("\\bottomrule"));
  CHECK_THAT(tex, Catch::Contains("a$|$b & $-1.5\\times 10^{-5}$ \\\\"));  // math mode: a real minus, a power of ten
}

TEST_CASE("LaTeX text puts numbers, Greek letters, relations and powers in math mode and escapes the rest", "[report][latex]") {
  using report::latex_escape;
  using report::latex_number;
  // the examples: T^3/5 was T\^{}3/5, -8/13 a hyphen, σ>0 half in math
  CHECK(latex_escape("T0 ≍ T^3/5") == "T0 $\\asymp$ T$^{3/5}$");
  CHECK(latex_number("-8/13") == "$-\\tfrac{8}{13}$");
  CHECK(latex_escape("clean σ>0") == "clean $\\sigma >0$");
  CHECK(latex_escape("σ0² = 1e-06") == "$\\sigma 0^{2}$ = $10^{-6}$");
  CHECK(latex_escape("z(a) = -0.851 (|z(a)| <= 4) at iso/n=2/d->inf") ==
        "z(a) = $-0.851$ ($|$z(a)$|$ $\\le$ $4$) at iso/n=$2$/d$\\to$inf");
  CHECK(latex_escape("T0~T, 100% & $5 #1 a_b {x}") == "T0$\\sim$T, $100$\\% \\& \\$$5$ \\#$1$ a\\_b \\{x\\}");
  CHECK(latex_escape("r̲ = min(r, 1), λ = T^(−ℓ)") == "$\\underline{r}$ = min(r, $1$), $\\lambda$ = T$^{-\\ell}$");
  CHECK(latex_escape("§5.4 – naïve ✓") == "\\S{}$5.4$ -- naïve [U+2713]");  // § without a bitmap font; an unknown symbol stays visible
  CHECK(latex_escape("x2 and 1st and v1.2") == "x2 and 1st and v1.2");  // digits inside words stay text
  CHECK(latex_number("1e12") == "$10^{12}$");
  CHECK(report::display_width("r̲ = β") == 5);  // the combining low line takes no column in plain tables
  CHECK(latex_number("2.5e+07") == "$2.5\\times 10^{7}$");
}

TEST_CASE("a standalone LaTeX table is one document whose page is fitted to the table, and only LaTeX can be standalone",
          "[report][latex]") {
  auto t = small_table(2);
  t.title = "A title with β";
  t.notes = {"note 1"};
  const std::string doc = report::render(t, format::latex, {.standalone = true});
  CHECK(doc.find("\\documentclass{article}") != std::string::npos);
  CHECK(doc.find("\\usepackage{amsmath,array,booktabs}") != std::string::npos);
  CHECK(doc.find("\\textbf{A title with $\\beta$}") < doc.find("\\begin{tabular}{ll}"));
  CHECK(doc.find("\\pdfpagewidth=\\dimexpr\\wd\\collapsetable+2cm") != std::string::npos);
  CHECK(doc.rfind("\\end{document}\n") == doc.size() - 15);
  for (format f : {format::plain, format::md, format::csv, format::json})
    CHECK_THROWS_WITH(report::render(t, f, {.standalone = true}), Catch::Contains("invalid --standalone") && Catch::Contains("only with --format latex"));
}

TEST_CASE("a NaN or infinite result is refused by every format, naming the quantity and the row", "[report][table][finite]") {
  for (double bad : {std::nan(""), std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()})
    for (format f : report::all_formats()) {
      CAPTURE(report::to_string(f), bad);
      CHECK_THROWS_WITH(report::render(small_table(bad), f), Catch::Contains("invalid value (row 2: name = c)") &&
                                                                  Catch::Contains("valid range is a finite number"));
    }
  report::table t = small_table(1);
  t.columns.push_back(column{.key = "ci95", .formats = report::format_set::only({format::json})});
  t.rows[0].push_back(cell::of_json(nlohmann::ordered_json::array({1.0, std::nan("")})));
  t.rows[1].push_back(cell::none());
  CHECK_THROWS_WITH(report::render(t, format::csv), Catch::Contains("ci95"));  // hidden columns are checked too
}

TEST_CASE("the --format option accepts the five formats and names the accepted list otherwise", "[report][format]") {
  for (format f : report::all_formats()) CHECK(report::parse_format(report::to_string(f)) == f);
  CHECK_THROWS_WITH(report::parse_format("xml"), Catch::Contains("invalid --format = xml") && Catch::Contains("plain, md, csv, json, latex"));
}

TEST_CASE("write_file_atomic replaces a file whole and uses a fresh temporary name per call", "[report][atomic]") {
  const auto dir = test::fresh_dir("atomic");
  report::write_file_atomic(dir + "/x.txt", "old");
  report::write_file_atomic(dir + "/x.txt", "new");
  CHECK(test::slurp(dir + "/x.txt") == "new");
  CHECK(tmp_files_in(dir) == 0);
  CHECK(report::unique_temp_name(dir + "/x.txt") != report::unique_temp_name(dir + "/x.txt"));
  CHECK_THAT(report::unique_temp_name(dir + "/x.txt"), Catch::Contains("/.x.txt.tmp." + std::to_string(::getpid()) + "."));
  fs::remove_all(dir);
}

TEST_CASE("a write that runs out of space renames nothing, names the path and leaves no temporary file", "[report][atomic]") {
  const auto dir = test::fresh_dir("full");
  report::write_file_atomic(dir + "/report.md", "the old report");
  // a file-size limit makes write() fail with EFBIG exactly as a full disk fails with ENOSPC
  std::signal(SIGXFSZ, SIG_IGN);
  rlimit old{};
  ::getrlimit(RLIMIT_FSIZE, &old);
  rlimit small = old;
  small.rlim_cur = 4096;
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
  std::string message;
  try {
    report::write_file_atomic(dir + "/report.md", std::string(1 << 20, 'x'));
  } catch (const std::runtime_error& e) {
    message = e.what();
  }
  ::setrlimit(RLIMIT_FSIZE, &old);
  CHECK_THAT(message, Catch::Contains("cannot write " + dir + "/report.md"));
  CHECK(test::slurp(dir + "/report.md") == "the old report");
  CHECK(tmp_files_in(dir) == 0);
  CHECK_THROWS_WITH(report::write_file_atomic(dir + "/no-such-dir/x", "y"), Catch::Contains(dir + "/no-such-dir/x"));
  fs::remove_all(dir);
}

TEST_CASE("write_file_atomic writes through a symbolic link, which stays a link, and keeps the file's mode", "[report][atomic]") {
  const auto dir = test::fresh_dir("atomic-link");
  fs::create_directory(dir + "/data");
  report::write_file_atomic(dir + "/data/golden.csv", "old");
  fs::permissions(dir + "/data/golden.csv", fs::perms(0640));
  fs::create_symlink("data/golden.csv", dir + "/link.csv");  // relative, as `ln -s` makes them
  report::write_file_atomic(dir + "/link.csv", "new");
  CHECK(fs::is_symlink(dir + "/link.csv"));
  CHECK(test::slurp(dir + "/data/golden.csv") == "new");
  CHECK(fs::status(dir + "/data/golden.csv").permissions() == fs::perms(0640));
  CHECK(tmp_files_in(dir) == 0);
  CHECK(tmp_files_in(dir + "/data") == 0);
  fs::remove_all(dir);
}

TEST_CASE("check_output_path refuses, naming the option, every output path the later write would fail on, and writes nothing",
          "[report][atomic]") {
  const auto dir = test::fresh_dir("outpath");
  auto refusal = [](const std::string& option, const std::string& path, report::output_kind kind) -> std::string {
    try {
      report::check_output_path(option, path, kind);
    } catch (const domain_error& e) {
      return e.what();
    }
    return "accepted";
  };
  using report::output_kind;
  CHECK_THAT(refusal("--output", "/nonexistent/x.json", output_kind::file),
             Catch::StartsWith("invalid --output = /nonexistent/x.json: valid range is a writable file path") && Catch::Contains("does not exist"));
  CHECK_THAT(refusal("--output", dir, output_kind::file), Catch::StartsWith("invalid --output = " + dir) && Catch::Contains("is a directory"));
  CHECK_THAT(refusal("--output", "", output_kind::file), Catch::StartsWith("invalid --output = '': valid range is a writable file path"));
  CHECK_THAT(refusal("--report", "", output_kind::directory), Catch::StartsWith("invalid --report = ''"));
  CHECK_THAT(refusal("--report", "/proc/collapse-report", output_kind::directory), Catch::Contains("cannot create a directory in /proc"));
  CHECK_THAT(refusal("--report", "/dev/null/report", output_kind::directory), Catch::Contains("/dev/null is not a directory"));
  CHECK_THAT(refusal("--spectrum-out", "/proc/x.csv", output_kind::file), Catch::Contains("cannot create a file in /proc"));
  std::ofstream(dir + "/ro.csv") << "x";
  fs::permissions(dir + "/ro.csv", fs::perms(0444));
  CHECK_THAT(refusal("--golden-file", dir + "/ro.csv", output_kind::file), Catch::Contains("read-only"));
  std::ofstream(dir + "/file") << "x";
  CHECK_THAT(refusal("--out", dir + "/file", output_kind::directory), Catch::Contains("not a directory"));
  // what will be writable is accepted, and the check leaves nothing behind
  CHECK(refusal("--output", dir + "/new.json", output_kind::file) == "accepted");
  CHECK(refusal("--report", dir + "/a/b/c", output_kind::directory) == "accepted");
  CHECK(refusal("--report", dir, output_kind::directory) == "accepted");
  CHECK_FALSE(fs::exists(dir + "/a"));
  CHECK_FALSE(fs::exists(dir + "/new.json"));
  CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 2);
  fs::remove_all(dir);
}

TEST_CASE("a truncated PNG, an empty SVG or a PDF without trailer is not accepted as a figure", "[report][gnuplot]") {
  const auto dir = test::fresh_dir("figcheck");
  auto put = [&](const std::string& name, const std::string& bytes) {
    std::ofstream(dir + "/" + name, std::ios::binary) << bytes;
    return dir + "/" + name;
  };
  const std::string png_head("\x89PNG\r\n\x1a\n", 8), iend("\0\0\0\0IEND\xae\x42\x60\x82", 12);
  CHECK_NOTHROW(report::check_figure_file(put("ok.png", png_head + "chunks" + iend), "png"));
  CHECK_THROWS_WITH(report::check_figure_file(put("cut.png", png_head + "chun"), "png"), Catch::Contains("truncated"));
  CHECK_THROWS_WITH(report::check_figure_file(put("empty.svg", ""), "svg"), Catch::Contains("empty"));
  CHECK_NOTHROW(report::check_figure_file(put("ok.svg", "<?xml version=\"1.0\"?>\n<svg></svg>\n"), "svg"));
  CHECK_THROWS_WITH(report::check_figure_file(put("cut.svg", "<?xml version=\"1.0\"?>\n<svg><g>"), "svg"), Catch::Contains("</svg>"));
  CHECK_THROWS_WITH(report::check_figure_file(put("cut.pdf", "%PDF-1.5\n1 0 obj"), "pdf"), Catch::Contains("%%EOF"));
  fs::remove_all(dir);
}

TEST_CASE("the integer parser takes exact integers only and states the range", "[cli][integer]") {
  CHECK(cli::parse_unsigned("--seed", "18446744073709551615", 0, std::numeric_limits<std::uint64_t>::max()) ==
        std::numeric_limits<std::uint64_t>::max());
  CHECK(cli::parse_integer("--trials", "1e6", 2, 1000000000000LL) == 1000000);
  CHECK(cli::parse_integer("--trials", "4/2", 2, 10) == 2);
  for (const char* bad : {"-1", "18446744073709551616", "2^64", "1.5", "1e-3", "abc", "", "2 0", "nan"})
    CHECK_THROWS_WITH(cli::parse_unsigned("--seed", bad, 0, std::numeric_limits<std::uint64_t>::max()),
                      Catch::Contains("invalid --seed = ") && Catch::Contains("valid range is an integer 0 <= seed <= 2^64 - 1"));
  CHECK_THROWS_WITH(cli::parse_integer("--trials", "1e13", 2, 1000000000000LL), Catch::Contains("2 <= trials <= 1e12"));
}

TEST_CASE("an interrupted collapse plot leaves neither its temporary folder nor a temporary figure", "[report][cleanup][cli]") {
  const auto tmp = test::fresh_dir("plot-tmp"), out = test::fresh_dir("plot-out");
  // fig1a with 20000 simulated trials per point runs for minutes: interrupt it after a second
  const std::string cmd = "TMPDIR='" + tmp + "' '" + COLLAPSE_BINARY + "' plot fig1a --trials 20000 --out '" + out +
                          "' >/dev/null 2>&1 & pid=$!; sleep 1.5; kill -INT $pid; wait $pid; echo $?";
  FILE* p = ::popen(cmd.c_str(), "r");
  char buf[64] = {0};
  REQUIRE(std::fgets(buf, sizeof buf, p));
  ::pclose(p);
  CHECK(std::atoi(buf) == 128 + SIGINT);
  CHECK(fs::is_empty(tmp));
  CHECK(fs::is_empty(out));
  fs::remove_all(tmp);
  fs::remove_all(out);
}
