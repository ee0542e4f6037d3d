// Pit stops: key paths resolved against the registry, `set` and `scale` applied to copies of the
// merged tree, and the stages' builds folded into one Scenario through the dated mechanisms.
#include "models/pit_stops.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <map>

#include "models/registry.hpp"
#include "models/tree_reader.hpp"

namespace pitstop::models {
namespace {

/// The top-level sections a pit stop may change, and why the others may not.
const std::vector<std::string>& changeable_sections() {
  static const std::vector<std::string> s = {"services", "arrivals", "demand", "pathways",
                                             "finance"};
  return s;
}

/// The top-level sections a sweep may set from the start: everything but the run's settings.
const std::vector<std::string>& sweepable_sections() {
  static const std::vector<std::string> s = {"services", "arrivals", "demand",
                                             "pathways", "finance",  "population"};
  return s;
}

/// Patterns (and everything under them) that no pit stop may change, with the reason.
const std::vector<std::pair<std::string, std::string>>& fixed_patterns() {
  static const std::vector<std::pair<std::string, std::string>> f = {
      {"services.*.capacity_schedule",
       "a capacity schedule is already dated: set or scale the service's `capacity` instead "
       "(scale keeps the rota's shape)"},
      {"arrivals[*].changes",
       "the dated changes of a rate are already dated: set or scale `rate_per_day` instead"},
      {"arrivals[*].profile",
       "the hour and day shape of an arrival stream is fixed for the run; scale `rate_per_day`"},
      {"arrivals[*].priority", "a stream's priority class is fixed for the run"},
      {"finance.shifts", "shifts are dated already: give the shift its own date instead"},
      {"pathways.discharge.initial_occupied",
       "it describes the first day only; a later change would never apply"},
  };
  return f;
}

bool under(const std::string& pattern, const std::string& prefix) {
  return pattern == prefix || pattern.rfind(prefix + ".", 0) == 0 ||
         pattern.rfind(prefix + "[", 0) == 0;
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out(1);
  for (char c : path) {
    if (c == '.') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

bool is_numeric_type(KeyType t) {
  return t == KeyType::kNumber || t == KeyType::kInteger || t == KeyType::kIntegerOrUnlimited ||
         t == KeyType::kNumberList;
}

/// Whether every value under `pattern` is a number (or a distribution of numbers): what a pit
/// stop may set or scale.
bool numeric_pattern(const std::string& pattern) {
  const KeyInfo* k = find_key(pattern);
  if (k == nullptr) return false;
  if (is_numeric_type(k->type) || k->type == KeyType::kDistribution) return true;
  if (k->type == KeyType::kNamedMap) return numeric_pattern(pattern + ".*");
  if (k->type != KeyType::kMap) return false;
  const auto children = children_of(pattern);
  return !children.empty() && std::all_of(children.begin(), children.end(), [](const KeyInfo* c) {
    return numeric_pattern(c->pattern);
  });
}

std::string kind_of(const KeyInfo& k) {
  switch (k.type) {
    case KeyType::kString:
    case KeyType::kName:
      return "text";
    case KeyType::kDate:
      return "a date";
    case KeyType::kChoice:
      return "a choice of words";
    case KeyType::kBoolean:
      return "true or false";
    case KeyType::kList:
      return "a list";
    default:
      return "a group of keys that are not all numbers";
  }
}

/// A number as written in a pit stop (a factor): finite, ≥ 0, not quoted.
double factor_of(const RawNode& v, const SourceMark& at, const std::string& path) {
  const auto bad = [&] {
    fail_at(at, path, "a factor must be a number ≥ 0 (e.g. 1.5), got " + describe(v));
  };
  if (!v.is_scalar() || v.quoted || v.scalar.empty()) bad();
  errno = 0;
  char* end = nullptr;
  const double f = std::strtod(v.scalar.c_str(), &end);
  if (errno != 0 || end != v.scalar.c_str() + v.scalar.size() || !std::isfinite(f) || f < 0) bad();
  return f;
}

std::string number_text(double v, bool integer) {
  if (integer) return fmt::format("{}", static_cast<long long>(std::llround(v)));
  return fmt::format("{}", v);
}

/// Where a key path leads in a tree.
struct Target {
  RawNode* node = nullptr;    // the value; nullptr when absent (an optional key `set` adds)
  RawNode* parent = nullptr;  // the map or list item holding it
  std::string key;            // its key in `parent`
  std::string pattern;        // its registry pattern
};

class Changer {
 public:
  /// `who` names what changes the value in messages ("pit stop `x`", "sweep parameter 2");
  /// from the start (a sweep), any number of the scenario may change except the run's own
  /// settings; at a pit stop, only what can change on a date.
  Changer(RawNode& root, const SourceMark& at, std::string path, std::string who,
          KeyPathChange::When when)
      : root_(root), at_(at), path_(std::move(path)), who_(std::move(who)), when_(when) {}

  Target resolve(bool for_set) const {
    const auto segments = split_path(path_);
    for (const auto& s : segments) {
      if (s.empty()) fail("a key path is keys joined by dots, e.g. services.beds.capacity");
    }
    const auto& sections =
        when_ == KeyPathChange::kAtPitStop ? changeable_sections() : sweepable_sections();
    if (std::find(sections.begin(), sections.end(), segments.front()) == sections.end()) {
      if (find_key(segments.front()) == nullptr) {
        std::vector<std::string> top;
        for (const KeyInfo* k : children_of(""))
          top.push_back(k->pattern);
        std::string msg = "no key `" + segments.front() + "` at the top of a scenario";
        if (auto g = closest_match(segments.front(), top)) msg += "; did you mean `" + *g + "`?";
        fail(msg);
      }
      if (when_ == KeyPathChange::kFromStart) {
        fail("`" + segments.front() + "` is a setting of the run, not a parameter of the model");
      }
      fail("`" + segments.front() +
           "` cannot change at a pit stop: only `services`, `arrivals`, `demand`, `pathways` and "
           "`finance` can (the population is synthesised at the start and follows its "
           "projection; the run's dates and seed are fixed)");
    }
    Target t{&root_, nullptr, "", ""};
    std::string so_far;
    for (std::size_t i = 0; i < segments.size(); ++i) {
      const std::string& seg = segments[i];
      const bool last = i + 1 == segments.size();
      const KeyType type = t.pattern.empty() ? KeyType::kMap : find_key(t.pattern)->type;
      if (t.node == nullptr) fail("`" + so_far + "` is not in this scenario");
      RawNode& node = *t.node;
      std::string pattern;
      RawNode* next = nullptr;
      if (type == KeyType::kList) {
        // Items are addressed by their name; routes by where they go.
        const bool routes = t.pattern == "services.*.routes";
        const std::string by = routes ? "to" : "name";
        if (!routes && !is_named_list(node)) {
          fail("`" + so_far + "` is a list without names; a pit stop cannot address its items");
        }
        std::vector<std::string> names;
        for (RawNode& item : node.items) {
          const RawNode::Entry* e = item.is_map() ? item.find(by) : nullptr;
          if (e == nullptr || !e->value.is_scalar()) continue;
          names.push_back(e->value.scalar);
          if (e->value.scalar == seg) next = &item;
        }
        if (next == nullptr) {
          std::string msg = routes ? "no route to `" + seg + "` in `" + so_far + "`"
                                   : "no item named `" + seg + "` in `" + so_far + "`";
          if (auto g = closest_match(seg, names)) msg += "; did you mean `" + *g + "`?";
          fail(msg);
        }
        pattern = t.pattern + "[*]";
      } else if (type == KeyType::kNamedMap) {
        std::vector<std::string> names;
        for (auto& e : node.entries) {
          names.push_back(e.key);
          if (e.key == seg) next = &e.value;
        }
        if (next == nullptr) {
          std::string msg = "no `" + seg + "` in `" + so_far + "`";
          if (auto g = closest_match(seg, names)) msg += "; did you mean `" + *g + "`?";
          fail(msg);
        }
        pattern = t.pattern + ".*";
      } else if (type == KeyType::kMap || type == KeyType::kDistribution) {
        pattern = t.pattern.empty() ? seg : t.pattern + "." + seg;
        if (find_key(pattern) == nullptr) {
          std::vector<std::string> keys;
          for (const KeyInfo* k : children_of(t.pattern))
            keys.push_back(leaf_name(k->pattern));
          std::string msg = "no key `" + seg + "` in `" + (so_far.empty() ? "(top)" : so_far) + "`";
          if (auto g = closest_match(seg, keys)) msg += "; did you mean `" + *g + "`?";
          fail(msg);
        }
        check_not_fixed(pattern);
        if (RawNode::Entry* e = node.find(seg)) {
          next = &e->value;
        } else if (!(last && for_set)) {
          fail("`" + (so_far.empty() ? seg : so_far + "." + seg) +
               "` is not in this scenario (an optional key left out); `set` can add it, `scale` "
               "cannot");
        }
      } else {
        fail("`" + so_far + "` is a single value; it has no `" + seg + "`");
      }
      check_not_fixed(pattern);
      t = Target{next, t.node, seg, pattern};
      so_far += (so_far.empty() ? "" : ".") + seg;
    }
    if (!numeric_pattern(t.pattern)) {
      fail("`" + path_ + "` is " + kind_of(*find_key(t.pattern)) +
           "; a pit stop changes numbers (capacities, rates, factors, shares, durations, costs)");
    }
    return t;
  }

  void set(const RawNode& value, const SourceMark& value_mark) {
    Target t = resolve(true);
    RawNode copy = value;
    if (copy.mark.line == 0) copy.mark = value_mark;
    if (t.node != nullptr) {
      *t.node = std::move(copy);
    } else {
      t.parent->entries.push_back({t.key, at_, std::move(copy)});
    }
    // A set capacity (or rate) holds from the date on: the dated list it replaces stops.
    if (t.pattern == "services.*.capacity") t.parent->erase("capacity_schedule");
    if (t.pattern == "arrivals[*].rate_per_day") t.parent->erase("changes");
  }

  void scale(double f, const SourceMark& factor_mark) {
    Target t = resolve(false);
    scale_node(*t.node, t.pattern, f, factor_mark);
    // A scaled capacity (or rate) scales its dated list too, keeping a rota's shape.
    if (t.pattern == "services.*.capacity") {
      if (RawNode::Entry* sched = t.parent->find("capacity_schedule")) {
        for (RawNode& item : sched->value.items) {
          if (RawNode::Entry* c = item.find("capacity")) {
            scale_node(c->value, "services.*.capacity_schedule[*].capacity", f, factor_mark);
          }
          if (RawNode::Entry* w = item.find("weekly")) {
            for (RawNode& step : w->value.items) {
              if (RawNode::Entry* c = step.find("capacity")) {
                scale_node(c->value, "services.*.capacity_schedule[*].weekly[*].capacity", f,
                           factor_mark);
              }
            }
          }
        }
      }
    }
    if (t.pattern == "arrivals[*].rate_per_day") {
      if (RawNode::Entry* changes = t.parent->find("changes")) {
        for (RawNode& item : changes->value.items) {
          if (RawNode::Entry* r = item.find("rate_per_day")) {
            scale_node(r->value, "arrivals[*].changes[*].rate_per_day", f, factor_mark);
          }
        }
      }
    }
  }

 private:
  [[noreturn]] void fail(const std::string& message) const {
    fail_at(at_, path_, who_ + ": " + message);
  }

  void check_not_fixed(const std::string& pattern) const {
    if (when_ != KeyPathChange::kAtPitStop) return;
    for (const auto& [fixed, why] : fixed_patterns()) {
      if (under(pattern, fixed)) fail("cannot change at a pit stop: " + why);
    }
  }

  void scale_scalar(RawNode& n, const KeyInfo& k, double f, const SourceMark& mark) const {
    errno = 0;
    char* end = nullptr;
    const double v = n.is_scalar() ? std::strtod(n.scalar.c_str(), &end) : 0;
    if (!n.is_scalar() || n.quoted || errno != 0 || end != n.scalar.c_str() + n.scalar.size() ||
        n.scalar.empty()) {
      fail("cannot scale " + describe(n) + " (at " + n.mark.file + ":" +
           std::to_string(n.mark.line) + "): not a number");
    }
    const bool integer = k.type == KeyType::kInteger || k.type == KeyType::kIntegerOrUnlimited;
    n = RawNode::make_scalar(number_text(v * f, integer), mark);
  }

  /// Multiplies every number under `node` (pattern `pattern`) by f: each number of a list or of
  /// a map; a distribution's scale (mean, sd, value, scale, values; not a shape or weights).
  void scale_node(RawNode& node, const std::string& pattern, double f,
                  const SourceMark& mark) const {
    const KeyInfo& k = *find_key(pattern);
    if (k.type == KeyType::kNumberList) {
      if (!node.is_list()) fail("cannot scale " + describe(node) + ": not a list of numbers");
      for (RawNode& item : node.items)
        scale_scalar(item, k, f, mark);
    } else if (is_numeric_type(k.type)) {
      scale_scalar(node, k, f, mark);
    } else if (k.type == KeyType::kDistribution) {
      static const std::vector<std::string> scaled = {"mean", "sd", "value", "scale", "values"};
      for (auto& e : node.entries) {
        if (std::find(scaled.begin(), scaled.end(), e.key) == scaled.end()) continue;
        scale_node(e.value, pattern + "." + e.key, f, mark);
      }
    } else if (k.type == KeyType::kNamedMap) {
      for (auto& e : node.entries)
        scale_node(e.value, pattern + ".*", f, mark);
    } else {
      for (auto& e : node.entries) {
        if (find_key(pattern + "." + e.key) != nullptr) {
          scale_node(e.value, pattern + "." + e.key, f, mark);
        }
      }
    }
  }

  RawNode& root_;
  SourceMark at_;
  std::string path_;
  std::string who_;
  KeyPathChange::When when_;
};

/// A value on one line: a scalar as written, a list as [a, b], a map as {k: v, …}.
std::string flow_text(const RawNode& n) {
  if (n.is_scalar()) return n.scalar;
  if (n.is_null()) return "~";
  std::string out = n.is_list() ? "[" : "{";
  const std::size_t size = n.is_list() ? n.items.size() : n.entries.size();
  for (std::size_t i = 0; i < size; ++i) {
    if (i > 0) out += ", ";
    out += n.is_list() ? flow_text(n.items[i])
                       : n.entries[i].key + ": " + flow_text(n.entries[i].value);
  }
  return out + (n.is_list() ? "]" : "}");
}

/// One pit stop as read.
struct Stop {
  std::string name, why;
  Date date;
  SourceMark at;
  const RawNode* set = nullptr;
  const RawNode* scale = nullptr;
};

}  // namespace

std::string registry_pattern(const std::string& path) {
  std::string pattern;
  for (const std::string& seg : split_path(path)) {
    const std::string literal = pattern.empty() ? seg : pattern + "." + seg;
    if (find_key(literal) != nullptr) {
      pattern = literal;
    } else if (!pattern.empty() && find_key(pattern + ".*") != nullptr) {
      pattern += ".*";
    } else if (!pattern.empty() && find_key(pattern + "[*]") != nullptr) {
      pattern += "[*]";
    } else {
      return "";
    }
  }
  return pattern;
}

void apply_change(RawNode& tree, const KeyPathChange& c) {
  Changer changer(tree, c.at, c.path, c.who, c.when);
  if (c.scale) {
    changer.scale(c.factor, c.value_at);
  } else {
    changer.set(c.value, c.value_at);
  }
}

std::vector<PitStopStage> take_pit_stops(RawNode& tree) {
  if (!tree.is_map() || tree.find("pit_stops") == nullptr) return {};
  const RawNode whole = tree;  // the pit stops point into this copy
  tree.erase("pit_stops");
  TreeReader r(whole);
  const Cursor root = r.root();
  const Date start = r.date(r.need(root, "start"));
  std::vector<Stop> stops;
  const auto list = r.child(root, "pit_stops");
  if (list->node->is_null()) return {};
  for (const Cursor& item : r.items(*list)) {
    if (!item.node->is_map()) r.fail(item, "expected a pit stop {name, date, why, set/scale}");
    r.check_map(item);
    Stop s;
    s.at = item.where;
    s.name = r.name(r.need(item, "name"));
    const Cursor date = r.need(item, "date");
    s.date = r.date(date);
    if (!(start < s.date)) {
      r.fail(date, s.date.iso() + " is not after the scenario's start (" + start.iso() +
                       "): a change from the start is the scenario itself — change the value "
                       "there (or in a scenario that extends it)");
    }
    s.why = r.text(r.need(item, "why"));
    for (auto [key, slot] : {std::pair{"set", &s.set}, std::pair{"scale", &s.scale}}) {
      if (auto c = r.child(item, key)) {
        if (!c->node->is_map() || c->node->entries.empty()) {
          r.fail(*c, std::string("expected a map of key paths to ") +
                         (slot == &s.set ? "new values" : "factors") +
                         ", e.g. services.beds.capacity: 600");
        }
        *slot = c->node;
      }
    }
    if (s.set == nullptr && s.scale == nullptr) {
      r.fail_key(item, "pit stop `" + s.name + "` changes nothing: give `set:` or `scale:`");
    }
    stops.push_back(s);
  }
  std::stable_sort(stops.begin(), stops.end(),
                   [](const Stop& a, const Stop& b) { return a.date < b.date; });

  std::vector<PitStopStage> stages;
  RawNode current = tree;
  for (const Stop& s : stops) {
    if (stages.empty() || !(stages.back().date == s.date)) {
      stages.push_back({s.date, {}, {}, {}, {}, {}, {}});
    }
    PitStopStage& stage = stages.back();
    for (const RawNode* changes : {s.set, s.scale}) {
      if (changes == nullptr) continue;
      const bool set = changes == s.set;
      for (const auto& e : changes->entries) {
        const SourceMark& at = e.value.mark.line > 0 ? e.value.mark : e.key_mark;
        Changer change(current, e.key_mark, e.key, "pit stop `" + s.name + "`",
                       KeyPathChange::kAtPitStop);
        if (set) {
          change.set(e.value, e.key_mark);
          stage.changes.push_back(e.key + " = " + flow_text(e.value));
        } else {
          change.scale(factor_of(e.value, at, e.key), at);
          stage.changes.push_back(e.key + " × " + e.value.scalar);
        }
        stage.marks.push_back(e.key_mark);
        stage.marks.push_back(e.value.mark);
      }
    }
    stage.at = s.at;
    stage.names.push_back(s.name);
    stage.whys.push_back(s.why);
    stage.tree = current;
  }
  return stages;
}

void add_pit_stop(Scenario& s, const PitStopStage& stage, const Scenario& built) {
  const double day = static_cast<double>(stage.date.days - s.start.days);
  // The network: the same services and sources (a pit stop changes only numbers).
  for (std::size_t i = 0; i < s.network.services.size(); ++i) {
    engine::ServiceSpec& svc = s.network.services[i];
    const engine::ServiceSpec& now = built.network.services[i];
    svc.capacity = svc.capacity.spliced(day, now.capacity);
    const bool any = !svc.later.empty();
    const auto& dur = any ? svc.later.back().duration : svc.duration;
    const auto queue = any ? svc.later.back().queue_capacity : svc.queue_capacity;
    const auto& renege = any ? svc.later.back().renege_after_days : svc.renege_after_days;
    const auto& routes = any ? svc.later.back().routes : svc.routes;
    if (!(dur == now.duration) || queue != now.queue_capacity || renege != now.renege_after_days ||
        !(routes == now.routes)) {
      svc.later.push_back(
          {day, now.duration, now.queue_capacity, now.renege_after_days, now.routes});
    }
  }
  for (std::size_t i = 0; i < s.network.sources.size(); ++i) {
    engine::SourceSpec& src = s.network.sources[i];
    const engine::SourceSpec& now = built.network.sources[i];
    src.rate = src.rate.with_daily_rate(src.rate.daily_rate().spliced(day, now.rate.daily_rate()));
  }
  // The borough model's sections.
  PitStopSpecs p;
  p.date = stage.date;
  p.day = day;
  p.names = stage.names;
  p.whys = stage.whys;
  p.changes = stage.changes;
  p.demand = built.demand;
  p.pathways = built.pathways;
  p.finance = built.finance;
  // What the model must take up at the date: only what differs from what was in force.
  const PitStopSpecs* before = s.pit_stops.empty() ? nullptr : &s.pit_stops.back();
  p.demand_changed = !(p.demand == (before != nullptr ? before->demand : s.demand));
  p.pathways_changed = !(p.pathways == (before != nullptr ? before->pathways : s.pathways));
  p.finance_changed = !(p.finance == (before != nullptr ? before->finance : s.finance));
  s.pit_stops.push_back(std::move(p));
}

}  // namespace pitstop::models
