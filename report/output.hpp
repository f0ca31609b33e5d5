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
/// A symbolic link stays a link: the new content replaces the file it points to. An existing file keeps
/// its permission bits (a new file gets 0644).
void write_file_atomic(const std::string& path, const std::string& content);

/// What an output option names: a file written whole (write_file_atomic) or a directory that is created
/// if missing and filled with files.
enum class output_kind { file, directory };

/// Checks, before any work, that `path` given to `option` (as the user typed it, e.g. "--output") can
/// receive the output: not empty; a file must not be a directory, its directory must exist and accept a
/// new file (probed by creating and removing a temporary file there, so read-only mounts, /proc and
/// missing permissions are caught as the later write would meet them), and an existing file must have a
/// write permission bit (a read-only file, e.g. a protected golden file, is not replaced, even by root);
/// a directory must be one, or be creatable: its nearest existing ancestor is a directory that accepts
/// a new entry. Symbolic links are followed (the write goes to the link's target). Throws domain_error
/// naming `option` and `path`; writes nothing.
void check_output_path(const std::string& option, const std::string& path, output_kind kind = output_kind::file);

/// A temporary name beside `path`, unique per process and call: DIR/.BASE.tmp.PID.N.
std::string unique_temp_name(const std::string& path);

/// Validates a --format value against the accepted list; throws domain_error naming --format.
void check_format(const std::string& format, const std::vector<std::string>& accepted);

/// CSV field quoting (RFC 4180).
std::string csv_field(const std::string& s);

}  // namespace collapse::report
