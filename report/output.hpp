// report/output.hpp -- atomic file output and the shared --format handling of the CLI.
#pragma once

#include <string>
#include <vector>

namespace collapse::report {

/// Writes `content` to `path` atomically: a temporary file in the same directory, fsync, rename.
/// A reader sees either the old file or the whole new one, never a half-written file.
void write_file_atomic(const std::string& path, const std::string& content);

/// Validates a --format value against the accepted list; throws domain_error naming --format.
void check_format(const std::string& format, const std::vector<std::string>& accepted);

/// CSV field quoting (RFC 4180).
std::string csv_field(const std::string& s);

}  // namespace collapse::report
