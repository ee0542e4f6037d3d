// `extends` with lists: lists of named maps merge item by item (addressed by `name`; `remove:
// true` deletes an inherited item; new names are appended), other lists are replaced whole; marks
// stay with the file that wrote each value; resolved YAML is a fixed point; cycles are refused.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "engine/network_spec.hpp"
#include "models/raw_tree.hpp"
#include "models/scenario.hpp"

namespace fs = std::filesystem;
using namespace pitstop;
using models::InputError;
using models::load_scenario;
using models::load_scenario_text;

namespace {

const fs::path kData = fs::path(PITSTOP_SOURCE_DIR) / "tests/models/data";

std::vector<std::string> source_names(const models::Scenario& s) {
  std::vector<std::string> names;
  for (const auto& src : s.network.sources)
    names.push_back(src.name);
  return names;
}

const engine::SourceSpec& source(const models::Scenario& s, const std::string& name) {
  for (const auto& src : s.network.sources) {
    if (src.name == name) return src;
  }
  FAIL("no source " << name);
  throw;
}

const engine::ServiceSpec& service(const models::Scenario& s, const std::string& name) {
  for (const auto& svc : s.network.services) {
    if (svc.name == name) return svc;
  }
  FAIL("no service " << name);
  throw;
}

/// Loads `text` as if it were the file `name` in tests/models/data (so `extends: base.yaml`
/// finds the test base) and returns the error it must raise.
InputError load_error(const std::string& text, const std::string& name = "inline.yaml") {
  try {
    load_scenario_text(text, (kData / name).string());
  } catch (const InputError& e) {
    return e;
  }
  FAIL("loaded without an error:\n" << text);
  throw;
}

/// merge() of two YAML texts, emitted again as YAML.
std::string merged(const std::string& base, const std::string& derived) {
  return models::emit_yaml(
      models::merge(models::parse_yaml(base, "base.yaml"), models::parse_yaml(derived, "d.yaml")));
}

std::string emitted(const std::string& yaml) {
  return models::emit_yaml(models::parse_yaml(yaml, "expected.yaml"));
}

}  // namespace

TEST_CASE("named lists merge item by item through a three-file chain", "[models][extends]") {
  // base.yaml: walk-ins → ae at 100 a day.
  const auto base = load_scenario((kData / "base.yaml").string());
  CHECK(source_names(base) == std::vector<std::string>{"walk-ins"});

  // streams.yaml: walk-ins' rate changed by name, two streams appended in the file's order.
  const auto streams = load_scenario((kData / "streams.yaml").string());
  CHECK(streams.name == "line-streams");
  CHECK(source_names(streams) ==
        std::vector<std::string>{"walk-ins", "ambulances", "gp-referrals"});
  CHECK(source(streams, "walk-ins").to == "ae");  // inherited from base.yaml
  CHECK(source(streams, "walk-ins").rate.rate_at(0) == 120);
  CHECK(source(streams, "walk-ins").priority_class == 0);
  CHECK(source(streams, "ambulances").priority_class == -1);
  CHECK(source(streams, "gp-referrals").rate.daily_rate().value_at(200) == 3);
  // A list without names (routes) is replaced whole.
  REQUIRE(service(streams, "ae").routes.size() == 1);
  CHECK(service(streams, "ae").routes[0].to == "exit");

  // streams_child.yaml: walk-ins removed, gp-referrals changed in place, night-calls appended.
  const auto child = load_scenario((kData / "streams_child.yaml").string());
  CHECK(child.name == "line-streams-child");
  CHECK(source_names(child) ==
        std::vector<std::string>{"ambulances", "gp-referrals", "night-calls"});
  const auto& gp = source(child, "gp-referrals");
  CHECK(gp.to == "ward");  // from streams.yaml
  CHECK(gp.rate.daily_rate().value_at(0) == 4);
  // `changes` has no names: the child's list replaced the parent's (no 2024-10-01 step).
  CHECK(gp.rate.daily_rate().value_at(200) == 4);
  CHECK(gp.rate.daily_rate().value_at(300) == 6);
  CHECK(source(child, "ambulances").rate.rate_at(0) == 30);
  CHECK(service(child, "ae").routes.size() == 1);            // from streams.yaml
  CHECK(service(child, "ward").capacity.value_at(0) == 40);  // from base.yaml
  CHECK_THAT(child.resolved_yaml, !Catch::Contains("remove"));
  CHECK_THAT(child.resolved_yaml, !Catch::Contains("walk-ins"));
}

