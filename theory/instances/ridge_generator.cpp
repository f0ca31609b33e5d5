// theory/instances/ridge_generator.cpp -- the templates declared in theory/variants/ridge_generator.hpp, compiled once for each scalar
// type of eval/ (double, mpfr_real) from theory/variants/ridge_generator_impl.hpp. Editing that file rebuilds this translation
// unit and the few instance files whose definitions call into it, not the consumers (issue 15 item 7).
#include "theory/variants/ridge_generator_impl.hpp"

namespace collapse::variants {
COLLAPSE_RIDGE_GENERATOR_INSTANCES(, double)
COLLAPSE_RIDGE_GENERATOR_INSTANCES(, mpfr_real)
}  // namespace collapse::variants
