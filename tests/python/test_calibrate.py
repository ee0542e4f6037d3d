"""tools/calibrate.py: the front-door calibration table of a borough run has every row, its
numbers come from the results file, and --markdown replaces only the text between the markers.

The run is the borough baseline shortened to two financial years (`extends` it with
horizon_days: 731) and two replicates: a second or two in Release, short enough for the ASan
build; the second year stands in for the projection year."""
import os
import re
import subprocess
import sys
import time

import shutil

import h5py
import numpy as np

from pitstop_testlib import SOURCE, Checks, add_ratio_metric, run, work, write

c = Checks()
SCRIPT = os.path.join(SOURCE, "tools", "calibrate.py")
BASELINE = os.path.join(SOURCE, "scenarios", "borough", "wigan-baseline.yaml")
BEGIN, END = "<!-- front-door-table:begin -->", "<!-- front-door-table:end -->"

ROWS = ["Population on 1 April", "Population aged 65+", "Population aged 85+",
        "GP consultations", "999 incidents a year", "999 incidents a day",
        "999 hear & treat (share of incidents)",
        "999 see & treat, incl. community response at home",
        "999 conveyed to A&E (all crew arrivals)", "999 conveyed elsewhere",
        "A&E type-1 attendances", "… arriving by ambulance", "… walking in (incl. GP-referred)",
        "… aged 0–17", "… aged 18–64", "… aged 65–74", "… aged 75–84", "… aged 85+",
        "… aged 75+", "A&E type-1 seen within 4 hours", "Emergency admissions",
        "Occupied acute beds (mean)"]


def calibrate(*args):
    """Runs calibrate.py with this interpreter (which has h5py)."""
    return subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True,
                          cwd=SOURCE)


def number(cell):
    """A table cell such as '1,798,547', '133.2' or '6.9%' as a float."""
    m = re.match(r"[−-]?[\d,]+(?:\.\d+)?", cell.strip())
    return float(m.group(0).replace(",", "").replace("−", "-")) if m else None


def table_rows(text, caption):
    """The rows (lists of cells) of the markdown table after the line `caption`."""
    lines = text.split("\n")
    if caption not in lines:
        return {}
    rows = {}
    for line in lines[lines.index(caption) + 1:]:
        if not line.strip():
            if rows:
                break
            continue
        if not line.startswith("|"):
            break
        cells = [x.strip() for x in line.strip().strip("|").split(" | ")]
        if cells[0] != "quantity" and not line.startswith("|---"):
            rows[cells[0]] = cells
    return rows


# --- a short borough run ---------------------------------------------------------------------
scenario = write("calib-short.yaml", f"extends: {BASELINE}\nhorizon_days: 731\n")
results = work("calib-short.h5")
start = time.monotonic()
run("run", scenario, "-o", results, "--replicates", "2", "--quiet")
print(f"pitstop run (731 days, 2 replicates): {time.monotonic() - start:.1f} s")

with h5py.File(results, "r") as f:
    c.check(f["meta"].attrs["start_date"] == "2019-04-01", "the run starts on 2019-04-01")
    gp_direct = float(f["series/gp_consultations"][:, :366, :].sum(axis=(1, 2)).mean())
    calls = f["series/ambulance_calls"]
    labels = [x.decode() for x in calls.dims[2][0][()]]
    ht_cols = [i for i, lab in enumerate(labels) if lab.endswith("/hear_and_treat")]
    per_rep = calls[:, :366, :].sum(axis=1)
    ht_share = float((per_rep[:, ht_cols].sum(axis=1) / per_rep.sum(axis=1)).mean())
    ae75 = f["series/ae_attendances"]
    labels = [x.decode() for x in ae75.dims[2][0][()]]
    cols = [i for i, lab in enumerate(labels) if lab.endswith(("/75-84", "/85+"))]
    ae75_direct = float(ae75[:, :366, cols].sum(axis=(1, 2)).mean())

