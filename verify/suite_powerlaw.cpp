// verify/suite_powerlaw.cpp -- placeholder: the power-law suite kinds land with issue 4.
#include "verify/suite.hpp"
namespace collapse::verify {
void register_powerlaw_suite_kinds() {}
}  // namespace collapse::verify
