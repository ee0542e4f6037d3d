// Rollup::kRatio on a small hand-made run across a financial-year boundary: every period value
// of a ratio metric is sum(numerator) / sum(denominator) over the period's days (never the
// model's daily ratios), NaN / null where the period's denominator is 0; the numerator and
// denominator names round-trip through the file; bad ratio definitions are refused by name; the
// JSON summary, compare and CSV export cope with undefined periods.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "output/compare.hpp"
#include "output/csv_export.hpp"
#include "output/periods.hpp"
#include "output/results_file.hpp"
#include "output/results_reader.hpp"
#include "output/summary_json.hpp"

namespace fs = std::filesystem;
using namespace pitstop::output;
using pitstop::models::Date;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string work_dir() {
  const std::string dir = std::string(PITSTOP_BINARY_DIR) + "/tests/output-ratio";
  fs::create_directories(dir);
  return dir;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The run: 2020-03-30 for 40 days, no warm-up. Days 0–1 are March 2020 and financial year
// 2019/20; days 2–31 April; days 32–39 May; 2020/21 is days 2–39.
constexpr std::size_t kDays = 40;
constexpr std::size_t kReplicates = 2;
constexpr std::size_t kAdmitted = 0, kArrived = 1, kShare = 2;  // metric indices

/// Arrivals of replicate r on day d at ward b: none in 2019/20 (days 0–1); ward b of
/// replicate 0 has none in May (days 32–39).
double arrived(std::size_t r, std::size_t d, std::size_t b) {
  if (d < 2) return 0;
  if (b == 0) return static_cast<double>(d % 3 + 1 + r);
  if (r == 0 && d >= 32) return 0;
  return static_cast<double>(d % 5 + 2);
}

/// Admissions: `extra` more at ward a on even days (another scenario).
double admitted(std::size_t r, std::size_t d, std::size_t b, double extra) {
  if (b == 0) return static_cast<double>(d % 2) + (d % 2 == 0 ? extra : 0.0);
  return std::min(arrived(r, d, b), static_cast<double>((d + r) % 3));
}

std::vector<MetricDef> ratio_metrics() {
  std::vector<MetricDef> m;
  // Positional, as models write their metrics: numerator/denominator take their defaults.
  m.push_back({"admitted", "people/day", "admissions", Rollup::kSum, "ward", {"a", "b"}});
  m.push_back({"arrived", "people/day", "arrivals", Rollup::kSum, "ward", {"a", "b"}});
  MetricDef share{"admitted_share", "share", "admissions ÷ arrivals",
                  Rollup::kRatio,   "ward",  {"a", "b"}};
  share.numerator = "admitted";
  share.denominator = "arrived";
  m.push_back(share);
  return m;
}

RunDescription describe(std::vector<MetricDef> metrics = ratio_metrics()) {
  RunDescription d;
  d.scenario_name = "ratio";
  d.tool_version = "test";
  d.start = *Date::parse("2020-03-30");
  d.horizon_days = kDays;
  d.seed = 1;
  d.replicates = kReplicates;
  d.metrics = std::move(metrics);
  d.services = {"front"};
  return d;
}

ReplicateOutput replicate(const RunDescription& d, std::uint32_t r, double extra) {
  ReplicateOutput out;
  out.replicate = r;
  out.series.init(d.metrics, d.days());
  for (std::size_t day = 0; day < d.days(); ++day) {
    for (std::size_t b = 0; b < 2; ++b) {
      const double num = admitted(r, day, b, extra), den = arrived(r, day, b);
      out.series.values[kAdmitted][day * 2 + b] = num;
      out.series.values[kArrived][day * 2 + b] = den;
      // What a model stores: the day's own ratio, NaN on a day without arrivals.
      out.series.values[kShare][day * 2 + b] = den != 0 ? num / den : kNaN;
    }
  }
  out.result.replicate = r;
  out.result.observed_days = kDays;
  out.result.services.resize(1);
  return out;
}

/// Writes the run to `name`; returns its path. `totals` (if given) receives the RunTotals.
std::string write_run(const std::string& name, double extra = 0, RunTotals* totals = nullptr) {
  const std::string path = work_dir() + "/" + name;
  const RunDescription d = describe();
  ResultsFile file(path, d);
  RunTotals local(d);
  RunTotals& t = totals != nullptr ? *totals : local;
  for (std::uint32_t r = 0; r < kReplicates; ++r) {
    const ReplicateOutput out = replicate(d, r, extra);
    file.write(out);
    t.add(out);
  }
  file.commit(t);
  return path;
}

/// sum(admitted) / sum(arrived) over days [from, to) and the wards `keep` accepts, in day order
/// (as the writer adds them), NaN when no one arrived.
double expected(std::size_t r, std::size_t from, std::size_t to,
                const std::function<bool(std::size_t)>& keep, double extra = 0) {
  double num = 0, den = 0;
  for (std::size_t b = 0; b < 2; ++b) {
    if (!keep(b)) continue;
    double n = 0, a = 0;
    for (std::size_t d = from; d < to; ++d) {
      n += admitted(r, d, b, extra);
      a += arrived(r, d, b);
    }
    num += n;
    den += a;
  }
  return den != 0 ? num / den : kNaN;
}

auto ward(std::size_t w) {
  return [w](std::size_t b) { return b == w; };
}
bool both(std::size_t) {
  return true;
}

/// The text of `"key": {...}` (up to the matching brace) in indented JSON.
std::string json_block(const std::string& json, const std::string& key, std::size_t from = 0) {
  const std::size_t at = json.find("\"" + key + "\": {", from);
  if (at == std::string::npos) return "";
  std::size_t i = json.find('{', at), depth = 0;
  const std::size_t open = i;
  for (; i < json.size(); ++i) {
    if (json[i] == '{') ++depth;
    if (json[i] == '}' && --depth == 0) break;
  }
  return json.substr(open, i + 1 - open);
}

std::string g10(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", x);
  return buf;
}

}  // namespace

