"""`pitstop report`: a self-contained HTML page with a chart per metric and tables by financial
year, scenario against baseline; rendered in headless Chromium, whose screenshot is checked for
content and whose DOM shows every image decoded. Bad input exits 2 and writes nothing. Files with
the finance metrics (spend_gbp, activity_cost_gbp) get a Money section; others none."""
import base64
import datetime
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np
from matplotlib import image as mpimg

from pitstop_testlib import (SOURCE, add_ratio_metric, add_sum_metric, fy_label, triage_ward,
                             Checks, run, work, write)

sys.path.insert(0, os.path.join(SOURCE, "tools"))
import report_data  # noqa: E402  (from tools/, after the path is set)

c = Checks()

CHROMIUM = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--hide-scrollbars"]


def timed(what, fn, *args, **kw):
    """Runs fn and prints how long it took."""
    start = time.monotonic()
    result = fn(*args, **kw)
    print(f"{what}: {time.monotonic() - start:.2f} s")
    return result


def make_runs():
    """baseline.h5 and scenario.h5 (20% more arrivals, same seed) in the scratch folder."""
    paths = {}
    for name, rate in [("report-baseline", 3.0), ("report-scenario", 3.6)]:
        yaml = write(f"{name}.yaml", triage_ward(name, rate, seed=7))
        paths[name] = work(f"{name}.h5")
        run("run", yaml, "-o", paths[name], "--quiet")
    return paths["report-scenario"], paths["report-baseline"]


def metric_sections(page):
    """metric name -> the HTML of its section."""
    parts = re.split(r'<section class="card metric" id="m-', page)[1:]
    return {p.split('"', 1)[0]: p.split("</section>", 1)[0] for p in parts}


def check_self_contained(page):
    """No resource loaded from elsewhere: no http(s) or protocol-relative src/href/url()."""
    external = re.findall(r'(?:src|href)\s*=\s*["\']?\s*(?:https?:)?//|url\(\s*["\']?(?:https?:)?//'
                          r'|<script[^>]+src|<link[^>]+href', page, flags=re.I)
    c.check(not external, f"self-contained (found {external[:3]})")
    images = re.findall(r'<img[^>]+src="data:image/png;base64,([^"]+)"', page)
    c.check(all(base64.b64decode(i)[:8] == b"\x89PNG\r\n\x1a\n" for i in images),
            "every image is an embedded PNG")
    return len(images)


def check_content(page, metrics, services):
    """A chart per metric (two with a breakdown of 2..8), the FY tables, the service table."""
    sections = metric_sections(page)
    c.check(set(sections) == set(metrics), f"a section per metric ({sorted(sections)})")
    for name, labels in metrics.items():
        s = sections.get(name, "")
        want = 2 if 1 < labels <= 8 else 1
        got = len(re.findall(r"<img|<svg", s))
        c.check(got == want, f"{name}: {want} chart(s), got {got}")
        c.check("By financial year" in s and "Difference (95% CI)" in s,
                f"{name}: financial-year table with differences")
        for fy in ["2019/20", "2020/21", "2021/22"]:
            c.check(f"<td>{fy}</td>" in s, f"{name}: row for {fy}")
    for text in ["report-scenario", "report-baseline", "Replicates", "Seed", "Tool version",
                 "2019-04-01", "Service statistics", "paired by replicate"]:
        c.check(text in page, f"page mentions '{text}'")
    for svc in services:
        c.check(f"<strong>{svc}</strong>" in page, f"service table row for {svc}")


def check_numbers(page, scenario, baseline):
    """The 2020/21 row of arrivals: the scenario's mean and the paired difference, from h5py."""
    fy_totals = []
    for path in (scenario, baseline):
        with h5py.File(path, "r") as f:
            years = [s.decode() for s in f["scales/financial_year"][()]]
            per_rep = f["summary/by_financial_year/arrivals/per_replicate"][()]
            fy_totals.append(per_rep.sum(axis=2)[:, years.index("2020/21")])
    row = metric_sections(page)["arrivals"].split("<td>2020/21</td>", 1)[-1].split("</tr>")[0]
    mean, diff = fy_totals[0].mean(), (fy_totals[0] - fy_totals[1]).mean()
    c.check(f"{mean:,.0f}" in row and f"+{diff:,.0f}" in row,
            f"arrivals 2020/21: mean {mean:,.0f} and difference +{diff:,.0f} in {row!r}")


