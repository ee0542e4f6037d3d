// Where finished replicates go: one writer thread takes them from the oneTBB workers, puts them in
// replicate order, keeps the small totals and (with an output path) streams them to the HDF5 file.
// Memory holds only replicates that finished ahead of an earlier one still running.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "output/results_file.hpp"
#include "output/run_output.hpp"

namespace pitstop::output {

/// Accepts replicates from any thread and writes them in order on its own thread.
class RunSink {
 public:
  /// `h5_path` empty: keep totals only, write no file.
  RunSink(const RunDescription& d, const std::string& h5_path);
  ~RunSink();
  RunSink(const RunSink&) = delete;
  RunSink& operator=(const RunSink&) = delete;

  /// Hands over a finished replicate (thread-safe). Blocks while too many replicates that are
  /// not next in order wait in memory.
  void submit(ReplicateOutput&& out);
  /// Waits for every replicate, writes the summaries, renames the file into place and returns the
  /// totals. Rethrows any error the writer thread met.
  const RunTotals& finish();
  /// Abandons the run: the temporary file is removed and nothing appears at the target.
  void abandon();

 private:
  void loop();

  const RunDescription& d_;
  RunTotals totals_;
  std::unique_ptr<ResultsFile> file_;
  std::mutex mutex_;
  std::condition_variable ready_, room_;
  std::map<std::uint32_t, ReplicateOutput> pending_;
  std::uint32_t next_ = 0;
  bool stopping_ = false;
  std::exception_ptr error_;
  std::thread thread_;
  static constexpr std::size_t kMaxPending = 16;
};

}  // namespace pitstop::output
