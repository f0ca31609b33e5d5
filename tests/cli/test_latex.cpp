// tests/cli/test_latex.cpp -- every LaTeX output of every table command compiles with pdflatex (Debian
// texlive-latex-recommended): the bare tables of eval, simulate, verify, exponents (numbers, measured
// slopes, --symbolic) and crossover inside one article page, and each as a --standalone document; the
// log must hold no error and no Overfull box, and pdftoppm (poppler-utils) renders the PDF. Small
// inputs keep it to a few seconds. Figures: a cairolatex and a tikz figure of `collapse plot` compile
// inside a small document, and --size / --format are validated.
#include "run_command.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <regex>
#include <string>
#include <vector>

using namespace collapse;

namespace {

struct latex_case {
  std::string name, args;
  std::string page = "a4paper,landscape";  // the page (geometry options, 2 cm margins) its bare table must fit
};

/// Every table command, with small inputs (verify: the two tiny test suites).
const std::vector<latex_case>& latex_cases() {
  static const std::vector<latex_case> c = {
      {"eval", "eval ols-exact --d 10 --T 30 --n 2 --sigma2 1 --T0 40 --sigma02 1/2 --digits 20"},
      {"eval-expr", "eval --expr 'sigma2*d/(T-d-1) + n*sigma02*d/(T0-d-1)' --diff T0 --d 10 --T 30 --n 2 --sigma2 1 --T0 40 --sigma02 1/2 --digits 20"},
      {"eval-powerlaw", "eval ridge-risk --spectrum powerlaw --beta 2 --r 0.4 --d 100 --T 50 --lambda 0.01 --sigma2 1 --n 1 --T0 400 --sigma02 1/4 --digits 15"},
      {"simulate", "simulate --spectrum isotropic --d 4 --w0norm2 1 --T 12 --n 2 --T0 20 --sigma2 1 --sigma02 1 --lambda 0,0.1 --trials 50"},
      {"verify", "verify --suites-dir tests/harness/suites --threads 1"},
      {"exponents", "exponents --beta 2,3/2 --r 0.4,1.5 --no-measure"},
      {"exponents-measured", "exponents --beta 2 --r 0.4 --couplings proportional,clean-noisy --T-max 1e4 --decades 1"},
      {"exponents-symbolic", "exponents --symbolic", "a4paper"},  // 44 rows: a portrait page
      {"crossover", "crossover --T-max 1e5 --per-decade 2"},
      {"verify-list", "verify --list", "a3paper,landscape"},  // 21 suites since krr-digits (issue 11): taller than A4 landscape
      // not `eval --list`: its 31 rows with descriptions are taller than a page as a bare table (its --standalone
      // document, sized to the table, compiles cleanly)
  };
  return c;
}

struct compiled {
  int exit_code = -1;
  std::string log;
  bool pdf = false;
};

/// pdflatex on DIR/NAME.tex (nonstopmode, halting on the first error), in DIR.
compiled pdflatex(const std::string& dir, const std::string& name) {
  const std::string cmd = "cd '" + dir + "' && pdflatex -interaction=nonstopmode -halt-on-error '" + name + ".tex' >/dev/null 2>&1";
  const int status = std::system(cmd.c_str());
  compiled c;
  c.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  c.log = test::slurp(dir + "/" + name + ".log");
  c.pdf = std::filesystem::exists(dir + "/" + name + ".pdf");
  return c;
}

/// The log lines that report a problem: TeX errors (`! ...`), LaTeX errors and Overfull boxes.
std::string problems(const std::string& log) {
  std::string out;
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);)
    if (line.rfind("!", 0) == 0 || line.find("Overfull") != std::string::npos || line.find("LaTeX Error") != std::string::npos ||
        line.find("Missing character") != std::string::npos)
      out += line + "\n";
  return out;
}

}  // namespace

