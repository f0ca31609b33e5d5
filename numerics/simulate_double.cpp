// numerics/simulate_double.cpp -- the simulation engine instantiated for double (the default).
#include "numerics/simulation_engine.hpp"
namespace collapse::numerics::detail {
template std::unique_ptr<trial_runner> make_trial_runner<double>(const simulation_config&);
}
