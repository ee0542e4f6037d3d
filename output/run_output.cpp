#include "output/run_output.hpp"

#include <cmath>

namespace pitstop::output {

std::size_t RunDescription::days() const {
  return static_cast<std::size_t>(std::floor(horizon_days));
}

std::size_t RunDescription::first_observed_day() const {
  return static_cast<std::size_t>(std::ceil(warmup_days));
}

models::Date RunDescription::end() const {
  return models::Date{start.days + static_cast<long>(days()) - 1};
}

RunTotals::RunTotals(const RunDescription& d)
    : d_(&d),
      fys_(financial_year_periods(d.start, d.days(), d.first_observed_day())),
      parts_(resolve_ratios(d.metrics)) {
  fy_.assign(d.metrics.size(), std::vector<std::vector<double>>(fys_.labels.size()));
}

void RunTotals::add(const ReplicateOutput& out) {
  for (std::size_t m = 0; m < d_->metrics.size(); ++m) {
    const MetricDef& def = d_->metrics[m];
    const std::size_t b = def.breakdown.size(), p_count = fys_.labels.size();
    std::vector<double> totals;
    if (def.rollup == Rollup::kRatio) {
      const auto sum = [&](std::size_t part) {
        return roll_up(out.series.values[part], b, Rollup::kSum, fys_);
      };
      const std::vector<double> below = sum(parts_[m].denominator);
      totals = period_totals(sum(parts_[m].numerator), p_count, b, &below);
    } else {
      totals = period_totals(roll_up(out.series.values[m], b, def.rollup, fys_), p_count, b);
    }
    for (std::size_t p = 0; p < p_count; ++p)
      fy_[m][p].push_back(totals[p]);
  }
  results_.push_back(out.result);
}

}  // namespace pitstop::output
