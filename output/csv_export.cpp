#include "output/csv_export.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "output/atomic.hpp"
#include "output/sweep_file.hpp"

namespace pitstop::output {
namespace {

/// One CSV file being written: rows go to a temporary beside the target, renamed into place by
/// commit(); destroyed uncommitted, it removes the temporary.
class CsvFile {
 public:
  CsvFile(std::string target, const std::vector<std::string>& header)
      : target_(std::move(target)), temp_(temporary_path_for(target_)) {
    remove_on_signal(temp_);
    out_.open(temp_, std::ios::binary | std::ios::trunc);
    if (!out_) throw std::runtime_error("cannot write '" + temp_ + "'");
    row(header);
  }
  CsvFile(const CsvFile&) = delete;
  CsvFile& operator=(const CsvFile&) = delete;
  ~CsvFile() {
    if (committed_) return;
    out_.close();
    unlink(temp_.c_str());
    forget_on_signal();
  }

  void row(const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) buf_ += ',';
      buf_ += csv_field(fields[i]);
    }
    buf_ += '\n';
    if (buf_.size() > (1u << 20)) flush();
  }

  void commit() {
    flush();
    out_.close();
    if (!out_) throw std::runtime_error("cannot write '" + temp_ + "'");
    commit_file(temp_, target_);
    forget_on_signal();
    committed_ = true;
  }

  const std::string& path() const { return target_; }

 private:
  void flush() {
    out_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
    buf_.clear();
  }

  std::string target_, temp_, buf_;
  std::ofstream out_;
  bool committed_ = false;
};

/// Column index of each wanted statistic in `have` (or have.size() when absent).
std::vector<std::size_t> stat_columns(const std::vector<std::string>& have,
                                      const std::vector<std::string>& want) {
  std::vector<std::size_t> out;
  for (const std::string& w : want) {
    std::size_t k = 0;
    while (k < have.size() && have[k] != w)
      ++k;
    out.push_back(k);
  }
  return out;
}

void write_summary(const ResultsReader& r, PeriodKind kind, CsvFile& f) {
  const std::vector<std::string>& periods = r.periods(kind);
  const auto cols = stat_columns(r.across_stats(), {"mean", "p5", "p50", "p95"});
  for (const MetricDef& m : r.metrics()) {
    const PeriodValues v = r.across(m.name, kind);
    const std::string units = r.period_units(m.name, kind);
    for (std::size_t b = 0; b < m.breakdown.size(); ++b) {
      for (std::size_t p = 0; p < periods.size(); ++p) {
        std::vector<std::string> row = {m.name, units, m.breakdown[b], periods[p]};
        for (std::size_t k : cols)
          row.push_back(k < v.rows ? csv_number(v.at(k, p, b)) : "");
        f.row(row);
      }
    }
  }
}

void write_replicate_totals(const ResultsReader& r, CsvFile& f) {
  const std::vector<std::string>& fys = r.periods(PeriodKind::kFinancialYear);
  std::vector<PeriodValues> values;
  for (const MetricDef& m : r.metrics())
    values.push_back(r.per_replicate(m.name, PeriodKind::kFinancialYear));
  const std::size_t reps = values.empty() ? 0 : values.front().rows;
  for (std::size_t i = 0; i < reps; ++i) {
    for (std::size_t m = 0; m < values.size(); ++m) {
      const MetricDef& def = r.metrics()[m];
      for (std::size_t b = 0; b < def.breakdown.size(); ++b) {
        for (std::size_t p = 0; p < fys.size(); ++p) {
          f.row({std::to_string(i), def.name, def.breakdown[b], fys[p],
                 csv_number(values[m].at(i, p, b))});
        }
      }
    }
  }
}