TEST_CASE("ratio: period values are sum(numerator) / sum(denominator), NaN without a denominator",
          "[output][ratio]") {
  const ResultsReader r(write_run("ratio.h5"));
  const MetricDef* share = r.find_metric("admitted_share");
  REQUIRE(share != nullptr);
  CHECK(share->rollup == Rollup::kRatio);
  CHECK(share->numerator == "admitted");
  CHECK(share->denominator == "arrived");
  CHECK(share->breakdown_name == "ward");
  CHECK(share->breakdown == std::vector<std::string>{"a", "b"});
  CHECK(r.find_metric("arrived")->rollup == Rollup::kSum);
  CHECK(r.find_metric("arrived")->numerator.empty());
  CHECK(r.periods(PeriodKind::kFinancialYear) == std::vector<std::string>{"2019/20", "2020/21"});
  CHECK(r.periods(PeriodKind::kMonth) == std::vector<std::string>{"2020-03", "2020-04", "2020-05"});

  const PeriodValues fy = r.per_replicate("admitted_share", PeriodKind::kFinancialYear);
  REQUIRE(fy.rows == kReplicates);
  for (std::size_t rep = 0; rep < kReplicates; ++rep) {
    for (std::size_t b = 0; b < 2; ++b) {
      CHECK(std::isnan(fy.at(rep, 0, b)));  // 2019/20: no arrivals at all
      CHECK(fy.at(rep, 1, b) == expected(rep, 2, kDays, ward(b)));
    }
  }
  // Not the mean of the daily ratios the model stored.
  double mean_of_days = 0;
  for (std::size_t d = 2; d < kDays; ++d)
    mean_of_days += admitted(0, d, 0, 0) / arrived(0, d, 0) / (kDays - 2);
  CHECK(fy.at(0, 1, 0) != Approx(mean_of_days));

  const PeriodValues month = r.per_replicate("admitted_share", PeriodKind::kMonth);
  CHECK(month.at(0, 1, 0) == expected(0, 2, 32, ward(0)));      // April
  CHECK(month.at(1, 2, 1) == expected(1, 32, kDays, ward(1)));  // May
  CHECK(std::isnan(month.at(0, 2, 1)));  // May, ward b, replicate 0: no arrivals

  // Across replicates: the mean skips an undefined replicate; all undefined → NaN.
  const PeriodValues across = r.across("admitted_share", PeriodKind::kMonth);
  CHECK(across.at(0, 2, 1) == month.at(1, 2, 1));
  CHECK(std::isnan(across.at(0, 0, 0)));
  CHECK(across.at(2, 2, 1) == month.at(1, 2, 1));  // median of the one defined value

  // Totals over the breakdown: sum over the wards on top ÷ below.
  const PeriodValues totals = r.totals("admitted_share", PeriodKind::kFinancialYear);
  REQUIRE(totals.breakdown == 1);
  for (std::size_t rep = 0; rep < kReplicates; ++rep) {
    CHECK(std::isnan(totals.at(rep, 0, 0)));
    CHECK(totals.at(rep, 1, 0) == expected(rep, 2, kDays, both));
  }
  CHECK(r.totals("arrived", PeriodKind::kFinancialYear).column(1, 0) ==
        r.per_replicate("arrived", PeriodKind::kFinancialYear).total(1));

  // The daily series is the model's, as written.
  const PeriodValues daily = r.daily("admitted_share");
  CHECK(std::isnan(daily.at(0, 0, 0)));
  CHECK(daily.at(1, 5, 1) == admitted(1, 5, 1, 0) / arrived(1, 5, 1));

  CHECK_THAT(r.period_units("admitted_share", PeriodKind::kMonth),
             Catch::Equals("share (period total of admitted / period total of arrived)"));
  CHECK(r.period_units("arrived", PeriodKind::kMonth) == "people (period total)");
}

