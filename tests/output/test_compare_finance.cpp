// `pitstop compare` of two files with money (spend_gbp, activity_cost_gbp): the net saving is
// base − other of activity cost + spend, paired by replicate; the spend per ambulance job and per
// admission avoided is the ratio of the mean paired differences (blank when nothing is avoided).
// Hand-made runs of 10 days and 3 replicates with known values.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "output/compare.hpp"
#include "output/results_file.hpp"
#include "output/results_reader.hpp"

namespace fs = std::filesystem;
using namespace pitstop::output;
using pitstop::models::Date;

namespace {

constexpr std::size_t kDays = 10, kReplicates = 3;
enum : std::size_t { kSpend, kCost, kCalls, kAdmissions };

RunDescription describe() {
  RunDescription d;
  d.scenario_name = "money";
  d.tool_version = "test";
  d.start = *Date::parse("2020-04-01");
  d.horizon_days = kDays;
  d.seed = 1;
  d.replicates = kReplicates;
  d.metrics = {{"spend_gbp", "GBP", "spend", Rollup::kSum, "fund_line", {"pooled/a", "aligned/b"}},
               {"activity_cost_gbp", "GBP", "cost", Rollup::kSum, "activity", {"x"}},
               {"ambulance_calls",
                "calls",
                "calls",
                Rollup::kSum,
                "sdf_call_outcome",
                {"s/hear_and_treat", "s/community_response", "s/see_and_treat", "s/conveyed_ae"}},
               {"emergency_admissions", "admissions", "admissions", Rollup::kSum, "sdf", {"s"}}};
  d.services = {"front"};
  return d;
}

/// Per day: spend 100 + invest on line a; cost 50 − 2·invest·(r + 1); calls: 3 hear & treat,
/// 2 + invest team visits, 10 − invest·(r + 1) crew jobs; admissions 5 − invest.
std::string write_run(const std::string& name, double invest) {
  const std::string dir = std::string(PITSTOP_BINARY_DIR) + "/tests/output-money";
  fs::create_directories(dir);
  const std::string path = dir + "/" + name;
  const RunDescription d = describe();
  ResultsFile file(path, d);
  RunTotals totals(d);
  for (std::uint32_t r = 0; r < kReplicates; ++r) {
    ReplicateOutput out;
    out.replicate = r;
    out.series.init(d.metrics, d.days());
    const double k = static_cast<double>(r + 1);
    for (std::size_t day = 0; day < kDays; ++day) {
      out.series.values[kSpend][day * 2] = 100 + invest;
      out.series.values[kSpend][day * 2 + 1] = 200;
      out.series.values[kCost][day] = 50 - 2 * invest * k;
      out.series.values[kCalls][day * 4 + 0] = 3;
      out.series.values[kCalls][day * 4 + 1] = 2 + invest;
      out.series.values[kCalls][day * 4 + 2] = 6 - invest * k / 2;
      out.series.values[kCalls][day * 4 + 3] = 4 - invest * k / 2;
      out.series.values[kAdmissions][day] = 5 - invest;
    }
    out.result.replicate = r;
    out.result.observed_days = kDays;
    out.result.services.resize(1);
    file.write(out);
    totals.add(out);
  }
  file.commit(totals);
  return path;
}

const CompareRow& row(const Comparison& c, const std::string& metric) {
  for (const CompareRow& r : c.rows)
    if (r.metric == metric && r.breakdown.empty()) return r;
  FAIL("no row " << metric);
  return c.rows.front();
}

}  // namespace

TEST_CASE("compare adds the net saving and the spend per job and admission avoided",
          "[output][compare][finance]") {
  const ResultsReader base(write_run("base.h5", 0));
  const ResultsReader more(write_run("more.h5", 1));
  const Comparison c = compare_results(base, more, {});
  // Over the 10 days: spend +10 in every replicate; cost −20·(r+1): mean −40; the saving is the
  // fall in the cost of the activity, 40 (the spend is not added: what it buys is activity).
  const CompareRow& saving = row(c, "net_saving_gbp");
  CHECK(saving.diff == Approx(40));
  CHECK(saving.lo < 40);
  CHECK(saving.hi > 40);
  CHECK(std::isnan(saving.base));
  // Crew jobs avoided: 10·(r+1), mean 20; spend +10 → 0.5 a job; calls in total fall by only
  // 10·(r+1) − 10 (the team's visits rise): the jobs, not the calls, are the denominator.
  const CompareRow& job = row(c, "spend_per_ambulance_job_avoided_gbp");
  CHECK(job.diff == Approx(0.5));
  // Spend is constant across replicates and jobs avoided vary: the interval has width.
  CHECK(job.lo < 0.5);
  CHECK(job.hi > 0.5);
  // Admissions avoided: 10 in every replicate, spend +10: exactly 1 each, no spread.
  const CompareRow& adm = row(c, "spend_per_admission_avoided_gbp");
  CHECK(adm.diff == Approx(1.0));
  CHECK(adm.hi - adm.lo == Approx(0).margin(1e-9));
  // Nothing avoided (a file against itself): blank ratios, zero saving.
  const Comparison same = compare_results(base, base, {});
  CHECK(row(same, "net_saving_gbp").diff == 0);
  CHECK(std::isnan(row(same, "spend_per_admission_avoided_gbp").diff));
  CHECK(comparison_table(c).find("spend_per_ambulance_job_avoided_gbp") != std::string::npos);
  CHECK(comparison_json(c).find("\"net_saving_gbp\"") != std::string::npos);
  // Unpaired: no derived rows, a warning instead.
  const Comparison unpaired = compare_results(base, more, {.unpaired = true});
  for (const CompareRow& r : unpaired.rows)
    CHECK(r.metric != "net_saving_gbp");
}

TEST_CASE("a paired difference within the rounding of the totals is none", "[output][compare]") {
  using pitstop::output::paired_difference;
  // £683m summed in another order: a few units in the last place are no change of money.
  CHECK(paired_difference(683e6 + 1.2e-7, 683e6) == 0);
  CHECK(paired_difference(683e6, 683e6 + 1.2e-7) == 0);
  // A pound is a change, and so is anything from zero.
  CHECK(paired_difference(683e6 + 1, 683e6) == 1);
  CHECK(paired_difference(1e-9, 0) == 1e-9);
  CHECK(paired_difference(-5, -7) == 2);
}
