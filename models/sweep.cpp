// Sweep files: reading and checking `sweep:`, and the scenario at a design point.
#include "models/sweep.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "models/pit_stops.hpp"
#include "models/registry.hpp"

namespace pitstop::models {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kSweepKeys = {"scenario", "design",       "points",     "replicates",
                                             "seed",     "horizon_days", "parameters", "outputs"};
const std::vector<std::string> kParameterKeys = {"path",    "min",   "max",
                                                 "integer", "scale", "levels"};

/// Reads one sweep file's tree with source marks.
class SweepReader {
 public:
  SweepReader(const RawNode& root, std::string file) : root_(root), file_(std::move(file)) {}

  [[noreturn]] void fail(const RawNode& n, const std::string& key, const std::string& msg) const {
    fail_at(n.mark.line > 0 ? n.mark : SourceMark{file_, 0, 0}, key, msg);
  }

  void check_keys(const RawNode& map, const std::vector<std::string>& allowed,
                  const std::string& where) const {
    for (const auto& e : map.entries) {
      if (std::find(allowed.begin(), allowed.end(), e.key) != allowed.end()) continue;
      std::string msg = "unknown key `" + e.key + "` in " + where;
      if (auto g = closest_match(e.key, allowed)) {
        msg += "; did you mean `" + *g + "`?";
      } else {
        std::string all;
        for (const auto& a : allowed)
          all += (all.empty() ? "" : ", ") + a;
        msg += " (expected one of: " + all + ")";
      }
      fail_at(e.key_mark, where + "." + e.key, msg);
    }
  }

  const RawNode& need(const RawNode& map, const std::string& key, const std::string& path) const {
    const RawNode::Entry* e = map.find(key);
    if (e == nullptr || e->value.is_null()) {
      fail(map, path, "missing required key `" + key + "`");
    }
    return e->value;
  }

  double number(const RawNode& n, const std::string& path) const {
    if (!n.is_scalar() || n.quoted) fail(n, path, "expected a number, got " + describe(n));
    errno = 0;
    char* end = nullptr;
    const double v = std::strtod(n.scalar.c_str(), &end);
    if (errno != 0 || end != n.scalar.c_str() + n.scalar.size() || n.scalar.empty() ||
        !std::isfinite(v)) {
      fail(n, path, "expected a number, got " + describe(n));
    }
    return v;
  }

  std::int64_t integer(const RawNode& n, const std::string& path, std::int64_t min) const {
    const double v = number(n, path);
    if (v != std::floor(v) || v < static_cast<double>(min) || v > 9e15) {
      fail(n, path, fmt::format("expected a whole number ≥ {}, got {}", min, n.scalar));
    }
    return static_cast<std::int64_t>(v);
  }

  bool boolean(const RawNode& n, const std::string& path) const {
    if (n.is_scalar() && !n.quoted) {
      if (n.scalar == "true" || n.scalar == "True" || n.scalar == "TRUE") return true;
      if (n.scalar == "false" || n.scalar == "False" || n.scalar == "FALSE") return false;
    }
    fail(n, path, "expected true or false, got " + describe(n));
  }

  std::string text(const RawNode& n, const std::string& path) const {
    if (!n.is_scalar() || n.scalar.empty()) fail(n, path, "expected text, got " + describe(n));
    return n.scalar;
  }

