// parallel/mpi/mpi_group.hpp -- MPI for the `collapse` binary (issue 10): MPI_COMM_WORLD as the
// numerics::process_group of numerics/process_group.hpp, and the rank-0 work dispatcher behind the
// dynamic scheduling of `collapse verify` (harness::row_sharing). This folder is the only code that
// includes <mpi.h>; it is linked into the `collapse` executable only, never into the core libraries
// or the Python module, and only when CMake found MPI (COLLAPSE_MPI).
#pragma once

#include "harness/runner.hpp"
#include "numerics/process_group.hpp"

#include <memory>

namespace collapse::parallel {

/// True when this process was started by a process manager (mpirun/mpiexec of Open MPI or MPICH,
/// srun with PMI/PMIx): one of OMPI_COMM_WORLD_SIZE, PMI_SIZE, PMI_RANK, PMIX_RANK is set. A plain
/// `collapse ...` then never initialises MPI (no start-up cost, nothing printed).
bool launched_by_mpi();

/// MPI for the lifetime of the object: MPI_Init_thread (MPI_THREAD_SERIALIZED: the verify dispatcher
/// thread of rank 0 makes MPI calls while rank 0's main thread computes) on construction,
/// MPI_Finalize on destruction. Throws runtime_error when MPI cannot be initialised or lacks
/// MPI_THREAD_SERIALIZED.
class mpi_session {
public:
  mpi_session(int& argc, char**& argv);
  ~mpi_session();
  mpi_session(const mpi_session&) = delete;
  mpi_session& operator=(const mpi_session&) = delete;
  /// MPI_COMM_WORLD as a process group (gather: MPI_Gather of the sizes + MPI_Gatherv; broadcast:
  /// two MPI_Bcast), shared by everything of this run.
  std::shared_ptr<numerics::process_group> group() const { return group_; }
  /// The verify dispatcher over MPI_COMM_WORLD (see harness::row_sharing).
  std::shared_ptr<harness::row_sharing> sharing() const { return sharing_; }

private:
  std::shared_ptr<numerics::process_group> group_;
  std::shared_ptr<harness::row_sharing> sharing_;
};

}  // namespace collapse::parallel
