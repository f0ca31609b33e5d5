// harness/progress.hpp -- one progress line per step of a phase, on stderr, with the real total and an
// estimate of the time left (from the mean time of the finished steps). A tiny helper of the harness
// (report/ has none yet); every phase of `collapse verify` that can last longer than a second uses it.
#pragma once

#include <fmt/format.h>

#include <chrono>
#include <cstddef>
#include <ostream>
#include <string>

namespace collapse::harness {

class progress_meter {
public:
  progress_meter(std::ostream& log, std::string phase, std::size_t total)
      : log_(log), phase_(std::move(phase)), total_(total), t0_(std::chrono::steady_clock::now()) {}

  /// Announces step `done() + 1` of total: "[report 3/17, 12 s, ETA 40 s] figures/de-isotropic".
  void step(const std::string& what) {
    const double s = elapsed();
    std::string eta = done_ == 0 ? "ETA unknown" : fmt::format("ETA {:.0f} s", s / static_cast<double>(done_) * static_cast<double>(total_ - done_));
    log_ << fmt::format("[{} {}/{}, {:.0f} s, {}] {}\n", phase_, done_ + 1, total_, s, eta, what) << std::flush;
    ++done_;
  }
  std::size_t done() const { return done_; }
  double elapsed() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count(); }

private:
  std::ostream& log_;
  std::string phase_;
  std::size_t total_, done_ = 0;
  std::chrono::steady_clock::time_point t0_;
};

}  // namespace collapse::harness
