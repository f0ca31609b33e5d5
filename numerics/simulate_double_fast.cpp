// numerics/simulate_double_fast.cpp -- the fast engine's draws (numerics/engine_fast.hpp) instantiated
// for double; a translation unit of its own (issue 15 item 7).
#include "numerics/engine_fast.hpp"
namespace collapse::numerics::detail {
template struct fast_engine<double>;
}
