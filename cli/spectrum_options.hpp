// cli/spectrum_options.hpp -- the spectrum options shared by `collapse eval` and `collapse simulate`:
//   --spectrum isotropic --d D --w0norm2 A
//   --spectrum powerlaw --beta B --r R --d D|inf
//   --spectrum file:PATH            (CSV with header eig,w2)
#pragma once

#include "theory/spectrum_spec.hpp"

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

namespace collapse::cli {

struct spectrum_options {
  std::string spectrum;  // empty when not given
  std::optional<std::string> d, w0norm2, beta, r;

  void add_to(CLI::App* cmd) {
    cmd->add_option("--spectrum", spectrum, "isotropic | powerlaw | file:PATH (CSV with header eig,w2)");
    cmd->add_option("--d", d, "dimension (integer; 'inf' allowed for the power law)");
    cmd->add_option("--w0norm2", w0norm2, "||w0||^2 (isotropic spectrum)");
    cmd->add_option("--beta", beta, "power-law capacity exponent, lambda_j = j^-beta");
    cmd->add_option("--r", r, "power-law source exponent, lambda_j w2_j = j^(-1-2 beta r)");
  }

  /// Builds and validates the spectrum; a parameter that does not belong to the chosen spectrum, or a
  /// missing one, is an error naming it.
  spectrum_spec build() const {
    auto need = [](const std::optional<std::string>& v, const char* name, const std::string& kind) -> const std::string& {
      if (!v) throw domain_error(std::string("--") + name, "(missing)", "required by --spectrum " + kind);
      return *v;
    };
    auto forbid = [](const std::optional<std::string>& v, const char* name, const std::string& kind) {
      if (v) throw domain_error(std::string("--") + name, *v, "not used by --spectrum " + kind);
    };
    spectrum_spec s;
    if (spectrum == "isotropic") {
      s.type = spectrum_spec::kind::isotropic;
      s.d = parse_exact("d", need(d, "d", spectrum), false);
      s.w0norm2 = parse_exact("w0norm2", need(w0norm2, "w0norm2", spectrum));
      forbid(beta, "beta", spectrum); forbid(r, "r", spectrum);
    } else if (spectrum == "powerlaw") {
      s.type = spectrum_spec::kind::powerlaw;
      s.d = parse_exact("d", need(d, "d", spectrum), true);
      s.beta = parse_exact("beta", need(beta, "beta", spectrum));
      s.r = parse_exact("r", need(r, "r", spectrum));
      forbid(w0norm2, "w0norm2", spectrum);
    } else if (spectrum.rfind("file:", 0) == 0) {
      forbid(d, "d", "file"); forbid(w0norm2, "w0norm2", "file"); forbid(beta, "beta", "file"); forbid(r, "r", "file");
      s = read_spectrum_csv(spectrum.substr(5));
    } else {
      throw domain_error("--spectrum", spectrum.empty() ? "(missing)" : spectrum, "isotropic, powerlaw or file:PATH");
    }
    validate(s);
    return s;
  }
};

}  // namespace collapse::cli
