// report/output.hpp -- atomic file output, the --format check and CSV quoting.
#pragma once

#include <string>
#include <vector>

namespace collapse::report {

/// Writes `content` to `path` atomically: a temporary file in the same directory named uniquely per
/// process and call (`.NAME.tmp.PID.N`), every byte checked as written, fsync of the file, rename,
/// fsync of the directory. A reader sees either the old file or the whole new one. On any error (disk
/// full, missing directory, ...) throws runtime_error naming `path`, renames nothing and leaves no
/// temporary file behind (also when the process is interrupted by SIGINT/SIGTERM: report/cleanup.hpp).
void write_file_atomic(const std::string& path, const std::string& content);

/// A temporary name beside `path`, unique per process and call: DIR/.BASE.tmp.PID.N.
std::string unique_temp_name(const std::string& path);

/// Validates a --format value against the accepted list; throws domain_error naming --format.
void check_format(const std::string& format, const std::vector<std::string>& accepted);

/// CSV field quoting (RFC 4180).
std::string csv_field(const std::string& s);

}  // namespace collapse::report
