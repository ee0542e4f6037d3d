"""Reads a pitstop results file (see docs/output.md) into plain arrays for the report, and the
statistics across replicates that the report shows: percentiles, means, paired differences."""
import calendar
import dataclasses
import datetime
import math
import os
import warnings

import numpy as np

try:
    import h5py
except ImportError as e:  # pragma: no cover - depends on the interpreter
    raise SystemExit(f"error: report.py needs h5py ({e}); use Debian's /usr/bin/python3 "
                     "or set PITSTOP_PYTHON") from e


class InputError(Exception):
    """A file that is missing, unreadable or not a pitstop results file (exit code 2)."""


@dataclasses.dataclass
class Periods:
    """Period labels (months or financial years) with their observed and calendar days."""
    labels: list
    observed_days: list
    full_days: list

    def is_full(self, i):
        """True when period i was observed on every one of its calendar days."""
        return self.observed_days[i] >= self.full_days[i]


@dataclasses.dataclass
class Metric:
    """One /series metric: its attributes and its per-replicate monthly and yearly values.

    A ratio metric (rollup "ratio", a share) has the names of its numerator and denominator
    (two "sum" metrics with the same breakdown), and `parts` holds their period totals:
    {"month": (numerator, denominator), "fy": (…)}, each (replicate, period, label). Its by_month
    and by_fy are numerator ÷ denominator of those totals, NaN where the denominator is 0."""
    name: str
    units: str
    description: str
    rollup: str          # "sum", "mean" or "ratio": how days combine into a period
    breakdown: str       # what the last dimension is (e.g. "service")
    labels: list         # breakdown labels
    by_month: np.ndarray  # (replicate, month, label)
    by_fy: np.ndarray     # (replicate, financial year, label)
    numerator: str = ""
    denominator: str = ""
    parts: dict = dataclasses.field(default_factory=dict)

    @property
    def is_ratio(self):
        return self.rollup == "ratio"


@dataclasses.dataclass
class Results:
    """Everything the report reads from one results file."""
    path: str
    meta: dict
    scenario_yaml: str
    months: Periods
    fys: Periods
    metrics: dict         # name -> Metric, in file order
    services: list
    service_stats: dict   # stat -> (per_replicate (R, S), across dict name -> (S,))
    pit_stops: list = dataclasses.field(default_factory=list)  # [(date, name, why)] by date

    @property
    def name(self):
        return str(self.meta.get("scenario", os.path.basename(self.path)))

    @property
    def replicates(self):
        return int(self.meta.get("replicates", 0))


def _strings(dataset):
    """A string dataset as a list of str."""
    return [s.decode() if isinstance(s, bytes) else str(s) for s in dataset[()]]


def _attr(obj, key, default=""):
    """An attribute as a plain Python value (str for strings)."""
    v = obj.attrs.get(key, default)
    if isinstance(v, bytes):
        return v.decode()
    if isinstance(v, np.generic):
        return v.item()
    return v


def _fy_label(d):
    """The financial year (April–March) of date d, e.g. '2019/20'."""
    y = d.year if d.month >= 4 else d.year - 1
    return f"{y}/{(y + 1) % 100:02d}"


def _full_days(label):
    """Calendar days in a period labelled 'YYYY-MM' or 'YYYY/YY'."""
    if "/" in label:
        y = int(label[:4])
        return (datetime.date(y + 1, 4, 1) - datetime.date(y, 4, 1)).days
    y, m = int(label[:4]), int(label[5:7])
    return calendar.monthrange(y, m)[1]


def _periods(f, scale, key):
    """The periods of /scales/<scale>, counting observed days (from first_observed_date on)."""
    labels = _strings(f["scales"][scale])
    first = _attr(f["meta"], "first_observed_date", "") or _attr(f["meta"], "start_date")
    counts = dict.fromkeys(labels, 0)
    for iso in _strings(f["scales/day"]):
        if iso >= first:
            label = key(datetime.date.fromisoformat(iso))
            if label in counts:
                counts[label] += 1
    return Periods(labels, [counts[p] for p in labels], [_full_days(p) for p in labels])


def ratio(numerator, denominator):
    """numerator ÷ denominator elementwise, NaN where the denominator is 0."""
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    out = np.full(np.broadcast(numerator, denominator).shape, math.nan)
    np.divide(numerator, denominator, out=out, where=denominator != 0)
    return out