# --- the printed tables ----------------------------------------------------------------------
start = time.monotonic()
proc = calibrate(results, "--projection-year", "2020/21")
print(f"calibrate.py: {time.monotonic() - start:.2f} s")
c.check(proc.returncode == 0, f"calibrate.py exits 0 ({proc.returncode}: {proc.stderr})")
out = proc.stdout
front = table_rows(out, "**Front door, 2019/20**")
for row in ROWS:
    c.check(row in front, f"front-door table has the row '{row}'")
for name, cells in front.items():
    c.check(len(cells) == 6, f"'{name}': 6 columns ({len(cells)})")
    c.check(cells[-1].startswith(("✓ within 10%", "explained: ", "✗ outside 10%")),
            f"'{name}': a status ({cells[-1][:40]})")
    if name != "Population on 1 April":
        c.check("target" in cells[1] or "§" in cells[1], f"'{name}': the target names its source")
    c.check(re.search(r"; (found|assumption|derived)\)$", cells[1]) is not None,
            f"'{name}': the target says found, assumption or derived ({cells[1][-30:]})")

gp = number(front.get("GP consultations", ["", "", ""])[2])
c.check(gp is not None and 1.5e6 <= gp <= 2.1e6, f"simulated GP consultations in 1.5M–2.1M ({gp})")
c.check(gp is not None and abs(gp - gp_direct) <= 1, f"GP consultations read from the file "
        f"({gp} vs {gp_direct:.1f})")
ae = number(front.get("… aged 75+", ["", "", ""])[2])
c.check(ae is not None and abs(ae - ae75_direct) <= 1, f"A&E 75+ read from the file ({ae} vs "
        f"{ae75_direct:.1f})")
ht = number(front.get("999 hear & treat (share of incidents)", ["", "", ""])[2])
c.check(ht is not None and abs(ht - 100 * ht_share) <= 0.051,
        f"hear & treat share from the file ({ht}% vs {100 * ht_share:.2f}%)")
per_day = number(front.get("999 incidents a day", ["", "", ""])[2])
per_year = number(front.get("999 incidents a year", ["", "", ""])[2])
c.check(per_day is not None and per_year is not None and abs(per_day - per_year / 366) < 0.06,
        f"incidents a day = a year ÷ 366 days ({per_day}, {per_year})")
lo, hi = (number(x) for x in front.get("GP consultations", ["", "", "", "– –"])[3].split(" – "))
c.check(lo is not None and hi is not None and lo < gp < hi,
        f"GP interval around the mean ({lo}, {hi})")
pop = number(front.get("Population on 1 April", ["", "", ""])[2])
c.check(pop == 328_400, f"population on 1 April 2019 is the SDF sum ({pop})")

proj = table_rows(out, "**Projection 2020/21: demography, with the hospital and discharge places "
                  "growing with their demand (capacity_schedule)**")
for row in ROWS + ["Bed pool occupancy (mean occupied ÷ places)"]:
    c.check(row in proj, f"projection table has the row '{row}'")
c.check("+1.2%" in proj.get("Emergency admissions", [""] * 6)[5],
        "admissions expectation: target 14's +13% by 2030, one year of eleven")

# The default projection year (2029/30) is not in a two-year run: said so, not an error.
proc = calibrate(results)
c.check(proc.returncode == 0 and "**Projection 2029/30:** not in this run" in proc.stdout,
        f"a projection year outside the run is reported as such ({proc.returncode})")

# --- --markdown replaces only the text between the markers ------------------------------------
head = "# Title\n\nText before, with a table:\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
tail = "\n\n## After\n\nText after the markers stays as it was.\n"
doc = write("calib-doc.md", f"{head}{BEGIN}\nold table that must go\n{END}{tail}")
proc = calibrate(results, "--markdown", doc)
c.check(proc.returncode == 0 and proc.stdout == "", f"--markdown exits 0 and prints nothing "
        f"({proc.returncode}: {proc.stderr})")
with open(doc, encoding="utf-8") as f:
    text = f.read()
