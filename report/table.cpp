// report/table.cpp -- see table.hpp.
#include "report/table.hpp"

#include "report/output.hpp"
#include "theory/errors.hpp"

#include <fmt/format.h>

#include <cctype>
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
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) == 0x80) continue;  // a continuation byte
    // combining marks U+0300..U+036F (the low line of r̲) take no column: CC 80..CD AF
    const auto next = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0;
    if (c == 0xCC || (c == 0xCD && next < 0xB0)) continue;
    ++w;
  }
  return w;
}

namespace {

/// One UTF-8 code point at s[i] (advances i); malformed bytes come back as U+FFFD.
char32_t next_code_point(const std::string& s, std::size_t& i) {
  const auto b = static_cast<unsigned char>(s[i++]);
  int extra = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : 0;
  char32_t cp = extra == 3 ? b & 0x07 : extra == 2 ? b & 0x0F : extra == 1 ? b & 0x1F : b;
  if (b >= 0x80 && extra == 0) return 0xFFFD;
  for (; extra > 0; --extra) {
    if (i >= s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) return 0xFFFD;
    cp = (cp << 6) | (static_cast<unsigned char>(s[i++]) & 0x3F);
  }
  return cp;
}

/// The math-mode LaTeX of the Unicode symbols this project prints (Greek letters, relations, arrows,
/// super- and subscript digits, ℓ); "" for any other code point.
std::string math_symbol(char32_t c) {
  static const char* greek_lower[] = {"\\alpha", "\\beta", "\\gamma", "\\delta", "\\epsilon", "\\zeta", "\\eta", "\\theta", "\\iota",
                                      "\\kappa", "\\lambda", "\\mu", "\\nu", "\\xi", "o", "\\pi", "\\rho", "\\varsigma", "\\sigma",
                                      "\\tau", "\\upsilon", "\\phi", "\\chi", "\\psi", "\\omega"};
  static const char* greek_upper[] = {"A", "B", "\\Gamma", "\\Delta", "E", "Z", "H", "\\Theta", "I", "K", "\\Lambda", "M", "N",
                                      "\\Xi", "O", "\\Pi", "P", "", "\\Sigma", "T", "\\Upsilon", "\\Phi", "X", "\\Psi", "\\Omega"};
  if (c >= 0x03B1 && c <= 0x03C9) return greek_lower[c - 0x03B1];
  if (c >= 0x0391 && c <= 0x03A9) return greek_upper[c - 0x0391];
  if (c >= 0x2080 && c <= 0x2089) return "_{" + std::string(1, static_cast<char>('0' + (c - 0x2080))) + "}";
  switch (c) {
    case 0x00B2: return "^{2}";
    case 0x00B3: return "^{3}";
    case 0x00B9: return "^{1}";
    case 0x2070: return "^{0}";
    case 0x207B: return "^{-}";
    case 0x00B1: return "\\pm";
    case 0x00D7: return "\\times";
    case 0x00B7: return "\\cdot";
    case 0x2212: return "-";
    case 0x2113: return "\\ell";
    case 0x2264: return "\\le";
    case 0x2265: return "\\ge";
    case 0x2260: return "\\ne";
    case 0x2248: return "\\approx";
    case 0x224D: return "\\asymp";
    case 0x221D: return "\\propto";
    case 0x221E: return "\\infty";
    case 0x2192: return "\\to";
    case 0x2190: return "\\leftarrow";
    case 0x21D2: return "\\Rightarrow";
    case 0x2208: return "\\in";
    case 0x2211: return "\\sum";
    case 0x221A: return "\\surd";
    case 0x2016: return "\\|";
    case 0x2202: return "\\partial";
    case 0x2207: return "\\nabla";
    case 0x03F5: return "\\epsilon";
    case 0x03D5: return "\\phi";
    default: return {};
  }
}

/// The text-mode LaTeX of typographic Unicode ("" for others).
std::string text_symbol(char32_t c) {
  switch (c) {
    case 0x2013: return "--";
    case 0x2014: return "---";
    case 0x2018: return "`";
    case 0x2019: return "'";
    case 0x201C: return "``";
    case 0x201D: return "''";
    case 0x2026: return "\\ldots{}";
    case 0x00A0: return "~";
    default: return {};
  }
}

/// The length of a number at s[i] (`[-+]digits[.digits][/digits][e[-+]digits]`, not glued to a letter
/// or digit before or after), 0 if there is none.
std::size_t number_length(const std::string& s, std::size_t i) {
  auto digit = [&](std::size_t k) { return k < s.size() && s[k] >= '0' && s[k] <= '9'; };
  auto alnum = [&](std::size_t k) { return k < s.size() && (std::isalnum(static_cast<unsigned char>(s[k])) || s[k] == '_'); };
  if (i > 0 && (alnum(i - 1) || s[i - 1] == '.')) return 0;
  std::size_t k = i;
  if (s[k] == '-' || s[k] == '+') ++k;
  if (!digit(k)) return 0;
  while (digit(k)) ++k;
  if (k < s.size() && s[k] == '.' && digit(k + 1)) { ++k; while (digit(k)) ++k; }
  if (k < s.size() && s[k] == '/' && digit(k + 1)) { ++k; while (digit(k)) ++k; }
  if (k < s.size() && (s[k] == 'e' || s[k] == 'E')) {
    std::size_t e = k + 1;
    if (e < s.size() && (s[e] == '-' || s[e] == '+')) ++e;
    if (digit(e)) { k = e; while (digit(k)) ++k; }
  }
  if (alnum(k)) return 0;  // part of a word such as "1st" or "x2y"
  return k - i;
}

}  // namespace

