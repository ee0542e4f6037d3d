// The scenario loader: the DESIGN.md example, `extends`, schedules, profiles, overrides,
// resolved YAML, and robustness (every damaged copy of a scenario loads or is an InputError).
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "engine/network_spec.hpp"
#include "models/scenario.hpp"

namespace fs = std::filesystem;
using namespace pitstop;
using models::InputError;
using models::load_scenario;
using models::load_scenario_text;

namespace {

// The example from DESIGN.md, verbatim.
const std::string kExample = R"(name: mmc-validation
start: 2020-01-01
horizon_days: 20000
warmup_days: 1000          # statistics ignore everything before this
seed: 12345
replicates: 8
arrivals:
  - name: walk-ins
    to: clinic
    rate_per_day: 9.0       # Poisson
services:
  clinic:
    capacity: 10
    queue_capacity: unlimited   # or an integer; 0 = lost when full (Erlang loss)
    duration_days: {dist: exponential, mean: 1.0}
    routes:
      - {to: exit, p: 1.0}
)";

const fs::path kData = fs::path(PITSTOP_SOURCE_DIR) / "tests/models/data";

// The example with `extra` appended to the clinic service.
std::string with_clinic(const std::string& extra) {
  return kExample + extra;
}

const engine::ServiceSpec& service(const models::Scenario& s, const std::string& name) {
  for (const auto& svc : s.network.services) {
    if (svc.name == name) return svc;
  }
  FAIL("no service " << name);
  throw;
}

}  // namespace

TEST_CASE("the DESIGN.md example loads with exactly its values", "[models][loader]") {
  const auto s = load_scenario_text(kExample, "mmc.yaml");
  CHECK(s.name == "mmc-validation");
  CHECK(s.file == "mmc.yaml");
  CHECK(s.start.iso() == "2020-01-01");
  CHECK(s.run.horizon_days == 20000);
  CHECK(s.run.warmup_days == 1000);
  CHECK(s.run.seed == 12345);
  CHECK(s.run.replicates == 8);
  CHECK(s.network.name == "mmc-validation");
  CHECK(s.network.start_weekday == 2);  // a Wednesday
  REQUIRE(s.network.sources.size() == 1);
  const auto& src = s.network.sources[0];
  CHECK(src.name == "walk-ins");
  CHECK(src.to == "clinic");
  CHECK(src.priority_class == 0);
  CHECK(src.rate.rate_at(0) == 9.0);
  CHECK(src.rate.rate_at(12345.6) == 9.0);
  REQUIRE(s.network.services.size() == 1);
  const auto& c = s.network.services[0];
  CHECK(c.name == "clinic");
  CHECK(c.capacity.value_at(0) == 10);
  CHECK(c.capacity.value_at(19999) == 10);
  CHECK(c.queue_capacity == engine::kUnlimited);
  CHECK(c.discipline == engine::Discipline::kFifo);
  CHECK(c.duration.kind() == engine::Distribution::Kind::kExponential);
  CHECK(c.duration.mean() == 1.0);
  CHECK_FALSE(c.renege_after_days);
  REQUIRE(c.routes.size() == 1);
  CHECK(c.routes[0].to == "exit");
  CHECK(c.routes[0].p == 1.0);
}

TEST_CASE("resolved YAML is the full scenario and loads to the same thing", "[models][loader]") {
  const auto s = load_scenario_text(kExample, "mmc.yaml");
  CHECK_THAT(s.resolved_yaml, Catch::Contains("discipline: fifo"));  // defaults made explicit
  CHECK_THAT(s.resolved_yaml, Catch::Contains("priority: 0"));
  const auto again = load_scenario_text(s.resolved_yaml, "resolved.yaml");
  CHECK(again.resolved_yaml == s.resolved_yaml);
  CHECK(again.run.seed == s.run.seed);
  CHECK(again.network.services[0].capacity.value_at(0) == 10);
}

