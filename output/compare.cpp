#include "output/compare.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>

#include "engine/stats.hpp"
#include "output/json.hpp"
#include "output/periods.hpp"

namespace pitstop::output {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double mean_of(const std::vector<double>& v) {
  return v.empty() ? kNaN : engine::mean_interval(v).mean;
}

double variance_of(const std::vector<double>& v, double mean) {
  double ss = 0;
  for (double x : v)
    ss += (x - mean) * (x - mean);
  return ss / static_cast<double>(v.size() - 1);
}

/// The values that are not NaN (a ratio is NaN in a period whose denominator is 0).
std::vector<double> defined(const std::vector<double>& v) {
  std::vector<double> out;
  for (double x : v) {
    if (!std::isnan(x)) out.push_back(x);
  }
  return out;
}

/// Welch's interval for mean(o) − mean(b) of independent samples (NaNs left out).
engine::Interval welch(const std::vector<double>& all_b, const std::vector<double>& all_o,
                       double conf) {
  const std::vector<double> b = defined(all_b), o = defined(all_o);
  const double mb = mean_of(b), mo = mean_of(o);
  if (b.size() < 2 || o.size() < 2) return {mo - mb, kNaN, kNaN};
  const double nb = static_cast<double>(b.size()), no = static_cast<double>(o.size());
  const double vb = variance_of(b, mb) / nb, vo = variance_of(o, mo) / no;
  const double se = std::sqrt(vb + vo);
  if (se == 0) return {mo - mb, mo - mb, mo - mb};
  const double df = (vb + vo) * (vb + vo) / (vb * vb / (nb - 1) + vo * vo / (no - 1));
  const double h = boost::math::quantile(boost::math::students_t(df), 0.5 + conf / 2) * se;
  return {mo - mb, mo - mb - h, mo - mb + h};
}

}  // namespace

double paired_difference(double other, double base) {
  const double d = other - base;
  return std::fabs(d) <= 1e-12 * std::max(std::fabs(other), std::fabs(base)) ? 0.0 : d;
}

namespace {

CompareRow make_row(const std::vector<double>& b, const std::vector<double>& o,
                    const CompareOptions& opt) {
  CompareRow row;
  row.base = mean_of(b);
  row.other = mean_of(o);
  engine::Interval iv;
  if (opt.unpaired) {
    iv = welch(b, o, opt.confidence);
  } else {
    if (b.size() != o.size()) throw NotComparable("the files hold different numbers of replicates");
    // A replicate whose value is NaN in either file (a ratio with a zero denominator) gives a
    // NaN difference, which mean_interval leaves out.
    std::vector<double> d(b.size());
    for (std::size_t i = 0; i < b.size(); ++i)
      d[i] = paired_difference(o[i], b[i]);
    iv = engine::mean_interval(d, opt.confidence);
  }
  row.diff = iv.mean;
  row.lo = iv.lo;
  row.hi = iv.hi;
  row.pct = row.base != 0 ? 100 * row.diff / row.base : kNaN;
  return row;
}

std::vector<std::string> missing_from(const std::vector<std::string>& a,
                                      const std::vector<std::string>& b) {
  std::vector<std::string> out;
  for (const std::string& x : a) {
    if (std::find(b.begin(), b.end(), x) == b.end()) out.push_back(x);
  }
  return out;
}

std::size_t index_of(const std::vector<std::string>& v, const std::string& x) {
  return static_cast<std::size_t>(std::find(v.begin(), v.end(), x) - v.begin());
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& x : v)
    out += (out.empty() ? "" : ", ") + x;
  return out.empty() ? "(none)" : out;
}

/// The metric sets (with units and rollup) must match; otherwise say what differs.
void check_metrics(const ResultsReader& base, const ResultsReader& other) {
  std::vector<std::string> bn, on;
  for (const MetricDef& m : base.metrics())
    bn.push_back(m.name);
  for (const MetricDef& m : other.metrics())
    on.push_back(m.name);
  if (bn != on) {
    throw NotComparable("the files record different metrics (only in '" + base.path() +
                        "': " + join(missing_from(bn, on)) + "; only in '" + other.path() +
                        "': " + join(missing_from(on, bn)) + ")");
  }
  for (const MetricDef& m : base.metrics()) {
    const MetricDef& o = *other.find_metric(m.name);
    if (m.units != o.units || m.rollup != o.rollup) {
      throw NotComparable("metric '" + m.name + "' has different units or rollup ('" + m.units +
                          "', " + rollup_name(m.rollup) + " vs '" + o.units + "', " +
                          rollup_name(o.rollup) + ")");
    }
    if (m.numerator != o.numerator || m.denominator != o.denominator) {
      throw NotComparable("ratio metric '" + m.name + "' divides different metrics (" +
                          m.numerator + " / " + m.denominator + " vs " + o.numerator + " / " +
                          o.denominator + ")");
    }
  }
}