TEST_CASE("an unchanged restatement of a named list changes nothing", "[models][extends]") {
  // child.yaml restates walk-ins as the base has it and adds ambulances: the same two streams
  // as when the list was replaced.
  const auto child = load_scenario((kData / "child.yaml").string());
  CHECK(source_names(child) == std::vector<std::string>{"walk-ins", "ambulances"});
}

TEST_CASE("remove: true deletes an inherited item; a merged item keeps its place",
          "[models][extends]") {
  const auto s = load_scenario_text(R"(extends: streams.yaml
name: reordered
arrivals:
  - name: late
    to: ward
    rate_per_day: 1
  - name: ambulances
    remove: true
  - name: walk-ins
    rate_per_day: 7
    priority: 2
)",
                                    (kData / "inline.yaml").string());
  CHECK(source_names(s) == std::vector<std::string>{"walk-ins", "gp-referrals", "late"});
  CHECK(source(s, "walk-ins").rate.rate_at(0) == 7);
  CHECK(source(s, "walk-ins").priority_class == 2);
  CHECK(source(s, "walk-ins").to == "ae");
  // `~` inside a merged item removes that key of the inherited item.
  const auto no_changes = load_scenario_text(
      "extends: streams.yaml\nname: flat\narrivals:\n  - {name: gp-referrals, changes: ~}\n",
      (kData / "inline.yaml").string());
  CHECK(source(no_changes, "gp-referrals").rate.is_constant());
  // `remove: True` is the same YAML boolean.
  const auto upper = load_scenario_text(
      "extends: streams.yaml\nname: u\narrivals:\n  - {name: ambulances, remove: True}\n",
      (kData / "inline.yaml").string());
  CHECK(source_names(upper) == std::vector<std::string>{"walk-ins", "gp-referrals"});
}

TEST_CASE("lists whose items are not all named maps are replaced whole", "[models][extends]") {
  const std::string base = R"(a:
  schedule:
    - {from: 2024-01-01, capacity: 3}
    - {from: 2024-06-01, capacity: 4}
  numbers: [1, 2, 3]
  mixed:
    - {name: x, v: 1}
    - {v: 2}
  named:
    - {name: x, v: 1}
    - {name: y, v: 2}
)";
  CHECK(merged(base, "a:\n  schedule:\n    - {from: 2025-01-01, capacity: 9}\n") == emitted(R"(a:
  schedule:
    - {from: 2025-01-01, capacity: 9}
  numbers: [1, 2, 3]
  mixed:
    - {name: x, v: 1}
    - {v: 2}
  named:
    - {name: x, v: 1}
    - {name: y, v: 2}
)"));
  CHECK_THAT(merged(base, "a:\n  numbers: [7]\n"), Catch::Contains("numbers: [7]\n"));
  // A base list with an unnamed item is replaced, as is one by a list with an unnamed item.
  CHECK_THAT(merged(base, "a:\n  mixed:\n    - {name: x, v: 5}\n"),
             Catch::Contains("mixed:\n    - {name: x, v: 5}\n  named:"));
  CHECK_THAT(merged(base, "a:\n  named:\n    - {name: x, v: 5}\n    - {v: 6}\n"),
             Catch::Contains("named:\n    - {name: x, v: 5}\n    - {v: 6}\n"));
  // An empty list replaces too (it clears the list rather than changing nothing).
  CHECK_THAT(merged(base, "a:\n  named: []\n"), Catch::Contains("named: []"));
  // A scalar replaces a list, and `~` removes it.
  CHECK_THAT(merged(base, "a:\n  named: 3\n"), Catch::Contains("named: 3"));
  CHECK_THAT(merged(base, "a:\n  named: ~\n"), !Catch::Contains("named"));
}

