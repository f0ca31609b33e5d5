// theory/instances/ridge_de.cpp -- the templates declared in theory/ridge_de.hpp, compiled once for each scalar
// type of eval/ (double, mpfr_real) from theory/ridge_de_impl.hpp. Editing that file rebuilds this translation
// unit and the few instance files whose definitions call into it, not the consumers (issue 15 item 7).
#include "theory/ridge_de_impl.hpp"

namespace collapse {
COLLAPSE_RIDGE_DE_INSTANCES(, double)
COLLAPSE_RIDGE_DE_INSTANCES(, mpfr_real)
}  // namespace collapse
