// theory/instances/lambda_opt.cpp -- the templates declared in theory/lambda_opt.hpp, compiled once for each scalar
// type of eval/ (double, mpfr_real) from theory/lambda_opt_impl.hpp. Editing that file rebuilds this translation
// unit and the few instance files whose definitions call into it, not the consumers (issue 15 item 7).
#include "theory/lambda_opt_impl.hpp"

namespace collapse {
COLLAPSE_LAMBDA_OPT_INSTANCES(, double)
COLLAPSE_LAMBDA_OPT_INSTANCES(, mpfr_real)
}  // namespace collapse
