// report/table.cpp -- see table.hpp.
#include "report/table.hpp"

#include "report/output.hpp"
#include "theory/errors.hpp"

#include <fmt/format.h>

#include <cmath>

namespace collapse::report {

const std::vector<format>& all_formats() {
  static const std::vector<format> f = {format::plain, format::md, format::csv, format::json, format::latex};
  return f;
}

std::string to_string(format f) {
  switch (f) {
    case format::plain: return "plain";
    case format::md: return "md";
    case format::csv: return "csv";
    case format::json: return "json";
    case format::latex: return "latex";
  }
  return "?";
}

std::string format_list(const std::vector<format>& accepted) {
  std::string s;
  for (format f : accepted) s += (s.empty() ? "" : " | ") + to_string(f);
  return s;
}

format parse_format(const std::string& text, const std::vector<format>& accepted) {
  for (format f : accepted)
    if (to_string(f) == text) return f;
  std::string list;
  for (format f : accepted) list += (list.empty() ? "" : ", ") + to_string(f);
  throw domain_error("--format", text.empty() ? "''" : text, "one of " + list);
}

std::size_t display_width(const std::string& s) {
  std::size_t w = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++w;
  return w;
}

std::string latex_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '\\': o += "\\textbackslash{}"; break;
      case '{': case '}': case '$': case '&': case '#': case '_': case '%': o += '\\'; o += c; break;
      case '^': o += "\\^{}"; break;
      case '~': o += "\\~{}"; break;
      default: o += c;
    }
  }
  return o;
}

std::string latex_number(const std::string& x) {
  // fmt output: [-]digits[.digits][e(+|-)digits]; a fraction p/q stays p/q; math mode makes '-' a minus
  std::string body = x;
  auto e = x.find_first_of("eE");
  if (e != std::string::npos && x.find('/') == std::string::npos) {
    std::string mant = x.substr(0, e), ex = x.substr(e + 1);
    bool neg = !ex.empty() && ex[0] == '-';
    if (!ex.empty() && (ex[0] == '-' || ex[0] == '+')) ex.erase(0, 1);
    while (ex.size() > 1 && ex[0] == '0') ex.erase(0, 1);
    body = mant + "\\times 10^{" + (neg ? "-" : "") + ex + "}";
  }
  return "$" + body + "$";
}

