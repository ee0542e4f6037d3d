// Running a sweep locally or across MPI ranks (see sweep_mpi.hpp). The MPI protocol: each worker
// rank sends rank 0 a message (tag kResult: the point it finished and its values, or nothing the
// first time) and receives the next point to run (tag kWork) or the word to stop (tag kStop);
// rank 0 keeps the journal, so a killed sweep resumes with any number of ranks.
#include "tools/sweep_mpi.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <thread>

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <vector>

#include "models/scenario.hpp"
#include "tools/cli.hpp"
#include "tools/sweep_plan.hpp"

#ifdef PITSTOP_WITH_MPI
#include <mpi.h>
#endif

namespace pitstop::cli {

#ifndef PITSTOP_WITH_MPI

int run_sweep(const std::string& file, const std::string& out, int threads, bool quiet) {
  return run_sweep_local(plan_sweep(file), out, threads, quiet);
}

#else

namespace {

enum Tag : int { kResult = 1, kWork = 2, kStop = 3 };

/// MPI_Init_thread/MPI_Finalize around a sweep (only the main thread calls MPI).
struct MpiSession {
  MpiSession() {
    int provided = 0;
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
  }
  ~MpiSession() { MPI_Finalize(); }
  int rank = 0, size = 1;
};

/// Rank 0: hands out the missing points as workers ask, journals what comes back, writes `out`.
/// A worker's message is [its cores, then (point, values…) for each point it finished]; the
/// answer is up to that many points (kWork) or none left (kStop).
int coordinate(const SweepPlan& plan, const std::string& out, int workers, bool quiet) {
  Journal journal(out + ".journal", plan);
  std::map<std::size_t, std::vector<double> > done = journal.read();
  std::vector<std::size_t> missing;
  for (std::size_t p = 0; p < plan.points.size(); ++p)
    if (done.count(p) == 0) missing.push_back(p);
  if (!quiet) {
    fmt::print(stderr, "sweep '{}': {} points × {} replicates of '{}' on {} worker ranks{}\n",
               plan.spec.file, plan.points.size(), plan.spec.replicates, plan.scenario, workers,
               done.empty() ? "" : fmt::format("; resuming: {} points done", done.size()));
  }
  journal.start_if_new();
  const std::size_t width =
      plan.spec.replicates * plan.metric_index.size() * plan.financial_years.size();
  std::vector<double> buffer;
  std::size_t next = 0;
  int stopped = 0;
  SweepProgress progress(quiet, plan.points.size(), done.size());
  while (stopped < workers) {
    // Poll rather than block: a blocking receive spins a core that the workers need.
    int flag = 0;
    MPI_Status st;
    MPI_Iprobe(MPI_ANY_SOURCE, kResult, MPI_COMM_WORLD, &flag, &st);
    if (flag == 0) {
      std::this_thread::sleep_for(std::chrono::microseconds(500));
      continue;
    }
    int count = 0;
    MPI_Get_count(&st, MPI_DOUBLE, &count);
    buffer.resize(static_cast<std::size_t>(count));
    MPI_Recv(buffer.data(), count, MPI_DOUBLE, st.MPI_SOURCE, kResult, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    // The worker's next points first, so that it computes while this rank journals. A batch of
    // four points a core keeps its cores busy with whole points (little idle at a batch's end,
    // few messages); the last batches shrink so that the ranks finish together.
    const auto cores = static_cast<std::size_t>(buffer.at(0));
    const std::size_t left = missing.size() - next;
    const std::size_t fair =
        (left + static_cast<std::size_t>(workers) - 1) / static_cast<std::size_t>(workers);
    const std::size_t batch = std::min({4 * cores, left, std::max<std::size_t>(fair, 1)});
    if (batch > 0) {
      std::vector<unsigned long long> points(missing.begin() + static_cast<long>(next),
                                             missing.begin() + static_cast<long>(next + batch));
      next += batch;
      MPI_Send(points.data(), static_cast<int>(points.size()), MPI_UNSIGNED_LONG_LONG,
               st.MPI_SOURCE, kWork, MPI_COMM_WORLD);
    } else {
      MPI_Send(nullptr, 0, MPI_UNSIGNED_LONG_LONG, st.MPI_SOURCE, kStop, MPI_COMM_WORLD);
      ++stopped;
    }
    for (std::size_t at = 1; at + 1 + width <= buffer.size(); at += 1 + width) {
      const auto p = static_cast<std::size_t>(buffer[at]);
      std::vector<double> values(buffer.begin() + static_cast<long>(at + 1),
                                 buffer.begin() + static_cast<long>(at + 1 + width));
      journal.append(p, values);
      done[p] = std::move(values);
      progress.point_done();
    }
  }
  output::write_sweep_file(out, assemble(plan, done));
  journal.remove();
  if (!quiet) {
    fmt::print("{} points × {} replicates: results in {}\n", plan.points.size(),
               plan.spec.replicates, out);
  }
  return kExitOk;
}

/// A worker rank: asks for as many points as it has cores and runs them side by side, each
/// point's replicates on the same cores (oneTBB).
void work(const SweepPlan& plan, int threads) {
  const int cores = tbb::this_task_arena::max_concurrency();
  const int slots = threads > 0 ? std::min(threads, cores) : cores;
  std::vector<double> message = {static_cast<double>(slots)};
  for (;;) {
    MPI_Send(message.data(), static_cast<int>(message.size()), MPI_DOUBLE, 0, kResult,
             MPI_COMM_WORLD);
    MPI_Status st;
    MPI_Probe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
    int count = 0;
    MPI_Get_count(&st, MPI_UNSIGNED_LONG_LONG, &count);
    std::vector<unsigned long long> points(static_cast<std::size_t>(count));
    MPI_Recv(points.data(), count, MPI_UNSIGNED_LONG_LONG, 0, st.MPI_TAG, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    if (st.MPI_TAG == kStop) return;
    std::vector<std::vector<double> > values(points.size());
    tbb::task_arena arena(slots);
    arena.execute([&] {
      tbb::parallel_for(std::size_t{0}, points.size(), [&](std::size_t i) {
        values[i] = run_point(plan, static_cast<std::size_t>(points[i]), slots, {});
      });
    });
    message.assign(1, static_cast<double>(slots));
    for (std::size_t i = 0; i < points.size(); ++i) {
      message.push_back(static_cast<double>(points[i]));
      message.insert(message.end(), values[i].begin(), values[i].end());
    }
  }
}

}  // namespace

int run_sweep(const std::string& file, const std::string& out, int threads, bool quiet) {
  MpiSession mpi;
  if (mpi.size == 1) return run_sweep_local(plan_sweep(file), out, threads, quiet);
  try {
    const SweepPlan plan = plan_sweep(file);  // every rank plans the same sweep
    if (mpi.rank == 0) return coordinate(plan, out, mpi.size - 1, quiet);
    work(plan, threads);
    return kExitOk;
  } catch (const models::InputError& e) {
    // Every rank finds the same input error; rank 0 reports it, and all stop with code 2.
    if (mpi.rank == 0) fmt::print(stderr, "error: {}\n", e.what());
    MPI_Abort(MPI_COMM_WORLD, kExitInput);
  } catch (const std::exception& e) {
    fmt::print(stderr, "error (rank {}): {}\n", mpi.rank, e.what());
    MPI_Abort(MPI_COMM_WORLD, kExitRuntime);
  }
  return kExitRuntime;
}

#endif

}  // namespace pitstop::cli
