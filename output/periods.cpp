#include "output/periods.hpp"

#include <fmt/core.h>

#include <stdexcept>

namespace pitstop::output {
namespace {

template <class LabelOf>
Periods make_periods(std::string name, models::Date start, std::size_t days,
                     std::size_t first_observed, LabelOf label_of) {
  Periods p;
  p.name = std::move(name);
  p.period_of_day.assign(days, -1);
  for (std::size_t d = first_observed; d < days; ++d) {
    const std::string label = label_of(models::Date{start.days + static_cast<long>(d)});
    if (p.labels.empty() || p.labels.back() != label) {
      p.labels.push_back(label);
      p.days_in.push_back(0);
    }
    p.period_of_day[d] = static_cast<long>(p.labels.size() - 1);
    ++p.days_in.back();
  }
  return p;
}

}  // namespace

Periods month_periods(models::Date start, std::size_t days, std::size_t first_observed) {
  return make_periods("month", start, days, first_observed, [](models::Date d) {
    int y, m, day;
    d.to_ymd(y, m, day);
    return fmt::format("{:04d}-{:02d}", y, m);
  });
}

Periods financial_year_periods(models::Date start, std::size_t days, std::size_t first_observed) {
  return make_periods("financial_year", start, days, first_observed, [](models::Date d) {
    const int fy = d.financial_year();
    return fmt::format("{:04d}/{:02d}", fy, (fy + 1) % 100);
  });
}

const char* rollup_name(Rollup rollup) {
  switch (rollup) {
    case Rollup::kSum:
      return "sum";
    case Rollup::kMean:
      return "mean";
    case Rollup::kRatio:
      return "ratio";
  }
  return "sum";
}

std::string ratio_units(const MetricDef& m, const std::string& period) {
  const std::string parts =
      period + " total of " + m.numerator + " / " + period + " total of " + m.denominator;
  if (m.units.empty() || m.units == "share") return "share (" + parts + ")";
  return m.units + " (share: " + parts + ")";
}

std::vector<double> roll_up(const std::vector<double>& daily, std::size_t breakdown, Rollup rollup,
                            const Periods& periods) {
  if (rollup == Rollup::kRatio)
    throw std::logic_error("roll_up: a ratio metric rolls up from its numerator and denominator");
  std::vector<double> out(periods.labels.size() * breakdown, 0.0);
  const std::size_t days = periods.period_of_day.size();
  for (std::size_t d = 0; d < days; ++d) {
    const long p = periods.period_of_day[d];
    if (p < 0) continue;
    const double* row = daily.data() + d * breakdown;
    double* dst = out.data() + static_cast<std::size_t>(p) * breakdown;
    for (std::size_t b = 0; b < breakdown; ++b)
      dst[b] += row[b];
  }
  if (rollup == Rollup::kMean) {
    for (std::size_t p = 0; p < periods.labels.size(); ++p) {
      const auto n = static_cast<double>(periods.days_in[p]);
      for (std::size_t b = 0; b < breakdown; ++b)
        out[p * breakdown + b] /= n;
    }
  }
  return out;
}

std::vector<double> roll_up_ratio(const std::vector<double>& numerator_daily,
                                  const std::vector<double>& denominator_daily,
                                  std::size_t breakdown, const Periods& periods) {
  std::vector<double> out = roll_up(numerator_daily, breakdown, Rollup::kSum, periods);
  const std::vector<double> below = roll_up(denominator_daily, breakdown, Rollup::kSum, periods);
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = below[i] != 0 ? out[i] / below[i] : std::numeric_limits<double>::quiet_NaN();
  return out;
}

std::vector<RatioParts> resolve_ratios(const std::vector<MetricDef>& metrics) {
  std::vector<RatioParts> parts(metrics.size());
  auto find = [&](const MetricDef& ratio, const std::string& role, const std::string& name) {
    const std::string what = "ratio metric '" + ratio.name + "': its " + role;
    if (name.empty()) throw std::logic_error(what + " is not named (a schema bug)");
    std::size_t i = 0;
    while (i < metrics.size() && metrics[i].name != name)
      ++i;
    if (i == metrics.size())
      throw std::logic_error(what + " '" + name + "' is not a metric of the run (a schema bug)");
    const MetricDef& part = metrics[i];
    if (part.rollup != Rollup::kSum) {
      throw std::logic_error(what + " '" + name +
                             "' must be a sum metric (rollup sum), not a mean or a ratio "
                             "(a schema bug)");
    }
    if (part.breakdown_name != ratio.breakdown_name || part.breakdown != ratio.breakdown) {
      throw std::logic_error(what + " '" + name + "' is broken down by '" + part.breakdown_name +
                             "' with other labels than the ratio's '" + ratio.breakdown_name +
                             "'; they must match (a schema bug)");
    }
    return i;
  };
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    const MetricDef& def = metrics[m];
    if (def.rollup != Rollup::kRatio) continue;
    parts[m].numerator = find(def, "numerator", def.numerator);
    parts[m].denominator = find(def, "denominator", def.denominator);
  }
  return parts;
}

std::vector<double> roll_up_metric(const SeriesSet& series, const std::vector<MetricDef>& metrics,
                                   const std::vector<RatioParts>& parts, std::size_t m,
                                   const Periods& periods) {
  const MetricDef& def = metrics[m];
  const std::size_t b = def.breakdown.size();
  if (def.rollup != Rollup::kRatio) return roll_up(series.values[m], b, def.rollup, periods);
  return roll_up_ratio(series.values[parts[m].numerator], series.values[parts[m].denominator], b,
                       periods);
}

std::vector<double> period_totals(const std::vector<double>& values, std::size_t periods,
                                  std::size_t breakdown, const std::vector<double>* denominator) {
  std::vector<double> out(periods, 0.0);
  for (std::size_t p = 0; p < periods; ++p) {
    double top = 0, below = 0;
    for (std::size_t b = 0; b < breakdown; ++b) {
      top += values[p * breakdown + b];
      if (denominator != nullptr) below += (*denominator)[p * breakdown + b];
    }
    out[p] = denominator == nullptr ? top
             : below != 0           ? top / below
                                    : std::numeric_limits<double>::quiet_NaN();
  }
  return out;
}

}  // namespace pitstop::output
