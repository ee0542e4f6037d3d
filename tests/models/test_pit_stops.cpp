// Pit stops at load time: `set` and `scale` by key path, folded into the engine's dated
// mechanisms (capacity schedules, later terms, arrival rates) and, for the borough, the sections
// in force from each date; `extends` merges pit stops by name. (Bad key paths and values:
// tests/models/bad/pit_stop_*.yaml.)
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "engine/network.hpp"
#include "engine/network_graph.hpp"
#include "engine/observer.hpp"
#include "models/scenario.hpp"

namespace fs = std::filesystem;
using namespace pitstop;
using models::load_scenario_text;
using models::Scenario;

namespace {

const fs::path kData = fs::path(PITSTOP_SOURCE_DIR) / "tests/models/data";

Scenario load(const std::string& pit_stops) {
  return load_scenario_text("extends: pit_base.yaml\npit_stops:\n" + pit_stops,
                            (kData / "inline.yaml").string());
}

const engine::ServiceSpec& service(const Scenario& s, const std::string& name) {
  for (const auto& svc : s.network.services) {
    if (svc.name == name) return svc;
  }
  FAIL("no service " << name);
  throw;
}

// Day numbers from the base's start, 2024-04-01 (a Monday).
constexpr double kApril2025 = 365;
constexpr double kNineAm = 9.0 / 24, kNinePm = 21.0 / 24;

}  // namespace

TEST_CASE("scale of a capacity scales its rota from the date on, rounding to whole places",
          "[pit_stops]") {
  const Scenario s = load(R"(
  - name: bigger-clinic
    date: 2025-04-01
    why: two more practitioners
    scale: {services.clinic.capacity: 1.5}
)");
  const auto& cap = service(s, "clinic").capacity;
  CHECK(cap.value_at(kApril2025 - 7 + kNineAm) == 6);  // a week before: the rota as it was
  CHECK(cap.value_at(kApril2025 - 7 + kNinePm) == 2);
  CHECK(cap.value_at(kApril2025 + kNineAm) == 9);  // 6 × 1.5
  CHECK(cap.value_at(kApril2025 + kNinePm) == 3);  // 2 × 1.5
  REQUIRE(s.pit_stops.size() == 1);
  CHECK(s.pit_stops[0].names == std::vector<std::string>{"bigger-clinic"});
  CHECK(s.pit_stops[0].day == kApril2025);
  CHECK(service(s, "clinic").later.empty());  // nothing but capacity changed
}

TEST_CASE("set of a capacity holds from the date, the rota stopping", "[pit_stops]") {
  const Scenario s = load(R"(
  - name: flat
    date: 2025-04-01
    why: one shift all day
    set: {services.clinic.capacity: 4}
)");
  const auto& cap = service(s, "clinic").capacity;
  CHECK(cap.value_at(kApril2025 - 7 + kNinePm) == 2);
  CHECK(cap.value_at(kApril2025 + kNineAm) == 4);
  CHECK(cap.value_at(kApril2025 + kNinePm) == 4);
  CHECK(cap.value_at(kApril2025 + 200) == 4);
}

TEST_CASE("durations, waiting rooms, patience and routes change as later terms", "[pit_stops]") {
  const Scenario s = load(R"(
  - name: faster
    date: 2025-04-01
    why: a new triage
    scale: {services.clinic.duration_days: 0.5}
    set:
      services.clinic.routes.ward.p: 0.1
      services.clinic.routes.exit.p: 0.9
      services.ward.renege_after_days: 1.5
  - name: corridor
    date: 2025-10-01
    why: trolleys
    set: {services.ward.queue_capacity: 4}
)");
  const auto& clinic = service(s, "clinic");
  REQUIRE(clinic.later.size() == 1);
  CHECK(clinic.later[0].from == kApril2025);
  CHECK(clinic.later[0].duration.mean() == Approx(0.05));  // lognormal mean 0.1 × 0.5
  CHECK(std::sqrt(clinic.later[0].duration.variance()) == Approx(0.025));
  REQUIRE(clinic.later[0].routes.size() == 2);
  CHECK(clinic.later[0].routes[0].p == 0.1);
  CHECK(clinic.later[0].routes[1].p == 0.9);
  CHECK(clinic.routes[0].p == 0.2);  // its own terms are untouched
  const auto& ward = service(s, "ward");
  REQUIRE(ward.later.size() == 2);
  CHECK(ward.later[0].renege_after_days == 1.5);
  CHECK(ward.later[0].queue_capacity == 0);
  CHECK(ward.later[1].from == kApril2025 + 183);
  CHECK(ward.later[1].queue_capacity == 4);
  CHECK(ward.later[1].renege_after_days == 1.5);  // changes accumulate
  CHECK(s.pit_stops.size() == 2);
}

TEST_CASE("an arrival rate is spliced at the date; scale scales its dated changes too",
          "[pit_stops]") {
  const std::string base = R"(
arrivals:
  - name: walk-ins
    changes:
      - {from: 2026-04-01, rate_per_day: 50}
)";
  const Scenario s = load_scenario_text("extends: pit_base.yaml\n" + base + R"(pit_stops:
  - name: growth
    date: 2025-04-01
    why: new housing
    scale: {arrivals.walk-ins.rate_per_day: 1.1}
)",
                                        (kData / "inline.yaml").string());
  const auto& daily = s.network.sources[0].rate.daily_rate();
  CHECK(daily.value_at(kApril2025 - 1) == 40);
  CHECK(daily.value_at(kApril2025) == Approx(44));
  CHECK(daily.value_at(kApril2025 + 366) == Approx(55));
}

