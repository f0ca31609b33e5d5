// theory/instances/kappa.cpp -- κ and κ0 (theory/kappa_impl.hpp) instantiated once for each scalar type of
// eval/ (double, mpfr_real). The only translation unit of this build that includes kappa_impl.hpp besides
// tests that use other scalar types: editing κ's algorithm rebuilds this file (issue 15 item 7).
#include "theory/kappa_impl.hpp"

namespace collapse {
COLLAPSE_KAPPA_INSTANCES(, double)
COLLAPSE_KAPPA_INSTANCES(, mpfr_real)
}  // namespace collapse