TEST_CASE("overrides replace seed and replicates and are validated", "[models][loader]") {
  models::Overrides o;
  o.seed = 18446744073709551615ULL;
  o.replicates = 3;
  const auto s = load_scenario_text(kExample, "mmc.yaml", o);
  CHECK(s.run.seed == 18446744073709551615ULL);
  CHECK(s.run.replicates == 3);
  CHECK_THAT(s.resolved_yaml, Catch::Contains("replicates: 3"));
  o.replicates = 0;
  try {
    load_scenario_text(kExample, "mmc.yaml", o);
    FAIL("replicates 0 accepted");
  } catch (const InputError& e) {
    CHECK(e.file() == "command line");
    CHECK(e.key_path() == "replicates");
    CHECK(std::string(e.what()) == "command line: replicates: must be a positive integer, got 0");
  }
}

TEST_CASE("defaults fill in what the example leaves out", "[models][loader]") {
  const auto s = load_scenario_text(R"(name: minimal
start: 2024-04-01
horizon_days: 10
arrivals: [{name: a, to: s, rate_per_day: 1}]
services:
  s:
    capacity: 1
    duration_days: {dist: fixed, value: 0.5}
)",
                                    "min.yaml");
  CHECK(s.run.warmup_days == 0);
  CHECK(s.run.seed == 1);
  CHECK(s.run.replicates == 1);
  CHECK(s.network.services[0].queue_capacity == engine::kUnlimited);
  CHECK(s.network.services[0].routes.empty());
  CHECK(s.network.services[0].duration.mean() == 0.5);
}

TEST_CASE("keeps_origin is a boolean, false unless given", "[models][loader][keeps_origin]") {
  const std::string kTwo = R"(name: two
start: 2024-04-01
horizon_days: 10
arrivals: [{name: a, to: stay, rate_per_day: 1}]
services:
  stay:
    capacity: 2
    duration_days: {dist: fixed, value: 2}
    routes: [{to: assess, p: 1}]
  assess:
    capacity: 1
    duration_days: {dist: fixed, value: 0.5}
)";
  const auto off = load_scenario_text(kTwo, "two.yaml");
  CHECK_FALSE(service(off, "stay").keeps_origin);
  CHECK_FALSE(service(off, "assess").keeps_origin);
  CHECK_THAT(off.resolved_yaml, !Catch::Contains("keeps_origin"));  // no default written out
  for (const char* yes : {"true", "True", "TRUE"}) {
    INFO(yes);
    const auto on = load_scenario_text(kTwo + "    keeps_origin: " + yes + "\n", "two.yaml");
    CHECK(service(on, "assess").keeps_origin);
    CHECK_FALSE(service(on, "stay").keeps_origin);
    CHECK_THAT(on.resolved_yaml, Catch::Contains("keeps_origin: "));
    CHECK(service(load_scenario_text(on.resolved_yaml, "resolved.yaml"), "assess").keeps_origin);
  }
  CHECK_FALSE(service(load_scenario_text(kTwo + "    keeps_origin: false\n", "two.yaml"), "assess")
                  .keeps_origin);
  // Anything else is refused at the value, like the other typed keys.
  for (const char* bad : {"3", "yes", "\"true\"", "[true]"}) {
    INFO(bad);
    try {
      load_scenario_text(kTwo + "    keeps_origin: " + bad + "\n", "two.yaml");
      FAIL("loaded keeps_origin: " << bad);
    } catch (const InputError& e) {
      CHECK(e.line() == 13);
      CHECK(e.column() == 19);
      CHECK(e.key_path() == "services.assess.keeps_origin");
      CHECK_THAT(e.message(), Catch::StartsWith("expected `true` or `false`, got"));
      CHECK_THAT(std::string(e.what()), Catch::StartsWith("two.yaml:13:19: "));
    }
  }
  // A keeps_origin service routing back to itself is refused at that route.
  try {
    load_scenario_text(kTwo +
                           "    keeps_origin: true\n    routes: [{to: assess, p: 0.5}, {to: exit, "
                           "p: 0.5}]\n",
                       "two.yaml");
    FAIL("loaded a keeps_origin service routing to itself");
  } catch (const InputError& e) {
    CHECK(e.line() == 14);
    CHECK(e.key_path() == "services.assess.routes[0].to");
    CHECK_THAT(e.message(), Catch::Contains("routes back to itself"));
  }
}