/// The periods in both files (in base order); warns about dropped and uneven periods.
void choose_periods(const ResultsReader& base, const ResultsReader& other, Comparison& c) {
  const PeriodKind by = c.options.by;
  const auto& bp = base.periods(by);
  const auto& op = other.periods(by);
  for (const std::string& p : bp) {
    if (std::find(op.begin(), op.end(), p) != op.end()) c.periods.push_back(p);
  }
  c.base_only_periods = missing_from(bp, op);
  c.other_only_periods = missing_from(op, bp);
  if (c.periods.empty()) {
    throw NotComparable(fmt::format("no {} is in both files ('{}': {}; '{}': {})", period_name(by),
                                    c.base_path, join(bp), c.other_path, join(op)));
  }
  std::vector<std::string> uneven;
  for (const std::string& p : c.periods) {
    const std::size_t nb = base.period_days(by)[index_of(bp, p)];
    const std::size_t no = other.period_days(by)[index_of(op, p)];
    if (nb != no) uneven.push_back(fmt::format("{} ({} vs {} days)", p, nb, no));
  }
  if (!uneven.empty()) {
    c.warnings.push_back(
        "these periods cover different observed days in the two files, so "
        "their values are not like for like: " +
        join(uneven));
  }
  if (!c.base_only_periods.empty() || !c.other_only_periods.empty()) {
    c.warnings.push_back(fmt::format(
        "comparing the {} period(s) in both files; dropped: only in base {}; only in other {}",
        c.periods.size(), join(c.base_only_periods), join(c.other_only_periods)));
  }
}

