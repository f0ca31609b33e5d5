// numerics/process_group.hpp -- the processes that share one run (issue 10), as the simulator and the
// harness see them: a rank, a size, and two collectives on byte strings. parallel/mpi/ implements it
// over MPI (linked only into the `collapse` binary); numerics/ and harness/ never include MPI. A null
// group, or a group of size 1, is this process alone: the code paths are then exactly the serial ones.
#pragma once

#include <string>
#include <vector>

namespace collapse::numerics {

class process_group {
public:
  virtual ~process_group() = default;
  /// This process's rank, 0 <= rank < size; rank 0 (the root) reduces, prints and writes.
  virtual int rank() const = 0;
  /// Number of processes, >= 1.
  virtual int size() const = 0;
  /// Collective (every process calls it, in the same order): each passes `bytes`; the root returns
  /// all of them in rank order (its own first), the others an empty vector. Throws runtime_error when
  /// the transport fails.
  virtual std::vector<std::string> gather(const std::string& bytes) = 0;
  /// Collective: the root's `bytes` on every process (the others' argument is ignored).
  virtual std::string broadcast(const std::string& bytes) = 0;
};

}  // namespace collapse::numerics
