// RawNode helpers, the deep merge used by `extends`, and YAML emission of a tree.
#include "models/raw_tree.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "models/scenario.hpp"

namespace pitstop::models {
namespace {

void emit(YAML::Emitter& out, const RawNode& node, bool top) {
  switch (node.kind) {
    case RawNode::Kind::kNull:
      out << YAML::Null;
      break;
    case RawNode::Kind::kScalar:
      if (node.quoted) out << YAML::DoubleQuoted;
      out << node.scalar;
      break;
    case RawNode::Kind::kList: {
      const bool flat = std::all_of(node.items.begin(), node.items.end(),
                                    [](const RawNode& n) { return n.is_scalar(); });
      if (flat) out << YAML::Flow;
      out << YAML::BeginSeq;
      for (const auto& item : node.items)
        emit(out, item, false);
      out << YAML::EndSeq;
      break;
    }
    case RawNode::Kind::kMap: {
      const bool flat = !top && node.entries.size() <= 6 &&
                        std::all_of(node.entries.begin(), node.entries.end(), [](const auto& e) {
                          return e.value.is_scalar() && e.key != "description";
                        });
      if (flat) out << YAML::Flow;
      out << YAML::BeginMap;
      for (const auto& e : node.entries) {
        out << YAML::Key << e.key << YAML::Value;
        emit(out, e.value, false);
      }
      out << YAML::EndMap;
      break;
    }
  }
}

bool has_name(const RawNode& node) {
  if (!node.is_map()) return false;
  const RawNode::Entry* name = node.find("name");
  return name != nullptr && name->value.is_scalar();
}

const std::string& name_of(const RawNode& item) {
  return item.find("name")->value.scalar;
}

std::string child_path(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

std::string item_path(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

[[noreturn]] void fail_unmatched_removal(const RawNode& item, const RawNode::Entry& remove,
                                         const std::string& path) {
  fail_at(remove.key_mark, child_path(path, remove.key),
          "nothing to remove: no inherited item is named `" + name_of(item) + "`");
}

/// The `remove` item at `path` must be `{name: x, remove: true}`.
void check_removal(const RawNode& item, const std::string& path) {
  const RawNode::Entry* remove = item.find(kRemoveKey);
  const RawNode& flag = remove->value;
  const bool yes = flag.is_scalar() && !flag.quoted &&
                   (flag.scalar == "true" || flag.scalar == "True" || flag.scalar == "TRUE");
  if (!yes) {
    fail_at(flag.mark, child_path(path, remove->key),
            "expected `true` (`remove: true` removes the inherited item with this name), got " +
                describe(flag));
  }
  for (const auto& e : item.entries) {
    if (e.key != "name" && e.key != kRemoveKey) {
      fail_at(e.key_mark, child_path(path, e.key),
              "an item with `remove: true` is removed, so it takes only `name` and `remove`, "
              "not `" +
                  e.key + "`");
    }
  }
}

}  // namespace

void check_named_lists(const RawNode& node, const std::string& path) {
  if (node.is_map()) {
    for (const auto& e : node.entries)
      check_named_lists(e.value, child_path(path, e.key));
    return;
  }
  if (!node.is_list()) return;
  if (is_named_list(node)) {
    for (std::size_t i = 0; i < node.items.size(); ++i) {
      const RawNode& item = node.items[i];
      for (std::size_t j = 0; j < i; ++j) {
        if (name_of(node.items[j]) != name_of(item)) continue;
        fail_at(item.find("name")->value.mark, child_path(item_path(path, i), "name"),
                "duplicate name `" + name_of(item) + "` (also " + item_path(path, j) + ", line " +
                    std::to_string(node.items[j].find("name")->value.mark.line) +
                    "): each item of this list needs its own name");
      }
      if (item.find(kRemoveKey) != nullptr) check_removal(item, item_path(path, i));
    }
  }
  for (std::size_t i = 0; i < node.items.size(); ++i)
    check_named_lists(node.items[i], item_path(path, i));
}

void check_no_removals_left(const RawNode& node, const std::string& path) {
  if (node.is_map()) {
    for (const auto& e : node.entries)
      check_no_removals_left(e.value, child_path(path, e.key));
    return;
  }
  if (!node.is_list()) return;
  const bool named = is_named_list(node);
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    const RawNode& item = node.items[i];
    const RawNode::Entry* remove = named ? item.find(kRemoveKey) : nullptr;
    if (remove != nullptr) fail_unmatched_removal(item, *remove, item_path(path, i));
    check_no_removals_left(item, item_path(path, i));
  }
}

const RawNode::Entry* RawNode::find(std::string_view key) const {
  for (const auto& e : entries) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

RawNode::Entry* RawNode::find(std::string_view key) {
  for (auto& e : entries) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

void RawNode::erase(std::string_view key) {
  std::erase_if(entries, [&](const Entry& e) { return e.key == key; });
}

RawNode RawNode::make_scalar(std::string text, SourceMark mark) {
  RawNode n;
  n.kind = Kind::kScalar;
  n.scalar = std::move(text);
  n.mark = std::move(mark);
  return n;
}

void fail_at(const SourceMark& mark, const std::string& key_path, const std::string& message) {
  throw InputError(mark.file, mark.line, mark.column, key_path, message);
}

bool is_named_list(const RawNode& node) {
  return node.is_list() && !node.items.empty() &&
         std::all_of(node.items.begin(), node.items.end(), has_name);
}

namespace {

RawNode merge_at(RawNode base, RawNode derived, const std::string& path);

/// Merges two named lists item by item (see merge()); `path` is the key path of the list.
RawNode merge_named_lists(RawNode base, RawNode derived, const std::string& path) {
  for (std::size_t i = 0; i < derived.items.size(); ++i) {
    RawNode& item = derived.items[i];
    const auto inherited = std::find_if(base.items.begin(), base.items.end(),
                                        [&](const auto& b) { return name_of(b) == name_of(item); });
    const RawNode::Entry* remove = item.find(kRemoveKey);
    if (inherited == base.items.end()) {
      if (remove != nullptr) fail_unmatched_removal(item, *remove, item_path(path, i));
      base.items.push_back(std::move(item));
    } else if (remove != nullptr) {
      base.items.erase(inherited);
    } else {
      *inherited = merge_at(std::move(*inherited), std::move(item), item_path(path, i));
    }
  }
  base.mark = derived.mark;
  return base;
}

RawNode merge_at(RawNode base, RawNode derived, const std::string& path) {
  if (is_named_list(base) && is_named_list(derived)) {
    return merge_named_lists(std::move(base), std::move(derived), path);
  }
  if (!base.is_map() || !derived.is_map()) return derived;
  for (auto& e : derived.entries) {
    RawNode::Entry* existing = base.find(e.key);
    if (existing == nullptr) {
      base.entries.push_back(std::move(e));
    } else if (e.value.is_null()) {
      base.erase(e.key);
    } else {
      existing->value =
          merge_at(std::move(existing->value), std::move(e.value), child_path(path, e.key));
      existing->key_mark = e.key_mark;
    }
  }
  base.mark = derived.mark;
  return base;
}

}  // namespace

RawNode merge(RawNode base, RawNode derived) {
  return merge_at(std::move(base), std::move(derived), "");
}

std::string emit_yaml(const RawNode& node) {
  YAML::Emitter out;
  out.SetIndent(2);
  emit(out, node, true);
  std::string text = out.c_str();
  if (text.empty() || text.back() != '\n') text += '\n';
  return text;
}

std::string describe(const RawNode& node) {
  switch (node.kind) {
    case RawNode::Kind::kNull:
      return "nothing";
    case RawNode::Kind::kList:
      return "a list";
    case RawNode::Kind::kMap:
      return "a map";
    case RawNode::Kind::kScalar:
      break;
  }
  std::string shown = node.scalar.size() > 40 ? node.scalar.substr(0, 37) + "..." : node.scalar;
  return node.quoted ? "the string \"" + shown + "\"" : "'" + shown + "'";
}

}  // namespace pitstop::models
