// `pitstop compare` and `pitstop export` run as a user would, on short runs of a small tandem
// line (start 2019-04-01, 800 days: three financial years) and a busier variant.
#include <sys/wait.h>

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "output/compare.hpp"
#include "output/csv_export.hpp"
#include "output/results_reader.hpp"
#include "support/run_pitstop.hpp"

namespace fs = std::filesystem;
using namespace pitstop::output;

namespace {

using Result = pitstop::test::CommandResult;

/// A folder of this test process's own: CTest runs each test case as a separate process, in
/// parallel, so a shared folder would let one case overwrite another's files.
std::string work_dir() {
  const std::string dir =
      std::string(PITSTOP_BINARY_DIR) + "/tests/output-cli/" + std::to_string(getpid());
  fs::create_directories(dir);
  return dir;
}

/// Runs `pitstop <args>` in the work folder.
Result run_pitstop(const std::string& args) {
  return pitstop::test::run_pitstop_in(work_dir(), args);
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::vector<std::vector<std::string>> split_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> row;
    std::istringstream fields(line);
    for (std::string f; std::getline(fields, f, ',');)
      row.push_back(f);
    rows.push_back(row);
  }
  return rows;
}

/// Writes the scenarios and runs them once per test program: base (3 replicates), busy (double
/// the arrival rate), base with 2 replicates, and base with another seed.
void prepare() {
  static bool done = false;
  if (done) return;
  std::ofstream(work_dir() + "/base.yaml") << R"(name: tandem-short
start: 2019-04-01
horizon_days: 800
warmup_days: 30
seed: 7
replicates: 3
arrivals:
  - {name: arrivals, to: front, rate_per_day: 2.0}
services:
  front:
    capacity: 2
    queue_capacity: 0
    duration_days: {dist: exponential, mean: 0.5}
    routes:
      - {to: ward, p: 1.0}
  ward:
    capacity: 2
    queue_capacity: 1
    duration_days: {dist: exponential, mean: 1.0}
)";
  std::ofstream(work_dir() + "/busy.yaml") << R"(extends: base.yaml
name: tandem-busy
arrivals:
  - {name: arrivals, to: front, rate_per_day: 4.0}
)";
  for (const char* args :
       {"run base.yaml -q -o base.h5", "run busy.yaml -q -o busy.h5",
        "run base.yaml -q -r 2 -o two.h5", "run base.yaml -q --seed 8 -o seed8.h5"}) {
    const Result r = run_pitstop(args);
    INFO(args << "\n" << r.out);
    REQUIRE(r.code == 0);
  }
  done = true;
}

std::string at(const std::string& name) {
  return work_dir() + "/" + name;
}

}  // namespace

TEST_CASE("compare and export explain themselves with --help", "[cli][compare]") {
  const Result c = run_pitstop("compare --help");
  CHECK(c.code == 0);
  CHECK_THAT(c.out, Catch::Contains("Usage") && Catch::Contains("--by") &&
                        Catch::Contains("--json") && Catch::Contains("paired") &&
                        Catch::Contains("Student-t"));
  const Result e = run_pitstop("export --help");
  CHECK(e.code == 0);
  CHECK_THAT(e.out, Catch::Contains("--csv") && Catch::Contains("replicate_totals.csv") &&
                        Catch::Contains("--daily"));
}

TEST_CASE("compare: a file with itself shows zero differences with [0, 0] intervals",
          "[cli][compare]") {
  prepare();
  const Result r = run_pitstop("compare base.h5 base.h5 --breakdown --json self.json");
  INFO(r.out);
  REQUIRE(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("2019/20") && Catch::Contains("[0, 0]"));
  CHECK(r.out.find("]*") == std::string::npos);
  CHECK(r.out.find("warning") == std::string::npos);
  CHECK_THAT(slurp(at("self.json")), Catch::Contains("\"diff\": 0,"));
  const ResultsReader base(at("base.h5"));
  const Comparison c = compare_results(base, base, {.breakdown = true});
  CHECK(c.periods == std::vector<std::string>{"2019/20", "2020/21", "2021/22"});
  for (const CompareRow& row : c.rows) {
    CHECK(row.diff == 0);
    CHECK(row.lo == 0);
    CHECK(row.hi == 0);
  }
}

TEST_CASE("compare: a higher arrival rate raises arrivals, with an interval above 0",
          "[cli][compare]") {
  prepare();
  const ResultsReader base(at("base.h5")), busy(at("busy.h5"));
  // By financial year (at least 70 days each): the total and `front` arrivals rise, and the
  // paired interval excludes 0.
  const Comparison c = compare_results(base, busy, {.breakdown = true});
  std::size_t checked = 0;
  for (const CompareRow& row : c.rows) {
    if (row.metric != "arrivals" || !(row.breakdown.empty() || row.breakdown == "front")) continue;
    INFO(row.breakdown << " " << row.period);
    CHECK(row.diff > 0);
    CHECK(row.lo > 0);
    CHECK(row.lo <= row.diff);
    CHECK(row.diff <= row.hi);
    CHECK(row.pct == Approx(100 * row.diff / row.base));
    ++checked;
  }
  CHECK(checked == 2 * 3);
  // By month the intervals are wider (three replicates of ~30 days), but arrivals at `front`
  // (twice the rate) still rise every month.
  const Comparison m = compare_results(base, busy, {.by = PeriodKind::kMonth, .breakdown = true});
  CHECK(m.periods.size() == 26);
  for (const CompareRow& row : m.rows) {
    if (row.metric == "arrivals" && row.breakdown == "front") CHECK(row.diff > 0);
  }
  const Result r = run_pitstop("compare base.h5 busy.h5");
  INFO(r.out);
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("tandem-busy") && Catch::Contains("]*") &&
                        Catch::Contains("% change"));
  const Result j = run_pitstop("compare base.h5 busy.h5 --by month --json -");
  CHECK(j.code == 0);
  CHECK(j.out.rfind("{", 0) == 0);  // JSON only on stdout
  CHECK_THAT(j.out, Catch::Contains("\"by_month\"") && Catch::Contains("\"2019-05\""));
}