TEST_CASE("any list of named maps merges, at any depth", "[models][extends]") {
  // Not tied to `arrivals`: e.g. finance.budget_lines or a future dated `pit_stops` list, and
  // named lists inside named items.
  const std::string base = R"(pit_stops:
  - name: bigger-crt
    from: 2024-04-01
    set: {capacity: 12}
  - name: reablement
    from: 2026-04-01
    steps:
      - {name: one, v: 1}
      - {name: two, v: 2}
finance:
  budget_lines:
    - {name: acute, fund: aligned, amount_gbp: 100}
    - {name: community, fund: pooled, amount_gbp: 50}
)";
  const std::string derived = R"(pit_stops:
  - name: reablement
    from: 2027-04-01
    steps:
      - {name: two, remove: true}
      - {name: three, v: 3}
      - {name: one, v: 10}
  - name: extra-beds
    from: 2025-01-01
finance:
  budget_lines:
    - {name: acute, amount_gbp: 90}
    - {name: community, amount_gbp: 60}
)";
  CHECK(merged(base, derived) == emitted(R"(pit_stops:
  - name: bigger-crt
    from: 2024-04-01
    set: {capacity: 12}
  - name: reablement
    from: 2027-04-01
    steps:
      - {name: one, v: 10}
      - {name: three, v: 3}
  - name: extra-beds
    from: 2025-01-01
finance:
  budget_lines:
    - {name: acute, fund: aligned, amount_gbp: 90}
    - {name: community, fund: pooled, amount_gbp: 60}
)"));
}

TEST_CASE("merged items keep the marks of the file that wrote each value", "[models][extends]") {
  // Each value of a merged item keeps its own file, line and column.
  const auto tree = models::merge(
      models::parse_yaml("list:\n  - name: x\n    a: 1\n    b: 2\n", "base.yaml"),
      models::parse_yaml("\nlist:\n  - name: x\n    b: 3\n  - name: y\n", "derived.yaml"));
  const auto& list = tree.find("list")->value;
  REQUIRE(list.items.size() == 2);
  const auto& x = list.items[0];
  CHECK(x.find("a")->value.mark.file == "base.yaml");
  CHECK(x.find("a")->value.mark.line == 3);
  CHECK(x.find("b")->value.mark.file == "derived.yaml");
  CHECK(x.find("b")->value.mark.line == 4);
  CHECK(x.find("b")->value.mark.column == 8);
  CHECK(x.find("name")->value.mark.file == "derived.yaml");
  CHECK(list.items[1].mark.file == "derived.yaml");
  CHECK(list.items[1].mark.line == 5);

  // Through the loader: a bad value written in the derived file points there...
  const auto here = load_error(
      "extends: streams.yaml\nname: x\narrivals:\n  - name: ambulances\n    priority: many\n");
  CHECK(here.file() == (kData / "inline.yaml").string());
  CHECK(here.line() == 5);
  CHECK(here.column() == 15);
  CHECK(here.key_path() == "arrivals[1].priority");
  // ... and an inherited value that became wrong points at the file that wrote it: streams.yaml
  // sends gp-referrals `to: ward`, which this file removes.
  const auto there = load_error(
      "extends: streams.yaml\nname: x\narrivals:\n  - {name: gp-referrals, rate_per_day: 1}\n"
      "services:\n  ward: ~\n  ae:\n    routes: [{to: exit, p: 1}]\n");
  CHECK(fs::path(there.file()).filename() == "streams.yaml");
  CHECK(there.line() == 13);
  CHECK(there.key_path() == "arrivals[2].to");
}

