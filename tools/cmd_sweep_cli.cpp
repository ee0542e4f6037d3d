// The `pitstop sweep` command line: run a sweep (locally, or under MPI when built with it and
// started by mpirun/srun) and `pitstop sweep analyse`.
#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>

#include "engine/design.hpp"
#include "output/json.hpp"
#include "output/sensitivity.hpp"
#include "output/sweep_file.hpp"
#include "tools/cli.hpp"
#include "tools/sweep_mpi.hpp"
#include "tools/sweep_plan.hpp"

namespace pitstop::cli {
namespace {

/// Each point's mean across replicates of output `o` in year `y`.
std::vector<double> point_means(const output::SweepResults& s, std::size_t o, std::size_t y) {
  std::vector<double> f(s.points);
  for (std::size_t p = 0; p < s.points; ++p) {
    double sum = 0;
    for (std::size_t r = 0; r < s.replicates; ++r)
      sum += s.value(p, r, o, y);
    f[p] = sum / s.replicates;
  }
  return f;
}

/// Ranks (1-based, ties averaged).
std::vector<double> ranks(const std::vector<double>& x) {
  std::vector<std::size_t> order(x.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return x[a] < x[b]; });
  std::vector<double> r(x.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && x[order[j + 1]] == x[order[i]])
      ++j;
    for (std::size_t t = i; t <= j; ++t)
      r[order[t]] = (static_cast<double>(i + j) / 2) + 1;
    i = j + 1;
  }
  return r;
}

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
  const double n = static_cast<double>(a.size());
  const double ma = std::accumulate(a.begin(), a.end(), 0.0) / n;
  const double mb = std::accumulate(b.begin(), b.end(), 0.0) / n;
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : NAN;
}

/// One parameter's bins: its distinct values when there are few, else fifths of its range.
struct Bin {
  double lo, hi;
  std::size_t points = 0;
  double mean = 0;
};

std::vector<Bin> bins_of(const std::vector<double>& x, const std::vector<double>& f) {
  std::vector<double> distinct = x;
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  std::vector<Bin> bins;
  if (distinct.size() <= 6) {  // each value its own bin
    for (double v : distinct)
      bins.push_back({v, v});
  } else {
    const double lo = distinct.front(), hi = distinct.back();
    for (int b = 0; b < 5; ++b)
      bins.push_back({lo + (hi - lo) * b / 5, lo + (hi - lo) * (b + 1) / 5});
  }
  const bool by_value = distinct.size() <= 6;
  for (std::size_t i = 0; i < x.size(); ++i) {
    std::size_t b = 0;
    if (by_value) {
      b = static_cast<std::size_t>(std::lower_bound(distinct.begin(), distinct.end(), x[i]) -
                                   distinct.begin());
    } else {
      const double width = (distinct.back() - distinct.front()) / 5;
      b = std::min<std::size_t>(4, static_cast<std::size_t>((x[i] - distinct.front()) / width));
    }
    bins[b].mean += f[i];
    ++bins[b].points;
  }
  for (Bin& b : bins)
    b.mean = b.points > 0 ? b.mean / static_cast<double>(b.points) : NAN;
  return bins;
}

