// eval/spectrum_input.hpp -- a spectrum from option texts, as typed on a command line or in a table:
//   --spectrum isotropic --d D --w0norm2 A
//   --spectrum powerlaw --beta B --r R --d D|inf          (λ_j = j^-β, λ_j w2_j = j^(-1-2βr), §5.1)
//   --spectrum file:PATH                                  (CSV with header eig,w2, values parsed exactly)
// Shared by `collapse eval`, `collapse simulate` (through cli/spectrum_options.hpp) and the golden check.
#pragma once

#include "theory/spectrum_spec.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace collapse::eval {

struct spectrum_texts {
  std::string spectrum;  // "isotropic", "powerlaw" or "file:PATH"; empty when not given
  std::optional<std::string> d, w0norm2, beta, r;
};

/// Builds and validates the spectrum (§1, §5.1). A parameter that does not belong to the chosen kind, or
/// a missing one, is a domain_error naming it. A relative file:PATH is resolved against `base_dir` when
/// that is not empty.
spectrum_spec parse_spectrum(const spectrum_texts& t, const std::string& base_dir = {});

/// Largest spectrum file read (bytes) and longest line (characters): a spectrum of 10^7 directions fits.
inline constexpr std::uintmax_t max_spectrum_file_bytes = std::uintmax_t(512) << 20;
inline constexpr std::size_t max_spectrum_line_chars = 4096;

/// Reads an explicit spectrum: a regular file of at most max_spectrum_file_bytes, CSV with header `eig,w2`,
/// one row per eigen-direction (eig > 0, w2 >= 0, exact numbers), lines of at most max_spectrum_line_chars
/// characters, '#' comments and blank lines skipped. An optional comment `# rows = N` declares the number
/// of data rows; a file with another count (a copy cut at a line boundary) is refused. Errors name the file
/// and line (domain_error).
spectrum_spec read_spectrum_file(const std::string& path);

}  // namespace collapse::eval