TEST_CASE("extends merges by key path through a chain", "[models][loader][extends]") {
  const auto base = load_scenario((kData / "base.yaml").string());
  CHECK(service(base, "ward").capacity.value_at(0) == 40);
  CHECK(service(base, "ward").renege_after_days == 2.0);
  CHECK(service(base, "ward").queue_capacity == 0);

  const auto child = load_scenario((kData / "child.yaml").string());
  CHECK(child.name == "line-child");
  CHECK(child.description == "A & E then a ward.");  // inherited
  CHECK(child.run.horizon_days == 365);              // inherited
  CHECK(child.start.iso() == "2024-04-01");
  const auto& ward = service(child, "ward");
  CHECK(ward.capacity.value_at(0) == 50);  // overridden
  CHECK(ward.queue_capacity == 0);         // kept from the base's ward map
  CHECK_FALSE(ward.renege_after_days);     // removed by `~`
  CHECK(ward.duration.kind() == engine::Distribution::Kind::kGamma);
  const auto& ae = service(child, "ae");
  REQUIRE(ae.routes.size() == 2);  // the list replaced, not appended
  CHECK(ae.routes[0].p == 0.4);
  REQUIRE(child.network.sources.size() == 2);
  CHECK(child.network.sources[1].priority_class == -1);
  CHECK_THAT(child.resolved_yaml, !Catch::Contains("extends"));

  const auto grandchild = load_scenario((kData / "grandchild.yaml").string());
  CHECK(grandchild.name == "line-grandchild");
  CHECK(service(grandchild, "ward").capacity.value_at(0) == 60);
  CHECK(service(grandchild, "ward").discipline == engine::Discipline::kPriority);
  CHECK(service(grandchild, "ae").routes[0].p == 0.4);
  CHECK(grandchild.network.sources.size() == 2);
}

TEST_CASE("errors point at the file that wrote the value", "[models][loader][extends]") {
  const std::string file = (kData / "inline.yaml").string();
  try {
    load_scenario_text("extends: child.yaml\nservices:\n  ward:\n    capacity: -1\n", file);
    FAIL("accepted");
  } catch (const InputError& e) {
    CHECK(e.file() == file);
    CHECK(e.line() == 4);
    CHECK(e.column() == 15);
    CHECK(e.key_path() == "services.ward.capacity");
  }
  try {  // a self-reference is the shortest cycle
    load_scenario_text("extends: inline.yaml\n", file);
    FAIL("accepted");
  } catch (const InputError& e) {
    CHECK(e.key_path() == "extends");
    CHECK_THAT(e.message(), Catch::Contains("cycle"));
  }
}

TEST_CASE("capacity schedules: dated and weekly", "[models][loader][schedule]") {
  // 2020-01-01 is a Wednesday (day 0); 2020-01-06 (day 5) is a Monday.
  const auto s = load_scenario_text(with_clinic(R"(    capacity_schedule:
      - {from: 2020-01-03, capacity: 12}
      - from: 2020-01-06
        weekly:
          - {day: mon, hour: 8, capacity: 5}
          - {day: mon, hour: 20.5, capacity: 2}
      - {from: 2020-03-01, capacity: 0}
)"),
                                    "sched.yaml");
  const auto& cap = s.network.services[0].capacity;
  CHECK(cap.value_at(0) == 10);
  CHECK(cap.value_at(1.99) == 10);
  CHECK(cap.value_at(2) == 12);
  CHECK(cap.value_at(5 + 9.0 / 24) == 5);
  CHECK(cap.value_at(5 + 21.0 / 24) == 2);
  CHECK(cap.value_at(12 + 12.0 / 24) == 5);  // the next Monday, noon
  CHECK(cap.value_at(60) == 0);              // 2020-03-01 is day 60
  CHECK_FALSE(cap.is_constant());

  const auto from_start = load_scenario_text(
      with_clinic("    capacity_schedule:\n      - {from: 2020-01-01, capacity: 3}\n"), "s.yaml");
  CHECK(from_start.network.services[0].capacity.value_at(0) == 3);
}