TEST_CASE("duplicate names in one list are an error at the second", "[models][extends]") {
  const auto e = load_error(
      "extends: base.yaml\nname: x\narrivals:\n  - {name: walk-ins, rate_per_day: 1}\n"
      "  - {name: ambulances, to: ae, rate_per_day: 1}\n  - {name: walk-ins, rate_per_day: 2}\n");
  CHECK(e.line() == 6);
  CHECK(e.column() == 12);
  CHECK(e.key_path() == "arrivals[2].name");
  CHECK(e.message() ==
        "duplicate name `walk-ins` (also arrivals[0], line 4): each item of this list needs its "
        "own name");
  // Quoting does not make a different name; a list without extends is checked the same way.
  const auto quoted = load_error(
      "name: x\nstart: 2020-01-01\nhorizon_days: 1\narrivals:\n  - {name: a, to: s}\n"
      "  - {name: \"a\", to: s}\nservices: {s: {capacity: 1, duration_days: {dist: fixed, value: "
      "1}}}\n");
  CHECK(quoted.line() == 6);
  CHECK(quoted.key_path() == "arrivals[1].name");
}

TEST_CASE("removing what is not inherited, or removing wrongly, is an error", "[models][extends]") {
  const auto typo = load_error(
      "extends: streams.yaml\nname: x\narrivals:\n  - {name: gp-referrals, rate_per_day: 1}\n"
      "  - name: ambulance\n    remove: true\n");
  CHECK(typo.line() == 6);
  CHECK(typo.column() == 5);
  CHECK(typo.key_path() == "arrivals[1].remove");
  CHECK(typo.message() == "nothing to remove: no inherited item is named `ambulance`");

  // Removed earlier in the chain: nothing left to remove.
  const auto twice = load_error(
      "extends: streams_child.yaml\nname: x\narrivals:\n  - {name: walk-ins, remove: true}\n");
  CHECK(twice.line() == 4);
  CHECK(twice.key_path() == "arrivals[0].remove");

  // A list the base does not have.
  const auto fresh = load_error(
      "extends: base.yaml\nname: x\nservices:\n  ae:\n    routes: ~\n  ward:\n"
      "    extra:\n      - {name: a, remove: true}\n");
  CHECK(fresh.line() == 8);
  CHECK(fresh.key_path() == "services.ward.extra[0].remove");

  for (const char* flag : {"false", "yes", "\"true\"", "[true]", "~"}) {
    INFO(flag);
    const auto bad = load_error(std::string("extends: base.yaml\nname: x\narrivals:\n"
                                            "  - name: walk-ins\n    remove: ") +
                                flag + "\n");
    CHECK(bad.line() == 5);
    CHECK(bad.key_path() == "arrivals[0].remove");
    CHECK_THAT(bad.message(), Catch::StartsWith("expected `true`"));
  }
  const auto extra = load_error(
      "extends: base.yaml\nname: x\narrivals:\n  - {name: walk-ins, remove: true, to: ae}\n");
  CHECK(extra.line() == 4);
  CHECK(extra.column() == 36);
  CHECK(extra.key_path() == "arrivals[0].to");
}

TEST_CASE("extends cycles are still refused, however long", "[models][extends]") {
  const fs::path dir = fs::path(PITSTOP_BINARY_DIR) / "tests/extends-cycle";
  fs::create_directories(dir);
  std::ofstream(dir / "a.yaml") << "extends: b.yaml\nname: a\n";
  std::ofstream(dir / "b.yaml") << "extends: c.yaml\nname: b\n";
  std::ofstream(dir / "c.yaml") << "# the cycle closes here\nextends: a.yaml\nname: c\n";
  try {
    load_scenario((dir / "a.yaml").string());
    FAIL("loaded a cycle");
  } catch (const InputError& e) {
    CHECK(fs::path(e.file()).filename() == "c.yaml");
    CHECK(e.line() == 2);
    CHECK(e.key_path() == "extends");
    CHECK_THAT(e.message(), Catch::Contains("a.yaml → b.yaml → c.yaml → a.yaml"));
  }
}

