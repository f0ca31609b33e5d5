// cli/simulate_config.hpp -- the configuration `collapse simulate` builds from its option texts, for callers
// without a command line (the Python module, issue 14). No CLI11 here.
#pragma once

#include "numerics/simulate.hpp"

#include <map>
#include <string>

namespace collapse::cli {

/// The simulation_config of `collapse simulate --NAME TEXT ...` for `options` = {NAME: TEXT} (names without
/// "--": spectrum, d, w0norm2, beta, r, T, T0, n, lambda (comma-separated, as on the command line), sigma2,
/// sigma02, trials, target-se, max-trials, seed, threads, engine, estimator, precision, path, chain, ...), with the command's
/// defaults, ranges and messages. Throws collapse::domain_error for an unknown name (listing the known
/// ones) or a bad value; numerics::validate has run on the result. The command's --max-seconds pilot is not
/// part of it (a caller that can interrupt a run does not need it).
numerics::simulation_config simulation_config_from(const std::map<std::string, std::string>& options);

}  // namespace collapse::cli
