// theory/instances/deterministic_equivalents_mpfr.cpp -- κ, the ridge, over-parameterised-generator and
// ridge-generator deterministic equivalents and λ* instantiated once for mpfr_real (build time, issue 15
// item 7; the declarations are at the end of each header). Compiled only inside this project's build.
#include "theory/kappa.hpp"
#include "theory/lambda_opt.hpp"
#include "theory/overgen_de.hpp"
#include "theory/ridge_de.hpp"
#include "theory/variants/ridge_generator.hpp"

namespace collapse {
COLLAPSE_KAPPA_INSTANCES(, mpfr_real)
COLLAPSE_RIDGE_DE_INSTANCES(, mpfr_real)
COLLAPSE_OVERGEN_DE_INSTANCES(, mpfr_real)
COLLAPSE_LAMBDA_OPT_INSTANCES(, mpfr_real)
}  // namespace collapse

namespace collapse::variants {
COLLAPSE_RIDGE_GENERATOR_INSTANCES(, mpfr_real)
}  // namespace collapse::variants