TEST_CASE("the resolved YAML of a chain is a fixed point", "[models][extends]") {
  for (const char* file : {"streams.yaml", "streams_child.yaml", "grandchild.yaml"}) {
    INFO(file);
    const auto s = load_scenario((kData / file).string());
    CHECK_THAT(s.resolved_yaml, !Catch::Contains("extends"));
    const auto again = load_scenario_text(s.resolved_yaml, "resolved.yaml");
    CHECK(again.resolved_yaml == s.resolved_yaml);
    CHECK(again.name == s.name);
    CHECK(again.description == s.description);
    CHECK(again.start.iso() == s.start.iso());
    CHECK(again.run.seed == s.run.seed);
    CHECK(again.run.replicates == s.run.replicates);
    CHECK(again.run.horizon_days == s.run.horizon_days);
    CHECK(again.run.warmup_days == s.run.warmup_days);
    CHECK(source_names(again) == source_names(s));
    for (std::size_t i = 0; i < s.network.sources.size(); ++i) {
      CHECK(again.network.sources[i].to == s.network.sources[i].to);
      CHECK(again.network.sources[i].priority_class == s.network.sources[i].priority_class);
      for (double t : {0.0, 100.0, 300.0})
        CHECK(again.network.sources[i].rate.daily_rate().value_at(t) ==
              s.network.sources[i].rate.daily_rate().value_at(t));
    }
    REQUIRE(again.network.services.size() == s.network.services.size());
    for (std::size_t i = 0; i < s.network.services.size(); ++i) {
      const auto& a = again.network.services[i];
      const auto& b = s.network.services[i];
      CHECK(a.name == b.name);
      CHECK(a.capacity.value_at(0) == b.capacity.value_at(0));
      CHECK(a.queue_capacity == b.queue_capacity);
      CHECK(a.discipline == b.discipline);
      CHECK(a.renege_after_days == b.renege_after_days);
      CHECK(a.duration.describe() == b.duration.describe());
      REQUIRE(a.routes.size() == b.routes.size());
      for (std::size_t r = 0; r < a.routes.size(); ++r) {
        CHECK(a.routes[r].to == b.routes[r].to);
        CHECK(a.routes[r].p == b.routes[r].p);
      }
    }
  }
}

TEST_CASE("the extends example in scenarios/README.md loads as it says", "[models][docs]") {
  // The block that extends walk-in-clinic.yaml, loaded as a file beside it.
  std::ifstream in(fs::path(PITSTOP_SOURCE_DIR) / "scenarios/README.md");
  std::string line, block;
  bool inside = false, found = false;
  while (!found && std::getline(in, line)) {
    if (!inside && line == "```yaml") {
      inside = true;
      block.clear();
    } else if (inside && line == "```") {
      inside = false;
      found = block.rfind("extends: walk-in-clinic.yaml", 0) == 0;
    } else if (inside) {
      block += line + "\n";
    }
  }
  REQUIRE(found);
  const fs::path beside = fs::path(PITSTOP_SOURCE_DIR) / "scenarios/examples/readme-example.yaml";
  const auto s = load_scenario_text(block, beside.string());
  CHECK(source_names(s) == std::vector<std::string>{"urgent", "gp-referrals"});
  CHECK(source(s, "urgent").rate.rate_at(0) == 9);
  CHECK(source(s, "urgent").priority_class == 0);  // inherited
  CHECK(source(s, "gp-referrals").to == "clinic");
  const auto& clinic = service(s, "clinic");
  CHECK(clinic.capacity.value_at(0) == 5);  // the schedule replaced: no weekly rota
  CHECK(clinic.capacity.value_at(0.5) == 5);
  CHECK(clinic.capacity.value_at(2.9) == 5);
  CHECK(clinic.capacity.value_at(365) == 6);  // 2025-04-01
  CHECK(clinic.renege_after_days == 0.125);   // inherited
}
