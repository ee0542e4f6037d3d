// Where a sweep runs: on this machine's cores, or — in a build with PITSTOP_MPI, started by
// mpirun or srun with more than one rank — across ranks: rank 0 hands out points as ranks free
// up, keeps the journal and writes the results file, and runs points too; every rank runs a
// point's replicates on its own cores with oneTBB. Results are the same bytes whatever the ranks
// and threads.
#pragma once

#include <string>

namespace pitstop::cli {

/// Plans and runs the sweep in `file`, writing `out`. Returns the exit code.
int run_sweep(const std::string& file, const std::string& out, int threads, bool quiet);

}  // namespace pitstop::cli
