// theory/instances/deterministic_equivalents_double.cpp -- κ, the ridge, over-parameterised-generator and
// ridge-generator deterministic equivalents and λ* instantiated once for double (build time, issue 15
// item 7; the declarations are at the end of each header). Compiled only inside this project's build.
#include "theory/kappa.hpp"
#include "theory/lambda_opt.hpp"
#include "theory/overgen_de.hpp"
#include "theory/ridge_de.hpp"
#include "theory/variants/ridge_generator.hpp"

namespace collapse {
COLLAPSE_KAPPA_INSTANCES(, double)
COLLAPSE_RIDGE_DE_INSTANCES(, double)
COLLAPSE_OVERGEN_DE_INSTANCES(, double)
COLLAPSE_LAMBDA_OPT_INSTANCES(, double)
}  // namespace collapse

namespace collapse::variants {
COLLAPSE_RIDGE_GENERATOR_INSTANCES(, double)
}  // namespace collapse::variants
