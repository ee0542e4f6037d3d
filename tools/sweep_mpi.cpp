// Running a sweep locally or across MPI ranks (see sweep_mpi.hpp). The MPI protocol: each worker
// rank sends rank 0 a message (tag kResult: how many points it wants and the points it finished
// with their values) and receives points to run (tag kWork) or the word that none are left (tag
// kStop), after which it sends what it still had and stops; rank 0 keeps the journal, so a
// killed sweep resumes with any number of ranks.
#include "tools/sweep_mpi.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include <tbb/global_control.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>

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
/// A worker's message is [how many points it wants, then (point, values…) for each point it
/// finished]; the answer is up to that many points (kWork) or none left (kStop). A worker told
/// to stop finishes the points it holds and sends a last message that wants none.
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
    // The worker's next points first, so that it has them while this rank journals. The last
    // batches shrink to a fair share of what is left, so that the ranks finish together.
    const auto wanted = static_cast<std::size_t>(buffer.at(0));
    if (wanted == 0) {
      ++stopped;
    } else {
      const std::size_t left = missing.size() - next;
      const std::size_t fair =
          (left + static_cast<std::size_t>(workers) - 1) / static_cast<std::size_t>(workers);
      const std::size_t batch = std::min({wanted, left, std::max<std::size_t>(fair, 1)});
      std::vector<unsigned long long> points(missing.begin() + static_cast<long>(next),
                                             missing.begin() + static_cast<long>(next + batch));
      next += batch;
      MPI_Send(points.data(), static_cast<int>(points.size()), MPI_UNSIGNED_LONG_LONG,
               st.MPI_SOURCE, batch > 0 ? kWork : kStop, MPI_COMM_WORLD);
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

/// Waits for rank 0's answer to a request, polling (a blocking MPI wait spins a core that this
/// rank's threads are computing on). Returns the points, and whether there are more to come.
std::pair<std::vector<unsigned long long>, bool> receive_points() {
  MPI_Status st;
  for (int flag = 0;;) {
    MPI_Iprobe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
    if (flag != 0) break;
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
  int count = 0;
  MPI_Get_count(&st, MPI_UNSIGNED_LONG_LONG, &count);
  std::vector<unsigned long long> points(static_cast<std::size_t>(count));
  MPI_Recv(points.data(), count, MPI_UNSIGNED_LONG_LONG, 0, st.MPI_TAG, MPI_COMM_WORLD,
           MPI_STATUS_IGNORE);
  return {std::move(points), st.MPI_TAG == kWork};
}

/// A worker rank: its threads compute points while its main thread talks to rank 0. It holds up
/// to four points a core and asks for more (sending what it has finished) when it is down to two
/// a core, so its cores never wait for an answer or for the slowest point of a batch. Each
/// point's replicates run on the same cores (oneTBB).
void work(const SweepPlan& plan, int threads) {
  const int cores = tbb::this_task_arena::max_concurrency();
  const int slots = threads > 0 ? std::min(threads, cores) : cores;
  const auto low = static_cast<std::size_t>(2 * slots), high = 2 * low;
  // The main thread only waits and sends, so all `slots` cores go to oneTBB's worker threads
  // (by default it has one fewer than the cores, leaving a core for the main thread).
  tbb::global_control allowed(tbb::global_control::max_allowed_parallelism, slots + 1);
  tbb::task_arena arena(slots, 0);
  tbb::task_group group;
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<double> finished;  // (point, values…) for each point finished since the last send
  std::size_t held = 0;          // points received and not yet finished
  std::exception_ptr failure;    // a point that threw (reported once the others are done)
  for (bool more = true;;) {
    std::vector<double> message;
    {
      std::unique_lock lock(mutex);
      changed.wait(lock, [&] { return failure || (more ? held <= low : held == 0); });
      if (failure) break;
      message.push_back(more ? static_cast<double>(high - held) : 0.0);
      message.insert(message.end(), finished.begin(), finished.end());
      finished.clear();
    }
    MPI_Send(message.data(), static_cast<int>(message.size()), MPI_DOUBLE, 0, kResult,
             MPI_COMM_WORLD);
    if (!more) break;
    auto [points, any] = receive_points();
    more = any;
    {
      std::lock_guard lock(mutex);
      held += points.size();
    }
    for (const unsigned long long p : points) {
      arena.execute([&, p] {
        group.run([&, p] {
          try {
            std::vector<double> values = run_point(plan, static_cast<std::size_t>(p), slots, {});
            std::lock_guard lock(mutex);
            finished.push_back(static_cast<double>(p));
            finished.insert(finished.end(), values.begin(), values.end());
            --held;
          } catch (...) {
            std::lock_guard lock(mutex);
            if (!failure) failure = std::current_exception();
            --held;
          }
          changed.notify_one();
        });
      });
    }
  }
  arena.execute([&] { group.wait(); });
  if (failure) std::rethrow_exception(failure);
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
