// report/gnuplot.cpp -- see gnuplot.hpp.
#include "report/gnuplot.hpp"

#include "report/cleanup.hpp"
#include "report/output.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unistd.h>
#include <vector>

namespace collapse::report {

namespace fs = std::filesystem;

namespace {

std::string shell_quote(const std::string& s) {
  std::string o = "'";
  for (char c : s) { if (c == '\'') o += "'\\''"; else o += c; }
  return o + "'";
}

std::string gp_quote(const std::string& s) {
  std::string o = "'";
  for (char c : s) { if (c == '\'') o += "''"; else o += c; }
  return o + "'";
}

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace

std::string find_gnuplot() {
  const char* path = std::getenv("PATH");
  std::string p = path ? path : "/usr/bin:/bin";
  std::size_t s = 0;
  while (s <= p.size()) {
    auto c = p.find(':', s);
    std::string dir = p.substr(s, c == std::string::npos ? std::string::npos : c - s);
    if (!dir.empty() && ::access((dir + "/gnuplot").c_str(), X_OK) == 0) return dir + "/gnuplot";
    if (c == std::string::npos) break;
    s = c + 1;
  }
  return {};
}

void check_figure_file(const std::string& path, const std::string& kind) {
  const std::string b = slurp(path);
  auto bad = [&](const std::string& why) { throw std::runtime_error("gnuplot wrote an incomplete " + kind + " for " + path + ": " + why); };
  if (b.empty()) bad("the file is empty");
  if (kind == "png") {
    static const std::string magic("\x89PNG\r\n\x1a\n", 8), iend("IEND\xae\x42\x60\x82", 8);
    if (b.compare(0, magic.size(), magic) != 0) bad("no PNG signature");
    if (b.size() < magic.size() + iend.size() || b.compare(b.size() - iend.size(), iend.size(), iend) != 0) bad("no IEND chunk at the end (truncated)");
  } else if (kind == "svg") {
    auto start = b.find_first_not_of(" \t\r\n");
    if (b.compare(start, 5, "<?xml") != 0 && b.compare(start, 4, "<svg") != 0) bad("does not start with <?xml or <svg");
    if (b.rfind("</svg>") == std::string::npos) bad("no closing </svg> (truncated)");
  } else if (kind == "pdf") {
    if (b.compare(0, 5, "%PDF-") != 0) bad("no %PDF- header");
    if (b.find("%%EOF", b.size() > 1024 ? b.size() - 1024 : 0) == std::string::npos) bad("no %%EOF trailer (truncated)");
  } else {
    throw std::logic_error("check_figure_file: unknown kind " + kind);
  }
}

namespace {

/// Runs gnuplot (found on PATH) in folder `cwd` on `script`; throws runtime_error naming `what` with
/// gnuplot's stderr when it fails.
void run_gnuplot(const std::string& script_text, const std::string& cwd, const std::string& what) {
  const std::string gnuplot = find_gnuplot();
  if (gnuplot.empty()) throw std::runtime_error("gnuplot not found on PATH (Debian package gnuplot-nox)");
  temp_dir work("gnuplot");
  const std::string script = work.file("figure.gp"), err = work.file("gnuplot.err");
  {
    std::ofstream f(script);
    f << script_text;
    if (!f) throw std::runtime_error("cannot write " + script);
  }
  const std::string cmd = "cd " + shell_quote(cwd) + " && " + shell_quote(gnuplot) + " " + shell_quote(script) + " >/dev/null 2>" + shell_quote(err);
  const int rc = std::system(cmd.c_str());
  if (rc != 0) throw std::runtime_error("gnuplot failed for " + what + " (status " + std::to_string(rc) + "): " + slurp(err));
}

}  // namespace

void render_gnuplot(const std::string& terminal, const std::string& body, const std::string& kind, const std::string& final_path,
                    const std::string& cwd) {
  if (find_gnuplot().empty()) throw std::runtime_error("gnuplot not found on PATH (Debian package gnuplot-nox)");
  const std::string tmp = fs::absolute(unique_temp_name(final_path)).string();
  temp_path_guard guard(tmp);
  try {
    run_gnuplot(terminal + "\nset output " + gp_quote(tmp) + "\n" + body + "\nset output\n", cwd, final_path);
    check_figure_file(tmp, kind);
    fs::rename(tmp, final_path);
  } catch (...) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
}

std::vector<std::string> render_gnuplot_latex(const std::string& terminal, const std::string& body, const std::string& kind,
                                              const std::string& out_dir, const std::string& stem, const std::string& cwd) {
  if (kind != "cairolatex" && kind != "tikz") throw std::logic_error("render_gnuplot_latex: unknown kind " + kind);
  temp_dir work("latexfig");
  const std::string tex = work.file(stem + ".tex"), pdf = work.file(stem + ".pdf");
  const std::string final_tex = (fs::path(out_dir) / (stem + (kind == "tikz" ? "-tikz.tex" : ".tex"))).string();
  const std::string final_pdf = (fs::path(out_dir) / (stem + "-graphics.pdf")).string();
  run_gnuplot(terminal + "\nset output " + gp_quote(tex) + "\n" + body + "\nset output\n", cwd, final_tex);
  const std::string t = slurp(tex);
  auto bad = [&](const std::string& why) { throw std::runtime_error("gnuplot wrote an incomplete " + kind + " figure for " + final_tex + ": " + why); };
  if (kind == "cairolatex") {
    if (t.find("\\begin{picture}") == std::string::npos || t.find("\\end{picture}") == std::string::npos) bad("no complete picture environment");
    // the .tex names its graphics by the path it was written to: name them STEM-graphics, beside the
    // .tex (not STEM.pdf, which is what --format pdf writes)
    const std::string written_as = "{" + work.path() + "/" + stem + "}";
    std::string fixed = t;
    std::size_t replaced = 0;
    for (std::size_t p = 0; (p = fixed.find(written_as, p)) != std::string::npos; ++replaced) fixed.replace(p, written_as.size(), "{" + stem + "-graphics}");
    if (replaced == 0) bad("no \\includegraphics of its PDF");
    check_figure_file(pdf, "pdf");
    write_file_atomic(final_pdf, slurp(pdf));
    write_file_atomic(final_tex, fixed);  // last: a reader never sees a .tex without its .pdf
    return {final_tex, final_pdf};
  }
  if (t.find("\\begin{tikzpicture}") == std::string::npos || t.find("\\end{tikzpicture}") == std::string::npos) bad("no complete tikzpicture");
  write_file_atomic(final_tex, t);
  return {final_tex};
}

}  // namespace collapse::report