std::string latex_escape(const std::string& s) {
  // Pieces of text and of math; adjacent math pieces share one $...$ (so "σ²" is $\sigma^{2}$, never
  // the display-math "$$"). Numbers go to math mode (a real minus, 10^{k}), relations and Greek too.
  std::string out, math;
  auto flush = [&] {
    if (math.empty()) return;
    while (!math.empty() && math.back() == ' ') math.pop_back();
    out += "$" + math + "$";
    math.clear();
  };
  auto add_math = [&](const std::string& m) {
    if (!math.empty() && std::isalpha(static_cast<unsigned char>(m[0])) && std::isalpha(static_cast<unsigned char>(math.back())))
      math += ' ';  // \sigma then a letter
    math += m;
  };
  auto add_text = [&](const std::string& t) { flush(); out += t; };
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (const std::size_t n = number_length(s, i); n > 0) {
      const std::string num = latex_number(s.substr(i, n));
      add_math(num.substr(1, num.size() - 2));
      i += n;
      continue;
    }
    if ((c == '<' || c == '>') && i + 1 < s.size() && s[i + 1] == '=') { add_math(c == '<' ? "\\le " : "\\ge "); i += 2; continue; }
    if (c == '-' && i + 1 < s.size() && s[i + 1] == '>') { add_math("\\to "); i += 2; continue; }
    if (c == '!' && i + 1 < s.size() && s[i + 1] == '=') { add_math("\\ne "); i += 2; continue; }
    if (static_cast<unsigned char>(c) < 0x80 && std::isalpha(static_cast<unsigned char>(c)) && s.compare(i + 1, 2, "\xcc\xb2") == 0) {
      add_math(std::string("\\underline{") + c + "}");  // r̲: a letter and the combining low line U+0332
      i += 3;
      continue;
    }
    if (static_cast<unsigned char>(c) < 0x80) {
      ++i;
      switch (c) {
        case '\\': add_text("\\textbackslash{}"); break;
        case '{': case '}': case '$': case '&': case '#': case '_': case '%': add_text(std::string("\\") + c); break;
        case '^': {  // T^(−ℓ), T^a, T^3/5: a superscript in math mode
          std::size_t end = i;
          if (end < s.size() && s[end] == '(') {
            int depth = 0;
            for (; end < s.size(); ++end)
              if (s[end] == '(') ++depth;
              else if (s[end] == ')' && --depth == 0) break;
            if (end < s.size()) ++end;
          } else {
            while (end < s.size() && (std::isalnum(static_cast<unsigned char>(s[end])) || s[end] == '.' || s[end] == '/' ||
                                      static_cast<unsigned char>(s[end]) >= 0x80))
              ++end;
          }
          std::string inner = s.substr(i, end - i);
          if (inner.size() > 2 && inner.front() == '(' && inner.back() == ')') inner = inner.substr(1, inner.size() - 2);
          if (inner.empty()) { add_text("\\textasciicircum{}"); break; }
          std::string m = inner;  // a plain exponent (3/5, -2, 0.6) as typed: a \tfrac in a superscript is unreadable
          if (inner.find_first_not_of("0123456789./-+") != std::string::npos) {
            m = latex_escape(inner);
            std::erase(m, '$');
          }
          add_math("^{" + m + "}");
          i = end;
          break;
        }
        case '~': add_math("\\sim "); break;
        case '<': case '>': case '|': add_math(std::string(1, c)); break;
        case '=': if (!math.empty()) add_math("="); else add_text("="); break;
        default: add_text(std::string(1, c));
      }
      continue;
    }
    const std::size_t start = i;
    const char32_t cp = next_code_point(s, i);
    std::size_t after = i;
    if (after < s.size() && next_code_point(s, after) == 0x0332) {  // combining low line: r̲ = \underline{r}
      std::string base = math_symbol(cp);
      if (base.empty()) base = s.substr(start, i - start);
      add_math("\\underline{" + base + "}");
      i = after;
      continue;
    }
    if (auto m = math_symbol(cp); !m.empty()) {
      add_math(m + (m.back() >= 'a' && m.back() <= 'z' ? " " : ""));
    } else if (auto t = text_symbol(cp); !t.empty()) {
      add_text(t);
    } else if (cp == 0xA7) {
      add_text("\\S{}");  // § (the raw character would need a text-companion font, generated as a bitmap)
    } else if (cp == 0xB0) {
      add_math("^{\\circ}");
    } else if (cp >= 0xC0 && cp <= 0xFF && cp != 0xD7 && cp != 0xF7) {
      add_text(s.substr(start, i - start));  // Latin-1 letters (é, ü ...): LaTeX's utf8 input encoding composes them
    } else {
      add_text(fmt::format("[U+{:04X}]", static_cast<unsigned>(cp)));  // visible, and never a LaTeX error
    }
  }
  flush();
  return out;
}

