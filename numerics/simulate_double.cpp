// numerics/simulate_double.cpp -- the simulation engine (chain loop and test errors,
// numerics/simulation_engine.hpp) instantiated for double; its draws are instantiated in
// simulate_double_reference.cpp and simulate_double_fast.cpp.
#include "numerics/simulation_engine.hpp"
namespace collapse::numerics::detail {
template std::unique_ptr<trial_runner> make_trial_runner<double>(const simulation_config&);
}
