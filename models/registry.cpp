// The key registry's table (the one place each key is described) and its lookups.
#include "models/registry.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace pitstop::models {

// The parameters of a distribution at `prefix`, in the unit of the quantity it describes.
void add_distribution(std::vector<KeyInfo>& k, const std::string& prefix, const std::string& unit) {
  std::vector<std::string> names;
  for (const auto& d : distributions())
    names.push_back(d.name);
  k.push_back({.pattern = prefix + ".dist",
               .type = KeyType::kChoice,
               .required = true,
               .choices = names,
               .doc = "Distribution family (see the distributions table)."});
  k.push_back({.pattern = prefix + ".mean",
               .type = KeyType::kNumber,
               .unit = unit,
               .min = 0,
               .min_exclusive = true,
               .doc = "Mean (exponential, lognormal, gamma)."});
  k.push_back({.pattern = prefix + ".sd",
               .type = KeyType::kNumber,
               .unit = unit,
               .min = 0,
               .min_exclusive = true,
               .doc = "Standard deviation (lognormal, gamma)."});
  k.push_back({.pattern = prefix + ".shape",
               .type = KeyType::kNumber,
               .min = 0,
               .min_exclusive = true,
               .doc = "Shape k (weibull)."});
  k.push_back({.pattern = prefix + ".scale",
               .type = KeyType::kNumber,
               .unit = unit,
               .min = 0,
               .min_exclusive = true,
               .doc = "Scale λ (weibull)."});
  k.push_back({.pattern = prefix + ".value",
               .type = KeyType::kNumber,
               .unit = unit,
               .min = 0,
               .doc = "The one value (fixed)."});
  k.push_back({.pattern = prefix + ".values",
               .type = KeyType::kNumberList,
               .unit = unit,
               .min = 0,
               .doc = "The possible values (empirical)."});
  k.push_back({.pattern = prefix + ".weights",
               .type = KeyType::kNumberList,
               .min = 0,
               .doc = "Relative weight of each value, same length as `values` (empirical)."});
}

