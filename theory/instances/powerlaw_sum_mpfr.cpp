// theory/instances/powerlaw_sum_mpfr.cpp -- the power-law sums and zeta functions instantiated once for
// mpfr_real (build time, issue 15 item 7; the declarations are at the end of theory/powerlaw_sum.hpp and
// theory/zeta.hpp). Compiled only inside this project's build, never installed.
#include "theory/powerlaw_sum.hpp"

namespace collapse {
COLLAPSE_POWERLAW_SUM_INSTANCES(, mpfr_real)
COLLAPSE_ZETA_INSTANCES(, mpfr_real)
}  // namespace collapse
