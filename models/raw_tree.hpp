// The loader's first stage: YAML text → a raw tree of maps, lists and scalars in which every node
// remembers where it was written (file, line, column), so later stages can point at the source.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pitstop::models {

/// Where something was written: a file and a 1-based line and column (0 = unknown).
struct SourceMark {
  std::string file;
  int line = 0;
  int column = 0;
};

/// Throws InputError at `mark` for the key `key_path`.
[[noreturn]] void fail_at(const SourceMark& mark, const std::string& key_path,
                          const std::string& message);

/// A YAML value exactly as written (no types yet), with its source mark.
struct RawNode {
  enum class Kind { kNull, kScalar, kList, kMap };
  struct Entry;

  Kind kind = Kind::kNull;
  std::string scalar;   // kScalar: the text
  bool quoted = false;  // kScalar: written in quotes (so a string, never a number)
  SourceMark mark;
  std::vector<RawNode> items;  // kList
  std::vector<Entry> entries;  // kMap, in the order written

  bool is_null() const { return kind == Kind::kNull; }
  bool is_scalar() const { return kind == Kind::kScalar; }
  bool is_list() const { return kind == Kind::kList; }
  bool is_map() const { return kind == Kind::kMap; }
  /// The entry with this key, or nullptr.
  const Entry* find(std::string_view key) const;
  Entry* find(std::string_view key);
  /// Removes the entry with this key (if any).
  void erase(std::string_view key);

  static RawNode make_scalar(std::string text, SourceMark mark);
};

/// One key of a map: the key's own mark (where errors about the key point) and its value.
struct RawNode::Entry {
  std::string key;
  SourceMark key_mark;
  RawNode value;
};

/// Parses one YAML document. Every yaml-cpp error becomes an InputError with line and column;
/// duplicate keys, non-scalar keys, extra documents and runaway nesting are rejected too.
/// An empty document gives a null node.
RawNode parse_yaml(const std::string& text, const std::string& file);

/// The key that marks a list item for removal in a file with `extends`: `{name: x, remove: true}`.
inline constexpr std::string_view kRemoveKey = "remove";

/// A non-empty list whose items are all maps with a scalar `name`: `extends` merges such lists
/// item by item, addressed by name.
bool is_named_list(const RawNode& node);

/// Deep merge for `extends`: maps merge key by key (recursively); named lists (is_named_list, in
/// both files) merge item by item: an item whose name the base has is merged into that item,
/// an item `{name: x, remove: true}` deletes it (an InputError at its `remove` when the base has
/// no `x`), and a new name is appended after the base's items. Everything else in `derived`
/// replaces what `base` had; a null in `derived` removes the inherited key. Every node keeps the
/// mark of the file that wrote it.
RawNode merge(RawNode base, RawNode derived);

/// Checks one file's tree before merging (`path` is the key path of `node`): within each named
/// list the names are unique, and a `remove` item is exactly `{name: x, remove: true}`.
void check_named_lists(const RawNode& node, const std::string& path = "");

/// Checks the merged tree: a `remove` item still there removed nothing (no inherited item had
/// its name), which is an error at its `remove` key.
void check_no_removals_left(const RawNode& node, const std::string& path = "");

/// The tree as YAML text (block style; lists of scalars in flow style).
std::string emit_yaml(const RawNode& node);

/// A short description of a value for messages: 'ten', a list, a map, nothing.
std::string describe(const RawNode& node);

}  // namespace pitstop::models
