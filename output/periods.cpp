#include "output/periods.hpp"

#include <fmt/core.h>

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

std::vector<double> roll_up(const std::vector<double>& daily, std::size_t breakdown, Rollup rollup,
                            const Periods& periods) {
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

}  // namespace pitstop::output
