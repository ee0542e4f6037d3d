// The results reader, compare and CSV export on small hand-made results files (written with
// ResultsFile), where every value is known: exact totals, labels with commas and quotes, and
// files that cannot be compared.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "output/compare.hpp"
#include "output/csv_export.hpp"
#include "output/results_file.hpp"
#include "output/results_reader.hpp"

namespace fs = std::filesystem;
using namespace pitstop::output;
using pitstop::models::Date;

namespace {

std::string work_dir() {
  const std::string dir = std::string(PITSTOP_BINARY_DIR) + "/tests/output-reader";
  fs::create_directories(dir);
  return dir;
}

const std::string kAwkward = "acute beds, \"pooled\"";

/// What a hand-made file holds.
struct Crafted {
  std::string start = "2019-04-01";
  double horizon = 400;
  std::uint32_t replicates = 2;
  bool with_census = true;
};

/// spend_gbp (sum) by budget line: day d of replicate r is (r + 1) on line 0 and 10 on line 1;
/// census (mean) by area: always 5 + r. One service `front` with arrivals 100 + r.
RunDescription describe(const Crafted& c) {
  RunDescription d;
  d.scenario_name = "crafted";
  d.tool_version = "test";
  d.start = *Date::parse(c.start);
  d.horizon_days = c.horizon;
  d.seed = 3;
  d.replicates = c.replicates;
  d.metrics.push_back(
      {"spend_gbp", "GBP/day", "spend", Rollup::kSum, "budget line", {kAwkward, "community"}});
  if (c.with_census)
    d.metrics.push_back({"census", "people", "people present", Rollup::kMean, "area", {"north"}});
  d.services = {"front"};
  return d;
}

std::string write_crafted(const std::string& name, const Crafted& c = {}) {
  const std::string path = work_dir() + "/" + name;
  const RunDescription d = describe(c);
  ResultsFile file(path, d);
  RunTotals totals(d);
  for (std::uint32_t r = 0; r < c.replicates; ++r) {
    ReplicateOutput out;
    out.replicate = r;
    out.series.init(d.metrics, d.days());
    for (std::size_t day = 0; day < d.days(); ++day) {
      out.series.values[0][day * 2 + 0] = r + 1.0;
      out.series.values[0][day * 2 + 1] = 10.0;
      if (c.with_census) out.series.values[1][day] = 5.0 + r;
    }
    out.result.replicate = r;
    out.result.observed_days = c.horizon;
    out.result.services.resize(1);
    out.result.services[0].arrivals = 100 + r;
    file.write(out);
    totals.add(out);
  }
  file.commit(totals);
  return path;
}

std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (quoted && ch == '"' && i + 1 < text.size() && text[i + 1] == '"') {
      field += '"';
      ++i;
    } else if (ch == '"') {
      quoted = !quoted;
    } else if (!quoted && ch == ',') {
      row.push_back(std::exchange(field, {}));
    } else if (!quoted && ch == '\n') {
      row.push_back(std::exchange(field, {}));
      rows.push_back(std::exchange(row, {}));
    } else {
      field += ch;
    }
  }
  return rows;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("the reader returns the metadata, labels and values that were written", "[output]") {
  const ResultsReader r(write_crafted("crafted.h5"));
  CHECK(r.meta().scenario == "crafted");
  CHECK(r.meta().seed == 3);
  CHECK(r.meta().replicates == 2);
  CHECK(r.meta().start_date == "2019-04-01");
  CHECK(r.meta().end_date == "2020-05-04");
  CHECK(r.meta().schema_version == kSchemaVersion);
  REQUIRE(r.metrics().size() == 2);
  CHECK(r.metrics()[0].name == "census");  // name order
  const MetricDef* spend = r.find_metric("spend_gbp");
  REQUIRE(spend != nullptr);
  CHECK(spend->units == "GBP/day");
  CHECK(spend->rollup == Rollup::kSum);
  CHECK(spend->breakdown_name == "budget line");
  CHECK(spend->breakdown == std::vector<std::string>{kAwkward, "community"});
  CHECK(r.find_metric("census")->rollup == Rollup::kMean);
  CHECK(r.periods(PeriodKind::kFinancialYear) == std::vector<std::string>{"2019/20", "2020/21"});
  CHECK(r.periods(PeriodKind::kMonth).size() == 14);
  CHECK(r.period_days(PeriodKind::kFinancialYear) == std::vector<std::size_t>{366, 34});
  CHECK(r.services() == std::vector<std::string>{"front"});
  CHECK(r.days().size() == 400);

  // 2019/20 has 366 days (leap year), 2020/21 the remaining 34.
  const PeriodValues v = r.per_replicate("spend_gbp", PeriodKind::kFinancialYear);
  REQUIRE(v.rows == 2);
  CHECK(v.at(0, 0, 0) == 366.0);
  CHECK(v.at(1, 0, 0) == 2 * 366.0);
  CHECK(v.at(1, 1, 1) == 10 * 34.0);
  CHECK(v.total(0) == std::vector<double>{366.0 + 3660, 732.0 + 3660});
  CHECK(r.per_replicate("census", PeriodKind::kMonth).column(3, 0) == std::vector<double>{5, 6});
  CHECK(r.across("spend_gbp", PeriodKind::kFinancialYear).at(0, 0, 0) == 1.5 * 366);
  CHECK(r.period_units("census", PeriodKind::kMonth) == "people (period mean)");
  REQUIRE(!r.service_stats().empty());
  CHECK(r.service_stats().front() == "arrivals");
  const ServiceAcross a = r.service_across("arrivals");
  CHECK(a.values[0] == 100.5);  // mean of 100 and 101
}