/// The derived money rows of a paired comparison of two files with `finance`: the net saving
/// (the fall in activity-based cost less any rise in total spend) and the spend per ambulance call
/// and per emergency admission avoided (the ratio of the mean paired differences, with a
/// delta-method interval; NaN when nothing is avoided on average).
void add_finance_rows(const ResultsReader& base, const ResultsReader& other, Comparison& c) {
  const auto has = [&](const char* m) {
    return base.find_metric(m) != nullptr && other.find_metric(m) != nullptr;
  };
  if (!has("spend_gbp") || !has("activity_cost_gbp")) return;
  if (c.options.unpaired) {
    c.warnings.push_back("net saving and cost per call or admission avoided need paired runs");
    return;
  }
  const PeriodKind by = c.options.by;
  // Per compared period, each replicate's value of a metric, from one read of the file: its
  // total over the breakdown, or for `crew` the 999 calls a crew attended (the labels
  // "<sdf>/<outcome>" other than hear and treat and the community response team's visits).
  const auto per_period = [&](const ResultsReader& r, const char* metric, bool crew) {
    const MetricDef& m = *r.find_metric(metric);
    const PeriodValues v = crew ? r.per_replicate(metric, by) : r.totals(metric, by);
    std::vector<std::vector<double>> out;
    for (const std::string& period : c.periods) {
      const std::size_t p = index_of(r.periods(by), period);
      if (!crew) {
        out.push_back(v.column(p, 0));
        continue;
      }
      std::vector<double> sum;
      for (std::size_t b = 0; b < m.breakdown.size(); ++b) {
        const std::string outcome = m.breakdown[b].substr(m.breakdown[b].rfind('/') + 1);
        if (outcome == "hear_and_treat" || outcome == "community_response") continue;
        const std::vector<double> col = v.column(p, b);
        sum.resize(col.size(), 0.0);
        for (std::size_t i = 0; i < col.size(); ++i)
          sum[i] += col[i];
      }
      out.push_back(std::move(sum));
    }
    return out;
  };
  // other − base, paired by replicate, per compared period.
  const auto paired = [&](const char* metric, bool crew = false) {
    std::vector<std::vector<double>> d = per_period(other, metric, crew);
    const std::vector<std::vector<double>> b = per_period(base, metric, crew);
    for (std::size_t p = 0; p < d.size(); ++p)
      for (std::size_t i = 0; i < d[p].size(); ++i)
        d[p][i] = paired_difference(d[p][i], b[p][i]);
    return d;
  };
  const double t_level = 0.5 + c.options.confidence / 2;
  const auto push = [&](const std::string& metric, const std::string& period, double value,
                        double half) {
    CompareRow row;
    row.metric = metric;
    row.period = period;
    row.base = row.other = row.pct = kNaN;
    row.diff = value;
    row.lo = value - half;
    row.hi = value + half;
    c.rows.push_back(std::move(row));
  };
  // Spend per unit avoided: R = mean(Δspend) / mean(−Δunits); Var R ≈ (var x + R² var y −
  // 2R cov) / (n · mean(y)²) for x = Δspend, y = −Δunits.
  const auto per_avoided = [&](const std::vector<double>& x, const std::vector<double>& dy,
                               const std::string& metric, const std::string& period) {
    const std::size_t n = x.size();
    std::vector<double> y(n);
    for (std::size_t i = 0; i < n; ++i)
      y[i] = -dy[i];
    const double mx = mean_of(x), my = mean_of(y);
    if (!(my > 0) || n < 2) {
      push(metric, period, kNaN, kNaN);
      return;
    }
    const double r = mx / my;
    double vx = 0, vy = 0, cxy = 0;
    for (std::size_t i = 0; i < n; ++i) {
      vx += (x[i] - mx) * (x[i] - mx);
      vy += (y[i] - my) * (y[i] - my);
      cxy += (x[i] - mx) * (y[i] - my);
    }
    const double var_r = (vx + r * r * vy - 2 * r * cxy) / static_cast<double>(n - 1) /
                         static_cast<double>(n) / (my * my);
    const double t =
        boost::math::quantile(boost::math::students_t(static_cast<double>(n - 1)), t_level);
    push(metric, period, r, t * std::sqrt(std::max(0.0, var_r)));
  };
  // The net saving is the fall in the cost of all the activity counted, at unit costs: the
  // community services' own activity (the team's contacts, reablement episodes, care weeks) is in
  // it, so what a scenario buys is paid for there; adding the budget lines' spend as well would
  // count the same service twice. Spend is compared on its own (spend_gbp) and per unit avoided.
  const std::vector<std::vector<double>> spend = paired("spend_gbp");
  const std::vector<std::vector<double>> cost = paired("activity_cost_gbp");
  for (std::size_t p = 0; p < c.periods.size(); ++p) {
    std::vector<double> saving(cost[p].size());
    for (std::size_t i = 0; i < saving.size(); ++i)
      saving[i] = -cost[p][i];
    const engine::Interval iv = engine::mean_interval(saving, c.options.confidence);
    push("net_saving_gbp", c.periods[p], iv.mean, iv.hi - iv.mean);
  }
  if (has("ambulance_calls")) {
    const std::vector<std::vector<double>> jobs = paired("ambulance_calls", true);
    for (std::size_t p = 0; p < c.periods.size(); ++p)
      per_avoided(spend[p], jobs[p], "spend_per_ambulance_job_avoided_gbp", c.periods[p]);
  }
  if (has("emergency_admissions")) {
    const std::vector<std::vector<double>> admissions = paired("emergency_admissions");
    for (std::size_t p = 0; p < c.periods.size(); ++p)
      per_avoided(spend[p], admissions[p], "spend_per_admission_avoided_gbp", c.periods[p]);
  }
  const std::string total = by == PeriodKind::kMonth ? "month" : "financial year";
  c.metrics.push_back("net_saving_gbp");
  c.units.push_back("GBP a " + total +
                    ": base − other of activity_cost_gbp (all activity at "
                    "unit costs, the services bought included)");
  if (has("ambulance_calls")) {
    c.metrics.push_back("spend_per_ambulance_job_avoided_gbp");
    c.units.push_back(
        "GBP: Δ spend_gbp ÷ 999 calls a crew attended avoided (blank if none avoided)");
  }
  if (has("emergency_admissions")) {
    c.metrics.push_back("spend_per_admission_avoided_gbp");
    c.units.push_back("GBP: Δ spend_gbp ÷ emergency admissions avoided (blank if none avoided)");
  }
}

}  // namespace