TEST_CASE("pit stops on one date form one stage, applied in the order written", "[pit_stops]") {
  const Scenario s = load(R"(
  - name: later
    date: 2025-06-01
    why: b
    set: {services.ward.capacity: 10}
  - name: first
    date: 2025-04-01
    why: a
    set: {services.ward.capacity: 40}
  - name: first-too
    date: 2025-04-01
    why: a, then doubled
    scale: {services.ward.capacity: 2}
)");
  REQUIRE(s.pit_stops.size() == 2);
  CHECK(s.pit_stops[0].names == std::vector<std::string>{"first", "first-too"});
  CHECK(s.pit_stops[0].whys == std::vector<std::string>{"a", "a, then doubled"});
  const auto& cap = service(s, "ward").capacity;
  CHECK(cap.value_at(kApril2025 - 1) == 30);
  CHECK(cap.value_at(kApril2025) == 80);  // set 40, then × 2
  CHECK(cap.value_at(kApril2025 + 61) == 10);
}

TEST_CASE("a pit stop that changes nothing leaves the scenario as it was", "[pit_stops]") {
  const Scenario base =
      load_scenario_text("extends: pit_base.yaml\n", (kData / "inline.yaml").string());
  const Scenario s = load(R"(
  - name: nothing
    date: 2025-04-01
    why: a no-op
    scale: {services.clinic.capacity: 1, services.clinic.duration_days: 1}
    set: {services.ward.capacity: 30}
)");
  for (std::size_t i = 0; i < s.network.services.size(); ++i) {
    const auto& a = base.network.services[i].capacity;
    const auto& b = s.network.services[i].capacity;
    CHECK(a.next_change_after(kApril2025 - 1) == b.next_change_after(kApril2025 - 1));
    CHECK(s.network.services[i].later.empty());
  }
}

TEST_CASE("extends merges pit stops by name: change one, remove one, add one", "[pit_stops]") {
  const std::string parent = R"(
  - name: a
    date: 2025-04-01
    why: a
    set: {services.ward.capacity: 20}
  - name: b
    date: 2025-06-01
    why: b
    set: {services.ward.capacity: 25}
)";
  const fs::path dir = fs::temp_directory_path() / "pitstop-test-pit-stops";
  fs::create_directories(dir);
  fs::copy_file(kData / "pit_base.yaml", dir / "pit_base.yaml",
                fs::copy_options::overwrite_existing);
  { std::ofstream(dir / "parent.yaml") << "extends: pit_base.yaml\npit_stops:\n" << parent; }
  const Scenario s = load_scenario_text(R"(extends: parent.yaml
pit_stops:
  - name: a
    date: 2025-05-01
  - {name: b, remove: true}
  - name: c
    date: 2025-09-01
    why: c
    scale: {services.ward.capacity: 2}
)",
                                        (dir / "child.yaml").string());
  REQUIRE(s.pit_stops.size() == 2);
  CHECK(s.pit_stops[0].names[0] == "a");
  CHECK(s.pit_stops[0].date.iso() == "2025-05-01");
  CHECK(s.pit_stops[1].names[0] == "c");
  CHECK(service(s, "ward").capacity.value_at(kApril2025 + 100) == 20);
  CHECK(service(s, "ward").capacity.value_at(kApril2025 + 200) == 40);
  // The resolved scenario keeps the pit stops (it is what was run).
  CHECK_THAT(s.resolved_yaml, Catch::Contains("pit_stops:"));
  fs::remove_all(dir);
}

namespace {

/// The ward's places in use and its capacity at each day's end.
struct WardDays : engine::Observer {
  std::vector<std::size_t> occupied, capacity;
  bool wants_days() const override { return true; }
  void on_day_end(long, const engine::Network& net) override {
    occupied.push_back(net.occupied(1));
    capacity.push_back(net.capacity(1));
  }
};

}  // namespace

TEST_CASE("a capacity cut at a pit stop ejects no one and holds once people leave",
          "[pit_stops][capacity]") {
  const Scenario s = load(R"(
  - name: ward-closes
    date: 2025-04-01
    why: a ward closes; 5 beds stay
    set: {services.ward.capacity: 5}
)");
  REQUIRE(service(s, "ward").name == s.network.services[1].name);
  const engine::NetworkGraph graph(s.network);
  WardDays days;
  engine::Network net(graph, s.run, 0, &days);
  const auto result = net.run();
  // Day d's end is recorded at t = d + 1, before any change at that instant: day 364 ends just
  // before the cut at t = 365 (the pit stop's date), day 365 is the first day with 5 places.
  const auto cut = static_cast<std::size_t>(kApril2025);
  REQUIRE(days.occupied.size() > cut + 60);
  CHECK(days.capacity[cut - 1] == 30);
  CHECK(days.capacity[cut] == 5);
  // ≈ 8 a day stay ≈ 3 days: about 24 in the ward on the eve; a day after the cut most are still
  // there (a gamma stay of mean 3, sd 2 ends within a day for about 1 in 5): no one was ejected.
  CHECK(days.occupied[cut - 1] > 12);
  CHECK(days.occupied[cut] > 5);
  // They leave as their stays end; from then on the cut holds.
  std::size_t held_from = cut;
  while (held_from < days.occupied.size() && days.occupied[held_from] > 5)
    ++held_from;
  CHECK(held_from < cut + 30);
  for (std::size_t d = held_from; d < days.occupied.size(); ++d) {
    INFO("day " << d);
    REQUIRE(days.occupied[d] <= 5);
  }
  CHECK(result.created == result.exited + result.lost + result.inside_at_end);
}
