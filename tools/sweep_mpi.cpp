// Running a sweep locally or across MPI ranks (see sweep_mpi.hpp). The MPI protocol: each worker
// rank sends rank 0 a message (tag kResult: how many points it wants and the points it finished
// with their values) and receives points to run (tag kWork) or the word that none are left (tag
// kStop), after which it sends what it still had and stops. Rank 0 runs points on its own cores
// between messages and keeps the journal, so a killed sweep resumes with any number of ranks.
#include "tools/sweep_mpi.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <functional>
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

/// Points running on this rank's cores (oneTBB) while its main thread talks to the other ranks.
/// Each point's replicates run on the same cores; a point that throws is reported once the
/// others stop (the first failure wins).
class PointRunner {
 public:
  /// What is running and what is ready to send.
  struct State {
    std::size_t held = 0;   // points given and not yet finished
    bool finished = false;  // points finished and not yet taken
  };

  PointRunner(const SweepPlan& plan, int threads)
      : plan_(plan),
        slots_(sweep_threads(threads)),
        // The main thread only waits and talks, so all `slots_` cores go to oneTBB's worker
        // threads (by default it has one fewer than the cores, leaving one for the main thread).
        allowed_(tbb::global_control::max_allowed_parallelism,
                 static_cast<std::size_t>(slots_) + 1),
        // A slot kept for the main thread, so that handing over points enters the arena at
        // once: without it, the main thread's execute() waits until a worker thread finishes
        // the point it is on, and meanwhile answers no one.
        arena_(slots_ + 1, 1) {}
  ~PointRunner() {
    arena_.execute([&] {
      group_.cancel();
      group_.wait();
    });
  }
  PointRunner(const PointRunner&) = delete;
  PointRunner& operator=(const PointRunner&) = delete;

  /// Ask for more points at two a core, up to four a core: enough that the cores never wait for
  /// an answer or for the slowest point of a batch.
  std::size_t low() const { return 2 * static_cast<std::size_t>(slots_); }
  std::size_t high() const { return 4 * static_cast<std::size_t>(slots_); }

  void run(const std::vector<unsigned long long>& points) {
    {
      std::lock_guard lock(mutex_);
      held_ += points.size();
    }
    for (const unsigned long long p : points) {
      arena_.execute([&, p] {
        group_.run([this, p] {
          // The waiting thread is told under the lock, so that once it sees the point done this
          // task no longer touches the runner (which it may then destroy).
          try {
            std::vector<double> values = run_point(plan_, static_cast<std::size_t>(p), slots_, {});
            std::lock_guard lock(mutex_);
            finished_.push_back(static_cast<double>(p));
            finished_.insert(finished_.end(), values.begin(), values.end());
            --held_;
            changed_.notify_all();
          } catch (...) {
            std::lock_guard lock(mutex_);
            if (!failure_) failure_ = std::current_exception();
            --held_;
            changed_.notify_all();
          }
        });
      });
    }
  }

  /// Waits until `ready(state)` or `timeout` (whichever first) and returns the state then;
  /// rethrows a point's failure.
  State wait(const std::function<bool(const State&)>& ready, std::chrono::microseconds timeout) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, timeout, [&] { return failure_ || ready(state()); });
    if (failure_) std::rethrow_exception(failure_);
    return state();
  }

  /// The state now; rethrows a point's failure.
  State now() {
    return wait([](const State&) { return true; }, {});
  }

  /// (point, values…) for each point finished since the last call.
  std::vector<double> take_finished() {
    std::lock_guard lock(mutex_);
    return std::exchange(finished_, {});
  }

  /// Waits for every point given; rethrows a point's failure.
  void finish() {
    {
      // Waiting here rather than in group_.wait() keeps the main thread from computing beside
      // the `slots_` worker threads.
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return failure_ || held_ == 0; });
    }
    arena_.execute([&] { group_.wait(); });
    std::lock_guard lock(mutex_);
    if (failure_) std::rethrow_exception(failure_);
  }

 private:
  State state() const { return {held_, !finished_.empty()}; }

  const SweepPlan& plan_;
  const int slots_;
  tbb::global_control allowed_;
  tbb::task_arena arena_;
  tbb::task_group group_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<double> finished_;  // (point, values…) for each point finished and not yet taken
  std::size_t held_ = 0;
  std::exception_ptr failure_;
};

constexpr std::chrono::microseconds kForever = std::chrono::hours(24 * 365);