c.check(text.startswith(head + BEGIN + "\n"), "the text before the markers is unchanged")
c.check(text.endswith(END + tail), "the text after the markers is unchanged")
c.check("old table that must go" not in text, "the old text between the markers is gone")
inner = text[len(head + BEGIN):-len(END + tail)]
c.check(inner == "\n" + calibrate(results).stdout.rstrip("\n") + "\n\n",
        "the text between the markers is the printed tables (and a blank line before the end)")
calibrate(results, "--markdown", doc)
with open(doc, encoding="utf-8") as f:
    c.check(f.read() == text, "running --markdown again changes nothing")

# Bad input: exit 2, the markdown file untouched.
nomarkers = write("calib-nomarkers.md", "# No markers here\n")
proc = calibrate(results, "--markdown", nomarkers)
with open(nomarkers, encoding="utf-8") as f:
    c.check(proc.returncode == 2 and f.read() == "# No markers here\n",
            f"no markers: exit 2, file unchanged ({proc.returncode})")
proc = calibrate(work("missing.h5"))
c.check(proc.returncode == 2 and "error" in proc.stderr,
        f"missing results: exit 2 ({proc.returncode})")
proc = calibrate("--help")
c.check(proc.returncode == 0 and "--markdown" in proc.stdout, "--help lists --markdown")

# --- a ratio metric: sum(numerator) ÷ sum(denominator) over the days, not its daily values ------
sys.path.insert(0, os.path.join(SOURCE, "tools"))
import calibrate as calibrate_module  # noqa: E402  (from tools/, after the path is set)

ratio_h5 = work("calib-ratio.h5")
shutil.copy(results, ratio_h5)
add_ratio_metric(ratio_h5, "gp_mean_wait", "gp_wait_days", "gp_consultations", "sdf",
                 units="days")
with h5py.File(ratio_h5, "r") as f:
    waits, consults = f["series/gp_wait_days"][()], f["series/gp_consultations"][()]
    sdfs = [x.decode() for x in f["scales/sdf"][()]]
r = calibrate_module.Run(ratio_h5)
got = r.total("gp_mean_wait", 0, 366)
want = waits[:, :366, :].sum(axis=(1, 2)) / consults[:, :366, :].sum(axis=(1, 2))
c.check(np.allclose(got, want, rtol=1e-12, atol=0), f"calibrate: ratio = Σ waits ÷ Σ "
        f"consultations over the year ({got} vs {want})")
one = r.total("gp_mean_wait", 30, 60, lambda lab: lab == sdfs[0])
want_one = waits[:, 30:60, 0].sum(axis=1) / consults[:, 30:60, 0].sum(axis=1)
c.check(np.allclose(one, want_one, rtol=1e-12, atol=0),
        f"calibrate: ratio over the labels picked ({one} vs {want_one})")
with np.errstate(divide="ignore", invalid="ignore"):
    day_mean = np.nanmean(waits[:, :366, :].sum(axis=2) / consults[:, :366, :].sum(axis=2), axis=1)
c.check(not np.allclose(got, day_mean), "calibrate: not the mean of the daily ratios")
r.f.close()
with h5py.File(ratio_h5, "r+") as f:  # no consultations in the first week
    f["series/gp_consultations"][:, :7, :] = 0
r = calibrate_module.Run(ratio_h5)
c.check(np.isnan(r.total("gp_mean_wait", 0, 7)).all(), "calibrate: no denominator gives NaN")
r.f.close()

# --- the hospital table and the discharge fit -----------------------------------------------------
hospital = table_rows(out, "**Hospital and discharge, 2019/20**")
for row in ["Acute bed occupancy (mean occupied ÷ places)", "Delayed transfers: delayed beds a day",
            "… awaiting completion of assessment", "Delayed days attributed to the NHS",
            "At home 91 days after reablement (65+)", "New care-home placements from hospital",
            "Reablement starts from hospital (65+)", "65+ discharges: died in hospital"]:
    c.check(row in hospital, f"hospital table has the row '{row}'")
