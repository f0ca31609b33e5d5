// numerics/simulate_mp50.cpp -- the simulation engine (chain loop and test errors,
// numerics/simulation_engine.hpp) instantiated for boost cpp_bin_float_50, for small-d spot checks near
// the interpolation thresholds; its draws are instantiated in simulate_mp50_reference.cpp and
// simulate_mp50_fast.cpp.
#include "numerics/simulation_engine.hpp"
namespace collapse::numerics::detail {
template std::unique_ptr<trial_runner> make_trial_runner<mp50>(const simulation_config&);
}