namespace {

constexpr double kMaxPlaces = 1e6;   // capacity of one service
constexpr double kMaxHorizon = 1e6;  // days (about 2,700 years)
constexpr double kMaxReplicates = 1e5;
constexpr double kMaxPriority = 1e6;
constexpr double kMaxQueue = 1e9;

std::vector<KeyInfo> build_keys() {
  std::vector<KeyInfo> k;
  // Top level.
  k.push_back({.pattern = "name",
               .type = KeyType::kString,
               .required = true,
               .doc = "Scenario name, used in outputs and reports."});
  k.push_back({.pattern = "description",
               .type = KeyType::kString,
               .default_doc = "none",
               .doc = "Free text about the scenario."});
  k.push_back({.pattern = "extends",
               .type = KeyType::kString,
               .default_doc = "none",
               .doc = "A scenario file this one inherits from, relative to this file."});
  k.push_back({.pattern = "start",
               .type = KeyType::kDate,
               .required = true,
               .doc = "Date of day 0 (midnight); simulation time counts days from here."});
  k.push_back({.pattern = "horizon_days",
               .type = KeyType::kNumber,
               .unit = "days",
               .required = true,
               .min = 0,
               .max = kMaxHorizon,
               .min_exclusive = true,
               .doc = "Length of each run."});
  k.push_back({.pattern = "warmup_days",
               .type = KeyType::kNumber,
               .unit = "days",
               .default_value = "0",
               .min = 0,
               .doc = "Statistics ignore everything before this; less than `horizon_days`."});
  k.push_back({.pattern = "seed",
               .type = KeyType::kInteger,
               .default_value = "1",
               .min = 0,
               .doc = "Seed of every random stream (up to 2^64 − 1); same seed, same results."});
  k.push_back({.pattern = "replicates",
               .type = KeyType::kInteger,
               .default_value = "1",
               .min = 1,
               .max = kMaxReplicates,
               .doc = "Number of independent runs."});
  // Arrivals.
  k.push_back({.pattern = "arrivals",
               .type = KeyType::kList,
               .required = true,
               .required_unless = "population",
               .count = 1,
               .doc = "Streams of arrivals from outside the network."});
  k.push_back({.pattern = "arrivals[*]", .type = KeyType::kMap, .doc = "One arrival stream."});
  k.push_back({.pattern = "arrivals[*].name",
               .type = KeyType::kName,
               .required = true,
               .doc = "Unique name of the stream."});
  k.push_back({.pattern = "arrivals[*].description",
               .type = KeyType::kString,
               .default_doc = "none",
               .doc = "Free text about the stream."});
  k.push_back({.pattern = "arrivals[*].to",
               .type = KeyType::kName,
               .required = true,
               .doc = "The service the arrivals join."});
  k.push_back({.pattern = "arrivals[*].rate_per_day",
               .type = KeyType::kNumber,
               .unit = "per day",
               .required = true,
               .min = 0,
               .doc = "Mean arrivals per day from `start` (a Poisson process)."});
  k.push_back({.pattern = "arrivals[*].priority",
               .type = KeyType::kInteger,
               .default_value = "0",
               .min = -kMaxPriority,
               .max = kMaxPriority,
               .doc = "Priority class; lower is served first where `discipline: priority`."});
  k.push_back({.pattern = "arrivals[*].profile",
               .type = KeyType::kMap,
               .default_doc = "flat",
               .doc = "Shape of the rate over the day and week (mean kept)."});
  k.push_back({.pattern = "arrivals[*].profile.hour_of_day",
               .type = KeyType::kNumberList,
               .default_doc = "all 1",
               .min = 0,
               .count = 24,
               .doc = "24 relative weights, for 00:00–01:00 to 23:00–24:00."});
  k.push_back({.pattern = "arrivals[*].profile.day_of_week",
               .type = KeyType::kNumberList,
               .default_doc = "all 1",
               .min = 0,
               .count = 7,
               .doc = "7 relative weights, Monday to Sunday."});
  k.push_back({.pattern = "arrivals[*].changes",
               .type = KeyType::kList,
               .default_doc = "none",
               .count = 1,
               .doc = "Dated changes of `rate_per_day`, in date order."});
  k.push_back(
      {.pattern = "arrivals[*].changes[*]", .type = KeyType::kMap, .doc = "One change of rate."});
  k.push_back({.pattern = "arrivals[*].changes[*].from",
               .type = KeyType::kDate,
               .required = true,
               .doc = "Date the new rate applies from (not before `start`)."});
  k.push_back({.pattern = "arrivals[*].changes[*].rate_per_day",
               .type = KeyType::kNumber,
               .unit = "per day",
               .required = true,
               .min = 0,
               .doc = "The new daily rate."});
  // Services.
  k.push_back({.pattern = "services",
               .type = KeyType::kNamedMap,
               .required = true,
               .required_unless = "population",
               .count = 1,
               .doc = "The services, by name (letters, digits, `_`, `-`; not `exit`)."});
  k.push_back({.pattern = "services.*", .type = KeyType::kMap, .doc = "One service."});
  k.push_back({.pattern = "services.*.description",
               .type = KeyType::kString,
               .default_doc = "none",
               .doc = "Free text about the service."});
  k.push_back({.pattern = "services.*.capacity",
               .type = KeyType::kInteger,
               .unit = "places",
               .required = true,
               .min = 1,
               .max = kMaxPlaces,
               .doc = "Places (servers, beds, crews) from `start`."});
  k.push_back({.pattern = "services.*.queue_capacity",
               .type = KeyType::kIntegerOrUnlimited,
               .unit = "places",
               .default_value = "unlimited",
               .min = 0,
               .max = kMaxQueue,
               .doc = "Waiting places; `0` = arrivals lost when every place is taken."});
  k.push_back({.pattern = "services.*.discipline",
               .type = KeyType::kChoice,
               .default_value = "fifo",
               .choices = {"fifo", "priority"},
               .doc = "Queue order: first come first served, or by `priority` then arrival."});
  k.push_back({.pattern = "services.*.duration_days",
               .type = KeyType::kDistribution,
               .unit = "days",
               .required = true,
               .doc = "Time in service."});
  add_distribution(k, "services.*.duration_days", "days");
  k.push_back({.pattern = "services.*.renege_after_days",
               .type = KeyType::kNumber,
               .unit = "days",
               .default_doc = "never",
               .min = 0,
               .min_exclusive = true,
               .doc = "Waiting people leave unseen after this long."});
  k.push_back({.pattern = "services.*.keeps_origin",
               .type = KeyType::kBoolean,
               .default_doc = "`false`",
               .doc = "People routed here from another service keep their place there until they "
                      "leave this one (it cannot route to itself or another such service)."});
  k.push_back({.pattern = "services.*.routes",
               .type = KeyType::kList,
               .default_doc = "all to `exit`",
               .count = 1,
               .doc = "Where people go after service; `p` must sum to 1."});
  k.push_back({.pattern = "services.*.routes[*]", .type = KeyType::kMap, .doc = "One route."});
  k.push_back({.pattern = "services.*.routes[*].to",
               .type = KeyType::kName,
               .required = true,
               .doc = "A service name, or `exit` to leave the network."});
  k.push_back({.pattern = "services.*.routes[*].p",
               .type = KeyType::kNumber,
               .default_value = "1",
               .min = 0,
               .max = 1,
               .doc = "Probability of taking this route."});
  k.push_back({.pattern = "services.*.capacity_schedule",
               .type = KeyType::kList,
               .default_doc = "none",
               .count = 1,
               .doc = "Dated changes of capacity, in date order."});
  k.push_back({.pattern = "services.*.capacity_schedule[*]",
               .type = KeyType::kMap,
               .one_of = {"capacity", "weekly"},
               .doc = "One change: a constant `capacity` or a `weekly` rota."});
  k.push_back({.pattern = "services.*.capacity_schedule[*].from",
               .type = KeyType::kDate,
               .required = true,
               .doc = "Date it applies from (not before `start`; on `start` it replaces "
                      "`capacity`)."});
  k.push_back({.pattern = "services.*.capacity_schedule[*].capacity",
               .type = KeyType::kInteger,
               .unit = "places",
               .min = 0,
               .max = kMaxPlaces,
               .doc = "Capacity from `from` on."});
  k.push_back({.pattern = "services.*.capacity_schedule[*].weekly",
               .type = KeyType::kList,
               .count = 1,
               .doc = "A weekly rota: each step holds from its day and hour to the next step."});
  k.push_back({.pattern = "services.*.capacity_schedule[*].weekly[*]",
               .type = KeyType::kMap,
               .doc = "One step of the rota."});
  k.push_back({.pattern = "services.*.capacity_schedule[*].weekly[*].day",
               .type = KeyType::kChoice,
               .required = true,
               .choices = {"mon", "tue", "wed", "thu", "fri", "sat", "sun", "daily"},
               .doc = "Day of the week the step starts; `daily` = the same step every day."});
  k.push_back({.pattern = "services.*.capacity_schedule[*].weekly[*].hour",
               .type = KeyType::kNumber,
               .unit = "hours",
               .default_value = "0",
               .min = 0,
               .max = 24,
               .max_exclusive = true,
               .doc = "Hour of that day the step starts (7.5 = 07:30)."});
  k.push_back({.pattern = "services.*.capacity_schedule[*].weekly[*].capacity",
               .type = KeyType::kInteger,
               .unit = "places",
               .required = true,
               .min = 0,
               .max = kMaxPlaces,
               .doc = "Capacity from this step to the next."});
  add_borough_keys(k);
  // Pit stops (models/pit_stops.cpp applies them).
  k.push_back({.pattern = "pit_stops",
               .type = KeyType::kList,
               .default_doc = "none",
               .count = 1,
               .doc = "Dated changes of parameters: the road to 2030 (see \"Pit stops\")."});
  k.push_back({.pattern = "pit_stops[*]", .type = KeyType::kMap, .doc = "One pit stop."});
  k.push_back({.pattern = "pit_stops[*].name",
               .type = KeyType::kName,
               .required = true,
               .doc = "Unique name of the pit stop (a scenario that extends this one can change "
                      "or remove it by name)."});
  k.push_back({.pattern = "pit_stops[*].date",
               .type = KeyType::kDate,
               .required = true,
               .doc = "The changes apply from midnight at the start of this day (after `start`)."});
  k.push_back({.pattern = "pit_stops[*].why",
               .type = KeyType::kString,
               .required = true,
               .doc = "Why: the decision or plan behind the change (free text)."});
  k.push_back({.pattern = "pit_stops[*].set",
               .type = KeyType::kChanges,
               .default_doc = "none",
               .doc = "New values by key path, e.g. `services.reablement.capacity: 90`."});
  k.push_back({.pattern = "pit_stops[*].scale",
               .type = KeyType::kChanges,
               .default_doc = "none",
               .doc = "Factors by key path, e.g. `demand.call_999.multiplier: 1.1`; integers "
                      "are rounded to the nearest."});
  return k;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Optimal string alignment distance (Levenshtein plus adjacent transpositions).
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i)
    d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j)
    d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

