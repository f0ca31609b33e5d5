// harness/golden.hpp -- golden values of the catalogue for regression testing (issue 4, item 6).
//
// data/golden/points.txt lists representative points, one `collapse eval` argument list per line
// ("QUANTITY --param value ..."); `collapse verify --write-golden` evaluates each at 50 certified
// digits and writes data/golden/catalogue.csv (quantity, arguments, digits, value, command -- the
// exact command that reproduces the row). `collapse verify --golden` re-evaluates every row and
// reports each value that moved, with the number of digits that still agree; `--golden --accept`
// (issue 13, item 5) rewrites the moved rows deliberately, and the report keeps their old values. Rows whose
// quantity is "suite:NAME/KEY" hold the formulas of suite files (evaluate_golden).
#pragma once

#include "eval/catalogue.hpp"

#include <iosfwd>
#include <string>
#include <vector>

namespace collapse::harness {

struct golden_row {
  std::string quantity, arguments;  // arguments: "--name value ..." as on the command line
  int digits = 50;
  std::string value;
  int line = 0;  // in the golden file
};

/// Parses "QUANTITY --name value ..." into a request (the same rules as `collapse eval`).
eval::eval_request parse_eval_arguments(const std::string& quantity, const std::string& arguments, int digits);

/// Issue 13: the value of a golden row. QUANTITY is a catalogue name (parse_eval_arguments), or
/// "suite:NAME/KEY" -- the formula at [theory] KEY (formula, rival) of suite NAME (data_dir()/suites/NAME.toml,
/// or NAME a path ending in .toml, relative to `base_dir`) -- evaluated at the point ARGUMENTS ("--d 10 --T0 16
/// ..." naming exactly the formula's symbols, and --spectrum ... when it calls a primitive) to `digits`
/// certified digits. Editing a suite's formula therefore moves its golden rows. Throws domain_error (suite_error
/// naming FILE:LINE for a bad formula in the suite file).
eval::eval_output evaluate_golden(const std::string& quantity, const std::string& arguments, int digits, const std::string& base_dir);

/// Reads a golden CSV: the header quantity,arguments,digits,value,command, then at least one row of exactly
/// those 5 fields, each (quantity, arguments) once, digits an integer 10..1000, value a decimal without
/// spaces. Throws domain_error naming FILE:LINE of the first bad row (or FILE: unreadable, no header, no rows).
std::vector<golden_row> read_golden(const std::string& path);

/// Evaluates every point of `points_path` and writes the golden CSV atomically to `out_path`. Throws
/// domain_error naming --golden-points when it is unreadable or lists no point (an empty catalogue).
void write_golden(const std::string& points_path, const std::string& out_path, int digits, std::ostream& log);

struct golden_check {
  golden_row row;
  std::string now;     // the value evaluated now (or "error: " and the message)
  bool moved = false;
  bool failed = false; // the row no longer evaluates
  std::string error;   // why, when failed
  double agreeing = 0; // significant digits that still agree
};

/// Re-evaluates every row; the caller reports `moved` rows.
std::vector<golden_check> check_golden(const std::string& path, std::ostream& log);

/// Accepts the moved rows of `checks` (from check_golden(path)): rewrites `path` atomically with each moved
/// row's value replaced by the value evaluated now; every other byte of the file (comments, unmoved rows,
/// the command column) is kept. Returns the number of rows rewritten.
/// Throws domain_error("--accept", ...) naming the file and line when a row no longer evaluates (an error
/// is not a value to accept) or when the file changed since `checks` was read.
int accept_golden(const std::string& path, const std::vector<golden_check>& checks);

}  // namespace collapse::harness