void write_services(const ResultsReader& r, CsvFile& f) {
  const std::vector<std::string> want = {"mean", "lo", "hi", "p5", "p50", "p95"};
  std::vector<ServiceAcross> stats;
  for (const std::string& stat : r.service_stats())
    stats.push_back(r.service_across(stat));
  const std::size_t s_count = r.services().size();
  for (std::size_t s = 0; s < s_count; ++s) {
    for (std::size_t k = 0; k < stats.size(); ++k) {
      std::vector<std::string> row = {r.services()[s], r.service_stats()[k]};
      for (std::size_t c : stat_columns(stats[k].stats, want))
        row.push_back(c < stats[k].stats.size() ? csv_number(stats[k].values[c * s_count + s])
                                                : "");
      f.row(row);
    }
  }
}

void write_daily(const ResultsReader& r, CsvFile& f) {
  const std::vector<std::string> days = r.days();
  for (const MetricDef& m : r.metrics()) {
    const PeriodValues v = r.daily(m.name);
    for (std::size_t i = 0; i < v.rows; ++i) {
      const std::string rep = std::to_string(i);
      for (std::size_t d = 0; d < v.periods && d < days.size(); ++d) {
        for (std::size_t b = 0; b < v.breakdown; ++b)
          f.row({rep, days[d], m.name, m.breakdown[b], csv_number(v.at(i, d, b))});
      }
    }
  }
}

}  // namespace

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string csv_number(double x) {
  if (!std::isfinite(x)) return "";
  if (x == 0) return "0";  // also for -0
  return fmt::format("{}", x);
}

std::vector<std::string> export_csv(const ResultsReader& results, const std::string& dir,
                                    const CsvOptions& options) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir))
    throw std::runtime_error("cannot create the folder '" + dir + "': " + ec.message());
  const std::string base = dir.empty() || dir.back() == '/' ? dir : dir + "/";
  const std::vector<std::string> summary_head = {"metric", "units", "breakdown", "period",
                                                 "mean",   "p5",    "p50",       "p95"};
  std::vector<std::string> written;
  auto finish = [&](CsvFile& f) {
    f.commit();
    written.push_back(f.path());
  };
  for (PeriodKind k : {PeriodKind::kMonth, PeriodKind::kFinancialYear}) {
    CsvFile f(base + "summary_by_" + period_name(k) + ".csv", summary_head);
    write_summary(results, k, f);
    finish(f);
  }
  {
    CsvFile f(base + "replicate_totals.csv",
              {"replicate", "metric", "breakdown", "financial_year", "value"});
    write_replicate_totals(results, f);
    finish(f);
  }
  {
    CsvFile f(base + "services.csv", {"service", "stat", "mean", "lo", "hi", "p5", "p50", "p95"});
    write_services(results, f);
    finish(f);
  }
  if (options.daily) {
    CsvFile f(base + "daily.csv", {"replicate", "date", "metric", "breakdown", "value"});
    write_daily(results, f);
    finish(f);
  }
  return written;
}

std::vector<std::string> export_sweep_csv(const std::string& file, const std::string& dir) {
  const SweepResults s = read_sweep_file(file);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir))
    throw std::runtime_error("cannot create the folder '" + dir + "': " + ec.message());
  const std::string base = dir.empty() || dir.back() == '/' ? dir : dir + "/";
  std::vector<std::string> head = {"point", "replicate", "financial_year"};
  head.insert(head.end(), s.parameters.begin(), s.parameters.end());
  head.insert(head.end(), {"metric", "units", "value"});
  CsvFile f(base + "sweep.csv", head);
  const std::size_t k = s.parameters.size();
  for (std::size_t p = 0; p < s.points; ++p) {
    for (std::size_t r = 0; r < s.replicates; ++r) {
      for (std::size_t y = 0; y < s.financial_years.size(); ++y) {
        for (std::size_t o = 0; o < s.outputs.size(); ++o) {
          std::vector<std::string> row = {std::to_string(p), std::to_string(r),
                                          s.financial_years[y]};
          for (std::size_t i = 0; i < k; ++i)
            row.push_back(csv_number(s.design[p * k + i]));
          row.insert(row.end(), {s.outputs[o], s.output_units[o], csv_number(s.value(p, r, o, y))});
          f.row(row);
        }
      }
    }
  }
  f.commit();
  return {f.path()};
}

}  // namespace pitstop::output
