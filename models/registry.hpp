// The key registry: every scenario key described once — path pattern, type, unit, default,
// allowed range and a one-line doc. It drives validation (types, ranges, unknown keys with
// "did you mean"), defaults, the language reference in scenarios/README.md and the JSON Schema.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pitstop::models {

/// What kind of value a key holds.
enum class KeyType {
  kString,              // any text
  kName,                // an identifier: letters, digits, '_' and '-'
  kDate,                // YYYY-MM-DD
  kNumber,              // a finite decimal number
  kInteger,             // a whole number
  kIntegerOrUnlimited,  // a whole number or the word `unlimited`
  kChoice,              // one of `choices`
  kNumberList,          // a list of numbers (each within the range)
  kList,                // a list of maps described by "<pattern>[*]"
  kMap,                 // a map whose keys are the children of this pattern
  kNamedMap,            // a map from user-chosen names to maps described by "<pattern>.*"
  kDistribution,        // a map {dist: …, parameters…} (see distributions())
  kBoolean,             // `true` or `false`
  kChanges,             // a map from key paths ("services.x.capacity") to values (pit stops)
};

/// One key of the scenario language. Patterns use `*` for a user-chosen name and `[*]` for any
/// list item: "services.*.routes[*].p".
struct KeyInfo {
  std::string pattern{};
  KeyType type = KeyType::kString;
  std::string unit{};             // "days", "per day", "" when dimensionless
  bool required = false;          // must be given (after `extends` merging)
  std::string required_unless{};  // … unless this top-level key is given ("" = always)
  std::string default_value{};    // YAML text filled in when absent; "" = none
  std::string default_doc{};      // what absence means, for docs, when there is no default_value
  std::optional<double> min{}, max{};
  bool min_exclusive = false, max_exclusive = false;
  std::size_t count = 0;  // kNumberList: exact length (0 = any non-empty); kList/kNamedMap:
                          // minimum number of items
  std::vector<std::string> choices{};  // kChoice
  std::vector<std::string> one_of{};   // kMap: exactly one of these children must be given
  std::string doc{};
};

/// One distribution family: its parameters and moments, for docs, validation and the schema.
struct DistributionInfo {
  std::string name;
  std::vector<std::string> params;
  std::string mean, variance;  // as formulas, for docs
  std::string doc;
};

const std::vector<KeyInfo>& keys();
/// Appends the keys of the `population:` and `demand:` sections (models/borough/keys.cpp).
void add_borough_keys(std::vector<KeyInfo>& k);
/// The entry with exactly this pattern, or nullptr.
const KeyInfo* find_key(std::string_view pattern);
/// Entries whose parent pattern is `parent` ("" for top-level keys), in registry order.
std::vector<const KeyInfo*> children_of(std::string_view parent);
/// "services.*.routes[*].to" → "services.*.routes[*]"; "arrivals[*]" → "arrivals"; "name" → "".
std::string parent_pattern(std::string_view pattern);
/// The last component: "services.*.capacity" → "capacity".
std::string leaf_name(std::string_view pattern);

const std::vector<DistributionInfo>& distributions();
/// Appends the keys of a distribution at `prefix` (`dist` and every family's parameters), in
/// the unit of the quantity it describes.
void add_distribution(std::vector<KeyInfo>& k, const std::string& prefix, const std::string& unit);
const DistributionInfo* find_distribution(std::string_view name);

/// The candidate closest to `word` by edit distance (case-insensitive, transpositions count
/// once), if close enough to be a likely typo; else one that begins or is begun by `word`.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);

/// A human-readable range, e.g. "> 0", "0 – 1", "≥ 1"; "" when unconstrained.
std::string range_text(const KeyInfo& key);

/// The generated part of scenarios/README.md: key tables and the distributions table.
std::string reference_markdown();
/// A JSON Schema (draft-07) of the language, for editors (scenarios/schema.json).
std::string json_schema();

}  // namespace pitstop::models
