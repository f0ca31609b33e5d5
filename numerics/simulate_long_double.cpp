// numerics/simulate_long_double.cpp -- the simulation engine (chain loop and test errors,
// numerics/simulation_engine.hpp) instantiated for long double; its draws are instantiated in
// simulate_long_double_reference.cpp and simulate_long_double_fast.cpp.
#include "numerics/simulation_engine.hpp"
namespace collapse::numerics::detail {
template std::unique_ptr<trial_runner> make_trial_runner<long double>(const simulation_config&);
}