TEST_CASE("every LaTeX table of every command compiles with pdflatex without an error or an overfull box", "[cli][latex]") {
  REQUIRE(std::system("pdflatex --version >/dev/null 2>&1") == 0);  // Debian texlive-latex-recommended (scripts/deps.txt)
  const std::string dir = test::fresh_dir("latex");
  std::map<std::string, std::string> tables;  // page -> the bare tables that must fit it
  for (const auto& c : latex_cases()) {
    INFO("collapse " << c.args << " --format latex");
    const auto bare = test::run_collapse(c.args + " --format latex");
    REQUIRE(bare.exit_code == 0);
    CHECK_THAT(bare.out, Catch::Contains("\\toprule") && Catch::Contains("\\bottomrule"));
    // the examples of text-mode LaTeX: a caret escaped as text, a hyphen for a minus, σ outside math
    CHECK_THAT(bare.out, !Catch::Contains("\\^{}") && !Catch::Contains("$\\sigma$>"));
    std::string body;  // the lines LaTeX typesets (not the % comments)
    {
      std::istringstream in(bare.out);
      for (std::string line; std::getline(in, line);)
        if (line.rfind("%", 0) != 0) body += line + "\n";
    }
    // every number in math mode: $-0.6$, never -0.6 in text (math segments, e.g. a formula's (-1+T_0-d), are removed first)
    const std::string text_mode = std::regex_replace(body, std::regex("\\$[^$]*\\$"), "$$");
    CHECK(!std::regex_search(text_mode, std::regex("(^|[ &(])-[0-9]")));
    tables[c.page] += "\\noindent " + bare.out + "\n\\clearpage\n";

    const auto standalone = test::run_collapse(c.args + " --format latex --standalone");
    REQUIRE(standalone.exit_code == 0);
    const std::string name = "standalone-" + c.name;
    {
      std::ofstream f(dir + "/" + name + ".tex");
      f << standalone.out;
    }
    const compiled r = pdflatex(dir, name);
    INFO("log problems:\n" << problems(r.log));
    CHECK(r.exit_code == 0);
    CHECK(r.pdf);
    CHECK(problems(r.log).empty());
  }
  // the bare tables, as a user pastes them: in an article with the packages the tables name, each on an
  // A4 page with 2 cm margins (landscape for the wide numeric tables) that it must fit
  int page = 0;
  for (const auto& [geometry, body] : tables) {
    const std::string name = "tables" + std::to_string(page++);
    {
      std::ofstream f(dir + "/" + name + ".tex");
      f << "\\documentclass{article}\n\\usepackage[utf8]{inputenc}\n\\usepackage{amsmath,array,booktabs}\n"
           "\\usepackage[" << geometry << ",margin=2cm]{geometry}\n\\pagestyle{empty}\n\\begin{document}\n"
        << body << "\\end{document}\n";
    }
    const compiled r = pdflatex(dir, name);
    INFO("page " << geometry << "; log problems:\n" << problems(r.log));
    CHECK(r.exit_code == 0);
    CHECK(problems(r.log).empty());
  }
  // and a compiled table renders to an image (what the README shows)
  REQUIRE(std::system(("cd '" + dir + "' && pdftoppm -png -r 50 -singlefile standalone-exponents-symbolic.pdf symbolic >/dev/null 2>&1").c_str()) == 0);
  CHECK(std::filesystem::file_size(dir + "/symbolic.png") > 1000);
  std::filesystem::remove_all(dir);
}

TEST_CASE("a standalone document is refused with a format other than latex, in every table command, with one error line", "[cli][latex]") {
  for (const auto& c : latex_cases()) {
    INFO(c.args);
    const auto r = test::run_collapse(c.args + " --format md --standalone");
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err == "collapse: error: invalid --standalone = given with --format md: valid range is only with --format latex "
                   "(a standalone document is a LaTeX document)\n");
  }
}

TEST_CASE("every table command accepts the same five formats and names them when refusing another", "[cli][format]") {
  for (const auto& c : latex_cases()) {
    INFO(c.args);
    for (const char* f : {"plain", "md", "csv", "json"}) {
      const auto r = test::run_collapse(c.args + " --format " + f);
      CHECK(r.exit_code == 0);
      CHECK(!r.out.empty());
    }
    const auto bad = test::run_collapse(c.args + " --format html");
    CHECK(bad.exit_code == 2);
    CHECK(bad.out.empty());
    CHECK(bad.err == "collapse: error: invalid --format = html: valid range is one of plain, md, csv, json, latex\n");
  }
  // one spelling and one help text of --format and --standalone everywhere
  std::string help_line;
  for (const char* cmd : {"eval", "simulate", "verify", "exponents", "crossover"}) {
    const auto h = test::run_collapse(std::string(cmd) + " --help");
    std::smatch m;
    const std::string out = h.out;
    REQUIRE(std::regex_search(out, m, std::regex("--format TEXT[^\\n]*output format: plain \\| md \\| csv \\| json \\| latex")));
    CHECK_THAT(out, Catch::Contains("--standalone") && Catch::Contains("a whole LaTeX document (page fitted to the table)"));
  }
}