TEST_CASE("arrival profiles and dated rate changes", "[models][loader][schedule]") {
  const std::string text = R"(name: profiled
start: 2020-01-01
horizon_days: 100
arrivals:
  - name: calls
    description: 999 calls
    to: crews
    rate_per_day: 24
    priority: 2
    profile:
      day_of_week: [1, 1, 1, 1, 1, 2, 2]
    changes:
      - {from: 2020-01-11, rate_per_day: 48}
services:
  crews:
    description: ambulance crews
    capacity: 5
    queue_capacity: 3
    discipline: priority
    duration_days: {dist: weibull, shape: 1.5, scale: 0.1}
    renege_after_days: 0.25
)";
  const auto s = load_scenario_text(text, "calls.yaml");
  const auto& src = s.network.sources[0];
  CHECK(src.priority_class == 2);
  CHECK_FALSE(src.rate.is_constant());
  CHECK(src.rate.daily_rate().value_at(0) == 24);
  CHECK(src.rate.daily_rate().value_at(10) == 48);
  const auto& crews = s.network.services[0];
  CHECK(crews.queue_capacity == 3);
  CHECK(crews.discipline == engine::Discipline::kPriority);
  CHECK(crews.renege_after_days == 0.25);
  CHECK(crews.duration.kind() == engine::Distribution::Kind::kWeibull);
  CHECK(crews.duration.mean() == Approx(0.1 * std::tgamma(1 + 1 / 1.5)));
}

TEST_CASE("every distribution family loads with its mean", "[models][loader]") {
  const std::vector<std::pair<std::string, double>> cases = {
      {"{dist: exponential, mean: 2}", 2.0},
      {"{dist: lognormal, mean: 3, sd: 1}", 3.0},
      {"{dist: gamma, mean: 4, sd: 2}", 4.0},
      {"{dist: fixed, value: 0.5}", 0.5},
      {"{dist: empirical, values: [1, 2, 4], weights: [1, 1, 2]}", 2.75},
  };
  for (const auto& [dist, mean] : cases) {
    INFO(dist);
    std::string text = kExample;
    text.replace(text.find("{dist: exponential, mean: 1.0}"), 30, dist);
    CHECK(load_scenario_text(text, "d.yaml").network.services[0].duration.mean() == Approx(mean));
  }
}

TEST_CASE("InputError formats file:line:column: key: message", "[models][errors]") {
  CHECK(std::string(InputError("a.yaml", 12, 5, "services.x.capacity", "bad").what()) ==
        "a.yaml:12:5: services.x.capacity: bad");
  CHECK(std::string(InputError("a.yaml", 0, 0, "", "cannot open the file").what()) ==
        "a.yaml: cannot open the file");
  CHECK_THROWS_AS(load_scenario((kData / "no-such-file.yaml").string()), InputError);
}

TEST_CASE("damaged scenarios never crash: they load or raise InputError", "[models][robust]") {
  // Every prefix, and every copy with one character removed or replaced.
  auto survives = [](const std::string& text) {
    try {
      load_scenario_text(text, "damaged.yaml");
    } catch (const InputError&) {
    }
  };
  for (std::size_t n = 0; n <= kExample.size(); ++n) {
    INFO("prefix " << n);
    REQUIRE_NOTHROW(survives(kExample.substr(0, n)));
  }
  for (std::size_t i = 0; i < kExample.size(); ++i) {
    for (const char* replacement : {"", ":", "-", "[", "{", "&", "*a", "!", "\t", "0", "\"", "~"}) {
      std::string text = kExample;
      text.replace(i, 1, replacement);
      INFO("at " << i << " put '" << replacement << "'");
      REQUIRE_NOTHROW(survives(text));
    }
  }
}

TEST_CASE("complete examples in scenarios/README.md load", "[models][docs]") {
  std::ifstream in(fs::path(PITSTOP_SOURCE_DIR) / "scenarios/README.md");
  std::string line, block;
  bool inside = false;
  int loaded = 0;
  while (std::getline(in, line)) {
    if (!inside && line == "```yaml") {
      inside = true;
      block.clear();
    } else if (inside && line == "```") {
      inside = false;
      if (block.rfind("name:", 0) != 0) continue;  // a fragment, not a whole scenario
      INFO(block);
      CHECK_NOTHROW(load_scenario_text(block, "README.md"));
      ++loaded;
    } else if (inside) {
      block += line + "\n";
    }
  }
  CHECK(loaded >= 2);
}
