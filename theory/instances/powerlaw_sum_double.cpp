// theory/instances/powerlaw_sum_double.cpp -- the power-law sums and zeta functions instantiated once for
// double (build time, issue 15 item 7; the declarations are at the end of theory/powerlaw_sum.hpp and
// theory/zeta.hpp). Compiled only inside this project's build, never installed.
#include "theory/powerlaw_sum.hpp"

namespace collapse {
COLLAPSE_POWERLAW_SUM_INSTANCES(, double)
COLLAPSE_ZETA_INSTANCES(, double)
}  // namespace collapse
