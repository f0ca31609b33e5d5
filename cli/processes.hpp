// cli/processes.hpp -- the processes one `collapse` run shares its work with (issue 10). main() sets
// them when the binary was launched by mpirun (parallel/mpi/, linked into the executable only); the
// commands read them. Without mpirun there is one process and every command runs exactly as before.
#pragma once

#include "harness/runner.hpp"
#include "numerics/process_group.hpp"

#include <memory>
#include <stdexcept>

namespace collapse::cli {

struct processes {
  std::shared_ptr<numerics::process_group> group;  // null: this process alone
  std::shared_ptr<harness::row_sharing> sharing;   // verify's dynamic scheduler (null: alone)
  /// Rank 0, or the only process: the one that prints and writes.
  bool root() const { return !group || group->rank() == 0; }
  bool shared() const { return group && group->size() > 1; }
};

/// Set once by main() before the command runs.
void set_processes(processes p);
const processes& current_processes();

/// Thrown on a non-root rank that must stop because the root refused the run: main() exits with
/// `code` and prints nothing (the root prints the one error line).
struct quiet_exit : std::runtime_error {
  int code;
  explicit quiet_exit(int c) : std::runtime_error("quiet exit"), code(c) {}
};

/// Runs `f` on the root only and hands its outcome to every rank: a root exception is rethrown there,
/// and the other ranks throw quiet_exit with the same exit status (2 for collapse::domain_error, else 1).
/// Alone, it just calls f.
void on_root_then_agree(const std::function<void()>& f);

}  // namespace collapse::cli
