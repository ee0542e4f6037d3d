// YAML text → RawNode (converting every yaml-cpp exception), deep merge, and YAML emission.
#include "models/raw_tree.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <exception>

#include "models/scenario.hpp"

namespace pitstop::models {
namespace {

constexpr int kMaxDepth = 64;               // deeper than any scenario needs; stops alias loops
constexpr std::size_t kMaxNodes = 1000000;  // stops "billion laughs" alias expansion

SourceMark mark_of(const YAML::Mark& m, const std::string& file) {
  if (m.is_null() || m.line < 0) return SourceMark{file, 0, 0};
  return SourceMark{file, m.line + 1, m.column + 1};
}

/// Copies a yaml-cpp node tree into RawNodes, checking keys and bounding the size.
class Converter {
 public:
  explicit Converter(const std::string& file) : file_(file) {}

  RawNode convert(const YAML::Node& node, const SourceMark& fallback, int depth,
                  const std::string& path) {
    SourceMark mark = mark_of(node.Mark(), file_);
    if (mark.line == 0) mark = fallback;
    if (depth > kMaxDepth)
      fail_at(mark, "", "the YAML is nested too deeply (or an alias refers to itself)");
    if (++count_ > kMaxNodes) fail_at(mark, "", "the YAML expands to too many values (aliases?)");
    RawNode out;
    out.mark = mark;
    switch (node.Type()) {
      case YAML::NodeType::Scalar:
        out.kind = RawNode::Kind::kScalar;
        out.scalar = node.Scalar();
        out.quoted = node.Tag() == "!";
        break;
      case YAML::NodeType::Sequence:
        out.kind = RawNode::Kind::kList;
        for (const auto& item : node) {
          const std::string item_path = path + "[" + std::to_string(out.items.size()) + "]";
          out.items.push_back(convert(item, mark, depth + 1, item_path));
        }
        break;
      case YAML::NodeType::Map:
        out.kind = RawNode::Kind::kMap;
        for (const auto& kv : node) {
          out.entries.push_back(entry(kv.first, kv.second, out, depth, path));
        }
        break;
      default:  // Null and Undefined
        out.kind = RawNode::Kind::kNull;
        break;
    }
    return out;
  }

 private:
  RawNode::Entry entry(const YAML::Node& key, const YAML::Node& value, const RawNode& map,
                       int depth, const std::string& map_path) {
    SourceMark key_mark = mark_of(key.Mark(), file_);
    if (key_mark.line == 0) key_mark = map.mark;
    if (!key.IsScalar())
      fail_at(key_mark, map_path, "a key must be a plain name, not a list, map or null");
    const std::string path = map_path.empty() ? key.Scalar() : map_path + "." + key.Scalar();
    for (const auto& e : map.entries) {
      if (e.key == key.Scalar()) {
        fail_at(key_mark, path,
                "duplicate key `" + e.key + "` (first given at line " +
                    std::to_string(e.key_mark.line) + ")");
      }
    }
    // A null value's own mark is often on the next line: point at the key instead.
    RawNode v = convert(value, key_mark, depth + 1, path);
    if (v.is_null()) v.mark = key_mark;
    return RawNode::Entry{key.Scalar(), key_mark, std::move(v)};
  }

  const std::string& file_;
  std::size_t count_ = 0;
};

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

RawNode parse_yaml(const std::string& text, const std::string& file) {
  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAll(text);
  } catch (const YAML::Exception& e) {
    fail_at(mark_of(e.mark, file), "", "invalid YAML: " + e.msg);
  } catch (const std::exception& e) {
    fail_at(SourceMark{file, 0, 0}, "", std::string("cannot read YAML: ") + e.what());
  }
  if (docs.empty()) return RawNode{RawNode::Kind::kNull, {}, false, {file, 1, 1}, {}, {}};
  if (docs.size() > 1) {
    fail_at(mark_of(docs[1].Mark(), file), "",
            "only one YAML document per file (found a second one after `---`)");
  }
  try {
    Converter c(file);
    return c.convert(docs[0], SourceMark{file, 1, 1}, 0, "");
  } catch (const YAML::Exception& e) {
    fail_at(mark_of(e.mark, file), "", "invalid YAML: " + e.msg);
  }
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
