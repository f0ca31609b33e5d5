// bench/timing.hpp -- the one timing rule of the C++ benchmarks: 3 warm-up runs, then the median of `reps`
// timed runs, in milliseconds of wall time (steady_clock).
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <vector>

namespace collapse::bench {

inline double median_ms(const std::function<void()>& f, int reps) {
  for (int i = 0; i < 3; ++i) f();
  std::vector<double> t;
  for (int i = 0; i < reps; ++i) {
    auto a = std::chrono::steady_clock::now();
    f();
    t.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - a).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

}  // namespace collapse::bench