TEST_CASE("compare refuses different replicate counts and warns about different seeds",
          "[cli][compare]") {
  prepare();
  const Result r = run_pitstop("compare base.h5 two.h5");
  CHECK(r.code == 2);
  CHECK_THAT(r.out, Catch::Contains("different replicate counts") &&
                        Catch::Contains("3 in 'base.h5'") && Catch::Contains("2 in 'two.h5'"));
  CHECK(run_pitstop("compare base.h5 two.h5 --unpaired").code == 0);
  const Result s = run_pitstop("compare base.h5 seed8.h5");
  CHECK(s.code == 0);
  CHECK_THAT(s.out, Catch::Contains("warning: the seeds differ (7 vs 8)"));
  const Result missing = run_pitstop("compare base.h5 nothing.h5");
  CHECK(missing.code == 2);
  CHECK_THAT(missing.out, Catch::Contains("nothing.h5"));
  CHECK(run_pitstop("compare base.h5 base.h5 --by week").code == 2);
}

TEST_CASE("export writes CSV tables that match the results file", "[cli][csv]") {
  prepare();
  fs::remove_all(at("csv"));
  const Result r = run_pitstop("export base.h5 --csv csv/new --daily");
  INFO(r.out);
  REQUIRE(r.code == 0);
  const ResultsReader res(at("base.h5"));
  std::size_t cells = 0;  // Σ over metrics of breakdown labels
  for (const MetricDef& m : res.metrics())
    cells += m.breakdown.size();
  const std::size_t reps = 3;
  for (const char* name : {"summary_by_month.csv", "summary_by_financial_year.csv",
                           "replicate_totals.csv", "services.csv", "daily.csv"})
    CHECK(fs::exists(at("csv/new/") + name));
  for (const auto& entry : fs::directory_iterator(at("csv/new")))
    CHECK(entry.path().filename().string().rfind(".", 0) != 0);  // no temporaries left

  for (PeriodKind k : {PeriodKind::kMonth, PeriodKind::kFinancialYear}) {
    const std::string file = at("csv/new/summary_by_") + period_name(k) + ".csv";
    const auto rows = split_rows(slurp(file));
    INFO(file);
    REQUIRE(rows.size() == 1 + cells * res.periods(k).size());
    CHECK(rows[0] == std::vector<std::string>{"metric", "units", "breakdown", "period", "mean",
                                              "p5", "p50", "p95"});
    std::size_t i = 1;
    for (const MetricDef& m : res.metrics()) {
      const PeriodValues across = res.across(m.name, k);
      for (std::size_t b = 0; b < m.breakdown.size(); ++b) {
        for (std::size_t p = 0; p < res.periods(k).size(); ++p, ++i) {
          CHECK(rows[i][0] == m.name);
          CHECK(rows[i][2] == m.breakdown[b]);
          CHECK(rows[i][3] == res.periods(k)[p]);
          for (std::size_t s = 0; s < 4; ++s)
            CHECK(std::stod(rows[i][4 + s]) == across.at(s, p, b));
        }
      }
    }
  }
  const auto totals = split_rows(slurp(at("csv/new/replicate_totals.csv")));
  const std::size_t fys = res.periods(PeriodKind::kFinancialYear).size();
  REQUIRE(totals.size() == 1 + reps * cells * fys);
  CHECK(totals[0] ==
        std::vector<std::string>{"replicate", "metric", "breakdown", "financial_year", "value"});
  const PeriodValues arr = res.per_replicate("arrivals", PeriodKind::kFinancialYear);
  CHECK(totals[1] ==
        std::vector<std::string>{"0", "arrivals", "front", "2019/20", csv_number(arr.at(0, 0, 0))});

  const auto services = split_rows(slurp(at("csv/new/services.csv")));
  CHECK(services.size() == 1 + res.services().size() * res.service_stats().size());
  CHECK(services[0] ==
        std::vector<std::string>{"service", "stat", "mean", "lo", "hi", "p5", "p50", "p95"});

  const auto daily = split_rows(slurp(at("csv/new/daily.csv")));
  CHECK(daily.size() == 1 + reps * 800 * cells);
  CHECK(daily[1][1] == "2019-04-01");
  CHECK(daily[1].size() == 5);

  const Result again = run_pitstop("export base.h5 --csv csv/new");  // overwrites in place
  CHECK(again.code == 0);
  const Result bad = run_pitstop("export base.yaml --csv csv/bad");
  CHECK(bad.code == 2);
  CHECK_THAT(bad.out, Catch::Contains("not an HDF5 file"));
  CHECK(run_pitstop("export base.h5").code == 2);  // --csv is required
}