def chromium(*args):
    """Runs headless Chromium with a fresh profile; returns the CompletedProcess."""
    profile = tempfile.mkdtemp(prefix="chromium-", dir=work(""))
    try:
        return subprocess.run([*CHROMIUM, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=180)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def check_screenshot(html_path):
    """Screenshot of the page: exists, and is a picture (many colours, much non-white)."""
    png = work("report-screenshot.png")
    if os.path.exists(png):
        os.unlink(png)
    proc = timed("chromium screenshot", chromium, f"--screenshot={png}",
                 "--window-size=1280,2400", f"file://{html_path}")
    c.check(os.path.exists(png), f"screenshot written ({proc.returncode}: {proc.stderr[-300:]})")
    if not os.path.exists(png):
        return
    pixels = mpimg.imread(png)[:, :, :3]
    colours = len(np.unique((pixels * 255).astype(np.uint8).reshape(-1, 3), axis=0))
    inked = float((pixels.min(axis=2) < 0.9).mean())
    c.check(pixels.shape[:2] == (2400, 1280), f"screenshot size {pixels.shape[:2]}")
    c.check(colours > 500, f"screenshot has many colours ({colours})")
    c.check(0.05 < inked < 0.9, f"screenshot is neither blank nor solid ({inked:.0%} inked)")
    print(f"screenshot: {png} ({colours} colours, {inked:.0%} inked)")


def check_images_decode(html_path, expected):
    """--dump-dom of a copy that counts, on load, the images Chromium decoded."""
    with open(html_path, encoding="utf-8") as f:
        page = f.read()
    probe = ("<script>addEventListener('load', () => document.body.setAttribute('data-decoded',"
             " [...document.images].filter(i => i.complete && i.naturalWidth > 0).length))"
             "</script></body>")
    probe_path = work("report-probe.html")
    write("report-probe.html", page.replace("</body>", probe))
    proc = timed("chromium dump-dom", chromium, "--dump-dom", "--virtual-time-budget=5000",
                 f"file://{probe_path}")
    found = re.search(r'data-decoded="(\d+)"', proc.stdout)
    decoded = int(found.group(1)) if found else -1
    c.check(decoded == expected, f"Chromium decoded {decoded} of {expected} images")


def check_bad_input(scenario):
    """A missing file and a non-pitstop HDF5 file exit 2 with a message, writing nothing."""
    out = work("bad.html")
    plain = work("plain.h5")
    with h5py.File(plain, "w") as f:
        f["x"] = [1.0]
    for args, fragment in [(["missing.h5"], "no such file"),
                           ([plain], "not a pitstop results file"),
                           ([scenario, "--baseline", work("report-baseline.yaml")],
                            "not an HDF5 file")]:
        proc = run("report", *args, "-o", out, check=False)
        c.check(proc.returncode == 2 and fragment in proc.stderr,
                f"report {args[-1]}: exit 2 with '{fragment}' ({proc.returncode}: "
                f"{proc.stderr.strip()})")
        c.check(not os.path.exists(out), "nothing written on bad input")


def month_sums(path, daily):
    """(R, month, B) sums of daily (R, D, B) values over each month's observed days."""
    with h5py.File(path, "r") as f:
        days = [d.decode() for d in f["scales/day"][()]]
        months = [m.decode() for m in f["scales/month"][()]]
        first = f["meta"].attrs["first_observed_date"]
    first = first.decode() if isinstance(first, bytes) else first
    out = np.zeros((daily.shape[0], len(months), daily.shape[2]))
    for i, m in enumerate(months):
        keep = [d for d, iso in enumerate(days) if iso[:7] == m and iso >= first]
        out[:, i, :] = daily[:, keep, :].sum(axis=1)
    return months, out


def check_ratio(source):
    """A ratio metric (a share) added to a copy of a run: its monthly and yearly values are
    sum(numerator) ÷ sum(denominator), NaN where the denominator is 0, and the report shows it
    as a share."""
    path = work("report-ratio.h5")
    shutil.copy(source, path)
    with h5py.File(path, "r") as f:
        offered = f["series/arrivals"][()].astype(float)
        seen = f["series/completions"][()].astype(float)
        days = [d.decode() for d in f["scales/day"][()]]
    june = [d for d, iso in enumerate(days) if iso.startswith("2020-06")]
    january = [d for d, iso in enumerate(days) if iso.startswith("2021-01")]
    for d in june:  # replicate 0 offers nothing in June 2020; no replicate in January 2021
        offered[0, d, :] = seen[0, d, :] = 0
    for d in january:
        offered[:, d, :] = seen[:, d, :] = 0
    add_ratio_metric(path, "seen_share", "seen", "offered", "service",
                     parts={"seen": seen, "offered": offered})

    months, top = month_sums(path, seen)
    _, below = month_sums(path, offered)
    want = np.full(top.shape, np.nan)
    np.divide(top, below, out=want, where=below != 0)
    r = report_data.load(path)
    m = r.metrics["seen_share"]
    c.check(m.rollup == "ratio" and m.numerator == "seen" and m.denominator == "offered",
            f"ratio attributes read ({m.rollup}, {m.numerator}, {m.denominator})")
    c.check(m.by_month.shape == want.shape and np.array_equal(m.by_month, want, equal_nan=True),
            "monthly share by label = sum(seen) ÷ sum(offered) over the month's days")
    total = report_data.metric_totals(m, "month")
    want_total = np.full(total.shape, np.nan)
    np.divide(top.sum(axis=2), below.sum(axis=2), out=want_total, where=below.sum(axis=2) != 0)
    c.check(np.array_equal(total, want_total, equal_nan=True),
            "monthly share of the total = sum over days and labels of seen ÷ of offered")
    j, jan = months.index("2020-06"), months.index("2021-01")
    c.check(np.isnan(total[0, j]) and not np.isnan(total[1:, j]).any(),
            "June 2020: no denominator in replicate 0 only")
    c.check(np.isnan(total[:, jan]).all(), "January 2021: no denominator in any replicate")
    c.check(not np.isnan(m.by_fy).any() and (m.by_fy >= 0).all(),
            "yearly shares come from the parts (the file's own summary is -1)")
    mean, lo, hi = report_data.mean_interval(total[:, [j, jan]])
    c.check(mean[0] == np.nanmean(total[:, j]) and np.isnan(mean[1]) and np.isnan(lo[1]),
            "the mean across replicates leaves out an undefined share; all undefined: NaN")

    html = work("report-ratio.html")
    run("report", path, "--baseline", path, "-o", html)
    with open(html, encoding="utf-8") as f:
        section = metric_sections(f.read()).get("seen_share", "")
    fy = report_data.metric_totals(m, "fy")
    year = r.fys.labels.index("2020/21")
    c.check("share" in section and "seen ÷" in section and "pp" in section,
            "the report labels the ratio as a share (difference in percentage points)")
    row = section.split("<td>2020/21</td>", 1)[-1].split("</tr>")[0]
    c.check(f"{fy[:, year].mean() * 100:.1f}%" in row,
            f"2020/21 share {fy[:, year].mean():.4f} shown as a percentage in {row!r}")


# --- the Money section ----------------------------------------------------------------------

SPEND_LINES = {"aligned/acute": 250e6, "aligned/ambulance": 14e6, "pooled/homecare": 8.164e6,
               "pooled/reablement": 1.412e6}
# Unit costs (GBP) of activities counted by the small test runs, large enough for £m to show
# the replicates' spread.
UNIT_COSTS = {"gp_consultation": ("arrivals", 0, 3900.0),
              "ae_attendance": ("arrivals", 1, 17000.0),
              "emergency_admission": ("completions", 1, 17000.0)}


def add_finance(source, name, homecare_gbp):
    """A copy of the results file source with the finance metrics added as a borough run with
    `finance` writes them: spend_gbp (each line's yearly amount ÷ the days of its financial
    year, every day; the same in every replicate) and activity_cost_gbp (counts of the run × a
    unit cost, so they differ by replicate). Returns its path and {metric: (R, D, B) daily}."""
    path = work(name)
    shutil.copy(source, path)
    with h5py.File(path, "r") as f:
        days = [d.decode() for d in f["scales/day"][()]]
        counts = {m: f["series"][m][()].astype(float) for m in ("arrivals", "completions")}
    replicates = counts["arrivals"].shape[0]
    fy_days = [(datetime.date(int(fy_label(d)[:4]) + 1, 4, 1) -
                datetime.date(int(fy_label(d)[:4]), 4, 1)).days for d in days]
    amounts = dict(SPEND_LINES, **{"pooled/homecare": homecare_gbp})
    spend = np.array([[[amounts[line] / n for line in SPEND_LINES] for n in fy_days]] *
                     replicates)
    activity = np.stack([counts[m][:, :, j] * cost for m, j, cost in UNIT_COSTS.values()],
                        axis=2)
    add_sum_metric(path, "spend_gbp", "fund_line", list(SPEND_LINES), spend)
    add_sum_metric(path, "activity_cost_gbp", "activity", list(UNIT_COSTS), activity)
    return path, {"spend_gbp": spend, "activity_cost_gbp": activity}


def money_tables(page):
    """The Money section's tables: {h3 title: (column headers, [(row class, label, [cell
    value text without its interval], [interval text or ''])])}; None without the section."""
    found = re.search(r'<section class="card" id="money">(.*?)</section>', page, re.S)
    if not found:
        return None
    tables = {}
    for title, body in re.findall(r"<h3>(.*?)</h3>(.*?)(?=<h3>|<p class=\"note\">)",
                                  found.group(1), re.S):
        headers = [re.sub(r"<.*?>", "", h).strip() for h in re.findall(r"<th>(.*?)</th>", body)]
        rows = []
        for cls, row in re.findall(r'<tr(?: class="(\w*)")?>(.*?)</tr>', body, re.S):
            cells = re.findall(r"<td>(.*?)</td>", row, re.S)
            if not cells:
                continue
            ci = [" ".join(re.findall(r'<span class="ci">(.*?)</span>', c)) for c in cells[1:]]
            text = [re.sub(r"<.*?>", "", re.sub(r'<span class="ci">.*?</span>', "", c)).strip()
                    for c in cells]
            rows.append((cls, text[0], text[1:], ci))
        tables[title] = (headers[1:], rows)
    return tables


def fy_sums(path, daily):
    """(R, financial year, B) sums of daily (R, D, B) values over each financial year's observed
    days, from /scales/day (not the file's summary), and the fully observed years' labels."""
    r = report_data.load(path)
    with h5py.File(path, "r") as f:
        days = [d.decode() for d in f["scales/day"][()]]
    out = np.zeros((daily.shape[0], len(r.fys.labels), daily.shape[2]))
    first = r.meta["first_observed_date"]
    for d, iso in enumerate(days):
        if iso >= first:
            out[:, r.fys.labels.index(fy_label(iso)), :] += daily[:, d, :]
    return out, [fy for i, fy in enumerate(r.fys.labels) if r.fys.is_full(i)], r.fys.labels


def m1(x):
    """As the report prints £m."""
    return f"{x / 1e6:,.1f}"


def interval(values, paired_with=None):
    """(lo, hi) of the 95% Student-t interval of the mean of values (or of values −
    paired_with), computed here rather than by report_data."""
    v = values if paired_with is None else values - paired_with
    t = {2: 12.706, 3: 4.303, 4: 3.182}[len(v)]
    half = t * v.std(ddof=1) / np.sqrt(len(v))
    return v.mean() - half, v.mean() + half


def check_money_tables(tables, series, years, full, what):
    """Spend: fund rows = the sum of their lines, the total = the series summed over each
    year, then the mean across replicates; activity cost likewise, with its interval."""
    spend_sum, _, _ = series["spend_gbp"]
    headers, rows = tables.get("Spend by financial year (£m)", ([], []))
    c.check(headers == full, f"{what}: spend columns are the full years {full} ({headers})")
    c.check([(cls, label) for cls, label, _, _ in rows] ==
            [("fund", "aligned"), ("line", "acute"), ("line", "ambulance"), ("fund", "pooled"),
             ("line", "homecare"), ("line", "reablement"), ("total", "Total")],
            f"{what}: a row per fund, its lines under it, and a total "
            f"({[(cls, label) for cls, label, _, _ in rows]})")
    for k, fy in enumerate(headers):
        y = years.index(fy)
        values = {label: float(cells[k].replace(",", "")) for _, label, cells, _ in rows}
        for fund, lines in (("aligned", ["acute", "ambulance"]),
                            ("pooled", ["homecare", "reablement"])):
            c.check(abs(values[fund] - sum(values[line] for line in lines)) <= 0.05 * len(lines),
                    f"{what} {fy}: {fund} {values[fund]} = the sum of its lines to rounding")
            want = spend_sum[:, y, [list(SPEND_LINES).index(f"{fund}/{line}") for line in lines]]
            c.check(f"{values[fund]:,.1f}" == m1(want.sum(axis=1).mean()),
                    f"{what} {fy}: {fund} = its lines' yearly sum ({m1(want.sum(axis=1).mean())})")
        total = rows[-1][2][k]
        c.check(total == m1(spend_sum[:, y, :].sum(axis=1).mean()),
                f"{what} {fy}: spend total {total} = the series' yearly sum, mean over "
                f"replicates ({m1(spend_sum[:, y, :].sum(axis=1).mean())})")
        c.check(rows[-1][3][k] == "", f"{what} {fy}: no interval where replicates agree")

    cost_sum, _, _ = series["activity_cost_gbp"]
    headers, rows = tables.get("Activity-based cost by financial year (£m)", ([], []))
    c.check([label for _, label, _, _ in rows] == list(UNIT_COSTS) + ["Total"],
            f"{what}: a row per activity and a total ({[r[1] for r in rows]})")
    for k, fy in enumerate(headers):
        y = years.index(fy)
        for j, (_, label, cells, ci) in enumerate(rows):
            per_rep = cost_sum[:, y, :].sum(axis=1) if label == "Total" else cost_sum[:, y, j]
            lo, hi = interval(per_rep)
            want_ci = "" if m1(lo) == m1(hi) else f"({m1(lo)}–{m1(hi)})"
            c.check(cells[k] == m1(per_rep.mean()) and ci[k] == want_ci,
                    f"{what} {fy} {label}: {cells[k]} {ci[k]!r} = mean {m1(per_rep.mean())} "
                    f"{want_ci!r}")
            c.check(label != "Total" or want_ci, f"{what} {fy}: the total has an interval")


def check_money(scenario, baseline, plain_page):
    """The Money section of runs with finance: the tables by financial year, and against a
    baseline the paired difference of the totals; none in a report of files without finance."""
    c.check('id="money"' not in plain_page and 'href="#money"' not in plain_page,
            "files without finance: no Money section")
    s_path, s_daily = add_finance(scenario, "report-money-scenario.h5", 9.412e6)
    b_path, b_daily = add_finance(baseline, "report-money-baseline.h5", 8.164e6)
    s_series = {m: fy_sums(s_path, v) for m, v in s_daily.items()}
    b_series = {m: fy_sums(b_path, v) for m, v in b_daily.items()}
    _, full, years = s_series["spend_gbp"]
    c.check(full == ["2020/21", "2021/22"] and years[0] == "2019/20", f"full years {full}")

    html = work("report-money.html")
    run("report", s_path, "--baseline", b_path, "-o", html)
    with open(html, encoding="utf-8") as f:
        page = f.read()
    tables = money_tables(page)
    c.check(tables is not None and 'href="#money"' in page,
            "finance: a Money section, linked from the contents")
    if tables is None:
        return
    c.check(list(tables) == ["Spend by financial year (£m)",
                             "Activity-based cost by financial year (£m)",
                             "Scenario − baseline (£m)"], f"Money tables {list(tables)}")
    c.check("left out: 2019/20 (" in page, "the partly observed years are named as left out")
    check_money_tables(tables, s_series, years, full, "scenario")

    headers, rows = tables.get("Scenario − baseline (£m)", ([], []))
    labels = [label for _, label, _, _ in rows]
    c.check(labels == ["Spend", "Baseline", "Scenario", "Difference (95% CI)", "Change",
                       "Activity-based cost", "Baseline", "Scenario", "Difference (95% CI)",
                       "Change"],
            f"difference table rows {labels}")
    for k, fy in enumerate(headers):
        y = years.index(fy)
        for block, name in ((0, "spend_gbp"), (5, "activity_cost_gbp")):
            s_tot = s_series[name][0][:, y, :].sum(axis=1)
            b_tot = b_series[name][0][:, y, :].sum(axis=1)
            diff = s_tot - b_tot
            lo, hi = interval(s_tot, b_tot)
            got, ci = rows[block + 3][2][k], rows[block + 3][3][k]
            want = f"{diff.mean() / 1e6:+,.1f}"
            want_ci = "" if m1(lo) == m1(hi) else f"({m1(lo)} to {m1(hi)})"
            c.check(got == want and ci == want_ci and
                    rows[block + 1][2][k] == m1(b_tot.mean()),
                    f"{fy} {name}: difference {got} {ci!r} = paired mean {want} {want_ci!r}, "
                    f"baseline {rows[block + 1][2][k]} = {m1(b_tot.mean())}")
        c.check(rows[3][2][k] == "+1.2", f"{fy}: the larger homecare line: spend +1.2 £m")

    alone = work("report-money-alone.html")
    run("report", s_path, "-o", alone)
    run("report", s_path, "--baseline", baseline, "-o", work("report-money-vs-plain.html"))
    for path, what in ((alone, "no baseline"), (work("report-money-vs-plain.html"),
                                                 "a baseline without finance")):
        with open(path, encoding="utf-8") as f:
            tables = money_tables(f.read())
        c.check(tables is not None and "Scenario − baseline (£m)" not in tables,
                f"finance with {what}: the Money tables, no difference")
        if tables is not None:
            check_money_tables(tables, s_series, years, full, what)


scenario_h5, baseline_h5 = timed("two runs", make_runs)
html_path = work("report.html")
proc = timed("pitstop report --baseline", run, "report", scenario_h5, "--baseline", baseline_h5,
             "-o", html_path)
c.check(os.path.exists(html_path), "report written")
with open(html_path, encoding="utf-8") as f:
    page = f.read()
with h5py.File(scenario_h5, "r") as f:
    metrics = {m: ds.shape[2] for m, ds in f["series"].items()}
    services = [s.decode() for s in f["scales/service"][()]]
n_images = check_self_contained(page)
check_content(page, metrics, services)
check_numbers(page, scenario_h5, baseline_h5)
print(f"report: {html_path} ({len(page) // 1024} KiB, {n_images} images)")

alone = work("report-alone.html")
timed("pitstop report (no baseline)", run, "report", scenario_h5, "-o", alone, "--title", "Alone")
with open(alone, encoding="utf-8") as f:
    text = f.read()
c.check("<title>Alone</title>" in text and "Median" in text and "Baseline" not in text,
        "report without a baseline: title, percentile columns, no baseline")



def check_pit_stops(baseline_yaml_name):
    """A scenario with two pit stops: /meta lists them by date, the Runs card numbers them, and
    every month before the first is the baseline's exactly (common random numbers)."""
    base_yaml = work(f"{baseline_yaml_name}.yaml")
    path = write("report-pit-stops.yaml", f"""extends: {base_yaml}
name: report-pit-stops
pit_stops:
  - name: second-ward
    date: 2020-04-01
    why: a <second> ward opens
    set: {{services.ward.capacity: 6}}
  - name: quicker-triage
    date: 2020-10-01
    why: a new triage protocol
    scale: {{services.triage.duration_days: 0.5}}
""")
    h5 = work("report-pit-stops.h5")
    run("run", path, "-o", h5, "--quiet")
    with h5py.File(h5, "r") as f:
        dates = [d.decode() for d in f["meta/pit_stop_dates"][()]]
        names = [n.decode() for n in f["meta/pit_stop_names"][()]]
        c.check(dates == ["2020-04-01", "2020-10-01"] and names == ["second-ward", "quicker-triage"],
                f"pit stops in /meta by date: {dates} {names}")
        days = [d.decode() for d in f["scales/day"][()]]
        scen = {m: f["series"][m][()] for m in f["series"]}
    with h5py.File(work(f"{baseline_yaml_name}.h5"), "r") as f:
        base = {m: f["series"][m][()] for m in f["series"]}
        c.check("pit_stop_dates" not in f["meta"], "no pit stops in /meta without pit stops")
    first = days.index("2020-04-01")
    same_before = [m for m in scen if (scen[m][:, :first] == base[m][:, :first]).all()]
    c.check(sorted(same_before) == sorted(scen),
            "every daily value of every series before the first pit stop equals the baseline's "
            "(the eve's end-of-day census included); differ: "
            f"{sorted(set(scen) - set(same_before))}")
    c.check(not (scen["arrivals"][:, first:] == base["arrivals"][:, first:]).all(),
            "and later ones differ")
    out = work("report-pit-stops.html")
    run("report", h5, "--baseline", work(f"{baseline_yaml_name}.h5"), "-o", out)
    with open(out, encoding="utf-8") as f:
        page = f.read()
    c.check('<ol class="pit-stops"><li><strong>2020-04-01</strong> second-ward: a &lt;second&gt; '
            'ward opens</li><li><strong>2020-10-01</strong> quicker-triage: a new triage '
            'protocol</li></ol>' in page, "the Runs card lists the pit stops, escaped, by date")


check_pit_stops("report-baseline")
check_screenshot(html_path)
check_images_decode(html_path, n_images)
check_bad_input(scenario_h5)
check_ratio(scenario_h5)
timed("money", check_money, scenario_h5, baseline_h5, page)
c.done()