TEST_CASE("ratio: the file stores rollup, numerator and denominator attributes",
          "[output][ratio]") {
  const std::string path = write_run("ratio-attrs.h5");
  h5::Handle f = h5::open_file(path);
  h5::Handle ds = h5::open_dataset(f, "series/admitted_share");
  CHECK(h5::get_attr_string(ds, "rollup") == "ratio");
  CHECK(h5::get_attr_string(ds, "numerator") == "admitted");
  CHECK(h5::get_attr_string(ds, "denominator") == "arrived");
  CHECK(h5::get_attr_string(h5::open_dataset(f, "series/arrived"), "rollup") == "sum");
  CHECK(H5Aexists(h5::open_dataset(f, "series/arrived"), "numerator") == 0);
}

TEST_CASE("ratio: the JSON summary averages the replicates' ratios, null when undefined",
          "[output][ratio][json]") {
  const RunDescription d = describe();
  RunTotals totals(d);
  write_run("ratio-json.h5", 0, &totals);
  const std::size_t fy0 = 0, fy1 = 1;
  for (std::size_t rep = 0; rep < kReplicates; ++rep) {
    CHECK(std::isnan(totals.fy_total(kShare, fy0)[rep]));
    CHECK(totals.fy_total(kShare, fy1)[rep] == expected(rep, 2, kDays, both));
  }
  const std::string json = summary_json(d, totals);
  const std::string metrics = json_block(json, "metrics");
  const std::string share = json_block(metrics, "admitted_share");
  REQUIRE(!share.empty());
  CHECK_THAT(json_block(share, "2019/20"), Catch::Contains("\"mean\": null") &&
                                               Catch::Contains("\"lo\": null") &&
                                               Catch::Contains("\"hi\": null"));
  const double mean = (expected(0, 2, kDays, both) + expected(1, 2, kDays, both)) / 2;
  CHECK_THAT(json_block(share, "2020/21"), Catch::Contains("\"mean\": " + g10(mean)));
  CHECK_THAT(json_block(json, "metric_units"),
             Catch::Contains("\"admitted_share\": \"share (financial-year total of admitted / "
                             "financial-year total of arrived)\"") &&
                 Catch::Contains("\"arrived\": \"people/day (financial-year total)\""));
  // The parts are ordinary sums.
  CHECK_THAT(json_block(json_block(metrics, "arrived"), "2019/20"), Catch::Contains("\"mean\": 0"));
}

TEST_CASE("ratio: compare pairs period ratios and skips undefined periods", "[output][ratio]") {
  const ResultsReader base(write_run("ratio-base.h5"));
  const ResultsReader more(write_run("ratio-more.h5", 1.0));
  for (bool breakdown : {false, true}) {
    const Comparison self =
        compare_results(base, base, {.by = PeriodKind::kMonth, .breakdown = breakdown});
    for (const CompareRow& row : self.rows) {
      if (row.metric != "admitted_share" || row.period != "2020-03") continue;
      CHECK(std::isnan(row.base));
      CHECK(std::isnan(row.diff));
      CHECK(std::isnan(row.pct));
    }
    CHECK_NOTHROW(comparison_table(self));
    CHECK_THAT(comparison_json(self), Catch::Contains("\"diff\": null"));
  }
  const Comparison c = compare_results(base, more, {.breakdown = true});
  std::size_t seen = 0;
  for (const CompareRow& row : c.rows) {
    if (row.metric != "admitted_share" || row.period != "2020/21") continue;
    const auto keep = row.breakdown.empty()  ? std::function<bool(std::size_t)>(both)
                      : row.breakdown == "a" ? std::function<bool(std::size_t)>(ward(0))
                                             : std::function<bool(std::size_t)>(ward(1));
    const double d0 = expected(0, 2, kDays, keep, 1.0) - expected(0, 2, kDays, keep);
    const double d1 = expected(1, 2, kDays, keep, 1.0) - expected(1, 2, kDays, keep);
    CHECK(row.diff == Approx((d0 + d1) / 2).epsilon(1e-12));
    CHECK(row.base == Approx((expected(0, 2, kDays, keep) + expected(1, 2, kDays, keep)) / 2));
    ++seen;
  }
  CHECK(seen == 3);  // the total and the two wards
  // The May ratio of ward b is undefined in replicate 0 of both files: paired over replicate 1.
  const Comparison m = compare_results(base, more, {.by = PeriodKind::kMonth, .breakdown = true});
  for (const CompareRow& row : m.rows) {
    if (row.metric != "admitted_share" || row.breakdown != "b" || row.period != "2020-05") continue;
    CHECK(row.diff == 0);  // ward b's admissions are the same in both
    CHECK(row.base == expected(1, 32, kDays, ward(1)));
    CHECK(row.lo == 0);  // one pair: the interval collapses to the difference
  }
  CHECK_NOTHROW(compare_results(base, more, {.by = PeriodKind::kMonth, .unpaired = true}));
  const std::string text = comparison_table(c);
  CHECK_THAT(text, Catch::Contains("admitted_share") &&
                       Catch::Contains("share (period total of admitted"));
}

