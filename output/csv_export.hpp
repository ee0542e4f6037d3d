// CSV export of a results file (`pitstop export --csv DIR`): tidy tables, one observation per
// row, that a spreadsheet opens directly (RFC 4180, UTF-8 without BOM, '\n' line ends).
#pragma once

#include <string>
#include <vector>

#include "output/results_reader.hpp"

namespace pitstop::output {

/// What to export besides the summary tables.
struct CsvOptions {
  bool daily = false;  // also daily.csv: every replicate's daily series (large)
};

/// Writes summary_by_month.csv, summary_by_financial_year.csv, replicate_totals.csv,
/// services.csv (and daily.csv) into `dir`, creating it if missing. Each file is written to a
/// temporary and renamed into place. Returns the paths written.
std::vector<std::string> export_csv(const ResultsReader& results, const std::string& dir,
                                    const CsvOptions& options);

/// A sweep file's results as one tidy table, `sweep.csv` in `dir`: point, replicate,
/// financial_year, each parameter's value (a column each), metric, units, value.
std::vector<std::string> export_sweep_csv(const std::string& file, const std::string& dir);

/// One RFC 4180 field: quoted (with quotes doubled) when it holds a comma, quote, CR or LF.
std::string csv_field(const std::string& s);

/// A number that reads back to the same double (shortest form, no exponent for ordinary
/// magnitudes); empty for NaN or infinity.
std::string csv_number(double x);

}  // namespace pitstop::output
