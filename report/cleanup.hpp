// report/cleanup.hpp -- temporary files and folders that must not outlive an interrupted run.
//
// Every temporary path a writer creates (write_file_atomic's `.NAME.tmp.PID.N`, gnuplot's output before
// its check, `collapse plot`'s private folder) is registered while it exists; install_signal_cleanup()
// makes SIGINT, SIGTERM and SIGHUP remove the registered paths and then die of the same signal (exit
// status 128 + signal, as the shell expects). Normal and exceptional exits remove them by RAII.
// The handler uses unlink/rmdir/opendir on at most 64 fixed slots: no allocation, no locks.
#pragma once

#include <string>

namespace collapse::report {

/// Installs the SIGINT/SIGTERM/SIGHUP handler (idempotent; called once by main()).
void install_signal_cleanup();

/// Registers a file path (or a folder, removed with its files) for removal on a signal, for its lifetime.
/// Does not remove anything on destruction: the owner does (a completed rename must not be undone).
class temp_path_guard {
public:
  explicit temp_path_guard(const std::string& path);
  ~temp_path_guard();
  temp_path_guard(const temp_path_guard&) = delete;
  temp_path_guard& operator=(const temp_path_guard&) = delete;

private:
  int slot_ = -1;
};

/// A private temporary folder (mkdtemp under $TMPDIR or /tmp, prefix `collapse-NAME-`), removed with
/// everything in it when the object dies -- by an exception, a normal return or a signal.
/// Throws runtime_error when it cannot be created.
class temp_dir {
public:
  explicit temp_dir(const std::string& name);
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
  std::string path_;
  temp_path_guard* guard_ = nullptr;
};

}  // namespace collapse::report
