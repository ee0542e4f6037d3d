// parse_yaml: YAML text → RawNode, built directly from yaml-cpp's parser events so that every
// node keeps its mark, keys are checked as they arrive, and size and depth stay bounded.
// Every yaml-cpp exception becomes an InputError with the line and column.
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <exception>
#include <map>
#include <optional>
#include <sstream>

#include "models/raw_tree.hpp"
#include "models/scenario.hpp"

namespace pitstop::models {
namespace {

constexpr std::size_t kMaxDepth = 64;       // deeper than any scenario needs
constexpr std::size_t kMaxNodes = 1000000;  // stops "billion laughs" alias expansion

SourceMark mark_of(const YAML::Mark& m, const std::string& file) {
  if (m.is_null() || m.line < 0) return SourceMark{file, 0, 0};
  return SourceMark{file, m.line + 1, m.column + 1};
}

std::size_t size_of(const RawNode& n) {
  std::size_t size = 1;
  for (const auto& item : n.items)
    size += size_of(item);
  for (const auto& e : n.entries)
    size += 1 + size_of(e.value);
  return size;
}

/// Builds one document's RawNode tree from parser events (a map alternates key and value).
class TreeBuilder : public YAML::EventHandler {
 public:
  explicit TreeBuilder(const std::string& file) : file_(file) {}

  RawNode& root() { return root_; }
  const YAML::Mark& start() const { return start_; }

  void OnDocumentStart(const YAML::Mark& mark) override { start_ = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    finish(node(RawNode::Kind::kNull, mark), anchor);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto it = anchors_.find(anchor);
    if (it == anchors_.end()) fail_at(mark_of(mark, file_), path(), "an alias refers to itself");
    count_ += size_of(it->second);
    if (count_ > kMaxNodes)
      fail_at(mark_of(mark, file_), "", "the YAML expands to too many values");
    finish(it->second, 0);
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    RawNode n = node(RawNode::Kind::kScalar, mark);
    n.scalar = value;
    n.quoted = tag == "!";
    finish(std::move(n), anchor);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(node(RawNode::Kind::kList, mark), anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(node(RawNode::Kind::kMap, mark), anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  /// A list or map being filled; in a map, `key` holds a key awaiting its value.
  struct Frame {
    RawNode node;
    YAML::anchor_t anchor = 0;
    std::optional<RawNode::Entry> key;
  };

  RawNode node(RawNode::Kind kind, const YAML::Mark& mark) {
    RawNode n;
    n.kind = kind;
    n.mark = mark_of(mark, file_);
    if (++count_ > kMaxNodes) fail_at(n.mark, "", "the YAML expands to too many values");
    return n;
  }

  std::string path() const {
    std::string p;
    for (const auto& f : stack_) {
      if (f.node.is_list()) p += "[" + std::to_string(f.node.items.size()) + "]";
      if (f.node.is_map() && f.key) p += (p.empty() ? "" : ".") + f.key->key;
    }
    return p;
  }

  void open(RawNode n, YAML::anchor_t anchor) {
    if (stack_.size() >= kMaxDepth) fail_at(n.mark, "", "the YAML is nested too deeply");
    stack_.push_back(Frame{std::move(n), anchor, std::nullopt});
  }

  void close() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    finish(std::move(f.node), f.anchor);
  }

  // A complete node: remember its anchor, then place it in its parent (or as the root).
  void finish(RawNode n, YAML::anchor_t anchor) {
    if (anchor != 0) anchors_[anchor] = n;
    if (stack_.empty()) {
      root_ = std::move(n);
      return;
    }
    Frame& parent = stack_.back();
    if (parent.node.is_list()) {
      parent.node.items.push_back(std::move(n));
    } else if (!parent.key) {
      add_key(parent, std::move(n));
    } else {
      if (n.is_null()) n.mark = parent.key->key_mark;  // a null's own mark is often a line late
      parent.key->value = std::move(n);
      parent.node.entries.push_back(std::move(*parent.key));
      parent.key.reset();
    }
  }

  void add_key(Frame& map, RawNode key) {
    if (!key.is_scalar())
      fail_at(key.mark, path(), "a key must be a plain name, not " + describe(key));
    for (const auto& e : map.node.entries) {
      if (e.key == key.scalar) {
        map.key = RawNode::Entry{key.scalar, key.mark, {}};
        fail_at(key.mark, path(),
                "duplicate key `" + e.key + "` (first given at line " +
                    std::to_string(e.key_mark.line) + ")");
      }
    }
    map.key = RawNode::Entry{key.scalar, key.mark, {}};
  }

  const std::string& file_;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, RawNode> anchors_;
  RawNode root_;
  YAML::Mark start_;
  std::size_t count_ = 0;
};

/// Sees a document without keeping it: used to detect a second one.
class DocumentProbe : public YAML::EventHandler {
 public:
  YAML::Mark start;
  void OnDocumentStart(const YAML::Mark& mark) override { start = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

bool same(const YAML::Mark& a, const YAML::Mark& b) {
  return a.pos == b.pos;
}

}  // namespace

RawNode parse_yaml(const std::string& text, const std::string& file) {
  std::istringstream in(text);
  try {
    YAML::Parser parser(in);
    TreeBuilder builder(file);
    if (!parser.HandleNextDocument(builder)) {
      return RawNode{RawNode::Kind::kNull, {}, false, {file, 1, 1}, {}, {}};
    }
    // yaml-cpp 0.7 does not consume a stray `,` (and similar) outside any collection: it
    // reports empty documents at the same place for ever (and LoadAll never returns).
    DocumentProbe second, third;
    if (parser.HandleNextDocument(second)) {
      const bool stuck = same(second.start, builder.start()) ||
                         (parser.HandleNextDocument(third) && same(third.start, second.start));
      fail_at(mark_of(second.start, file), "",
              stuck ? "invalid YAML: unexpected character"
                    : "only one YAML document per file (found a second one after `---`)");
    }
    return std::move(builder.root());
  } catch (const YAML::Exception& e) {
    fail_at(mark_of(e.mark, file), "", "invalid YAML: " + e.msg);
  } catch (const InputError&) {
    throw;
  } catch (const std::exception& e) {
    fail_at(SourceMark{file, 0, 0}, "", std::string("cannot read YAML: ") + e.what());
  }
}

}  // namespace pitstop::models
