// The replication runner: replicates run in parallel on oneTBB; results are stored by replicate
// index, never by finishing order, so they are identical at any thread count.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "engine/error.hpp"

namespace pitstop::engine {

/// How to run a batch of replicates.
struct ReplicationOptions {
  int threads = 0;  // 0 = every core
  /// Called after each replicate finishes with (done, total); calls are serialised.
  std::function<void(std::uint32_t done, std::uint32_t total)> progress;
};

/// Calls `fn(replicate)` for replicate = 0..n-1 in parallel (for results that go elsewhere, e.g.
/// to a writer). Exceptions thrown by `fn` propagate to the caller.
template <class Fn>
void for_each_replicate(std::uint32_t n, const ReplicationOptions& options, Fn&& fn) {
  std::mutex mutex;
  std::uint32_t done = 0;
  // Each replicate's release pairs with the acquire below: whatever a worker wrote is visible
  // here (and to ThreadSanitizer, which cannot see inside an uninstrumented oneTBB).
  std::atomic<std::uint32_t> finished{0};
  auto body = [&](std::uint32_t r) {
    fn(r);
    finished.fetch_add(1, std::memory_order_release);
    if (options.progress) {
      std::lock_guard<std::mutex> lock(mutex);
      options.progress(++done, n);
    }
  };
  const int threads =
      options.threads > 0 ? options.threads : tbb::this_task_arena::max_concurrency();
  tbb::task_arena arena(threads);
  arena.execute([&] { tbb::parallel_for(std::uint32_t{0}, n, [&](std::uint32_t r) { body(r); }); });
  PITSTOP_ASSERT(finished.load(std::memory_order_acquire) == n);
}

/// Runs `fn(replicate)` for replicate = 0..n-1 and returns the results in replicate order.
template <class Result, class Fn>
std::vector<Result> run_replicates(std::uint32_t n, const ReplicationOptions& options, Fn&& fn) {
  std::vector<Result> results(n);
  for_each_replicate(n, options, [&](std::uint32_t r) { results[r] = fn(r); });
  return results;
}

}  // namespace pitstop::engine
