// numerics/simulate_long_double_reference.cpp -- the reference engine's draws (numerics/engine_reference.hpp)
// instantiated for long double; a translation unit of its own so that the slow-to-compile decompositions
// build in parallel with the rest of the engine (issue 15 item 7).
#include "numerics/engine_reference.hpp"
namespace collapse::numerics::detail {
template struct reference_engine<long double>;
}