/// Rank 0: hands out the missing points as workers ask, runs points on its own cores too,
/// journals what comes back and writes `out`. A worker's message is [how many points it wants,
/// then (point, values…) for each point it finished]; the answer is up to that many points
/// (kWork) or none left (kStop). A worker told to stop finishes the points it holds and sends a
/// last message that wants none.
int coordinate(const SweepPlan& plan, const std::string& out, int workers, int threads,
               bool quiet) {
  Journal journal(out + ".journal", plan);
  std::map<std::size_t, std::vector<double> > done = journal.read();
  std::vector<std::size_t> missing;
  for (std::size_t p = 0; p < plan.points.size(); ++p)
    if (done.count(p) == 0) missing.push_back(p);
  if (!quiet) {
    fmt::print(stderr, "sweep '{}': {} points × {} replicates of '{}' on {} ranks{}\n",
               plan.spec.file, plan.points.size(), plan.spec.replicates, plan.scenario, workers + 1,
               done.empty() ? "" : fmt::format("; resuming: {} points done", done.size()));
  }
  journal.start_if_new();
  const std::size_t width =
      plan.spec.replicates * plan.metric_index.size() * plan.financial_years.size();
  SweepProgress progress(quiet, plan.points.size(), done.size());
  // The next points for a rank that wants `wanted`: the last batches shrink to a fair share of
  // what is left, so that the ranks finish together.
  std::size_t next = 0;
  const auto ranks = static_cast<std::size_t>(workers) + 1;
  auto hand_out = [&](std::size_t wanted) {
    const std::size_t left = missing.size() - next;
    const std::size_t batch =
        std::min({wanted, left, std::max<std::size_t>((left + ranks - 1) / ranks, 1)});
    std::vector<unsigned long long> points(missing.begin() + static_cast<long>(next),
                                           missing.begin() + static_cast<long>(next + batch));
    next += batch;
    return points;
  };
  auto record = [&](const std::vector<double>& results, std::size_t from) {
    for (std::size_t at = from; at + 1 + width <= results.size(); at += 1 + width) {
      const auto p = static_cast<std::size_t>(results[at]);
      std::vector<double> values(results.begin() + static_cast<long>(at + 1),
                                 results.begin() + static_cast<long>(at + 1 + width));
      journal.append(p, values);
      done[p] = std::move(values);
      progress.point_done();
    }
  };
  PointRunner mine(plan, threads);
  std::vector<double> buffer;
  int stopped = 0;
  for (PointRunner::State here{};;) {
    // This rank's own cores first: more points when they run low, and what they finished.
    if (next < missing.size() && here.held <= mine.low()) {
      const std::vector<unsigned long long> points = hand_out(mine.high() - here.held);
      mine.run(points);
      here.held += points.size();
    }
    if (here.finished) record(mine.take_finished(), 0);
    if (stopped == workers && here.held == 0 && next == missing.size()) break;
    // Poll rather than block: a blocking receive spins a core that the computing threads need.
    int flag = 0;
    MPI_Status st;
    MPI_Iprobe(MPI_ANY_SOURCE, kResult, MPI_COMM_WORLD, &flag, &st);
    if (flag == 0) {
      // Wait a little, or less if this rank's own points finish.
      here = mine.wait([](const PointRunner::State& s) { return s.finished; },
                       std::chrono::microseconds(500));
      continue;
    }
    int count = 0;
    MPI_Get_count(&st, MPI_DOUBLE, &count);
    buffer.resize(static_cast<std::size_t>(count));
    MPI_Recv(buffer.data(), count, MPI_DOUBLE, st.MPI_SOURCE, kResult, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    // The worker's next points first, so that it has them while this rank journals.
    const auto wanted = static_cast<std::size_t>(buffer.at(0));
    if (wanted == 0) {
      ++stopped;
    } else {
      const std::vector<unsigned long long> points = hand_out(wanted);
      MPI_Send(points.data(), static_cast<int>(points.size()), MPI_UNSIGNED_LONG_LONG,
               st.MPI_SOURCE, points.empty() ? kStop : kWork, MPI_COMM_WORLD);
    }
    record(buffer, 1);
    here = mine.now();
  }
  mine.finish();
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

/// A worker rank: its threads compute points while its main thread talks to rank 0, sending
/// what it finished with each request for more.
void work(const SweepPlan& plan, int threads) {
  PointRunner runner(plan, threads);
  for (bool more = true;;) {
    const PointRunner::State s = runner.wait(
        [&](const PointRunner::State& now) {
          return more ? now.held <= runner.low() : now.held == 0;
        },
        kForever);
    std::vector<double> message{more ? static_cast<double>(runner.high() - s.held) : 0.0};
    const std::vector<double> finished = runner.take_finished();
    message.insert(message.end(), finished.begin(), finished.end());
    MPI_Send(message.data(), static_cast<int>(message.size()), MPI_DOUBLE, 0, kResult,
             MPI_COMM_WORLD);
    if (!more) break;
    auto [points, any] = receive_points();
    more = any;
    runner.run(points);
  }
  runner.finish();
}

}  // namespace

int run_sweep(const std::string& file, const std::string& out, int threads, bool quiet) {
  MpiSession mpi;
  if (mpi.size == 1) return run_sweep_local(plan_sweep(file), out, threads, quiet);
  try {
    const SweepPlan plan = plan_sweep(file);  // every rank plans the same sweep
    if (mpi.rank == 0) return coordinate(plan, out, mpi.size - 1, threads, quiet);
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
