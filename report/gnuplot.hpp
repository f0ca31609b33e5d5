// report/gnuplot.hpp -- the one gnuplot runner: renders a script to a figure file atomically and checks
// what gnuplot wrote before the rename (issue 7 kind 7: a truncated PNG or a 0-byte SVG never replaces a
// figure). Used by `collapse plot` (harness/figures.cpp) and the report phase of `collapse verify`.
#pragma once

#include <string>
#include <vector>

namespace collapse::report {

/// The gnuplot executable found on PATH, or "" if none (Debian package gnuplot-nox).
std::string find_gnuplot();

/// A string literal for a gnuplot script: single quotes (backslashes literal), a ' written as ''.
inline std::string gnuplot_quote(const std::string& s) {
  std::string o = "'";
  for (char c : s) { if (c == '\'') o += "''"; else o += c; }
  return o + "'";
}

/// Labels of a figure: gnuplot enhanced text (png, svg, pdf) or LaTeX (cairolatex, tikz, where LaTeX
/// typesets every string), as a quoted gnuplot string.
struct gnuplot_label {
  bool latex = false;
  std::string operator()(const std::string& enhanced, const std::string& tex) const { return gnuplot_quote(latex ? tex : enhanced); }
};

/// Checks that `path` holds a complete figure of `kind` (png | svg | pdf): non-empty, the format's magic
/// bytes at the start and its end marker (PNG IEND chunk, `</svg>`, `%%EOF`). Throws runtime_error
/// naming the path and what is wrong.
void check_figure_file(const std::string& path, const std::string& kind);

/// Renders one figure: runs gnuplot (found on PATH) in folder `cwd` on
///   `terminal` \n set output '<temporary beside final_path>' \n `body` \n set output
/// then checks the temporary file with check_figure_file(kind) and renames it to `final_path`.
/// kind: png | svg | pdf. On any failure (gnuplot missing or failing -- its stderr is in the message --,
/// output incomplete) throws runtime_error and leaves neither the temporary file nor a new final file.
void render_gnuplot(const std::string& terminal, const std::string& body, const std::string& kind,
                    const std::string& final_path, const std::string& cwd = ".");

/// Renders a figure whose text LaTeX typesets: kind cairolatex (`terminal` a cairolatex pdf terminal)
/// writes STEM.tex and STEM.pdf, kind tikz (gnuplot's lua tikz terminal) STEM.tex. gnuplot writes them
/// in a private folder; the .tex is checked (a complete picture / tikzpicture; cairolatex's PDF with
/// check_figure_file), its \includegraphics made relative (STEM, beside the .tex), and the files are
/// written into out_dir atomically, the .tex last. Returns the paths written, the .tex first. Throws
/// runtime_error as render_gnuplot does.
std::vector<std::string> render_gnuplot_latex(const std::string& terminal, const std::string& body, const std::string& kind,
                                              const std::string& out_dir, const std::string& stem, const std::string& cwd = ".");

}  // namespace collapse::report
