// Typed, validated reading of the merged scenario tree, driven by the key registry: each read
// checks the value's type and range as the registry describes its key, and every map is checked
// for unknown keys ("did you mean …?") and missing required ones.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/date.hpp"
#include "models/raw_tree.hpp"
#include "models/registry.hpp"

namespace pitstop::models {

/// A place in the tree: the node, its key path ("services.clinic.capacity"), its registry
/// pattern ("services.*.capacity") and where its key (or list item) was written.
struct Cursor {
  const RawNode* node = nullptr;
  std::string path;
  std::string pattern;
  SourceMark where;
};

/// Reads values out of the tree as the registry describes them, and remembers where each key
/// path was written so that errors found later (by the engine) can point at the source.
class TreeReader {
 public:
  explicit TreeReader(const RawNode& root);

  Cursor root();
  /// Checks that `c` is a map with only registry keys and obeys its `one_of` rule. Required
  /// keys are checked by need() as they are read, so errors come in reading order.
  void check_map(const Cursor& c);
  /// Checks that `c` is a map whose keys are all in `allowed` (`what` names it in messages).
  void check_keys(const Cursor& c, const std::vector<std::string>& allowed,
                  const std::string& what);
  /// The child at `key` of a map, or nullopt when absent.
  std::optional<Cursor> child(const Cursor& map, const std::string& key);
  /// Like child(), but fails with "missing required key" pointing at the map when absent.
  Cursor need(const Cursor& map, const std::string& key);
  /// The items of a list (checks it is one, with at least the registry's `count` items).
  std::vector<Cursor> items(const Cursor& list);
  /// The entries of a map of names (checks names: identifiers, not `exit`).
  std::vector<Cursor> named(const Cursor& named_map);

  std::string text(const Cursor& c);
  std::string name(const Cursor& c);
  Date date(const Cursor& c);
  double number(const Cursor& c);
  std::int64_t integer(const Cursor& c);
  std::uint64_t unsigned_integer(const Cursor& c);
  /// nullopt for `unlimited`.
  std::optional<std::int64_t> integer_or_unlimited(const Cursor& c);
  std::string choice(const Cursor& c);
  /// `true` or `false` (also `True`/`TRUE`, `False`/`FALSE`, as YAML 1.2 allows; not quoted).
  bool boolean(const Cursor& c);
  std::vector<double> numbers(const Cursor& c);

  /// Throws InputError at the value of `c` (or its key when the value has no position).
  [[noreturn]] void fail(const Cursor& c, const std::string& message) const;
  /// Throws InputError at the key of `c`.
  [[noreturn]] void fail_key(const Cursor& c, const std::string& message) const;
  /// Where `path` (or its nearest recorded ancestor) was written.
  SourceMark mark_for(std::string path) const;

 private:
  const KeyInfo& info(const Cursor& c) const;
  void remember(const Cursor& c);
  void check_range(const Cursor& c, double value);
  /// The scalar text of `c`, failing with "expected <what>, got …" for anything else.
  const std::string& scalar(const Cursor& c, const std::string& what, bool allow_quoted) const;

  const RawNode& root_;
  std::map<std::string, SourceMark> marks_;
};

/// True for names of letters, digits, '_' and '-' (at least one character).
bool is_identifier(const std::string& s);

}  // namespace pitstop::models