TEST_CASE("the reader refuses files that are not pitstop results", "[output]") {
  const std::string dir = work_dir();
  auto message = [](const std::string& path) {
    try {
      ResultsReader r(path);
    } catch (const ResultsError& e) {
      return std::string(e.what());
    }
    return std::string("(opened)");
  };
  CHECK_THAT(message(dir + "/none.h5"), Catch::Contains("no such file"));
  std::ofstream(dir + "/text.h5") << "not hdf5\n";
  CHECK_THAT(message(dir + "/text.h5"), Catch::Contains("not an HDF5 file"));
  {
    h5::Handle f = h5::create_file(dir + "/other.h5");
    h5::Handle g = h5::create_group(f, "data");
  }
  CHECK_THAT(message(dir + "/other.h5"), Catch::Contains("not a pitstop results file"));
  {
    h5::Handle f = h5::create_file(dir + "/future.h5");
    h5::Handle g = h5::create_group(f, "meta");
    h5::set_attr(g, "tool", std::string("pitstop"));
    h5::set_attr(g, "schema_version", std::int64_t{99});
  }
  CHECK_THAT(message(dir + "/future.h5"),
             Catch::Contains("schema version 99") && Catch::Contains("reads version 1"));
}

TEST_CASE("compare: a file against itself differs by exactly 0", "[output][compare]") {
  const ResultsReader r(write_crafted("self.h5"));
  for (bool breakdown : {false, true}) {
    const Comparison c = compare_results(r, r, {.by = PeriodKind::kMonth, .breakdown = breakdown});
    CHECK(c.rows.size() == (breakdown ? 2 + 3 : 2) * 14u);
    for (const CompareRow& row : c.rows) {
      CHECK(row.diff == 0);
      CHECK(row.lo == 0);
      CHECK(row.hi == 0);
      CHECK(row.pct == 0);
      CHECK(row.base == row.other);
    }
  }
  const Comparison c = compare_results(r, r, {});
  const std::string json = comparison_json(c);
  CHECK_THAT(json, Catch::Contains("\"by_financial_year\"") && Catch::Contains("\"2019/20\""));
  CHECK_THAT(comparison_table(c), Catch::Contains("[0, 0]"));
}

TEST_CASE("compare: overlapping periods only, and files that cannot be compared",
          "[output][compare]") {
  const ResultsReader base(write_crafted("base.h5"));
  const ResultsReader later(write_crafted("later.h5", {.start = "2020-04-01"}));
  const Comparison c = compare_results(base, later, {});
  CHECK(c.periods == std::vector<std::string>{"2020/21"});
  CHECK(c.other_only_periods == std::vector<std::string>{"2021/22"});
  CHECK(c.base_only_periods == std::vector<std::string>{"2019/20"});
  REQUIRE(c.warnings.size() == 2);
  CHECK_THAT(c.warnings[0],
             Catch::Contains("not like for like") && Catch::Contains("2020/21 (34 vs 365 days)"));
  CHECK_THAT(c.warnings[1], Catch::Contains("dropped"));

  const ResultsReader far(write_crafted("far.h5", {.start = "2024-04-01"}));
  CHECK_THROWS_WITH(compare_results(base, far, {}), Catch::Contains("no financial_year"));
  const ResultsReader three(write_crafted("three.h5", {.replicates = 3}));
  CHECK_THROWS_WITH(compare_results(base, three, {}),
                    Catch::Contains("different replicate counts") && Catch::Contains("2") &&
                        Catch::Contains("3"));
  CHECK_NOTHROW(compare_results(base, three, {.unpaired = true}));
  const ResultsReader fewer(write_crafted("fewer.h5", {.with_census = false}));
  CHECK_THROWS_WITH(compare_results(base, fewer, {}),
                    Catch::Contains("different metrics") && Catch::Contains("census"));
}