for name, cells in hospital.items():
    c.check(len(cells) == 6 and cells[2] != "not in file", f"'{name}': a simulated value")
r = calibrate_module.Run(results)
a, b = r.year("2019/20")
reasons = ["homecare", "reablement", "intermediate_care", "residential_home", "nursing_home",
           "assessment"]
shares = sum(calibrate_module.delayed_share(x)(r, a, b) for x in reasons)
c.check(np.allclose(shares, 1.0), f"the delay reasons' shares add to 1 ({shares})")
delayed = number(hospital.get("Delayed transfers: delayed beds a day", ["", "", "x"])[2])
direct = r.total("delayed_transfer_days", a, b).mean() / (b - a)
c.check(delayed is not None and abs(delayed - direct) < 0.051,
        f"delayed beds a day read from the file ({delayed} vs {direct:.2f})")
r.f.close()
fit = table_rows(out, out.split("\n")[[i for i, l in enumerate(out.split("\n"))
                                       if l.startswith("**Discharge places")][0]])
c.check(set(fit) - {"service"} == set(reasons), f"the fit table has the six services ({sorted(fit)})")
proc = calibrate(results, "--fit-discharge")
c.check(proc.returncode == 0 and "| homecare |" in proc.stdout, "--fit-discharge prints the table")

import fit_discharge  # noqa: E402  (tools/ is on the path)
import fit_growth  # noqa: E402

# --fit-growth: each growing service's places by year, the first year's kept; the YAML block
# gives a step each April after it.
proc = calibrate(results, "--fit-growth",
                 os.path.join(SOURCE, "scenarios/borough/wigan-baseline.yaml"))
c.check(proc.returncode == 0, f"--fit-growth exits 0 ({proc.returncode}: {proc.stderr})")
growth = table_rows("places\n" + proc.stdout, "places")
c.check(growth.get("beds", ["", ""])[1] == "565", f"beds keep 2019/20's 565 ({growth.get('beds')})")
c.check("- {from: 2020-04-01, capacity:" in proc.stdout and "capacity_schedule:" in proc.stdout,
        "--fit-growth prints capacity_schedule steps from the next April")
# The trend: a least-squares line; places scale with it from the first year's.
line = fit_growth.trend([10.0, 12.0, 11.0, 13.0])
c.check(np.allclose(line, [10.3, 11.1, 11.9, 12.7]), f"the trend is the least-squares line ({line})")
occ = np.zeros((2, 4, 1))
occ[:, :2, 0], occ[:, 2:, 0] = 100.0, 110.0
places = fit_growth.fit(occ, ["beds"], ["2019-04-01", "2020-03-31", "2020-04-01", "2021-03-31"],
                        {"beds": 560}, [2019, 2020])
c.check(places == {"beds": [(2019, 560), (2020, 616)]}, f"places grow with the use ({places})")

# Erlang C: C(2, 1) = 1/3; C(10, 9) = 0.6687 (the M/M/10 figure of the analytic tests); a load of
# 746 on 747 servers does not overflow; the fewest places meeting a target queue.
c.check(abs(fit_discharge.erlang_c(2, 1) - 1 / 3) < 1e-12, "Erlang C(2, 1) = 1/3")
c.check(abs(fit_discharge.erlang_c(10, 9) - 0.66873) < 1e-5, "Erlang C(10, 9) = 0.66873")
big = fit_discharge.mean_queue(747, 746.2, 1.0)
c.check(np.isfinite(big) and big > 100, f"a load of 746.2 on 747 places queues long ({big})")
c.check(fit_discharge.mean_queue(5, 4.0, 0.0) == fit_discharge.mean_queue(5, 4.0, 1.0) / 2,
        "Allen–Cunneen: fixed services queue half as long as exponential ones")
places = fit_discharge.places_for(746.2, 1.0, 2.72)
c.check(fit_discharge.mean_queue(places, 746.2, 1.0) <= 2.72 <
        fit_discharge.mean_queue(places - 1, 746.2, 1.0), f"places_for is the fewest ({places})")

c.done()