def _metric(f, name):
    """Reads /series/<name> attributes and its monthly and yearly per-replicate summaries. A
    ratio's summaries are computed from its numerator's and denominator's period totals (sums of
    their daily series), not from its own daily values."""
    ds = f["series"][name]
    breakdown = _attr(ds, "breakdown")
    scale = breakdown.replace("->", "_to_")
    labels = _strings(f["scales"][scale]) if scale in f["scales"] else \
        [str(i) for i in range(ds.shape[2])]
    summary = f["summary"]
    rollup = _attr(ds, "rollup", "sum")
    if rollup != "ratio":
        return Metric(name=name, units=_attr(ds, "units"), description=_attr(ds, "description"),
                      rollup=rollup, breakdown=breakdown, labels=labels,
                      by_month=summary["by_month"][name]["per_replicate"][()],
                      by_fy=summary["by_financial_year"][name]["per_replicate"][()])
    numerator, denominator = _attr(ds, "numerator"), _attr(ds, "denominator")
    for part in (numerator, denominator):
        if not part or part not in f["series"] or \
                _attr(f["series"][part], "rollup", "sum") != "sum":
            raise KeyError(f"ratio {name}: its part '{part}' is not a sum metric of the file")
    parts = {key: (summary[group][numerator]["per_replicate"][()],
                   summary[group][denominator]["per_replicate"][()])
             for key, group in (("month", "by_month"), ("fy", "by_financial_year"))}
    return Metric(name=name, units=_attr(ds, "units"), description=_attr(ds, "description"),
                  rollup=rollup, breakdown=breakdown, labels=labels,
                  by_month=ratio(*parts["month"]), by_fy=ratio(*parts["fy"]),
                  numerator=numerator, denominator=denominator, parts=parts)


def _service_stats(f):
    """/summary/services: stat -> (per_replicate (R, S), {mean, lo, hi, p5, p50, p95} -> (S,))."""
    if "services" not in f["summary"]:
        return {}
    names = _strings(f["scales/service_stat"])
    out = {}
    for stat, g in f["summary/services"].items():
        across = g["across"][()]
        out[stat] = (g["per_replicate"][()], {n: across[i] for i, n in enumerate(names)})
    return out


def _open(path):
    """Opens path as HDF5, or raises InputError saying why it cannot."""
    if not os.path.exists(path):
        raise InputError(f"'{path}': no such file")
    if os.path.isdir(path):
        raise InputError(f"'{path}' is a directory, not a results file")
    try:
        return h5py.File(path, "r")
    except OSError as e:
        raise InputError(f"'{path}' is not an HDF5 file ({e})") from e


def _check_pitstop(f, path):
    """Raises InputError unless f has the groups and attributes of a pitstop results file."""
    missing = [g for g in ("meta", "scales", "series", "summary") if g not in f]
    if missing or _attr(f["meta"], "tool") != "pitstop":
        raise InputError(f"'{path}' is not a pitstop results file (expected /meta@tool = "
                         f"'pitstop' and groups /meta, /scales, /series, /summary; "
                         f"missing: {', '.join(missing) or '/meta@tool'})")


def _pit_stops(f):
    """The scenario's pit stops as (date, name, why), from /meta (absent: none)."""
    meta = f["meta"]
    if "pit_stop_dates" not in meta:
        return []
    dates = [datetime.date.fromisoformat(d) for d in _strings(meta["pit_stop_dates"])]
    return list(zip(dates, _strings(meta["pit_stop_names"]), _strings(meta["pit_stop_whys"])))


def load(path):
    """Reads the results file at path; raises InputError when it is not one."""
    with _open(path) as f:
        _check_pitstop(f, path)
        try:
            meta = {k: _attr(f["meta"], k) for k in f["meta"].attrs}
            yaml = _strings(f["meta/scenario_yaml"])[0] if "scenario_yaml" in f["meta"] else ""
            return Results(path=path, meta=meta, scenario_yaml=yaml,
                           months=_periods(f, "month", lambda d: d.strftime("%Y-%m")),
                           fys=_periods(f, "financial_year", _fy_label),
                           metrics={m: _metric(f, m) for m in f["series"]},
                           services=_strings(f["scales/service"]) if "service" in f["scales"]
                           else [],
                           service_stats=_service_stats(f),
                           pit_stops=_pit_stops(f))
        except KeyError as e:
            raise InputError(f"'{path}' is an incomplete pitstop results file ({e})") from e


# --- statistics across replicates ---------------------------------------------------------

# Student t 0.975 quantiles for 1..30 degrees of freedom (then the Cornish–Fisher expansion).
_T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
         2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
         2.060, 2.056, 2.052, 2.048, 2.045, 2.042]


