// cli/options.hpp -- what every command shares: the one exact integer parser with its range check
// (issue 7 kind 4), the --format and --progress options, and the translation of CLI11's parse errors
// into the project's one-line contract (issue 7 kind 5).
//
// Integer options are bound as text and converted here: the text is parsed exactly (theory/rational.hpp:
// "1e6" and "4/2" are accepted because they are exactly integers; "-1", "2^64", "1.5", "1e400" are not
// silently wrapped or rounded) and range-checked; the error names the option, the value and the range.
#pragma once

#include "report/table.hpp"
#include "theory/rational.hpp"

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace collapse::cli {

/// "1e12" for 10^12 (k >= 6), "2^64 - 1" for 2^64 - 1, else the decimal digits.
std::string integer_text(const integer& x);

/// The integer written in `text`, which must lie in [lo, hi]; throws domain_error
/// `invalid NAME = TEXT: valid range is an integer LO <= NAME <= HI` otherwise (also for text with inner
/// blanks such as "2 0", and for non-integers).
integer parse_integer_in(const std::string& name, const std::string& text, const integer& lo, const integer& hi,
                         const std::string& why = {});
long long parse_integer(const std::string& name, const std::string& text, long long lo, long long hi, const std::string& why = {});
std::uint64_t parse_unsigned(const std::string& name, const std::string& text, std::uint64_t lo, std::uint64_t hi,
                             const std::string& why = {});

/// The output options every table-printing command shares (eval, simulate, verify, exponents,
/// crossover): `--format plain|md|csv|json|latex` and `--standalone`, with one spelling and one help
/// text everywhere.
struct format_options {
  std::string format = "plain";  // the command's default
  bool standalone = false;
  /// The parsed format; throws domain_error naming --format (not one of the five) or --standalone
  /// (given with a format other than latex). Call it first, before any work.
  report::format parse() const;
  /// report::render with these options (the table rendered in the parsed format).
  std::string render(const report::table& t) const;
};

/// Adds `--format` (default: the value already in `target.format`) and `--standalone` to `cmd`.
void add_format_options(CLI::App* cmd, format_options& target);

/// Splits the value of a list option `option` ("1e-3,1e-2") at its commas (eval/option_lists.hpp):
/// refuses an empty item ("1e-3,", ",1e-3", ",", "") and an item given twice (numerically equal values,
/// "1e-3,0.001", count as the same), naming `option`, the whole text and the item. Items keep their text.
std::vector<std::string> parse_list(const std::string& option, const std::string& text);

/// Adds the list option `name` (one value L1,L2,...; a repeated option is refused like any other)
/// whose items, checked by parse_list while the command line is parsed, replace `target`.
CLI::Option* add_list_option(CLI::App* cmd, const std::string& name, std::vector<std::string>& target, const std::string& help);

/// Adds `--progress` (progress line on stderr even when it is not a terminal).
void add_progress_flag(CLI::App* cmd);

/// The exit code and the one `collapse: error: ...` line for a CLI11 parse error of `app` (help and
/// version requests print as CLI11 does and return 0). Never shows CLI11's own text.
int report_parse_error(CLI::App& app, const CLI::ParseError& e);

}  // namespace collapse::cli
