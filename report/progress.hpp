// report/progress.hpp -- one progress line on stderr for long runs: a bar with the real total, the rate
// and an ETA, or (when the computation cannot say how far it is) the elapsed time of a named phase.
//
// Policy (docs/cli.md): nothing for the first second; then the line is redrawn at most ten times a
// second with '\r'. It is shown only when stderr is a terminal, or always with --progress
// (set_progress_mode(always)); --progress never hides it. Library code never prints: the CLI owns this.
#pragma once

#include <fmt/format.h>

#include <atomic>
#include <cmath>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <unistd.h>

namespace collapse::report {

enum class progress_mode { automatic, always, never };

inline std::atomic<progress_mode>& progress_setting() {
  static std::atomic<progress_mode> m{progress_mode::automatic};
  return m;
}
inline void set_progress_mode(progress_mode m) { progress_setting() = m; }
/// Whether progress lines are printed: --progress, or stderr is a terminal.
inline bool progress_enabled() {
  auto m = progress_setting().load();
  return m == progress_mode::always || (m == progress_mode::automatic && ::isatty(STDERR_FILENO));
}

/// "3.2 s", "4 min 10 s", "2.5 h", "5.2 days".
inline std::string human_duration(double s) {
  if (s < 60) return fmt::format("{:.1f} s", s);
  if (s < 3600) return fmt::format("{:.0f} min {:.0f} s", std::floor(s / 60), std::fmod(s, 60));
  if (s < 86400 * 2) return fmt::format("{:.1f} h", s / 3600);
  return fmt::format("{:.1f} days", s / 86400);
}

/// A bar for a run with a known total: update(done, total[, eta]) from the thread that runs it.
class progress_bar {
public:
  explicit progress_bar(std::string what, std::string unit) : what_(std::move(what)), unit_(std::move(unit)) {}
  progress_bar(const progress_bar&) = delete;
  progress_bar& operator=(const progress_bar&) = delete;
  ~progress_bar() { if (shown_) std::fputs("\n", stderr); }

  /// done of total units; eta_seconds < 0: estimated here from the mean rate so far.
  void update(std::uint64_t done, std::uint64_t total, double eta_seconds = -1) {
    const auto now = std::chrono::steady_clock::now();
    const double t = std::chrono::duration<double>(now - start_).count();
    if (t < 1 || total == 0 || !progress_enabled()) return;
    if (shown_ && done < total && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    shown_ = true;
    if (eta_seconds < 0 && done > 0) eta_seconds = t * static_cast<double>(total - std::min(done, total)) / static_cast<double>(done);
    const int width = 30, filled = static_cast<int>(width * std::min(1.0, static_cast<double>(done) / static_cast<double>(total)));
    std::fprintf(stderr, "\r%s [%s%s] %llu/%llu %s, %s elapsed, ETA %s   ", what_.c_str(), std::string(filled, '#').c_str(),
                 std::string(width - filled, '.').c_str(), static_cast<unsigned long long>(done), static_cast<unsigned long long>(total),
                 unit_.c_str(), human_duration(t).c_str(), eta_seconds < 0 ? "?" : human_duration(eta_seconds).c_str());
    std::fflush(stderr);
  }

private:
  std::string what_, unit_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now(), last_{};
  bool shown_ = false;
};

/// For a computation that has no progress callback: a background thread redraws
/// "WHAT: PHASE, 12.3 s elapsed" every 0.5 s after the first second, until the object dies.
class progress_ticker {
public:
  explicit progress_ticker(std::string what) : what_(std::move(what)) {
    if (progress_enabled()) thread_ = std::thread([this] { loop(); });
  }
  ~progress_ticker() {
    {
      std::lock_guard<std::mutex> l(m_);
      stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
    if (shown_) std::fputs("\n", stderr);
  }
  void phase(const std::string& p) { std::lock_guard<std::mutex> l(m_); phase_ = p; }

private:
  void loop() {
    std::unique_lock<std::mutex> l(m_);
    while (!cv_.wait_for(l, std::chrono::milliseconds(500), [this] { return stop_; })) {
      const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
      if (t < 1) continue;
      shown_ = true;
      std::fprintf(stderr, "\r%s%s%s, %s elapsed   ", what_.c_str(), phase_.empty() ? "" : ": ", phase_.c_str(), human_duration(t).c_str());
      std::fflush(stderr);
    }
  }
  std::string what_, phase_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::mutex m_;
  std::condition_variable cv_;
  bool stop_ = false, shown_ = false;
  std::thread thread_;
};

}  // namespace collapse::report
