// numerics/simulate_mp50.cpp -- the simulation engine instantiated for boost cpp_bin_float_50, for
// small-d spot checks near the interpolation thresholds (compiled separately: it is slow to build).
#include "numerics/simulation_engine.hpp"
namespace collapse::numerics::detail {
template std::unique_ptr<trial_runner> make_trial_runner<mp50>(const simulation_config&);
}
