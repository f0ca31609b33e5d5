// eval/spectrum_input.cpp -- see spectrum_input.hpp.
#include "eval/spectrum_input.hpp"

#include "theory/errors.hpp"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <optional>

namespace collapse::eval {

namespace {

/// Reads one line of at most `max` characters (without the '\n'); false at end of input. A longer line
/// sets `too_long` and stops reading.
bool bounded_line(std::istream& in, std::string& line, std::size_t max, bool& too_long) {
  line.clear();
  bool any = false;
  for (char c; in.get(c);) {
    any = true;
    if (c == '\n') return true;
    if (line.size() >= max) { too_long = true; return true; }
    line += c;
  }
  return any;
}

}  // namespace

spectrum_spec read_spectrum_file(const std::string& path) {
  namespace fs = std::filesystem;
  const std::string what = "file:" + path;
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) throw domain_error("--spectrum", what, "a readable CSV file with header eig,w2", "cannot open file");
  if (!fs::is_regular_file(status))
    throw domain_error("--spectrum", what, "a regular CSV file with header eig,w2", "not a regular file (a device, FIFO or directory)");
  const auto size = fs::file_size(path, ec);
  if (ec || size > max_spectrum_file_bytes)
    throw domain_error("--spectrum", what, "a spectrum file of at most " + std::to_string(max_spectrum_file_bytes >> 20) + " MiB",
                       ec ? "cannot read its size" : "it has " + std::to_string(size) + " bytes");
  std::ifstream in(path);
  if (!in) throw domain_error("--spectrum", what, "a readable CSV file with header eig,w2", "cannot open file");
  spectrum_spec s;
  s.type = spectrum_spec::kind::explicit_list;
  s.path = path;
  std::string line;
  long lineno = 0;
  std::uintmax_t bytes = 0;
  bool header = false, too_long = false;
  std::optional<exact_number> declared_rows;
  long declared_line = 0;
  while (bounded_line(in, line, max_spectrum_line_chars, too_long)) {
    ++lineno;
    const std::string where = path + ":" + std::to_string(lineno);
    if (too_long)
      throw domain_error("spectrum file", where, "lines of at most " + std::to_string(max_spectrum_line_chars) + " characters",
                         "this line is longer");
    bytes += line.size() + 1;
    if (bytes > max_spectrum_file_bytes)  // the file grew while it was read
      throw domain_error("--spectrum", what, "a spectrum file of at most " + std::to_string(max_spectrum_file_bytes >> 20) + " MiB",
                         "it grew beyond that while being read");
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::string trimmed;
    for (char c : line) if (!std::isspace(static_cast<unsigned char>(c))) trimmed += c;
    if (trimmed.rfind("#rows=", 0) == 0) {  // a declared row count: a file cut at a line boundary is caught
      if (declared_rows) throw domain_error("spectrum file", where, "at most one '# rows = N' line", "a second one");
      declared_rows = parse_exact("rows at " + where, trimmed.substr(6), false);
      declared_line = lineno;
      continue;
    }
    if (trimmed.empty() || trimmed[0] == '#') continue;
    if (!header) {
      if (trimmed != "eig,w2") throw domain_error("spectrum file", where, "header line 'eig,w2'", "found '" + line + "'");
      header = true;
      continue;
    }
    auto comma = line.find(',');
    if (comma == std::string::npos || line.find(',', comma + 1) != std::string::npos)
      throw domain_error("spectrum file", where, "two comma-separated numbers eig,w2", "found '" + line + "'");
    auto e = parse_exact("eig at " + where, line.substr(0, comma));
    auto w = parse_exact("w2 at " + where, line.substr(comma + 1));
    if (e.value <= 0) throw domain_error("eig at " + where, e.text, "eig > 0", "Sigma must be positive definite");
    if (w.value < 0) throw domain_error("w2 at " + where, w.text, "w2 >= 0");
    s.eig.push_back(e.value);
    s.w2.push_back(w.value);
  }
  if (!header) throw domain_error("spectrum file", path, "a CSV file with header eig,w2", "file is empty");
  if (s.eig.empty()) throw domain_error("spectrum file", path, "at least one data row after the header");
  if (declared_rows && declared_rows->value != rational(static_cast<long>(s.eig.size())))
    throw domain_error("spectrum file", path, declared_rows->text + " data rows, as '# rows = " + declared_rows->text +
                       "' at line " + std::to_string(declared_line) + " declares",
                       "it has " + std::to_string(s.eig.size()) + ": the file was cut or rows were added");
  s.d.value = rational(static_cast<long>(s.eig.size()));
  s.d.text = std::to_string(s.eig.size());
  return s;
}

spectrum_spec parse_spectrum(const spectrum_texts& t, const std::string& base_dir) {
  auto need = [](const std::optional<std::string>& v, const char* name, const std::string& kind) -> const std::string& {
    if (!v) throw domain_error(std::string("--") + name, "(missing)", "required by --spectrum " + kind);
    return *v;
  };
  auto forbid = [](const std::optional<std::string>& v, const char* name, const std::string& kind) {
    if (v) throw domain_error(std::string("--") + name, *v, "not used by --spectrum " + kind);
  };
  const std::string& kind = t.spectrum;
  spectrum_spec s;
  if (kind == "isotropic") {
    s.type = spectrum_spec::kind::isotropic;
    s.d = parse_exact("d", need(t.d, "d", kind), false);
    s.w0norm2 = parse_exact("w0norm2", need(t.w0norm2, "w0norm2", kind));
    forbid(t.beta, "beta", kind); forbid(t.r, "r", kind);
  } else if (kind == "powerlaw") {
    s.type = spectrum_spec::kind::powerlaw;
    s.d = parse_exact("d", need(t.d, "d", kind), true);
    s.beta = parse_exact("beta", need(t.beta, "beta", kind));
    s.r = parse_exact("r", need(t.r, "r", kind));
    forbid(t.w0norm2, "w0norm2", kind);
  } else if (kind.rfind("file:", 0) == 0) {
    forbid(t.d, "d", "file"); forbid(t.w0norm2, "w0norm2", "file"); forbid(t.beta, "beta", "file"); forbid(t.r, "r", "file");
    std::string path = kind.substr(5);
    if (!base_dir.empty() && !path.empty() && path[0] != '/') path = base_dir + "/" + path;
    s = read_spectrum_file(path);
  } else {
    throw domain_error("--spectrum", kind.empty() ? "(missing)" : kind, "isotropic, powerlaw or file:PATH");
  }
  validate(s);
  return s;
}

}  // namespace collapse::eval
