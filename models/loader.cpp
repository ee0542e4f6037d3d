// load_scenario: file → raw tree → `extends` merged (maps by key, named lists by name) →
// overrides → defaults → ScenarioBuilder.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/error.hpp"
#include "engine/network_graph.hpp"
#include "models/pit_stops.hpp"
#include "models/raw_tree.hpp"
#include "models/registry.hpp"
#include "models/scenario.hpp"
#include "models/scenario_builder.hpp"

namespace pitstop::models {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxExtendsDepth = 32;
const char* const kCommandLine = "command line";

std::string format_message(const std::string& file, int line, int column,
                           const std::string& key_path, const std::string& message) {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line);
  if (line > 0 && column > 0) out += ":" + std::to_string(column);
  if (!out.empty()) out += ": ";
  if (!key_path.empty()) out += key_path + ": ";
  return out + message;
}

std::string read_file(const std::string& path, const SourceMark& from, const std::string& key) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    if (from.file.empty()) fail_at(SourceMark{path, 0, 0}, "", "cannot open the file");
    fail_at(from, key, "cannot find `" + path + "`");
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) fail_at(SourceMark{path, 0, 0}, "", "cannot read the file");
  return text.str();
}

std::string canonical(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::path(path), ec);
  return ec ? fs::path(path).lexically_normal().string() : p.string();
}

/// Parses `text` and, if it `extends` another file, loads that (recursively) and merges.
/// `chain` holds the canonical paths of the files that led here, to detect cycles.
RawNode load_with_extends(const std::string& text, const std::string& file,
                          std::vector<std::string> chain) {
  RawNode tree = parse_yaml(text, file);
  check_named_lists(tree);
  const RawNode::Entry* ext = tree.is_map() ? tree.find("extends") : nullptr;
  if (ext == nullptr) return tree;
  const SourceMark& at = ext->value.mark;
  if (!ext->value.is_scalar() || ext->value.scalar.empty()) {
    fail_at(at, "extends", "expected the path of a scenario file, got " + describe(ext->value));
  }
  const std::string base =
      (fs::path(file).parent_path() / ext->value.scalar).lexically_normal().string();
  const std::string id = canonical(base);
  if (std::find(chain.begin(), chain.end(), id) != chain.end()) {
    std::string cycle;
    for (const auto& f : chain)
      cycle += fs::path(f).filename().string() + " → ";
    fail_at(at, "extends", "`extends` makes a cycle: " + cycle + fs::path(id).filename().string());
  }
  if (chain.size() >= kMaxExtendsDepth) fail_at(at, "extends", "too many levels of `extends`");
  const std::string base_text = read_file(base, at, "extends");
  chain.push_back(id);
  RawNode parent = load_with_extends(base_text, base, std::move(chain));
  tree.erase("extends");
  return merge(std::move(parent), std::move(tree));
}

void set_override(RawNode& root, const std::string& key, const std::string& value) {
  const SourceMark mark{kCommandLine, 0, 0};
  RawNode node = RawNode::make_scalar(value, mark);
  if (RawNode::Entry* e = root.find(key)) {
    e->value = std::move(node);
    e->key_mark = mark;
  } else {
    root.entries.push_back({key, mark, std::move(node)});
  }
}

