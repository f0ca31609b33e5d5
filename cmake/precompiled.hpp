// cmake/precompiled.hpp -- the heavy third-party headers that nearly every translation unit parses,
// precompiled once (CMake target collapse_pch) and reused by every library and test target
// (COLLAPSE_PCH, on by default). Only headers that are stable and widely used belong here: a project
// header in this list would make every touch of it a full rebuild. CLI11 is deliberately absent: it
// belongs to cli/ alone.
#pragma once

#include <boost/math/constants/constants.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/zeta.hpp>
#include <boost/math/tools/minima.hpp>
#include <boost/math/tools/roots.hpp>
#include <boost/multiprecision/cpp_bin_float.hpp>
#include <boost/multiprecision/cpp_int.hpp>
#include <boost/multiprecision/gmp.hpp>
#include <boost/multiprecision/mpfr.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>
