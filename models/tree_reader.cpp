// TreeReader: registry-driven type, range and key checks over the merged scenario tree.
#include "models/tree_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "engine/error.hpp"
#include "engine/network_spec.hpp"

namespace pitstop::models {
namespace {

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words)
    out += (out.empty() ? "" : ", ") + w;
  return out;
}

std::string child_path(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

// Strips the '+' that YAML allows before a number and std::from_chars does not.
std::string_view unsigned_text(const std::string& s) {
  std::string_view v(s);
  if (v.size() > 1 && v.front() == '+' && v[1] != '-') v.remove_prefix(1);
  return v;
}

template <typename T>
std::optional<T> parse_whole(const std::string& s, std::errc* error = nullptr) {
  const std::string_view v = unsigned_text(s);
  T value{};
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
  if (error != nullptr) *error = ec;
  if (ec != std::errc() || end != v.data() + v.size() || v.empty()) return std::nullopt;
  return value;
}

// "a.b[2].c" → "a.b[2]" → "a.b" → "a" → "".
std::string parent_path(const std::string& path) {
  if (!path.empty() && path.back() == ']') return path.substr(0, path.rfind('['));
  const auto dot = path.rfind('.');
  return dot == std::string::npos ? std::string() : path.substr(0, dot);
}

bool looks_like_date(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c == '-' || (c >= '0' && c <= '9'); });
}

}  // namespace

