// report/table.hpp -- the one table renderer of every command: plain | md | csv | json | latex.
//
// A command describes its result once, as columns and rows of typed cells, and says per column how a
// number is printed and in which formats the column appears; render() does the layout of each format:
//   plain  aligned columns (width = widest cell, in code points), `# comment` line, title, notes, footer;
//   md     a GitHub table (`|` escaped), `<!-- comment -->`, **title**, `- ` notes, footer;
//   csv    RFC 4180, header of column keys, nothing else (pure data);
//   json   the command's document with the rows (objects keyed by column key) under `json_rows_key`;
//   latex  booktabs tabular (needs amsmath, array, booktabs); numbers in math mode with a real minus,
//          10^{k} exponents and \tfrac{p}{q} fractions; text escaped, with its numbers, Greek letters,
//          relations (<=, ->, ≍, ∝ ...) in math mode; comment/title/notes/footer as `%` lines, or set
//          above and below the table in a --standalone document (render_options).
// Every number cell must be finite: render() refuses a NaN or an infinity with a domain_error naming
// the column and the row (issue 7 kind 1: a non-finite value is an error, never output).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace collapse::report {

enum class format { plain, md, csv, json, latex };

/// All five formats, in the order of the help texts.
const std::vector<format>& all_formats();
std::string to_string(format f);
/// "plain | md | csv | json | latex" (the accepted list in a help text or an error message).
std::string format_list(const std::vector<format>& accepted = all_formats());
/// Parses a --format value; throws domain_error("--format", text, "one of ...") when it is not accepted.
format parse_format(const std::string& text, const std::vector<format>& accepted = all_formats());

/// A set of formats (where a column appears).
struct format_set {
  unsigned bits = 0x1f;
  static format_set all() { return {}; }
  static format_set only(std::initializer_list<format> fs) {
    format_set s{0};
    for (format f : fs) s.bits |= 1u << static_cast<unsigned>(f);
    return s;
  }
  static format_set except(std::initializer_list<format> fs) {
    format_set s;
    for (format f : fs) s.bits &= ~(1u << static_cast<unsigned>(f));
    return s;
  }
  bool has(format f) const { return bits & (1u << static_cast<unsigned>(f)); }
};

enum class align { left, right, center };

/// One cell. `absent` prints as an em dash (plain, md), empty (csv), `---` (latex), and is omitted from
/// the JSON row object.
struct cell {
  enum class kind { absent, text, code, exact, number, integer, boolean, json_value };
  kind type = kind::absent;
  std::string text;              // text, code (an identifier: \texttt in LaTeX), exact (a decimal or p/q, math in LaTeX)
  double number = 0;             // number
  long long integer_value = 0;   // integer (also unsigned values up to 2^63 - 1)
  bool flag = false;             // boolean: true/false (csv: true/false; plain/md: true/false)
  nlohmann::ordered_json value;  // json_value (json-only columns: arrays, nested objects, null)
  std::optional<std::string> latex;  // explicit LaTeX for this cell (overrides the rules above)

  static cell none() { return {}; }
  static cell of_text(std::string s) { cell c; c.type = kind::text; c.text = std::move(s); return c; }
  static cell of_code(std::string s) { cell c; c.type = kind::code; c.text = std::move(s); return c; }
  static cell of_exact(std::string s) { cell c; c.type = kind::exact; c.text = std::move(s); return c; }
  static cell of_number(double x) { cell c; c.type = kind::number; c.number = x; return c; }
  static cell of_integer(long long x) { cell c; c.type = kind::integer; c.integer_value = x; return c; }
  static cell of_bool(bool b) { cell c; c.type = kind::boolean; c.flag = b; return c; }
  static cell of_json(nlohmann::ordered_json v) { cell c; c.type = kind::json_value; c.value = std::move(v); return c; }
  cell& with_latex(std::string s) { latex = std::move(s); return *this; }
};

