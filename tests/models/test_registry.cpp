// The key registry: its structure, "did you mean", and the generated docs — the committed
// scenarios/README.md key tables and scenarios/schema.json must equal what the registry
// generates. To regenerate them: PITSTOP_REGENERATE_DOCS=1 test_models "[docs]"
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "models/raw_tree.hpp"
#include "models/registry.hpp"
#include "models/scenario.hpp"

namespace fs = std::filesystem;
using namespace pitstop::models;

namespace {

const std::string kBegin = "<!-- BEGIN GENERATED KEYS -->\n";
const std::string kEnd = "<!-- END GENERATED KEYS -->";
const fs::path kScenarios = fs::path(PITSTOP_SOURCE_DIR) / "scenarios";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

bool regenerate() {
  return std::getenv("PITSTOP_REGENERATE_DOCS") != nullptr;
}

}  // namespace

TEST_CASE("scenarios/README.md key tables match the registry", "[models][docs]") {
  const fs::path path = kScenarios / "README.md";
  std::string readme = slurp(path);
  const auto begin = readme.find(kBegin);
  const auto end = readme.find(kEnd);
  REQUIRE(begin != std::string::npos);
  REQUIRE(end != std::string::npos);
  REQUIRE(begin < end);
  const std::string block = readme.substr(begin + kBegin.size(), end - begin - kBegin.size());
  if (regenerate() && block != reference_markdown()) {
    readme.replace(begin + kBegin.size(), end - begin - kBegin.size(), reference_markdown());
    write(path, readme);
    WARN("regenerated " << path);
    return;
  }
  CHECK(block == reference_markdown());
}

TEST_CASE("scenarios/schema.json matches the registry", "[models][docs]") {
  const fs::path path = kScenarios / "schema.json";
  if (regenerate() && slurp(path) != json_schema()) {
    write(path, json_schema());
    WARN("regenerated " << path);
    return;
  }
  CHECK(slurp(path) == json_schema());
}

TEST_CASE("every registry key hangs off a described parent", "[models][registry]") {
  for (const auto& k : keys()) {
    INFO(k.pattern);
    const std::string parent = parent_pattern(k.pattern);
    if (!parent.empty()) REQUIRE(find_key(parent) != nullptr);
    if (k.type == KeyType::kList) CHECK(find_key(k.pattern + "[*]") != nullptr);
    if (k.type == KeyType::kNamedMap) CHECK(find_key(k.pattern + ".*") != nullptr);
    if (k.type == KeyType::kChoice) CHECK_FALSE(k.choices.empty());
    CHECK_FALSE(k.doc.empty());
    CHECK_FALSE((k.required && !k.default_value.empty()));
    CHECK(std::count_if(keys().begin(), keys().end(),
                        [&](const KeyInfo& o) { return o.pattern == k.pattern; }) == 1);
  }
  for (const auto& d : distributions()) {
    for (const auto& p : d.params)
      CHECK(find_key("services.*.duration_days." + p) != nullptr);
  }
}

TEST_CASE("pattern helpers split paths", "[models][registry]") {
  CHECK(parent_pattern("services.*.routes[*].to") == "services.*.routes[*]");
  CHECK(parent_pattern("services.*.routes[*]") == "services.*.routes");
  CHECK(parent_pattern("services.*") == "services");
  CHECK(parent_pattern("name").empty());
  CHECK(leaf_name("services.*.capacity") == "capacity");
  CHECK(leaf_name("arrivals[*]") == "[*]");
  CHECK(leaf_name("seed") == "seed");
}

TEST_CASE("closest_match suggests likely typos only", "[models][registry]") {
  const std::vector<std::string> keys_here = {"capacity", "queue_capacity", "duration_days",
                                              "routes", "discipline"};
  CHECK(closest_match("capcity", keys_here) == "capacity");
  CHECK(closest_match("Capacity", keys_here) == "capacity");
  CHECK(closest_match("rotues", keys_here) == "routes");
  CHECK(closest_match("duration", keys_here) == "duration_days");
  CHECK(closest_match("dicsipline", keys_here) == "discipline");
  CHECK_FALSE(closest_match("population", keys_here));
  CHECK_FALSE(closest_match("x", keys_here));
  CHECK(closest_match("monday", {"mon", "tue"}) == "mon");
}

