// `pitstop compare base.h5 other.h5`: paired differences between two runs, with intervals.
#include <fmt/core.h>

#include <memory>

#include "output/compare.hpp"
#include "tools/cli.hpp"

namespace pitstop::cli {
namespace {

int cmd_compare(const std::string& base_path, const std::string& other_path,
                const std::string& json, const std::string& by, bool breakdown, bool unpaired) {
  output::CompareOptions opt;
  opt.by = by == "month" ? output::PeriodKind::kMonth : output::PeriodKind::kFinancialYear;
  opt.breakdown = breakdown;
  opt.unpaired = unpaired;
  output::Comparison c;
  try {
    const output::ResultsReader base(base_path);
    const output::ResultsReader other(other_path);
    c = output::compare_results(base, other, opt);
  } catch (const output::ResultsError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return kExitInput;
  } catch (const output::NotComparable& e) {
    fmt::print(stderr, "error: cannot compare '{}' with '{}': {}\n", base_path, other_path,
               e.what());
    return kExitInput;
  }
  for (const std::string& w : c.warnings)
    fmt::print(stderr, "warning: {}\n", w);
  if (!json.empty()) write_text(json, output::comparison_json(c));
  if (json != "-") fmt::print("{}", output::comparison_table(c));
  return kExitOk;
}

}  // namespace

Command add_compare(CLI::App& app) {
  struct Options {
    std::string base, other, json, by = "financial_year";
    bool breakdown = false, unpaired = false;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "compare",
      "Compare two results files (from `pitstop run -o`): other − base per metric and period");
  cmd->footer(
      "For every metric (its total over the breakdown; with --breakdown also each label) and\n"
      "every period: the means of base and other across replicates, the mean paired difference\n"
      "other_i − base_i over replicates i with its 95% Student-t interval, and the % change\n"
      "(difference ÷ base mean; empty when the base mean is 0). Runs with the same seed share\n"
      "random numbers (common random numbers), so pairing by replicate removes most of the\n"
      "noise. Both files need the same replicate count and metrics; only periods in both files\n"
      "are compared (the others are named in a warning). Exit code 2 when the files cannot be\n"
      "read or compared.\n\n"
      "Example: pitstop compare baseline.h5 pitstop-2024.h5 --by month --json diff.json");
  cmd->add_option("base", o->base, "Results file of the baseline")->required()->type_name("FILE");
  cmd->add_option("other", o->other, "Results file of the scenario compared with it")
      ->required()
      ->type_name("FILE");
  cmd->add_option("--json", o->json,
                  "Also write the comparison as JSON to FILE (- = stdout, no table)")
      ->type_name("FILE");
  cmd->add_option("--by", o->by, "Periods: financial_year (April–March, default) or month")
      ->type_name("PERIOD")
      ->check(CLI::IsMember({"financial_year", "month"}));
  cmd->add_flag("--breakdown", o->breakdown,
                "Also compare each breakdown label (service, destination, ...) separately");
  cmd->add_flag("--unpaired", o->unpaired,
                "Independent runs (any replicate counts or seeds): Welch interval of the "
                "difference of means");
  return {cmd, [o] {
            return cmd_compare(o->base, o->other, o->json, o->by, o->breakdown, o->unpaired);
          }};
}

}  // namespace pitstop::cli