TEST_CASE("ratio: CSV export leaves undefined values empty", "[output][ratio][csv]") {
  const ResultsReader r(write_run("ratio-export.h5"));
  const std::string dir = work_dir() + "/csv";
  fs::remove_all(dir);
  export_csv(r, dir, {});
  const std::string fy = slurp(dir + "/summary_by_financial_year.csv");
  CHECK_THAT(fy, Catch::Contains(",a,2019/20,,,,\n"));
  const std::string totals = slurp(dir + "/replicate_totals.csv");
  CHECK_THAT(totals, Catch::Contains("0,admitted_share,a,2019/20,\n"));
  CHECK_THAT(totals, Catch::Contains("0,admitted_share,a,2020/21," +
                                     csv_number(expected(0, 2, kDays, ward(0))) + "\n"));
}

TEST_CASE("ratio: a bad definition is refused, naming the metric", "[output][ratio]") {
  auto refused = [](std::vector<MetricDef> metrics) {
    const RunDescription d = describe(std::move(metrics));
    const std::string path = work_dir() + "/bad.h5";
    fs::remove(path);
    std::string message = "(accepted)";
    try {
      ResultsFile file(path, d);
    } catch (const std::logic_error& e) {
      message = e.what();
    }
    for (const auto& entry : fs::directory_iterator(work_dir()))
      CHECK(entry.path().filename().string().find("bad.h5.tmp") == std::string::npos);
    CHECK(!fs::exists(path));
    if (message != "(accepted)") CHECK_THROWS_AS(RunTotals(d), std::logic_error);
    return message;
  };
  std::vector<MetricDef> m = ratio_metrics();
  m[kShare].numerator.clear();
  CHECK_THAT(refused(m), Catch::Contains("'admitted_share'") && Catch::Contains("numerator"));
  m = ratio_metrics();
  m[kShare].numerator = "admissions";
  CHECK_THAT(refused(m), Catch::Contains("'admitted_share'") && Catch::Contains("'admissions'"));
  m = ratio_metrics();
  m[kShare].denominator = "admitted_share";  // a ratio, not a sum
  CHECK_THAT(refused(m), Catch::Contains("'admitted_share'") && Catch::Contains("sum"));
  m = ratio_metrics();
  m[kArrived].rollup = Rollup::kMean;
  CHECK_THAT(refused(m), Catch::Contains("'admitted_share'") && Catch::Contains("'arrived'"));
  m = ratio_metrics();
  m[kArrived].breakdown = {"a", "c"};
  m[kArrived].breakdown_name = "bay";
  CHECK_THAT(refused(m), Catch::Contains("'admitted_share'") && Catch::Contains("broken down"));
  m = ratio_metrics();
  m[kArrived].breakdown = {"b", "a"};  // same name, labels in another order
  CHECK_THAT(refused(m), Catch::Contains("'admitted_share'") && Catch::Contains("'arrived'"));
  CHECK(refused(ratio_metrics()) == "(accepted)");
}

TEST_CASE("ratio: roll_up alone cannot roll up a ratio", "[output][ratio]") {
  const Periods p = month_periods(*Date::parse("2020-03-30"), 4, 0);
  CHECK_THROWS_AS(roll_up({1, 2, 3, 4}, 1, Rollup::kRatio, p), std::logic_error);
  const std::vector<double> r = roll_up_ratio({1, 2, 3, 4}, {0, 0, 2, 6}, 1, p);
  REQUIRE(r.size() == 2);
  CHECK(std::isnan(r[0]));  // March: 1 + 2 over 0
  CHECK(r[1] == 7.0 / 8);   // April
  CHECK(std::string(rollup_name(Rollup::kRatio)) == "ratio");
  MetricDef wait{"mean_wait", "days", "wait ÷ people", Rollup::kRatio, "ward", {"a"}};
  wait.numerator = "wait";
  wait.denominator = "people";
  CHECK(ratio_units(wait, "period") ==
        "days (share: period total of wait / period total of people)");
}