/// Fills in registry defaults for absent keys and puts known keys in registry order.
void apply_defaults(RawNode& node, const std::string& pattern) {
  const KeyInfo* info = find_key(pattern);
  const KeyType type = pattern.empty() ? KeyType::kMap : info->type;
  if (type == KeyType::kList && node.is_list()) {
    for (auto& item : node.items)
      apply_defaults(item, pattern + "[*]");
  } else if (type == KeyType::kNamedMap && node.is_map()) {
    for (auto& e : node.entries)
      apply_defaults(e.value, pattern + ".*");
  } else if ((type == KeyType::kMap || type == KeyType::kDistribution) && node.is_map()) {
    const auto children = children_of(pattern);
    for (const KeyInfo* k : children) {
      const std::string key = leaf_name(k->pattern);
      if (!k->default_value.empty() && node.find(key) == nullptr) {
        node.entries.push_back({key, node.mark, RawNode::make_scalar(k->default_value, node.mark)});
      }
    }
    auto rank = [&](const RawNode::Entry& e) {
      auto it = std::find_if(children.begin(), children.end(),
                             [&](const KeyInfo* k) { return leaf_name(k->pattern) == e.key; });
      return it - children.begin();
    };
    std::stable_sort(node.entries.begin(), node.entries.end(),
                     [&](const auto& a, const auto& b) { return rank(a) < rank(b); });
    for (auto& e : node.entries) {
      const std::string child = pattern.empty() ? e.key : pattern + "." + e.key;
      if (find_key(child) != nullptr) apply_defaults(e.value, child);
    }
  }
}

}  // namespace

InputError::InputError(std::string file, int line, int column, std::string key_path,
                       std::string message)
    : std::runtime_error(format_message(file, line, column, key_path, message)),
      file_(std::move(file)),
      line_(line),
      column_(column),
      key_path_(std::move(key_path)),
      message_(std::move(message)) {}

Scenario load_scenario(const std::string& path, const Overrides& overrides) {
  return load_scenario_text(read_file(path, SourceMark{}, ""), path, overrides);
}

Scenario load_scenario_text(const std::string& yaml_text, const std::string& file,
                            const Overrides& overrides, const std::vector<KeyPathChange>& changes) {
  RawNode tree = load_with_extends(yaml_text, file, {canonical(file)});
  check_no_removals_left(tree);
  if (tree.is_map()) {
    if (overrides.seed) set_override(tree, "seed", std::to_string(*overrides.seed));
    if (overrides.replicates) {
      set_override(tree, "replicates", std::to_string(*overrides.replicates));
    }
    if (overrides.horizon_days) {
      set_override(tree, "horizon_days", fmt::format("{}", *overrides.horizon_days));
    }
    apply_defaults(tree, "");
    for (const KeyPathChange& c : changes)
      apply_change(tree, c);
  }
  Scenario s = ScenarioBuilder(tree).build();  // (it reads around `pit_stops`)
  s.file = file;
  const RawNode whole = tree;
  const auto stages = take_pit_stops(tree);
  for (const PitStopStage& stage : stages) {
    std::string names;
    for (const auto& n : stage.names)
      names += (names.empty() ? "`" : ", `") + n + "`";
    Scenario built;
    try {
      built = ScenarioBuilder(stage.tree, ScenarioBuilder::kAtPitStop).build();
    } catch (const InputError& e) {
      // Point at the pit stop unless the error is at one of its own values.
      const bool own = std::any_of(stage.marks.begin(), stage.marks.end(), [&](const auto& m) {
        return m.file == e.file() && m.line == e.line();
      });
      const std::string where =
          own ? std::string() : fmt::format(" (at {}:{})", e.file(), e.line());
      const SourceMark& at = own ? SourceMark{e.file(), e.line(), e.column()} : stage.at;
      throw InputError(
          at.file, at.line, at.column, e.key_path(),
          "from pit stop " + names + " on " + stage.date.iso() + ": " + e.message() + where);
    }
    add_pit_stop(s, stage, built);
  }
  if (!stages.empty() && !s.network.services.empty()) {
    try {
      engine::NetworkGraph graph(s.network);
    } catch (const engine::SpecError& e) {
      fail_at(SourceMark{file, 0, 0}, e.key_path(),
              std::string("after the pit stops: ") + e.what());
    }
  }
  try {
    s.resolved_yaml = emit_yaml(whole);
  } catch (const YAML::Exception& e) {
    fail_at(SourceMark{file, 0, 0}, "", std::string("cannot write the resolved YAML: ") + e.what());
  }
  return s;
}

}  // namespace pitstop::models
