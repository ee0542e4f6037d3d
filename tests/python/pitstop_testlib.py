"""Shared helpers for the Python tests: where the binary is, a scratch folder, running pitstop."""
import os
import subprocess
import sys

BIN = os.environ.get("PITSTOP_BIN", "build/release/tools/pitstop")
SOURCE = os.environ.get("PITSTOP_SOURCE_DIR", os.getcwd())
WORK = os.environ.get("PITSTOP_WORK_DIR", "/tmp/pitstop-py-tests")
os.makedirs(WORK, exist_ok=True)


def run(*args, check=True, **kw):
    """Runs pitstop with args; returns the CompletedProcess (text mode)."""
    proc = subprocess.run([BIN, *args], capture_output=True, text=True, cwd=SOURCE, **kw)
    if check and proc.returncode != 0:
        sys.exit(f"pitstop {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}")
    return proc


def work(name):
    """A path in this test's scratch folder."""
    return os.path.join(WORK, name)


def write(name, text):
    path = work(name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


class Checks:
    """Collects failed checks and reports them all at the end (exit 1 if any)."""

    def __init__(self):
        self.failed = []
        self.passed = 0

    def check(self, cond, what):
        if cond:
            self.passed += 1
        else:
            self.failed.append(what)
            print("FAILED:", what)

    def done(self):
        print(f"{self.passed} passed, {len(self.failed)} failed")
        sys.exit(1 if self.failed else 0)


TRIAGE_WARD = """
name: {name}
start: 2019-04-01
horizon_days: 1100
warmup_days: 30
seed: {seed}
replicates: 4
arrivals:
  - {{name: walk-ins, to: triage, rate_per_day: {rate}}}
services:
  triage:
    capacity: 2
    queue_capacity: 2
    duration_days: {{dist: exponential, mean: 0.4}}
    routes: [{{to: ward, p: 0.7}}, {{to: exit, p: 0.3}}]
  ward:
    capacity: 3
    queue_capacity: 1
    duration_days: {{dist: exponential, mean: 1.0}}
"""


def triage_ward(name, rate, seed):
    """A three-year triage → ward scenario from April 2019 (several financial years), as YAML."""
    return TRIAGE_WARD.format(name=name, rate=rate, seed=seed)


def fy_label(iso):
    """The financial year (April–March) of an ISO date, e.g. '2019/20'."""
    import datetime  # noqa: PLC0415

    d = datetime.date.fromisoformat(iso)
    y = d.year if d.month >= 4 else d.year - 1
    return f"{y}/{(y + 1) % 100:02d}"


def _write_metric(f, metric, daily, rollup, breakdown, units, extra):
    """Writes (or overwrites) /series/<metric> of the open results file f, attached to the
    scale of `breakdown`, and its monthly and yearly per_replicate sums over the observed days
    (-1 for a ratio, whose summaries readers must not use)."""
    import numpy as np  # noqa: PLC0415 - only the tests that craft files need it

    days = [d.decode() if isinstance(d, bytes) else str(d) for d in f["scales/day"][()]]
    first = f["meta"].attrs["first_observed_date"]
    first = first.decode() if isinstance(first, bytes) else str(first)
    groups = {"by_month": ("month", lambda iso: iso[:7]),
              "by_financial_year": ("financial_year", fy_label)}
    if metric in f["series"]:
        del f["series"][metric]
    ds = f["series"].create_dataset(metric, data=daily)
    ds.attrs["units"] = units
    ds.attrs["description"] = f"test metric {metric}"
    ds.attrs["rollup"] = rollup
    ds.attrs["breakdown"] = breakdown
    for k, v in extra.items():
        ds.attrs[k] = v
    ds.dims[2].attach_scale(f["scales"][breakdown.replace("->", "_to_")])
    for group, (scale, key) in groups.items():
        labels = [p.decode() if isinstance(p, bytes) else str(p) for p in f["scales"][scale][()]]
        per = np.zeros((daily.shape[0], len(labels), daily.shape[2]))
        for d, iso in enumerate(days):
            if iso >= first:
                per[:, labels.index(key(iso)), :] += daily[:, d, :]
        if rollup == "ratio":
            per[:] = -1.0
        g = f["summary"][group]
        if metric in g:
            del g[metric]
        g.create_group(metric).create_dataset("per_replicate", data=per)


def add_ratio_metric(path, name, numerator, denominator, breakdown, parts=None, units="share"):
    """Adds to the results file at `path` a ratio metric `name` = numerator ÷ denominator (two
    sum metrics broken down by `breakdown`), laid out as pitstop writes one (docs/output.md):
    /series/<name> with attributes rollup "ratio", numerator, denominator, and its monthly and
    yearly per_replicate summaries. `parts` = {metric: (R, D, B) daily values} first writes (or
    overwrites) those sum metrics with their period sums. The ratio's daily values are the day's
    own ratio (NaN without a denominator) and its summaries are deliberately wrong (-1): readers
    must compute a period's share from the numerator's and denominator's period totals."""
    import h5py  # noqa: PLC0415
    import numpy as np  # noqa: PLC0415

    with h5py.File(path, "r+") as f:
        for metric, daily in (parts or {}).items():
            _write_metric(f, metric, np.asarray(daily, dtype=float), "sum", breakdown,
                          "people/day", {})
        top = f["series"][numerator][()]
        below = f["series"][denominator][()]
        day_ratio = np.full(top.shape, np.nan)
        np.divide(top, below, out=day_ratio, where=below != 0)
        _write_metric(f, name, day_ratio, "ratio", breakdown, units,
                      {"numerator": numerator, "denominator": denominator})


def add_sum_metric(path, name, breakdown, labels, daily, units="GBP"):
    """Adds to the results file at `path` a sum metric `name` with (R, D, len(labels)) daily
    values, broken down by `breakdown` (its scale /scales/<breakdown> is written with `labels`
    when the file has none), as pitstop writes one: /series/<name> and its monthly and yearly
    per_replicate sums over the observed days. E.g. the finance metrics spend_gbp (breakdown
    fund_line) and activity_cost_gbp (activity) of docs/output.md."""
    import h5py  # noqa: PLC0415
    import numpy as np  # noqa: PLC0415

    with h5py.File(path, "r+") as f:
        if breakdown not in f["scales"]:
            scale = f["scales"].create_dataset(breakdown, data=[s.encode() for s in labels],
                                               dtype=h5py.string_dtype())
            scale.make_scale(breakdown)
        _write_metric(f, name, np.asarray(daily, dtype=float), "sum", breakdown, units, {})