bool is_identifier(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

TreeReader::TreeReader(const RawNode& root) : root_(root) {}

Cursor TreeReader::root() {
  Cursor c{&root_, "", "", root_.mark};
  remember(c);
  return c;
}

const KeyInfo& TreeReader::info(const Cursor& c) const {
  static const KeyInfo top{.pattern = "", .type = KeyType::kMap};
  if (c.pattern.empty()) return top;
  const KeyInfo* k = find_key(c.pattern);
  PITSTOP_ASSERT(k != nullptr);
  return *k;
}

void TreeReader::remember(const Cursor& c) {
  marks_.emplace(c.path, c.where);
}

SourceMark TreeReader::mark_for(std::string path) const {
  while (true) {
    if (auto it = marks_.find(path); it != marks_.end()) return it->second;
    if (path.empty()) return root_.mark;
    path = parent_path(path);
  }
}

void TreeReader::fail(const Cursor& c, const std::string& message) const {
  const SourceMark& m = c.node != nullptr && c.node->mark.line > 0 ? c.node->mark : c.where;
  fail_at(m, c.path, message);
}

void TreeReader::fail_key(const Cursor& c, const std::string& message) const {
  fail_at(c.where, c.path, message);
}

void TreeReader::check_keys(const Cursor& c, const std::vector<std::string>& allowed,
                            const std::string& what) {
  if (!c.node->is_map()) fail(c, "expected a map of keys, got " + describe(*c.node));
  for (const auto& e : c.node->entries) {
    if (std::find(allowed.begin(), allowed.end(), e.key) != allowed.end()) continue;
    Cursor bad{&e.value, child_path(c.path, e.key), "", e.key_mark};
    std::string msg = "unknown key `" + e.key + "` in " + what;
    if (auto guess = closest_match(e.key, allowed)) {
      msg += "; did you mean `" + *guess + "`?";
    } else {
      msg += " (expected one of: " + join(allowed) + ")";
    }
    fail_key(bad, msg);
  }
}

void TreeReader::check_map(const Cursor& c) {
  std::vector<std::string> allowed;
  const auto children = children_of(c.pattern);
  for (const KeyInfo* k : children)
    allowed.push_back(leaf_name(k->pattern));
  check_keys(c, allowed, c.path.empty() ? "the scenario" : "`" + c.path + "`");
  const auto& rule = info(c).one_of;
  if (!rule.empty()) {
    const auto given = std::count_if(rule.begin(), rule.end(),
                                     [&](const std::string& k) { return c.node->find(k); });
    if (given != 1) {
      fail_key(c, fmt::format("give exactly one of `{}`", fmt::join(rule, "` or `")));
    }
  }
}

std::optional<Cursor> TreeReader::child(const Cursor& map, const std::string& key) {
  const std::string pattern = map.pattern.empty() ? key : map.pattern + "." + key;
  PITSTOP_ASSERT(find_key(pattern) != nullptr);
  const RawNode::Entry* e = map.node->is_map() ? map.node->find(key) : nullptr;
  if (e == nullptr) return std::nullopt;
  Cursor c{&e->value, child_path(map.path, key), pattern, e->key_mark};
  remember(c);
  return c;
}

Cursor TreeReader::need(const Cursor& map, const std::string& key) {
  if (auto c = child(map, key)) return *c;
  Cursor missing{nullptr, child_path(map.path, key), "", map.where};
  fail_key(missing, "missing required key `" + key + "`" +
                        (map.path.empty() ? "" : " in `" + map.path + "`"));
}

std::vector<Cursor> TreeReader::items(const Cursor& list) {
  if (!list.node->is_list()) fail(list, "expected a list, got " + describe(*list.node));
  const KeyInfo& k = info(list);
  if (list.node->items.size() < k.count) {
    fail(list, fmt::format("needs at least {} item{}", k.count, k.count == 1 ? "" : "s"));
  }
  std::vector<Cursor> out;
  for (std::size_t i = 0; i < list.node->items.size(); ++i) {
    const RawNode& item = list.node->items[i];
    out.push_back({&item, fmt::format("{}[{}]", list.path, i), list.pattern + "[*]", item.mark});
    remember(out.back());
  }
  return out;
}

std::vector<Cursor> TreeReader::named(const Cursor& map) {
  if (!map.node->is_map()) fail(map, "expected a map of names, got " + describe(*map.node));
  const KeyInfo& k = info(map);
  if (map.node->entries.size() < k.count) fail(map, "needs at least one entry");
  std::vector<Cursor> out;
  for (const auto& e : map.node->entries) {
    Cursor c{&e.value, child_path(map.path, e.key), map.pattern + ".*", e.key_mark};
    if (!is_identifier(e.key)) {
      fail_key(c, "`" + e.key + "` is not a valid name (use letters, digits, `_` and `-`)");
    }
    if (e.key == engine::kExitName) fail_key(c, "`exit` is reserved for leaving the network");
    remember(c);
    out.push_back(std::move(c));
  }
  return out;
}

const std::string& TreeReader::scalar(const Cursor& c, const std::string& what,
                                      bool allow_quoted) const {
  if (!c.node->is_scalar() || (c.node->quoted && !allow_quoted)) {
    fail(c, "expected " + what + ", got " + describe(*c.node));
  }
  return c.node->scalar;
}

std::string TreeReader::text(const Cursor& c) {
  return scalar(c, "text", true);
}

std::string TreeReader::name(const Cursor& c) {
  const std::string& s = scalar(c, "a name", true);
  if (!is_identifier(s))
    fail(c, "expected a name of letters, digits, `_` and `-`, got '" + s + "'");
  return s;
}

Date TreeReader::date(const Cursor& c) {
  const std::string& s = scalar(c, "a date (YYYY-MM-DD)", true);
  if (auto d = Date::parse(s)) return *d;
  if (looks_like_date(s)) fail(c, "'" + s + "' is not a calendar date");
  fail(c, "expected a date (YYYY-MM-DD), got '" + s + "'");
}

void TreeReader::check_range(const Cursor& c, double v) {
  const KeyInfo& k = info(c);
  const bool integral = k.type == KeyType::kInteger || k.type == KeyType::kIntegerOrUnlimited;
  const bool low = k.min && (v < *k.min || (k.min_exclusive && v == *k.min));
  const bool high = k.max && (v > *k.max || (k.max_exclusive && v == *k.max));
  if (!low && !high) return;
  const std::string got = ", got " + c.node->scalar;
  if (!integral && k.min && k.max && !k.min_exclusive && !k.max_exclusive) {
    fail(c, fmt::format("must be between {} and {}{}", *k.min, *k.max, got));
  }
  if (low && integral && *k.min == 0) fail(c, "must be a non-negative integer" + got);
  if (low && integral && *k.min == 1) fail(c, "must be a positive integer" + got);
  if (low)
    fail(c, fmt::format("must be {} {}{}", k.min_exclusive ? "greater than" : "at least", *k.min,
                        got));
  fail(c, fmt::format("must be {} {}{}", k.max_exclusive ? "less than" : "at most", *k.max, got));
}

double TreeReader::number(const Cursor& c) {
  const std::string& s = scalar(c, "a number", false);
  std::errc ec{};
  const auto v = parse_whole<double>(s, &ec);
  if (!v)
    fail(c, ec == std::errc::result_out_of_range ? "'" + s + "' is out of range"
                                                 : "expected a number, got '" + s + "'");
  if (!std::isfinite(*v)) fail(c, "must be a finite number, got '" + s + "'");
  check_range(c, *v);
  return *v;
}

std::int64_t TreeReader::integer(const Cursor& c) {
  const std::string& s = scalar(c, "an integer", false);
  std::errc ec{};
  const auto v = parse_whole<std::int64_t>(s, &ec);
  if (!v) {
    if (ec == std::errc::result_out_of_range) fail(c, "'" + s + "' is out of range");
    fail(c, "expected an integer, got '" + s + "'");
  }
  check_range(c, static_cast<double>(*v));
  return *v;
}

std::uint64_t TreeReader::unsigned_integer(const Cursor& c) {
  const std::string& s = scalar(c, "an integer", false);
  if (!s.empty() && s.front() == '-' && parse_whole<std::int64_t>(s)) {
    fail(c, "must be a non-negative integer, got " + s);
  }
  std::errc ec{};
  const auto v = parse_whole<std::uint64_t>(s, &ec);
  if (!v) {
    if (ec == std::errc::result_out_of_range) fail(c, "'" + s + "' is out of range");
    fail(c, "expected an integer, got '" + s + "'");
  }
  check_range(c, static_cast<double>(*v));
  return *v;
}

std::optional<std::int64_t> TreeReader::integer_or_unlimited(const Cursor& c) {
  const std::string& s = scalar(c, "an integer or `unlimited`", false);
  if (s == "unlimited") return std::nullopt;
  if (!parse_whole<std::int64_t>(s)) fail(c, "expected an integer or `unlimited`, got '" + s + "'");
  return integer(c);
}

std::string TreeReader::choice(const Cursor& c) {
  const KeyInfo& k = info(c);
  const std::string& s = scalar(c, "one of " + join(k.choices), true);
  if (std::find(k.choices.begin(), k.choices.end(), s) != k.choices.end()) return s;
  std::string msg = "expected one of " + join(k.choices) + ", got '" + s + "'";
  if (auto guess = closest_match(s, k.choices)) msg += "; did you mean `" + *guess + "`?";
  fail(c, msg);
}

bool TreeReader::boolean(const Cursor& c) {
  const std::string& s = scalar(c, "`true` or `false`", false);
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  fail(c, "expected `true` or `false`, got '" + s + "'");
}

std::vector<double> TreeReader::numbers(const Cursor& c) {
  if (!c.node->is_list()) fail(c, "expected a list of numbers, got " + describe(*c.node));
  const KeyInfo& k = info(c);
  const std::size_t n = c.node->items.size();
  if (k.count > 0 && n != k.count) fail(c, fmt::format("expected {} numbers, got {}", k.count, n));
  if (n == 0) fail(c, "expected a list of numbers, got an empty list");
  std::vector<double> out;
  for (std::size_t i = 0; i < n; ++i) {
    const RawNode& item = c.node->items[i];
    Cursor e{&item, fmt::format("{}[{}]", c.path, i), c.pattern, item.mark};
    out.push_back(number(e));
  }
  return out;
}

}  // namespace pitstop::models
