// cli/spectrum_options.hpp -- the spectrum options shared by `collapse eval` and `collapse simulate`:
//   --spectrum isotropic --d D --w0norm2 A
//   --spectrum powerlaw --beta B --r R --d D|inf
//   --spectrum file:PATH            (CSV with header eig,w2)
#pragma once

#include "eval/spectrum_input.hpp"

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

namespace collapse::cli {

struct spectrum_options {
  std::string spectrum;  // empty when not given
  std::optional<std::string> d, w0norm2, beta, r;

  void add_to(CLI::App* cmd) {
    cmd->add_option("--spectrum", spectrum, "isotropic | powerlaw | file:PATH (CSV with header eig,w2)");
    cmd->add_option("--d", d, "dimension, a finite integer d >= 1 (the simulator draws d-dimensional designs; collapse eval takes d = inf)");
    cmd->add_option("--w0norm2", w0norm2, "||w0||^2 (isotropic spectrum)");
    cmd->add_option("--beta", beta, "power-law capacity exponent, lambda_j = j^-beta");
    cmd->add_option("--r", r, "power-law source exponent, lambda_j w2_j = j^(-1-2 beta r)");
  }

  /// Builds and validates the spectrum (eval/spectrum_input.hpp); a parameter that does not belong to the
  /// chosen spectrum, or a missing one, is an error naming it.
  spectrum_spec build() const { return eval::parse_spectrum({spectrum, d, w0norm2, beta, r}); }
};

}  // namespace collapse::cli