int cmd_analyse(const std::string& file, const std::string& year, std::size_t resamples,
                std::uint64_t seed, const std::string& json) {
  output::SweepResults s;
  try {
    s = output::read_sweep_file(file);
  } catch (const std::exception& e) {
    throw models::InputError(file, 0, 0, "", e.what());
  }
  if (s.financial_years.empty()) throw models::InputError(file, 0, 0, "", "no financial years");
  // By default the last financial year observed whole (else the last one).
  std::string fy = year;
  if (fy.empty()) {
    fy = s.financial_years.back();
    for (std::size_t i = s.financial_years.size(); i-- > 0;) {
      if (i < s.financial_year_days.size() && s.financial_year_days[i] >= 365) {
        fy = s.financial_years[i];
        break;
      }
    }
  }
  const auto it = std::find(s.financial_years.begin(), s.financial_years.end(), fy);
  if (it == s.financial_years.end()) {
    std::string all;
    for (const auto& f : s.financial_years)
      all += (all.empty() ? "" : ", ") + f;
    throw models::InputError(file, 0, 0, "--year",
                             "no financial year " + fy + " (the sweep has " + all + ")");
  }
  const auto y = static_cast<std::size_t>(it - s.financial_years.begin());
  const std::size_t k = s.parameters.size();
  const bool sobol = s.design_name == "sobol";
  output::JsonWriter w;
  w.begin_object().key("file").value(file).key("design").value(s.design_name).key("year").value(fy);
  w.key("points")
      .value(static_cast<std::uint64_t>(s.points))
      .key("replicates")
      .value(static_cast<std::uint64_t>(s.replicates));
  w.key("outputs").begin_object();
  fmt::print(
      "sweep {} ({} design, {} points × {} replicates); each point's mean over its "
      "replicates in {}\n",
      file, s.design_name, s.points, s.replicates, fy);
  for (std::size_t o = 0; o < s.outputs.size(); ++o) {
    const std::vector<double> f = point_means(s, o, y);
    w.key(s.outputs[o]).begin_object();
    fmt::print("\n{} ({})\n", s.outputs[o], s.output_units[o]);
    if (sobol) {
      const std::size_t n = s.base_points;
      std::vector<double> fa(f.begin(), f.begin() + static_cast<std::ptrdiff_t>(n));
      std::vector<double> fb(f.begin() + static_cast<std::ptrdiff_t>(n),
                             f.begin() + static_cast<std::ptrdiff_t>(2 * n));
      std::vector<std::vector<double>> fab(k);
      for (std::size_t i = 0; i < k; ++i)
        fab[i].assign(f.begin() + static_cast<std::ptrdiff_t>((2 + i) * n),
                      f.begin() + static_cast<std::ptrdiff_t>((3 + i) * n));
      output::SobolOptions opt;
      opt.resamples = resamples;
      opt.seed = seed;
      const auto idx = output::sobol_indices(fa, fb, fab, opt);
      fmt::print(
          "  Sobol indices (first order: Saltelli 2010; total: Jansen 1999; {} base points; "
          "95% bootstrap intervals, {} resamples)\n",
          n, resamples);
      fmt::print("  {:<48} {:>26} {:>26}\n", "parameter", "first order", "total");
      w.key("sobol").begin_object();
      for (std::size_t i = 0; i < k; ++i) {
        fmt::print(
            "  {:<48} {:>26} {:>26}\n", s.parameters[i],
            fmt::format("{:.3f} [{:.3f}, {:.3f}]", idx[i].first, idx[i].first_lo, idx[i].first_hi),
            fmt::format("{:.3f} [{:.3f}, {:.3f}]", idx[i].total, idx[i].total_lo, idx[i].total_hi));
        w.key(s.parameters[i]).begin_object();
        w.key("first")
            .value(idx[i].first)
            .key("first_lo")
            .value(idx[i].first_lo)
            .key("first_hi")
            .value(idx[i].first_hi);
        w.key("total")
            .value(idx[i].total)
            .key("total_lo")
            .value(idx[i].total_lo)
            .key("total_hi")
            .value(idx[i].total_hi);
        w.end_object();
      }
      w.end_object();
    }
    w.key("effects").begin_object();
    for (std::size_t i = 0; i < k; ++i) {
      std::vector<double> x(s.points);
      for (std::size_t p = 0; p < s.points; ++p)
        x[p] = s.design[p * k + i];
      const double rho = pearson(ranks(x), ranks(f));
      fmt::print("  against {} ({}): Spearman rank correlation {:+.3f}\n", s.parameters[i],
                 s.units[i].empty() ? "no unit" : s.units[i], rho);
      w.key(s.parameters[i]).begin_object().key("spearman").value(rho).key("bins").begin_array();
      for (const Bin& b : bins_of(x, f)) {
        const std::string range =
            b.lo == b.hi ? fmt::format("{:g}", b.lo) : fmt::format("{:g} – {:g}", b.lo, b.hi);
        fmt::print("    {:<28} {:>6} points   mean {:.6g}\n", range, b.points, b.mean);
        w.begin_object()
            .key("lo")
            .value(b.lo)
            .key("hi")
            .value(b.hi)
            .key("points")
            .value(static_cast<std::uint64_t>(b.points))
            .key("mean")
            .value(b.mean)
            .end_object();
      }
      w.end_array().end_object();
    }
    w.end_object().end_object();
  }
  w.end_object().end_object();
  if (!json.empty()) write_text(json, w.str() + "\n");
  return kExitOk;
}

}  // namespace

Command add_sweep(CLI::App& app) {
  struct Options {
    std::string file, out, h5, year, json;
    int threads = 0;
    bool quiet = false;
    std::size_t resamples = 1000;
    std::uint64_t seed = 1;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "sweep", "Run a parameter sweep (design points × replicates) and write one HDF5 file");
  cmd->add_option("sweep", o->file, "Sweep YAML file (see scenarios/README.md \"Sweeps\")")
      ->type_name("FILE");
  cmd->add_option("-o,--output", o->out, "Results file (HDF5); a killed sweep resumes from it")
      ->type_name("FILE");
  cmd->add_option("-t,--threads", o->threads, "Worker threads per process (0 = all cores)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("-q,--quiet", o->quiet, "No progress");
  cmd->footer(
      "Runs every (point, replicate) of the sweep's design on all cores; under mpirun or srun\n"
      "(a build with PITSTOP_MPI) ranks take points as they free up and rank 0 writes the file.\n"
      "Finished points go to OUTPUT.journal as they finish: the same command after a kill\n"
      "runs only the missing points (a changed sweep file is refused). Exit codes: 0 done,\n"
      "1 failure, 2 bad input.\n\n"
      "Example: pitstop sweep scenarios/sweeps/crt-capacity.yaml -o crt.h5\n"
      "         pitstop sweep analyse crt.h5");
  auto* analyse = cmd->add_subcommand(
      "analyse", "Sobol indices (sobol designs) and each output against each parameter");
  analyse->add_option("results", o->h5, "Sweep results file (HDF5)")->required()->type_name("FILE");
  analyse->add_option("--year", o->year,
                      "Financial year to analyse, e.g. 2025/26 (default: the last)");
  analyse->add_option("--resamples", o->resamples,
                      "Bootstrap resamples for the intervals (default 1000)");
  analyse->add_option("--seed", o->seed, "Seed of the bootstrap (default 1)");
  analyse->add_option("--json", o->json, "Also write the analysis as JSON to FILE (- = stdout)");
  return {cmd, [o, cmd, analyse] {
            if (analyse->parsed())
              return cmd_analyse(o->h5, o->year, o->resamples, o->seed, o->json);
            if (o->file.empty() || o->out.empty()) {
              fmt::print(stderr,
                         "error: pitstop sweep needs a sweep file and -o RESULTS.h5 (see "
                         "pitstop sweep --help)\n");
              return kExitInput;
            }
            (void)cmd;
            return run_sweep(o->file, o->out, o->threads, o->quiet);
          }};
}

}  // namespace pitstop::cli
