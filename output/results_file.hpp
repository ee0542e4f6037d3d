// The HDF5 results file (schema in docs/output.md): /meta, /scales, /series/<metric> streamed one
// replicate at a time, and /summary computed at the end. Written to a temporary beside the
// target and renamed into place by commit(); destroyed uncommitted, it removes the temporary.
#pragma once

#include <string>
#include <vector>

#include "output/hdf5.hpp"
#include "output/run_output.hpp"

namespace pitstop::output {

/// Schema version written to /meta (bump on incompatible layout changes).
inline constexpr int kSchemaVersion = 1;

/// Writes one run's HDF5 file. Single-threaded: owned by the writer thread.
class ResultsFile {
 public:
  /// Throws std::logic_error, before creating anything, when a kRatio metric's parts are not
  /// valid (see resolve_ratios).
  ResultsFile(std::string target, const RunDescription& d);
  ~ResultsFile();
  ResultsFile(const ResultsFile&) = delete;
  ResultsFile& operator=(const ResultsFile&) = delete;

  /// Writes replicate `out.replicate`'s series and per-replicate period summaries.
  void write(const ReplicateOutput& out);
  /// Writes cross-replicate summaries, closes the file and renames it into place.
  void commit(const RunTotals& totals);

  const std::string& temporary_path() const { return temp_; }

 private:
  void write_meta();
  void write_scales();
  void write_summary_across(const Periods& periods, const std::string& group);
  void write_service_summary(const RunTotals& totals);

  std::string target_, temp_;
  const RunDescription& d_;
  Periods months_, fys_;
  std::vector<RatioParts> parts_;  // per metric: a ratio's numerator and denominator
  h5::Handle file_;
  std::vector<h5::Handle> series_;            // per metric
  std::vector<h5::Handle> by_month_, by_fy_;  // per metric: per_replicate datasets
  bool committed_ = false;
};

}  // namespace pitstop::output
