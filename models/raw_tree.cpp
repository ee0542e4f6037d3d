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

}  // namespace

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

RawNode merge(RawNode base, RawNode derived) {
  if (!base.is_map() || !derived.is_map()) return derived;
  for (auto& e : derived.entries) {
    RawNode::Entry* existing = base.find(e.key);
    if (existing == nullptr) {
      base.entries.push_back(std::move(e));
    } else if (e.value.is_null()) {
      base.erase(e.key);
    } else {
      existing->value = merge(std::move(existing->value), std::move(e.value));
      existing->key_mark = e.key_mark;
    }
  }
  base.mark = derived.mark;
  return base;
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