std::string number_text(double v) {
  return fmt::format("{}", v);
}

}  // namespace

const std::vector<DistributionInfo>& distributions() {
  static const std::vector<DistributionInfo> table = {
      {"exponential", {"mean"}, "mean", "mean²", "Memoryless (the M of M/M/c)."},
      {"lognormal",
       {"mean", "sd"},
       "mean",
       "sd²",
       "Given by its own mean and sd, not those of its logarithm."},
      {"gamma", {"mean", "sd"}, "mean", "sd²", "Shape (mean/sd)², scale sd²/mean."},
      {"weibull",
       {"shape", "scale"},
       "scale·Γ(1 + 1/shape)",
       "scale²·[Γ(1 + 2/shape) − Γ(1 + 1/shape)²]",
       "Shape < 1: long tail; shape 1: exponential."},
      {"fixed", {"value"}, "value", "0", "Always the same value."},
      {"empirical",
       {"values", "weights"},
       "Σ wᵢ·vᵢ / Σ wᵢ",
       "Σ wᵢ·(vᵢ − mean)² / Σ wᵢ",
       "One of `values`, with probability proportional to its weight."},
  };
  return table;
}

const DistributionInfo* find_distribution(std::string_view name) {
  for (const auto& d : distributions()) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

const std::vector<KeyInfo>& keys() {
  static const std::vector<KeyInfo> table = build_keys();
  return table;
}

const KeyInfo* find_key(std::string_view pattern) {
  for (const auto& k : keys()) {
    if (k.pattern == pattern) return &k;
  }
  return nullptr;
}

std::string parent_pattern(std::string_view pattern) {
  if (pattern.ends_with("[*]")) return std::string(pattern.substr(0, pattern.size() - 3));
  const auto dot = pattern.rfind('.');
  return dot == std::string_view::npos ? std::string() : std::string(pattern.substr(0, dot));
}

std::string leaf_name(std::string_view pattern) {
  const std::string parent = parent_pattern(pattern);
  std::string_view rest = pattern.substr(parent.size());
  if (!rest.empty() && rest.front() == '.') rest.remove_prefix(1);
  return std::string(rest);
}

std::vector<const KeyInfo*> children_of(std::string_view parent) {
  std::vector<const KeyInfo*> out;
  for (const auto& k : keys()) {
    if (parent_pattern(k.pattern) == parent) out.push_back(&k);
  }
  return out;
}

std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates) {
  const std::string w = lower(word);
  const std::size_t limit = w.size() <= 3 ? 1 : w.size() <= 6 ? 2 : 3;
  std::optional<std::string> best;
  std::size_t best_distance = limit + 1;
  for (const auto& c : candidates) {
    const std::string lc = lower(c);
    const std::size_t d = edit_distance(w, lc);
    if (d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  if (best) return best;
  for (const auto& c : candidates) {
    const std::string lc = lower(c);
    if (std::min(w.size(), lc.size()) >= 3 && (lc.starts_with(w) || w.starts_with(lc))) return c;
  }
  return std::nullopt;
}

std::string range_text(const KeyInfo& key) {
  const std::string lo = key.min ? number_text(*key.min) : "";
  const std::string hi = key.max ? number_text(*key.max) : "";
  if (key.min && key.max && !key.min_exclusive && !key.max_exclusive) return lo + " – " + hi;
  std::string out;
  if (key.min) out += (key.min_exclusive ? "> " : "≥ ") + lo;
  if (key.max) out += (out.empty() ? "" : ", ") + std::string(key.max_exclusive ? "< " : "≤ ") + hi;
  return out;
}

}  // namespace pitstop::models