std::string latex_number(const std::string& x) {
  // fmt output: [-]digits[.digits][e(+|-)digits], or an exact p/q; math mode makes '-' a minus
  std::string sign, body = x;
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) {
    sign = body[0] == '-' ? "-" : "+";
    body.erase(0, 1);
  }
  if (auto slash = body.find('/'); slash != std::string::npos) {
    body = "\\tfrac{" + body.substr(0, slash) + "}{" + body.substr(slash + 1) + "}";
  } else if (auto e = body.find_first_of("eE"); e != std::string::npos) {
    std::string mant = body.substr(0, e), ex = body.substr(e + 1);
    bool neg = !ex.empty() && ex[0] == '-';
    if (!ex.empty() && (ex[0] == '-' || ex[0] == '+')) ex.erase(0, 1);
    while (ex.size() > 1 && ex[0] == '0') ex.erase(0, 1);
    body = (mant == "1" ? "" : mant + "\\times ") + "10^{" + (neg ? "-" : "") + ex + "}";
  }
  return "$" + sign + body + "$";
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

/// The LaTeX column type: l/r/c, or a ragged-right paragraph column of 6.5 cm when a left-aligned column
/// holds text wider than 40 characters (suite results, worst rows), so that a table fits a page.
std::string latex_column_type(const table& t, std::size_t k) {
  const column& c = t.columns[k];
  if (c.alignment == align::right) return "r";
  if (c.alignment == align::center) return "c";
  std::size_t widest = 0;
  for (const auto& r : t.rows)
    if (r[k].type == cell::kind::text && !r[k].latex) widest = std::max(widest, display_width(r[k].text));
  return widest > 40 ? ">{\\raggedright\\arraybackslash}p{6.5cm}" : "l";
}

