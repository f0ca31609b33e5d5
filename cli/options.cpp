// cli/options.cpp -- see options.hpp.
#include "cli/options.hpp"

#include "eval/option_lists.hpp"
#include "report/progress.hpp"
#include "theory/errors.hpp"

#include <fmt/format.h>

#include <iostream>
#include <regex>

namespace collapse::cli {

std::string integer_text(const integer& x) {
  const integer two64 = integer(1) << 64;
  if (x == two64 - 1) return "2^64 - 1";
  if (x == two64 / 2 - 1) return "2^63 - 1";
  std::string s = x.str();
  if (s.size() >= 7 && s[0] == '1' && s.find_first_not_of('0', 1) == std::string::npos) return "1e" + std::to_string(s.size() - 1);
  return s;
}

integer parse_integer_in(const std::string& name, const std::string& text, const integer& lo, const integer& hi, const std::string& why) {
  const std::string bare = name.rfind("--", 0) == 0 ? name.substr(2) : name;
  const std::string range = "an integer " + integer_text(lo) + " <= " + bare + " <= " + integer_text(hi);
  const auto first = text.find_first_not_of(" \t"), last = text.find_last_not_of(" \t");
  if (first == std::string::npos) throw domain_error(name, "''", range, "empty");
  const std::string t = text.substr(first, last - first + 1);
  if (t.find_first_of(" \t\r\n") != std::string::npos) throw domain_error(name, text, range, "blanks inside a number");
  rational v;
  try {
    v = parse_exact(name, t).value;
  } catch (const domain_error&) {
    throw domain_error(name, text, range, "not a number");
  }
  if (!is_integer(v)) throw domain_error(name, text, range, "not an integer");
  if (v < rational(lo) || v > rational(hi)) throw domain_error(name, text, range, why);
  return boost::multiprecision::numerator(v);
}

long long parse_integer(const std::string& name, const std::string& text, long long lo, long long hi, const std::string& why) {
  return parse_integer_in(name, text, integer(lo), integer(hi), why).convert_to<long long>();
}

std::uint64_t parse_unsigned(const std::string& name, const std::string& text, std::uint64_t lo, std::uint64_t hi, const std::string& why) {
  return parse_integer_in(name, text, integer(lo), integer(hi), why).convert_to<std::uint64_t>();
}

report::format format_options::parse() const {
  const report::format f = report::parse_format(format);
  if (standalone && f != report::format::latex)
    throw domain_error("--standalone", "given with --format " + format, "only with --format latex",
                       "a standalone document is a LaTeX document");
  return f;
}

std::string format_options::render(const report::table& t) const { return report::render(t, parse(), {.standalone = standalone}); }

void add_format_options(CLI::App* cmd, format_options& target) {
  cmd->add_option("--format", target.format, "output format: " + report::format_list())->capture_default_str();
  cmd->add_flag("--standalone", target.standalone,
                "with --format latex: a whole LaTeX document (page fitted to the table) instead of the tabular alone");
}

std::vector<std::string> parse_list(const std::string& option, const std::string& text) {
  const std::string shown = "'" + text + "'";
  const std::string range = "a comma-separated list L1,L2,... of distinct values";
  std::vector<std::string> items = eval::split_comma_list(text);
  std::vector<std::pair<rational, std::string>> numbers;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string& item = items[i];
    if (item.find_first_not_of(" \t") == std::string::npos)
      throw domain_error(option, shown, range, fmt::format("item {} of {} is empty", i + 1, items.size()));
    for (std::size_t j = 0; j < i; ++j)
      if (items[j] == item) throw domain_error(option, shown, range, "'" + item + "' is given twice");
    try {  // non-numbers are left to the option's own check; equal numbers are the same item
      const exact_number x = parse_exact(option, item, true);
      for (const auto& [y, text_y] : numbers)
        if (!x.infinite && x.value == y) throw domain_error(option, shown, range, "'" + item + "' is '" + text_y + "' again");
      if (!x.infinite) numbers.emplace_back(x.value, item);
    } catch (const domain_error& e) {
      if (e.parameter() == option && e.value() == shown) throw;
    }
  }
  return items;
}

