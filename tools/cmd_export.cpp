// `pitstop export results.h5 --csv DIR`: tidy CSV tables of a results file for spreadsheets.
#include <fmt/core.h>

#include <memory>

#include "output/csv_export.hpp"
#include "output/sweep_file.hpp"
#include "tools/cli.hpp"

namespace pitstop::cli {
namespace {

int cmd_export(const std::string& file, const std::string& dir, bool daily) {
  std::vector<std::string> written;
  try {
    if (output::is_sweep_file(file)) {
      written = output::export_sweep_csv(file, dir);
    } else {
      const output::ResultsReader results(file);
      written = output::export_csv(results, dir, {.daily = daily});
    }
  } catch (const output::ResultsError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return kExitInput;
  }
  for (const std::string& w : written)
    fmt::print("wrote {}\n", w);
  return kExitOk;
}

}  // namespace

Command add_export(CLI::App& app) {
  struct Options {
    std::string file, dir;
    bool daily = false;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "export", "Export a results file (from `pitstop run -o`) as CSV tables for spreadsheets");
  cmd->footer(
      "Writes into DIR (created if missing), one observation per row, with a header row:\n"
      "  summary_by_month.csv, summary_by_financial_year.csv\n"
      "      metric, units, breakdown, period, mean, p5, p50, p95 (across replicates)\n"
      "  replicate_totals.csv  replicate, metric, breakdown, financial_year, value\n"
      "  services.csv          service, stat, mean, lo, hi, p5, p50, p95 (lo/hi: 95% interval)\n"
      "  daily.csv             replicate, date, metric, breakdown, value (only with --daily)\n"
      "A sweep file (from `pitstop sweep -o`) gives one table instead:\n"
      "  sweep.csv             point, replicate, financial_year, <each parameter>, metric, units,\n"
      "                        value\n"
      "RFC 4180 CSV, UTF-8 without BOM, ISO dates; each file is written completely or not at "
      "all.\n\nExample: pitstop export results.h5 --csv results-csv");
  cmd->add_option("results", o->file,
                  "Results file (HDF5) written by `pitstop run -o` or `pitstop sweep -o`")
      ->required()
      ->type_name("FILE");
  cmd->add_option("--csv", o->dir, "Folder to write the CSV files into")
      ->required()
      ->type_name("DIR");
  cmd->add_flag("--daily", o->daily,
                "Also write daily.csv: every replicate's daily series (can be large)");
  return {cmd, [o] { return cmd_export(o->file, o->dir, o->daily); }};
}

}  // namespace pitstop::cli