 private:
  const RawNode& root_;
  std::string file_;
};

std::uint64_t fnv1a(const std::string& s, std::uint64_t h = 1469598103934665603ULL) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::string read_text(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) fail_at(SourceMark{path, 0, 0}, "", "cannot open the file");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The changes that put the parameters at `values`.
std::vector<KeyPathChange> changes_at(const SweepSpec& spec, const std::vector<double>& values) {
  std::vector<KeyPathChange> out;
  for (std::size_t i = 0; i < spec.parameters.size(); ++i) {
    const SweepParameter& p = spec.parameters[i];
    KeyPathChange c;
    c.path = p.path;
    c.scale = p.scale;
    c.at = p.at;
    c.value_at = p.at;
    c.who = fmt::format("sweep parameter {} (`{}` = {})", i + 1, p.path, values[i]);
    c.when = KeyPathChange::kFromStart;
    if (p.scale) {
      c.factor = values[i];
    } else {
      c.value = RawNode::make_scalar(fmt::format("{}", values[i]), p.at);
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

const char* design_name(SweepSpec::Design d) {
  switch (d) {
    case SweepSpec::Design::kGrid:
      return "grid";
    case SweepSpec::Design::kLhs:
      return "lhs";
    case SweepSpec::Design::kSobol:
      return "sobol";
  }
  return "?";
}

SweepSpec load_sweep(const std::string& path) {
  return load_sweep_text(read_text(path), path);
}

SweepSpec load_sweep_text(const std::string& text, const std::string& file) {
  const RawNode root = parse_yaml(text, file);
  SweepReader r(root, file);
  if (!root.is_map() || root.find("sweep") == nullptr) {
    r.fail(root, "sweep",
           "a sweep file has one top-level key, `sweep:` (see scenarios/README.md "
           "\"Sweeps\")");
  }
  r.check_keys(root, {"sweep"}, "the sweep file");
  const RawNode& s = root.find("sweep")->value;
  if (!s.is_map()) r.fail(s, "sweep", "expected a map of keys, got " + describe(s));
  r.check_keys(s, kSweepKeys, "sweep");

  SweepSpec spec;
  spec.file = file;
  spec.text = text;
  const RawNode& scen = r.need(s, "scenario", "sweep");
  spec.scenario_path =
      (fs::path(file).parent_path() / r.text(scen, "sweep.scenario")).lexically_normal().string();
  const RawNode& design = r.need(s, "design", "sweep");
  const std::string d = r.text(design, "sweep.design");
  if (d == "grid") {
    spec.design = SweepSpec::Design::kGrid;
  } else if (d == "lhs") {
    spec.design = SweepSpec::Design::kLhs;
  } else if (d == "sobol") {
    spec.design = SweepSpec::Design::kSobol;
  } else {
    std::string msg = "expected grid, lhs or sobol, got '" + d + "'";
    if (auto g = closest_match(d, {"grid", "lhs", "sobol"})) msg += "; did you mean `" + *g + "`?";
    r.fail(design, "sweep.design", msg);
  }
  const bool grid = spec.design == SweepSpec::Design::kGrid;
  if (const RawNode::Entry* e = s.find("points")) {
    if (grid) {
      fail_at(e->key_mark, "sweep.points",
              "a grid takes the product of its parameters' `levels`: remove `points`");
    }
    spec.points = static_cast<std::size_t>(r.integer(e->value, "sweep.points", 1));
  } else if (!grid) {
    r.need(s, "points", "sweep");
  }
  if (const RawNode::Entry* e = s.find("replicates")) {
    spec.replicates = static_cast<std::uint32_t>(r.integer(e->value, "sweep.replicates", 1));
  }
  if (const RawNode::Entry* e = s.find("seed")) {
    spec.seed = static_cast<std::uint64_t>(r.integer(e->value, "sweep.seed", 0));
  }
  if (const RawNode::Entry* e = s.find("horizon_days")) {
    const double h = r.number(e->value, "sweep.horizon_days");
    if (!(h > 0)) r.fail(e->value, "sweep.horizon_days", "must be more than 0");
    spec.horizon_days = h;
  }

  const RawNode& params = r.need(s, "parameters", "sweep");
  if (!params.is_list() || params.items.empty()) {
    r.fail(params, "sweep.parameters",
           "expected a list of parameters, e.g. "
           "{path: services.beds.capacity, min: 500, max: 700}");
  }
  for (std::size_t i = 0; i < params.items.size(); ++i) {
    const RawNode& item = params.items[i];
    const std::string at = fmt::format("sweep.parameters[{}]", i);
    if (!item.is_map()) r.fail(item, at, "expected {path, min, max} or {path, levels}");
    r.check_keys(item, kParameterKeys, at);
    SweepParameter p;
    const RawNode& path = r.need(item, "path", at);
    p.path = r.text(path, at + ".path");
    p.at = path.mark;
    for (const auto& other : spec.parameters) {
      if (other.path == p.path) r.fail(path, at + ".path", "`" + p.path + "` is swept twice");
    }
    if (const RawNode::Entry* e = item.find("integer"))
      p.integer = r.boolean(e->value, at + ".integer");
    if (const RawNode::Entry* e = item.find("scale")) p.scale = r.boolean(e->value, at + ".scale");
    if (const RawNode::Entry* e = item.find("levels")) {
      if (!grid) {
        fail_at(e->key_mark, at + ".levels",
                fmt::format("`levels` is for `design: grid`; a {} design samples [min, max]",
                            design_name(spec.design)));
      }
      if (!e->value.is_list() || e->value.items.empty()) {
        r.fail(e->value, at + ".levels", "expected a list of values, e.g. [4, 8, 12]");
      }
      for (std::size_t k = 0; k < e->value.items.size(); ++k) {
        p.levels.push_back(r.number(e->value.items[k], fmt::format("{}.levels[{}]", at, k)));
      }
      p.min = *std::min_element(p.levels.begin(), p.levels.end());
      p.max = *std::max_element(p.levels.begin(), p.levels.end());
      if (item.find("min") != nullptr || item.find("max") != nullptr) {
        r.fail(item, at, "give either `levels` or `min` and `max`, not both");
      }
    } else {
      if (grid) r.fail(item, at, "a grid parameter needs `levels: [...]`");
      p.min = r.number(r.need(item, "min", at), at + ".min");
      const RawNode& max = r.need(item, "max", at);
      p.max = r.number(max, at + ".max");
      if (p.max < p.min) {
        r.fail(max, at + ".max", fmt::format("must be at least min ({}), got {}", p.min, p.max));
      }
    }
    if (p.integer) {
      for (double v : p.levels.empty() ? std::vector<double>{p.min, p.max} : p.levels) {
        if (v != std::floor(v)) {
          r.fail(item, at,
                 fmt::format("`integer: true` needs whole-number bounds and levels, "
                             "got {}",
                             v));
        }
      }
    }
    if (p.scale) {
      p.unit = "factor";
      if (p.min < 0) r.fail(item, at, "a factor (`scale: true`) must be ≥ 0");
    }
    spec.parameters.push_back(std::move(p));
  }

  const RawNode& outputs = r.need(s, "outputs", "sweep");
  if (!outputs.is_list() || outputs.items.empty()) {
    r.fail(outputs, "sweep.outputs",
           "expected a list of metric names, e.g. [ambulance_conveyances, spend_gbp]");
  }
  for (std::size_t i = 0; i < outputs.items.size(); ++i) {
    spec.outputs.push_back(r.text(outputs.items[i], fmt::format("sweep.outputs[{}]", i)));
    spec.output_marks.push_back(outputs.items[i].mark);
  }

  // Every parameter's key path and range, checked against the scenario itself: built with all
  // of them at their lowest values, and again at their highest.
  std::vector<double> low, high;
  for (const auto& p : spec.parameters) {
    low.push_back(p.min);
    high.push_back(p.max);
  }
  (void)sweep_scenario(spec, low);
  (void)sweep_scenario(spec, high);
  for (auto& p : spec.parameters) {
    if (p.scale) continue;
    if (const KeyInfo* k = find_key(registry_pattern(p.path))) p.unit = k->unit;
  }
  // The fingerprint: the sweep as read (emitted, so comments and layout do not count) and the
  // scenario it runs, resolved.
  const Scenario plain = load_scenario(spec.scenario_path);
  spec.fingerprint = fmt::format("{:016x}", fnv1a(plain.resolved_yaml, fnv1a(emit_yaml(root))));
  return spec;
}

Scenario sweep_scenario(const SweepSpec& spec, const std::vector<double>& values) {
  Overrides ov;
  ov.seed = spec.seed;
  ov.replicates = spec.replicates;
  ov.horizon_days = spec.horizon_days;
  return load_scenario_text(read_text(spec.scenario_path), spec.scenario_path, ov,
                            changes_at(spec, values));
}

}  // namespace pitstop::models
