"""`pitstop report`: a self-contained HTML page with a chart per metric and tables by financial
year, scenario against baseline; rendered in headless Chromium, whose screenshot is checked for
content and whose DOM shows every image decoded. Bad input exits 2 and writes nothing."""
import base64
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

from pitstop_testlib import SOURCE, add_ratio_metric, triage_ward, Checks, run, work, write

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

check_screenshot(html_path)
check_images_decode(html_path, n_images)
check_bad_input(scenario_h5)
check_ratio(scenario_h5)
c.done()
