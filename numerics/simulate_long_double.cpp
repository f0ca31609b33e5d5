// numerics/simulate_long_double.cpp -- the simulation engine instantiated for long double.
#include "numerics/simulation_engine.hpp"
namespace collapse::numerics::detail {
template std::unique_ptr<trial_runner> make_trial_runner<long double>(const simulation_config&);
}