Comparison compare_results(const ResultsReader& base, const ResultsReader& other,
                           const CompareOptions& opt) {
  Comparison c;
  c.options = opt;
  c.base_path = base.path();
  c.other_path = other.path();
  c.base_scenario = base.meta().scenario;
  c.other_scenario = other.meta().scenario;
  c.base_seed = base.meta().seed;
  c.other_seed = other.meta().seed;
  c.base_replicates = static_cast<std::size_t>(base.meta().replicates);
  c.other_replicates = static_cast<std::size_t>(other.meta().replicates);
  if (!opt.unpaired && c.base_replicates != c.other_replicates) {
    throw NotComparable(fmt::format(
        "different replicate counts ({} in '{}', {} in '{}'): paired differences need the same "
        "replicates in both files; re-run one with --replicates {}, or use --unpaired",
        c.base_replicates, c.base_path, c.other_replicates, c.other_path, c.base_replicates));
  }
  check_metrics(base, other);
  if (!opt.unpaired && c.base_seed != c.other_seed) {
    c.warnings.push_back(fmt::format(
        "the seeds differ ({} vs {}): replicates do not share random numbers, so pairing them "
        "gains nothing (the intervals are still valid, but wider)",
        c.base_seed, c.other_seed));
  }
  choose_periods(base, other, c);
  const auto& bp = base.periods(opt.by);
  const auto& op = other.periods(opt.by);

  for (const MetricDef& m : base.metrics()) {
    const MetricDef& om = *other.find_metric(m.name);
    c.metrics.push_back(m.name);
    c.units.push_back(base.period_units(m.name, opt.by));
    const PeriodValues bv = base.per_replicate(m.name, opt.by);
    const PeriodValues ov = other.per_replicate(m.name, opt.by);
    const PeriodValues bt = base.totals(m.name, opt.by);  // (a ratio's: sum ÷ sum)
    const PeriodValues ot = other.totals(m.name, opt.by);
    if (m.breakdown != om.breakdown) {
      c.warnings.push_back(fmt::format(
          "{}: breakdown labels differ (only in base: {}; only in other: {}); totals cover each "
          "file's own labels",
          m.name, join(missing_from(m.breakdown, om.breakdown)),
          join(missing_from(om.breakdown, m.breakdown))));
    }
    for (const std::string& period : c.periods) {
      const std::size_t pb = index_of(bp, period), po = index_of(op, period);
      CompareRow row = make_row(bt.column(pb, 0), ot.column(po, 0), opt);
      row.metric = m.name;
      row.period = period;
      c.rows.push_back(std::move(row));
    }
    if (!opt.breakdown) continue;
    for (std::size_t b = 0; b < m.breakdown.size(); ++b) {
      const std::size_t ob = index_of(om.breakdown, m.breakdown[b]);
      if (ob == om.breakdown.size()) continue;
      for (const std::string& period : c.periods) {
        const std::size_t pb = index_of(bp, period), po = index_of(op, period);
        CompareRow row = make_row(bv.column(pb, b), ov.column(po, ob), opt);
        row.metric = m.name;
        row.breakdown = m.breakdown[b];
        row.period = period;
        c.rows.push_back(std::move(row));
      }
    }
  }
  add_finance_rows(base, other, c);
  return c;
}

namespace {

/// Decimals that show about four significant digits of `magnitude` (none from 1,000 up).
int decimals_for(double magnitude) {
  if (!(magnitude > 0) || !std::isfinite(magnitude)) return 0;
  return std::clamp(3 - static_cast<int>(std::floor(std::log10(magnitude))), 0, 6);
}

std::string num(double x, int decimals, bool sign = false) {
  if (std::isnan(x)) return "";
  if (x == 0) return "0";  // no "-0" or "+0"
  return sign ? fmt::format("{:+.{}f}", x, decimals) : fmt::format("{:.{}f}", x, decimals);
}

}  // namespace

std::string comparison_table(const Comparison& c) {
  std::string out = fmt::format("base:  {} ('{}', seed {}, {} replicates)\n", c.base_path,
                                c.base_scenario, c.base_seed, c.base_replicates);
  out += fmt::format("other: {} ('{}', seed {}, {} replicates)\n", c.other_path, c.other_scenario,
                     c.other_seed, c.other_replicates);
  out += fmt::format(
      "by {}; base, other: means across replicates\ndiff: {}, with its {:g}% Student-t "
      "interval (* = the interval excludes 0)\n\n",
      c.options.by == PeriodKind::kMonth ? "month" : "financial year",
      c.options.unpaired ? "mean(other) − mean(base), unpaired (Welch)"
                         : "mean over replicates i of other_i − base_i (paired)",
      100 * c.options.confidence);
  const std::vector<std::string> head = {"metric", "breakdown", "period",   "base",
                                         "other",  "diff",      "interval", "% change"};
  std::vector<std::vector<std::string>> cells;
  for (const CompareRow& r : c.rows) {
    const int dv = decimals_for(std::max(std::fabs(r.base), std::fabs(r.other)));
    const int dd = decimals_for(std::max({std::fabs(r.diff), std::fabs(r.lo), std::fabs(r.hi)}));
    const bool excludes0 = r.lo > 0 || r.hi < 0;
    std::string iv = std::isnan(r.lo) ? ""
                                      : "[" + num(r.lo, dd, true) + ", " + num(r.hi, dd, true) +
                                            "]" + (excludes0 ? "*" : " ");
    cells.push_back({r.metric, r.breakdown.empty() ? "total" : r.breakdown, r.period,
                     num(r.base, dv), num(r.other, dv), num(r.diff, dd, true), iv,
                     std::isnan(r.pct) ? "" : fmt::format("{:+.2f}%", r.pct)});
  }
  std::vector<std::size_t> width(head.size());
  for (std::size_t k = 0; k < head.size(); ++k) {
    width[k] = head[k].size();
    for (const auto& row : cells)
      width[k] = std::max(width[k], row[k].size());
  }
  auto line = [&](const std::vector<std::string>& row) {
    std::string s;
    for (std::size_t k = 0; k < row.size(); ++k) {
      const std::size_t pad = width[k] - row[k].size();
      s += k < 3 ? row[k] + std::string(pad, ' ') : std::string(pad, ' ') + row[k];
      s += k + 1 < row.size() ? "  " : "";
    }
    while (!s.empty() && s.back() == ' ')
      s.pop_back();
    return s + "\n";
  };
  out += line(head);
  for (const auto& row : cells)
    out += line(row);
  std::size_t name_width = 0;
  for (const std::string& m : c.metrics)
    name_width = std::max(name_width, m.size());
  out += "\nunits:\n";
  for (std::size_t m = 0; m < c.metrics.size(); ++m)
    out += fmt::format("  {:<{}}  {}\n", c.metrics[m], name_width, c.units[m]);
  return out;
}