TEST_CASE("a cairolatex figure of collapse plot compiles inside a small LaTeX document, and so does the tikz one", "[cli][latex][plot]") {
  const std::string dir = test::fresh_dir("latexfig");
  const auto c = test::run_collapse("plot crossover --format cairolatex --size 16cm,12cm --out '" + dir + "'");
  REQUIRE(c.exit_code == 0);
  CHECK(c.out == dir + "/crossover.tex\n" + dir + "/crossover-graphics.pdf\n" + dir + "/crossover.csv\n");
  const auto t = test::run_collapse("plot fig1b --trials 0 --format tikz --size 16cm,10cm --out '" + dir + "'");
  REQUIRE(t.exit_code == 0);
  CHECK(t.out == dir + "/fig1b-tikz.tex\n" + dir + "/fig1b.csv\n");
  const std::string tex = test::slurp(dir + "/crossover.tex");
  CHECK_THAT(tex, Catch::Contains("{crossover-graphics}") && Catch::Contains("$T^*_{\\mathrm{formula}}"));  // relative graphics, LaTeX labels
  CHECK_THAT(tex, !Catch::Contains(dir));
  {
    std::ofstream f(dir + "/paper.tex");
    f << "\\documentclass{article}\n\\usepackage[utf8]{inputenc}\n\\usepackage{graphicx,color,amsmath}\n"
         "\\usepackage[a4paper,margin=2cm]{geometry}\n\\begin{document}\n"
         "\\begin{figure}[h]\\centering\n\\input{crossover.tex}\n\\caption{The \\S5.6 crossover.}\n\\end{figure}\n\\end{document}\n";
  }
  const compiled r = pdflatex(dir, "paper");
  INFO("log problems:\n" << problems(r.log));
  CHECK(r.exit_code == 0);
  CHECK(r.pdf);
  CHECK(problems(r.log).empty());
  {
    std::ofstream f(dir + "/tikz.tex");
    f << "\\documentclass{article}\n\\usepackage[utf8]{inputenc}\n\\usepackage{amsmath,gnuplot-lua-tikz}\n"
         "\\usepackage[a4paper,margin=2cm]{geometry}\n\\begin{document}\n\\noindent\\input{fig1b-tikz.tex}\n\\end{document}\n";
  }
  const compiled k = pdflatex(dir, "tikz");
  INFO("tikz log problems:\n" << problems(k.log));
  CHECK(k.exit_code == 0);
  CHECK(k.pdf);
  std::filesystem::remove_all(dir);
}

TEST_CASE("collapse plot refuses a bad --size or --format with one error line and writes nothing", "[cli][plot]") {
  const std::string dir = test::fresh_dir("plotbad") + "/out";
  for (const char* size : {"12cm", "12cm,8", "1cm,5cm", "5in,50in", "abc,8cm", "-12cm,8cm"}) {
    INFO(size);
    const auto r = test::run_collapse(std::string("plot fig1a --size ") + size + " --out '" + dir + "'");
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, Catch::StartsWith(std::string("collapse: error: invalid --size = ") + size + ": valid range is WIDTH,HEIGHT"));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
  const auto f = test::run_collapse("plot fig1a --format jpg --out '" + dir + "'");
  CHECK(f.exit_code == 2);
  CHECK(f.err == "collapse: error: invalid --format = jpg: valid range is one of png, svg, pdf, cairolatex, tikz, both (png and svg)\n");
  CHECK(!std::filesystem::exists(dir));
}

TEST_CASE("exponents --symbolic refuses an option that would set a parameter value, naming it", "[cli][symbolic]") {
  const auto r = test::run_collapse("exponents --symbolic --beta 2");
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err == "collapse: error: invalid --beta = 2: valid range is not given with --symbolic (the symbolic table holds for every beta, r, "
                 "a, ell; drop --symbolic for the numbers)\n");
  const auto ok = test::run_collapse("exponents --symbolic --couplings power --format csv");
  REQUIRE(ok.exit_code == 0);
  CHECK_THAT(ok.out, Catch::StartsWith("coupling,key,regime,regime_latex,formula,formula_latex,meaning\n"));
  CHECK_THAT(ok.out, Catch::Contains("T0~T^a,collapse_exponent,ℓ/β < a,\\frac{\\ell}{\\beta} < a,ℓ/β − a,\\frac{\\ell}{\\beta} - a,"));
}