/// One column: its key (csv header, json key), its titles, alignment and number formats (fmt specs such
/// as "{:.6g}"; csv defaults to the shortest round trip "{}", json always gets the double itself).
struct column {
  std::string key;
  std::string title;        // plain/md header; empty = key
  std::string plain_title;  // plain header when it differs from the md one; empty = title
  std::string latex_title;  // LaTeX header (math allowed); empty = escaped title
  align alignment = align::left;      // plain and LaTeX
  std::optional<align> md_alignment;  // md rule: --- (none), :--- , ---:, :---:
  std::string number_format = "{}";   // plain and latex
  std::string md_number_format;       // empty = number_format
  std::string csv_number_format = "{}";
  std::size_t min_width = 0;          // plain
  format_set formats = format_set::all();
};

/// The layout of the plain format.
struct plain_layout {
  bool header = true;
  std::string prefix;           // before every line
  std::string separator = "  ";
  bool pad_last = false;        // pad the last column to its width
};

struct table {
  std::vector<column> columns;
  std::vector<std::vector<cell>> rows;  // each row has one cell per column
  std::string comment;                  // metadata line: plain `# `, md `<!-- -->`, latex `% `; not in csv/json
  std::string title;                    // plain line, md **bold**, latex `% `
  std::vector<std::string> notes;       // plain `  ` lines, md `- ` items, latex `% `; a blank line follows
  std::string footer;                   // plain line, md paragraph, latex `% `
  plain_layout plain;
  nlohmann::ordered_json json_document = nlohmann::ordered_json::object();  // the json format's document
  std::string json_rows_key = "rows";   // where the rows go in it ("" = no rows in the JSON)
  bool json_sorted_keys = false;        // print the JSON with keys sorted (nlohmann::json)
  /// Label of row i in error messages; default: the text of its first two cells.
  std::string row_label(std::size_t i) const;
};

/// How render() wraps its output. standalone: a LaTeX table as a whole pdflatex document (article,
/// utf8, amsmath/array/booktabs) whose one page is fitted to the title, notes, table and footer; only
/// with format::latex (else domain_error naming --standalone).
struct render_options {
  bool standalone = false;
};

/// Renders `t` in format `f`. Throws domain_error when a number cell is NaN or infinite (naming the
/// column key, the row and the value) -- in every format, so that a bad value is never printed.
std::string render(const table& t, format f);
std::string render(const table& t, format f, const render_options& options);

/// The standalone LaTeX document of a rendered tabular (from `\begin{tabular}` to `\end{tabular}`) and
/// the title, notes, footer and comment of `t` (what render(..., {.standalone = true}) returns).
std::string latex_document(const std::string& tabular, const table& t);

/// Checks every number cell of `t` is finite (what render() does first).
void require_finite(const table& t);

/// LaTeX of a UTF-8 text for pdflatex: \ { } $ & # ^ _ % escaped; numbers (-0.85, 1e12, 2/5), Greek
/// letters, ℓ, super/subscript digits, relations (<=, >=, ->, ~, <, >, |, ≤, ≍, ∝, →, ...) and r̲ in
/// math mode, adjacent math pieces in one $...$; Latin-1 letters kept (utf8 input encoding); any other
/// code point printed as [U+XXXX] (visible, never a LaTeX error).
/// latex_number: a number in math mode, `$-1.5\times 10^{-5}$` for fmt output such as "-1.5e-05",
/// `$10^{12}$` for "1e12", `$-\tfrac{8}{13}$` for "-8/13"; "inf"/"nan" are refused earlier.
std::string latex_escape(const std::string& s);
std::string latex_number(const std::string& formatted);

/// Markdown table-cell escaping (`|` -> `\|`).
std::string md_escape(const std::string& s);

/// Display width of a UTF-8 string: its code points, less the combining marks U+0300..U+036F.
std::size_t display_width(const std::string& s);

}  // namespace collapse::report