def t975(df):
    """The 0.975 quantile of Student's t with df degrees of freedom (df ≥ 1)."""
    if df <= len(_T975):
        return _T975[df - 1]
    z = 1.959964
    return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2)


def band(values):
    """(p5, p50, p95) across replicates (axis 0), interpolating linearly (type 7); NaN values
    (a ratio whose denominator is 0) are left out, and a column of NaNs gives NaN."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns
        p5, p50, p95 = np.nanpercentile(np.asarray(values, dtype=float), [5, 50, 95], axis=0)
    return p5, p50, p95


def mean(values):
    """Mean across replicates (axis 0) of the values that are not NaN; NaN when none is."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(np.asarray(values, dtype=float), axis=0)


def mean_interval(values):
    """(mean, lo, hi): mean across replicates (axis 0) with its 95% Student-t interval,
    leaving out NaN values (the interval is NaN where fewer than two remain)."""
    values = np.asarray(values, dtype=float)
    n = (~np.isnan(values)).sum(axis=0)
    m = mean(values)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        sd = np.nanstd(values, axis=0, ddof=1)
    t = np.vectorize(lambda k: t975(int(k) - 1) if k >= 2 else math.nan, otypes=[float])(n)
    half = t * sd / np.sqrt(np.maximum(n, 1))
    return m, m - half, m + half


def totals(per_replicate):
    """A (replicate, period, label) array summed over its labels: (replicate, period)."""
    return per_replicate.sum(axis=2)


def metric_totals(metric, period="month"):
    """A metric's (replicate, period) values over its whole breakdown, period "month" or "fy":
    the sum over the labels, or for a ratio its numerator's sum over the labels ÷ its
    denominator's (NaN where that is 0)."""
    if metric.is_ratio:
        numerator, denominator = metric.parts[period]
        return ratio(totals(numerator), totals(denominator))
    return totals(metric.by_month if period == "month" else metric.by_fy)


def aligned(values, labels, wanted):
    """Columns (axis 1) of values for each label in wanted; NaN where a label is missing."""
    index = {p: i for i, p in enumerate(labels)}
    out = np.full((values.shape[0], len(wanted)), math.nan)
    for j, p in enumerate(wanted):
        if p in index:
            out[:, j] = values[:, index[p]]
    return out


def pairable(scenario, baseline):
    """True when replicate i of one run pairs with replicate i of the other: the same seed (so
    common random numbers) and the same replicate count."""
    return (scenario.meta.get("seed") == baseline.meta.get("seed")
            and scenario.replicates == baseline.replicates)


def difference(scenario, baseline, paired):
    """Scenario − baseline per column (axis 1): (mean, lo, hi) with a 95% interval. Paired:
    the mean of the differences of replicate i and i; else a Welch interval of the means."""
    scenario, baseline = np.asarray(scenario, float), np.asarray(baseline, float)
    if paired:
        return mean_interval(scenario - baseline)  # a NaN on either side drops the pair
    ns, nb = (~np.isnan(scenario)).sum(axis=0), (~np.isnan(baseline)).sum(axis=0)
    diff = mean(scenario) - mean(baseline)
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        vs = np.nanvar(scenario, axis=0, ddof=1) / ns
        vb = np.nanvar(baseline, axis=0, ddof=1) / nb
        se = np.sqrt(vs + vb)
        df = (vs + vb) ** 2 / (vs ** 2 / (ns - 1) + vb ** 2 / (nb - 1))
    t = np.array([t975(max(1, int(d))) if np.isfinite(d) else 1.96 for d in np.atleast_1d(df)])
    few = (np.atleast_1d(ns) < 2) | (np.atleast_1d(nb) < 2)
    se = np.where(few, math.nan, se)
    return diff, diff - t * se, diff + t * se


def fy_comparison(scenario, baseline, name):
    """Metric `name`'s yearly totals in both runs, on the scenario's financial years:
    (scenario (R, FY), baseline (R', FY) with NaN for a year it lacks, (mean, lo, hi) of
    scenario − baseline by difference(), and whether the replicates were paired)."""
    s = metric_totals(scenario.metrics[name], "fy")
    b = aligned(metric_totals(baseline.metrics[name], "fy"), baseline.fys.labels,
                scenario.fys.labels)
    paired = pairable(scenario, baseline)
    return s, b, difference(s, b, paired), paired


def excludes_zero(lo, hi):
    """True when the interval [lo, hi] is known and lies wholly above or below zero."""
    return not np.isnan(lo) and (lo > 0 or hi < 0)


def change(diff, base):
    """A difference as a fraction of the baseline value (NaN when that is 0)."""
    return diff / base if base else float("nan")