namespace {

bool finite_json(const nlohmann::ordered_json& j) {
  if (j.is_number_float()) return std::isfinite(j.get<double>());
  if (j.is_structured())
    for (const auto& v : j)
      if (!finite_json(v)) return false;
  return true;
}

std::string number_text(double x, const std::string& spec) { return fmt::format(fmt::runtime(spec), x); }

/// The text of a cell in a human or csv format (not json, not latex).
std::string cell_text(const cell& c, const column& col, format f) {
  switch (c.type) {
    case cell::kind::absent: return f == format::csv ? "" : "—";
    case cell::kind::text:
    case cell::kind::code:
    case cell::kind::exact: return c.text;
    case cell::kind::number:
      return number_text(c.number, f == format::csv ? col.csv_number_format
                                   : f == format::md && !col.md_number_format.empty() ? col.md_number_format
                                                                                      : col.number_format);
    case cell::kind::integer: return std::to_string(c.integer_value);
    case cell::kind::boolean: return c.flag ? "true" : "false";
    case cell::kind::json_value: return c.text.empty() ? c.value.dump() : c.text;
  }
  return {};
}

std::string latex_cell(const cell& c, const column& col) {
  if (c.latex) return *c.latex;
  switch (c.type) {
    case cell::kind::absent: return "---";
    case cell::kind::text: return latex_escape(c.text);
    case cell::kind::code: return "\\texttt{" + latex_escape(c.text) + "}";
    case cell::kind::exact: return latex_number(c.text);
    case cell::kind::number: return latex_number(number_text(c.number, col.number_format));
    case cell::kind::integer: return "$" + std::to_string(c.integer_value) + "$";
    case cell::kind::boolean: return c.flag ? "true" : "false";
    case cell::kind::json_value: return latex_escape(c.text.empty() ? c.value.dump() : c.text);
  }
  return {};
}

nlohmann::ordered_json json_cell(const cell& c) {
  switch (c.type) {
    case cell::kind::absent: return nullptr;
    case cell::kind::text:
    case cell::kind::code:
    case cell::kind::exact: return c.text;
    case cell::kind::number: return c.number;
    case cell::kind::integer: return c.integer_value;
    case cell::kind::boolean: return c.flag;
    case cell::kind::json_value: return c.value;
  }
  return nullptr;
}

std::string pad(const std::string& s, std::size_t width, align a, bool last, bool pad_last) {
  const std::size_t w = display_width(s);
  if (w >= width) return s;
  const std::size_t n = width - w;
  switch (a) {
    case align::right: return std::string(n, ' ') + s;
    case align::center: return std::string(n / 2, ' ') + s + (last && !pad_last ? "" : std::string(n - n / 2, ' '));
    case align::left: break;
  }
  return last && !pad_last ? s : s + std::string(n, ' ');
}

std::string render_plain(const table& t, const std::vector<std::size_t>& cols) {
  std::string s;
  if (!t.comment.empty()) s += "# " + t.comment + "\n";
  if (!t.title.empty()) s += t.title + "\n";
  for (const auto& n : t.notes) s += "  " + n + "\n";
  if (!t.title.empty() || !t.notes.empty()) s += "\n";
  std::vector<std::vector<std::string>> text;
  if (t.plain.header) {
    std::vector<std::string> h;
    for (auto k : cols) {
      const auto& c = t.columns[k];
      h.push_back(!c.plain_title.empty() ? c.plain_title : !c.title.empty() ? c.title : c.key);
    }
    text.push_back(h);
  }
  for (const auto& r : t.rows) {
    std::vector<std::string> line;
    for (auto k : cols) line.push_back(cell_text(r[k], t.columns[k], format::plain));
    text.push_back(line);
  }
  std::vector<std::size_t> width(cols.size());
  for (std::size_t i = 0; i < cols.size(); ++i) width[i] = t.columns[cols[i]].min_width;
  for (const auto& line : text)
    for (std::size_t i = 0; i < line.size(); ++i) width[i] = std::max(width[i], display_width(line[i]));
  for (const auto& line : text) {
    s += t.plain.prefix;
    for (std::size_t i = 0; i < line.size(); ++i)
      s += (i ? t.plain.separator : "") + pad(line[i], width[i], t.columns[cols[i]].alignment, i + 1 == line.size(), t.plain.pad_last);
    s += "\n";
  }
  if (!t.footer.empty()) s += t.footer + "\n";
  return s;
}

std::string render_md(const table& t, const std::vector<std::size_t>& cols) {
  std::string s;
  if (!t.comment.empty()) s += "<!-- " + t.comment + " -->\n\n";
  if (!t.title.empty()) s += "**" + t.title + "**\n";
  for (const auto& n : t.notes) s += "- " + n + "\n";
  if (!t.title.empty() || !t.notes.empty()) s += "\n";
  for (auto k : cols) s += "| " + md_escape(t.columns[k].title.empty() ? t.columns[k].key : t.columns[k].title) + " ";
  s += "|\n";
  for (auto k : cols) {
    const auto& a = t.columns[k].md_alignment;
    s += !a ? "|---" : *a == align::left ? "|:---" : *a == align::right ? "|---:" : "|:---:";
  }
  s += "|\n";
  for (const auto& r : t.rows) {
    for (auto k : cols) s += "| " + md_escape(cell_text(r[k], t.columns[k], format::md)) + " ";
    s += "|\n";
  }
  if (!t.footer.empty()) s += "\n" + t.footer + "\n";
  return s;
}

std::string render_csv(const table& t, const std::vector<std::size_t>& cols) {
  std::string s;
  for (std::size_t i = 0; i < cols.size(); ++i) s += (i ? "," : "") + csv_field(t.columns[cols[i]].key);
  s += "\n";
  for (const auto& r : t.rows) {
    for (std::size_t i = 0; i < cols.size(); ++i) s += (i ? "," : "") + csv_field(cell_text(r[cols[i]], t.columns[cols[i]], format::csv));
    s += "\n";
  }
  return s;
}

std::string render_latex(const table& t, const std::vector<std::size_t>& cols) {
  std::string s;
  for (const std::string* line : {&t.comment, &t.title})
    if (!line->empty()) s += "% " + *line + "\n";
  for (const auto& n : t.notes) s += "% " + n + "\n";
  s += "\\begin{tabular}{";
  for (auto k : cols) s += t.columns[k].alignment == align::right ? 'r' : t.columns[k].alignment == align::center ? 'c' : 'l';
  s += "}\n\\toprule\n";
  for (std::size_t i = 0; i < cols.size(); ++i) {
    const auto& c = t.columns[cols[i]];
    s += (i ? " & " : "") + (!c.latex_title.empty() ? c.latex_title : latex_escape(c.title.empty() ? c.key : c.title));
  }
  s += " \\\\\n\\midrule\n";
  for (const auto& r : t.rows) {
    for (std::size_t i = 0; i < cols.size(); ++i) s += (i ? " & " : "") + latex_cell(r[cols[i]], t.columns[cols[i]]);
    s += " \\\\\n";
  }
  s += "\\bottomrule\n\\end{tabular}\n";
  if (!t.footer.empty()) s += "% " + t.footer + "\n";
  return s;
}

std::string render_json(const table& t, const std::vector<std::size_t>& cols) {
  nlohmann::ordered_json doc = t.json_document;
  if (!t.json_rows_key.empty()) {
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (const auto& r : t.rows) {
      nlohmann::ordered_json o = nlohmann::ordered_json::object();
      for (auto k : cols)
        if (r[k].type != cell::kind::absent) o[t.columns[k].key] = json_cell(r[k]);
      rows.push_back(std::move(o));
    }
    doc[t.json_rows_key] = std::move(rows);  // in place when the document holds a placeholder
  }
  if (t.json_sorted_keys) return nlohmann::json(doc).dump(2) + "\n";
  return doc.dump(2) + "\n";
}

}  // namespace