TEST_CASE("range_text reads like the docs", "[models][registry]") {
  CHECK(range_text(*find_key("services.*.routes[*].p")) == "0 – 1");
  CHECK(range_text(*find_key("horizon_days")) == "> 0, ≤ 1000000");
  CHECK(range_text(*find_key("warmup_days")) == "≥ 0");
  CHECK(range_text(*find_key("services.*.capacity_schedule[*].weekly[*].hour")) == "≥ 0, < 24");
  CHECK(range_text(*find_key("name")).empty());
}

namespace {

// A scenario that uses every key of the language at least once.
const std::string kFull = R"(name: full
description: every key
start: 2024-04-01
horizon_days: 100
warmup_days: 10
seed: 3
replicates: 2
arrivals:
  - name: calls
    description: a stream
    to: a
    rate_per_day: 10
    priority: 1
    profile:
      hour_of_day: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2]
      day_of_week: [1, 1, 1, 1, 1, 2, 2]
    changes:
      - {from: 2024-05-01, rate_per_day: 12}
services:
  a:
    description: first
    capacity: 3
    queue_capacity: 10
    discipline: priority
    duration_days: {dist: gamma, mean: 1, sd: 0.5}
    renege_after_days: 2
    routes:
      - {to: b, p: 1}
    capacity_schedule:
      - {from: 2024-05-01, capacity: 4}
      - from: 2024-06-03
        weekly:
          - {day: mon, hour: 8, capacity: 5}
  b:
    capacity: 1
    duration_days: {dist: exponential, mean: 1}
    keeps_origin: true
)";

// Removes the n-th key (depth first) of a map the registry describes key by key; returns its
// pattern, or "" when there are fewer keys. Counts down `n`.
std::string remove_nth(RawNode& node, const std::string& pattern, int& n) {
  if (node.is_list()) {
    for (auto& item : node.items) {
      if (auto r = remove_nth(item, pattern + "[*]", n); !r.empty()) return r;
    }
  }
  if (!node.is_map()) return "";
  const KeyType type = pattern.empty() ? KeyType::kMap : find_key(pattern)->type;
  for (std::size_t i = 0; i < node.entries.size(); ++i) {
    auto& e = node.entries[i];
    const std::string child = type == KeyType::kNamedMap ? pattern + ".*"
                              : pattern.empty()          ? e.key
                                                         : pattern + "." + e.key;
    if (type == KeyType::kMap && n-- == 0) {
      node.entries.erase(node.entries.begin() + static_cast<long>(i));
      return child;
    }
    if (auto r = remove_nth(e.value, child, n); !r.empty()) return r;
  }
  return "";
}

}  // namespace

TEST_CASE("the registry's required keys are exactly those the loader requires",
          "[models][registry]") {
  REQUIRE_NOTHROW(load_scenario_text(kFull, "full.yaml"));
  const RawNode full = parse_yaml(kFull, "full.yaml");
  int removed = 0;
  for (int i = 0;; ++i) {
    RawNode copy = full;
    int n = i;
    const std::string pattern = remove_nth(copy, "", n);
    if (pattern.empty()) break;
    ++removed;
    const KeyInfo& k = *find_key(pattern);
    const KeyInfo* parent = find_key(parent_pattern(pattern));
    const std::string key = leaf_name(pattern);
    INFO("without " << pattern);
    const bool one_of = parent != nullptr && std::find(parent->one_of.begin(), parent->one_of.end(),
                                                       key) != parent->one_of.end();
    if (k.required || one_of) {
      try {
        load_scenario_text(emit_yaml(copy), "full.yaml");
        FAIL("loaded without " << pattern);
      } catch (const InputError& e) {
        CHECK_THAT(e.message(), Catch::Contains(one_of ? "exactly one of"
                                                       : "missing required key `" + key + "`"));
      }
    } else {
      CHECK_NOTHROW(load_scenario_text(emit_yaml(copy), "full.yaml"));
    }
  }
  CHECK(removed >= 35);
}
