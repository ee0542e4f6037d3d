#include "output/summary_json.hpp"

#include "engine/stats.hpp"
#include "output/json.hpp"

namespace pitstop::output {
namespace {
void interval(JsonWriter& w, const engine::Interval& iv) {
  w.begin_object();
  w.key("mean").value(iv.mean);
  w.key("lo").value(iv.lo);
  w.key("hi").value(iv.hi);
  w.end_object();
}
}  // namespace

std::string summary_json(const RunDescription& d, const RunTotals& totals) {
  const engine::NetworkSummary summary = engine::summarize(d.services, totals.results());
  JsonWriter w;
  w.begin_object();
  w.key("tool").value("pitstop " + d.tool_version);
  w.key("scenario").value(d.scenario_name);
  w.key("start").value(d.start.iso());
  w.key("end").value(d.end().iso());
  w.key("horizon_days").value(d.horizon_days);
  w.key("warmup_days").value(d.warmup_days);
  w.key("seed").value(static_cast<std::uint64_t>(d.seed));
  w.key("replicates").value(static_cast<std::uint64_t>(totals.results().size()));
  w.key("interval").value("95% Student-t interval of the mean across replicates");
  w.key("services").begin_object();
  for (std::size_t i = 0; i < d.services.size(); ++i) {
    w.key(d.services[i]).begin_object();
    for (const std::string& stat : engine::service_stat_names()) {
      w.key(stat);
      interval(w, summary.stats[i].at(stat));
    }
    w.end_object();
  }
  w.end_object();
  // metrics.<name>.<FY> = {mean, lo, hi}; the units apart, so that every key under a metric is
  // a financial year. A ratio's mean is over the replicates where it is defined (null if none).
  const Periods& fy = totals.financial_years();
  w.key("metrics").begin_object();
  for (std::size_t m = 0; m < d.metrics.size(); ++m) {
    w.key(d.metrics[m].name).begin_object();
    for (std::size_t p = 0; p < fy.labels.size(); ++p) {
      w.key(fy.labels[p]);
      interval(w, engine::mean_interval(totals.fy_total(m, p)));
    }
    w.end_object();
  }
  w.end_object();
  w.key("metric_units").begin_object();
  for (const auto& metric : d.metrics) {
    w.key(metric.name);
    if (metric.rollup == Rollup::kRatio) {
      w.value(ratio_units(metric, "financial-year"));
    } else {
      w.value(metric.units + (metric.rollup == Rollup::kSum ? " (financial-year total)"
                                                            : " (financial-year mean)"));
    }
  }
  w.end_object();
  std::uint64_t events = 0;
  for (const auto& r : totals.results())
    events += r.events;
  w.key("events").value(events);
  w.end_object();
  return w.str() + "\n";
}

}  // namespace pitstop::output