CLI::Option* add_list_option(CLI::App* cmd, const std::string& name, std::vector<std::string>& target, const std::string& help) {
  return cmd->add_option_function<std::string>(name, [&target, name](const std::string& text) { target = parse_list(name, text); }, help);
}

void add_progress_flag(CLI::App* cmd) {
  cmd->add_flag_callback("--progress", [] { report::set_progress_mode(report::progress_mode::always); },
                         "show the progress line on stderr even when it is not a terminal (default: only on a terminal)");
}

namespace {

/// The subcommand being parsed (the last one named on the command line), or the app itself.
CLI::App* active(CLI::App& app) {
  for (auto* s : app.get_subcommands()) return s;
  return &app;
}

std::string command_name(CLI::App& app) {
  auto* s = active(app);
  return s == &app ? "collapse" : "collapse " + s->get_name();
}

std::string known_commands(CLI::App& app) {
  std::string s;
  for (auto* c : app.get_subcommands({})) s += (s.empty() ? "" : ", ") + c->get_name();
  return s;
}

std::string values_of(CLI::App& app, const std::string& name) {
  auto* s = active(app);
  auto* o = s->get_option_no_throw(name);
  if (!o) return {};
  std::string v;
  for (const auto& r : o->results()) v += (v.empty() ? "" : ", ") + r;
  return v;
}

}  // namespace

int report_parse_error(CLI::App& app, const CLI::ParseError& e) {
  if (dynamic_cast<const CLI::Success*>(&e)) return app.exit(e);            // --help, --version
  if (auto* r = dynamic_cast<const CLI::RuntimeError*>(&e)) return r->get_exit_code();  // a command's own exit code
  std::string parameter = "argument", value = "(unknown)", range, why;
  const std::string cmd = command_name(app);
  const std::string msg = e.what();
  std::smatch m;
  if (dynamic_cast<const CLI::ExtrasError*>(&e)) {
    std::vector<std::string> extra = active(app)->remaining();
    if (extra.empty()) extra = app.remaining();
    value.clear();
    for (const auto& x : extra) value += (value.empty() ? "" : " ") + x;
    if (value.empty()) value = "(unknown)";
    if (active(app) == &app) {
      parameter = "command";
      range = "one of " + known_commands(app);
    } else {
      range = "an option of `" + cmd + "` (see " + cmd + " --help)";
      why = extra.size() == 1 && !extra[0].empty() && extra[0][0] != '-' ? "unexpected argument" : "unknown option";
    }
  } else if (dynamic_cast<const CLI::ArgumentMismatch*>(&e) && std::regex_search(msg, m, std::regex("^(\\S+): "))) {
    parameter = m[1];
    if (msg.find("At Most") != std::string::npos || msg.find("at most") != std::string::npos) {
      value = values_of(app, parameter);
      range = "one value";
      why = "given more than once";
    } else {
      value = "(no value)";
      range = "a value after " + parameter;
      why = "the option needs a value";
    }
  } else if (dynamic_cast<const CLI::RequiredError*>(&e)) {
    if (msg.find("subcommand") != std::string::npos) {
      parameter = "command";
      value.clear();
      for (const auto& x : app.remaining()) value += (value.empty() ? "" : " ") + x;
      if (value.empty()) value = "(missing)";
      range = "one of " + known_commands(app);
    } else {
      std::regex_search(msg, m, std::regex("^(\\S+)"));
      parameter = m.size() ? std::string(m[1]) : "argument";
      value = "(missing)";
      range = "required by `" + cmd + "` (see " + cmd + " --help)";
    }
  } else if (std::regex_search(msg, m, std::regex("^(-{1,2}[A-Za-z0-9_-]+)"))) {
    parameter = m[1];
    value = values_of(app, parameter);
    if (value.empty()) value = "(none)";
    range = "see " + cmd + " --help";
    why = dynamic_cast<const CLI::ConversionError*>(&e) ? "cannot be converted" : "not accepted";
  } else {
    range = "see " + cmd + " --help";
    why = "the command line cannot be parsed";
  }
  std::cerr << "collapse: error: " << domain_error(parameter, value, range, why).what() << '\n';
  return 2;
}

}  // namespace collapse::cli