std::string md_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '|') o += "\\|";
    else o += c;
  }
  return o;
}

std::string table::row_label(std::size_t i) const {
  std::string s = "row " + std::to_string(i + 1);
  std::string keys;
  for (std::size_t k = 0; k < columns.size() && k < rows[i].size() && k < 2; ++k) {
    const auto& c = rows[i][k];
    if (c.type == cell::kind::number || c.type == cell::kind::json_value || c.type == cell::kind::absent) continue;
    keys += (keys.empty() ? "" : ", ") + columns[k].key + " = " + cell_text(c, columns[k], format::csv);
  }
  return keys.empty() ? s : s + ": " + keys;
}

void require_finite(const table& t) {
  for (std::size_t i = 0; i < t.rows.size(); ++i)
    for (std::size_t k = 0; k < t.columns.size() && k < t.rows[i].size(); ++k) {
      const cell& c = t.rows[i][k];
      const bool bad = (c.type == cell::kind::number && !std::isfinite(c.number)) ||
                       (c.type == cell::kind::json_value && !finite_json(c.value));
      if (bad)
        throw domain_error(t.columns[k].key + " (" + t.row_label(i) + ")",
                           c.type == cell::kind::number ? fmt::format("{}", c.number) : c.value.dump(), "a finite number",
                           "the result is not finite in double precision at these parameters; nothing is printed");
    }
}

std::string render(const table& t, format f) {
  require_finite(t);
  std::vector<std::size_t> cols;
  for (std::size_t k = 0; k < t.columns.size(); ++k)
    if (t.columns[k].formats.has(f)) cols.push_back(k);
  switch (f) {
    case format::plain: return render_plain(t, cols);
    case format::md: return render_md(t, cols);
    case format::csv: return render_csv(t, cols);
    case format::json: return render_json(t, cols);
    case format::latex: return render_latex(t, cols);
  }
  return {};
}

}  // namespace collapse::report
