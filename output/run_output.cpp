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
    : d_(&d), fys_(financial_year_periods(d.start, d.days(), d.first_observed_day())) {
  fy_.assign(d.metrics.size(), std::vector<std::vector<double>>(fys_.labels.size()));
}

void RunTotals::add(const ReplicateOutput& out) {
  for (std::size_t m = 0; m < d_->metrics.size(); ++m) {
    const MetricDef& def = d_->metrics[m];
    const std::size_t b = def.breakdown.size();
    const std::vector<double> by_fy = roll_up(out.series.values[m], b, def.rollup, fys_);
    for (std::size_t p = 0; p < fys_.labels.size(); ++p) {
      double total = 0;
      for (std::size_t k = 0; k < b; ++k)
        total += by_fy[p * b + k];
      fy_[m][p].push_back(total);
    }
  }
  results_.push_back(out.result);
}

}  // namespace pitstop::output