TEST_CASE("compare: percent change is empty when the base is 0", "[output][compare]") {
  const ResultsReader r(write_crafted("pct.h5"));
  Comparison c = compare_results(r, r, {});
  c.rows.front().base = 0;
  c.rows.front().pct = std::numeric_limits<double>::quiet_NaN();
  CHECK_THAT(comparison_json(c), Catch::Contains("\"pct\": null"));
}

TEST_CASE("CSV fields are quoted per RFC 4180 and numbers round-trip", "[output][csv]") {
  CHECK(csv_field("plain") == "plain");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_field("two\nlines") == "\"two\nlines\"");
  CHECK(csv_field("") == "");
  CHECK(csv_number(0.1) == "0.1");
  CHECK(csv_number(327000000.0) == "327000000");
  CHECK(csv_number(-0.0) == "0");
  CHECK(csv_number(std::numeric_limits<double>::quiet_NaN()).empty());
  for (double x : {1.0 / 3, 1234.5678901234, 6.02e23, 1e-9})
    CHECK(std::stod(csv_number(x)) == x);
}

TEST_CASE("export writes tidy tables, quoting awkward labels", "[output][csv]") {
  const ResultsReader r(write_crafted("export.h5"));
  const std::string dir = work_dir() + "/csv-crafted";
  fs::remove_all(dir);
  const auto written = export_csv(r, dir, {.daily = true});
  CHECK(written.size() == 5);
  for (const auto& entry : fs::directory_iterator(dir))
    CHECK(entry.path().filename().string().find(".tmp-") == std::string::npos);

  const std::string fy_text = slurp(dir + "/summary_by_financial_year.csv");
  CHECK_THAT(fy_text, Catch::Contains("\"acute beds, \"\"pooled\"\"\""));
  CHECK(fy_text.find('\r') == std::string::npos);
  CHECK(fy_text.rfind("\xEF\xBB\xBF", 0) == std::string::npos);  // no BOM
  const auto fy = parse_csv(fy_text);
  REQUIRE(fy.size() == 1 + (2 + 1) * 2);  // header + (breakdown labels) × years
  CHECK(fy[0] == std::vector<std::string>{"metric", "units", "breakdown", "period", "mean", "p5",
                                          "p50", "p95"});
  // census first (name order), then spend_gbp by line.
  CHECK(fy[3] == std::vector<std::string>{"spend_gbp", "GBP (period total)", kAwkward, "2019/20",
                                          "549", "384.3", "549", "713.7"});
  for (std::size_t i = 1; i < fy.size(); ++i)
    CHECK(fy[i].size() == 8);

  const auto totals = parse_csv(slurp(dir + "/replicate_totals.csv"));
  CHECK(totals.size() == 1 + 2 * 3 * 2);  // replicates × labels × years
  CHECK(totals[1] == std::vector<std::string>{"0", "census", "north", "2019/20", "5"});

  const auto services = parse_csv(slurp(dir + "/services.csv"));
  CHECK(services.size() == 1 + r.service_stats().size());
  CHECK(services[1][0] == "front");
  CHECK(services[1][1] == "arrivals");
  CHECK(services[1][2] == "100.5");

  const auto daily = parse_csv(slurp(dir + "/daily.csv"));
  CHECK(daily.size() == 1 + 2 * 400 * 3);
  CHECK(daily[1] == std::vector<std::string>{"0", "2019-04-01", "census", "north", "5"});
  CHECK(daily.back() ==
        std::vector<std::string>{"1", "2020-05-04", "spend_gbp", "community", "10"});
}