std::string render_latex(const table& t, const std::vector<std::size_t>& cols) {
  std::string s = "% needs \\usepackage{amsmath,array,booktabs}\n";
  for (const std::string* line : {&t.comment, &t.title})
    if (!line->empty()) s += "% " + *line + "\n";
  for (const auto& n : t.notes) s += "% " + n + "\n";
  s += "\\begin{tabular}{";
  for (auto k : cols) s += latex_column_type(t, k);
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

std::string latex_document(const std::string& tabular, const table& t) {
  // The page is fitted to the table (what the `standalone` class does, which Debian ships only in
  // texlive-latex-extra): the title, notes, table and footer are set in a box, the page is made as
  // large as the box plus 1 cm margins, and the box is shipped out as the one page.
  std::vector<std::string> above;
  if (!t.title.empty()) above.push_back("\\textbf{" + latex_escape(t.title) + "}");
  for (const auto& n : t.notes) above.push_back(latex_escape(n));
  std::string body;
  for (std::size_t i = 0; i < above.size(); ++i) body += above[i] + (i + 1 == above.size() ? "\\\\[0.8ex]\n" : "\\\\\n");
  body += tabular;
  if (!t.footer.empty()) body += "\\\\[0.6ex]\n" + latex_escape(t.footer) + "\n";
  std::string s;
  if (!t.comment.empty()) s += "% " + t.comment + "\n";
  s += "% collapse: a table as a standalone LaTeX document (pdflatex)\n"
       "\\documentclass{article}\n"
       "\\usepackage[utf8]{inputenc}\n"
       "\\usepackage{amsmath,array,booktabs}\n"
       "\\pagestyle{empty}\n"
       "\\renewcommand{\\arraystretch}{1.2}\n"
       "\\newsavebox{\\collapsetable}\n"
       "\\begin{document}\n"
       "\\begin{lrbox}{\\collapsetable}\n"
       "\\begin{tabular}{@{}l@{}}\n" + body + "\\end{tabular}\n"
       "\\end{lrbox}\n"
       "\\pdfpagewidth=\\dimexpr\\wd\\collapsetable+2cm\\relax\n"
       "\\pdfpageheight=\\dimexpr\\ht\\collapsetable+\\dp\\collapsetable+2cm\\relax\n"
       "\\pdfhorigin=1cm\n"
       "\\pdfvorigin=1cm\n"
       "\\shipout\\vbox{\\box\\collapsetable}\n"
       "\\end{document}\n";
  return s;
}

std::string render(const table& t, format f) { return render(t, f, render_options{}); }

std::string render(const table& t, format f, const render_options& o) {
  if (o.standalone && f != format::latex)
    throw domain_error("--standalone", "true", "only with --format latex", "a standalone document is a LaTeX document");
  require_finite(t);
  std::vector<std::size_t> cols;
  for (std::size_t k = 0; k < t.columns.size(); ++k)
    if (t.columns[k].formats.has(f)) cols.push_back(k);
  switch (f) {
    case format::plain: return render_plain(t, cols);
    case format::md: return render_md(t, cols);
    case format::csv: return render_csv(t, cols);
    case format::json: return render_json(t, cols);
    case format::latex: {
      table body = t;
      if (o.standalone) body.comment.clear(), body.title.clear(), body.notes.clear(), body.footer.clear();
      const std::string tabular = render_latex(body, cols);
      return o.standalone ? latex_document(tabular.substr(tabular.find("\\begin{tabular}")), t) : tabular;
    }
  }
  return {};
}

}  // namespace collapse::report