std::string comparison_json(const Comparison& c) {
  JsonWriter w;
  auto file = [&](const char* k, const std::string& path, const std::string& scenario,
                  std::int64_t seed, std::size_t reps) {
    w.key(k).begin_object();
    w.key("file").value(path);
    w.key("scenario").value(scenario);
    w.key("seed").value(seed);
    w.key("replicates").value(static_cast<std::uint64_t>(reps));
    w.end_object();
  };
  auto strings = [&](const char* k, const std::vector<std::string>& v) {
    w.key(k).begin_array();
    for (const std::string& s : v)
      w.value(s);
    w.end_array();
  };
  const std::string by = std::string("by_") + period_name(c.options.by);
  w.begin_object();
  file("base", c.base_path, c.base_scenario, c.base_seed, c.base_replicates);
  file("other", c.other_path, c.other_scenario, c.other_seed, c.other_replicates);
  w.key("paired").value(!c.options.unpaired);
  w.key("interval")
      .value(fmt::format("{:g}% Student-t interval of {}", 100 * c.options.confidence,
                         c.options.unpaired
                             ? "mean(other) - mean(base) (Welch)"
                             : "the mean paired difference other - base across replicates"));
  w.key("pct").value("100 * diff / base (null when base is 0)");
  strings("periods", c.periods);
  w.key("dropped_periods").begin_object();
  strings("base_only", c.base_only_periods);
  strings("other_only", c.other_only_periods);
  w.end_object();
  strings("warnings", c.warnings);
  // Rows come grouped by metric, then total before each breakdown label, then period.
  auto group_end = [&](std::size_t i) {
    std::size_t j = i;
    while (j < c.rows.size() && c.rows[j].metric == c.rows[i].metric &&
           c.rows[j].breakdown == c.rows[i].breakdown)
      ++j;
    return j;
  };
  auto periods = [&](std::size_t i, std::size_t j) {
    w.key(by).begin_object();
    for (; i < j; ++i) {
      const CompareRow& r = c.rows[i];
      w.key(r.period).begin_object();
      for (auto [k, v] :
           {std::pair{"base", r.base}, std::pair{"other", r.other}, std::pair{"diff", r.diff},
            std::pair{"lo", r.lo}, std::pair{"hi", r.hi}, std::pair{"pct", r.pct}})
        w.key(k).value(v);
      w.end_object();
    }
    w.end_object();
  };
  w.key("metrics").begin_object();
  std::size_t i = 0;
  for (std::size_t m = 0; m < c.metrics.size(); ++m) {
    w.key(c.metrics[m]).begin_object();
    w.key("units").value(c.units[m]);
    const std::size_t j = group_end(i);
    periods(i, j);
    i = j;
    if (i < c.rows.size() && c.rows[i].metric == c.metrics[m]) {
      w.key("breakdown").begin_object();
      while (i < c.rows.size() && c.rows[i].metric == c.metrics[m]) {
        const std::size_t k = group_end(i);
        w.key(c.rows[i].breakdown).begin_object();
        periods(i, k);
        w.end_object();
        i = k;
      }
      w.end_object();
    }
    w.end_object();
  }
  w.end_object();
  w.end_object();
  return w.str() + "\n";
}

}  // namespace pitstop::output
