"""pitstop sweep, end to end on a small clinic (one service, so every total is one number):
the same results at 1 and 2 threads, and with mpirun -n 1 and -n 3 when the build has MPI;
each point equal to `pitstop run` of that point alone; a killed sweep resumed equal to an
uninterrupted one (in one process, and killed under mpirun -n 3 then resumed with -n 2); a changed sweep file refused on resume; bad sweep files exit 2 naming the
line; `sweep analyse` finds the analytic answer (arrivals depend on the rate alone)."""
import os
import shutil
import signal
import subprocess
import time

import h5py
import numpy as np

from pitstop_testlib import BIN, SOURCE, Checks, run, work, write

c = Checks()

CLINIC = """
name: clinic
start: 2019-04-01
horizon_days: 731
seed: 3
replicates: 1
arrivals:
  - {name: walk-ins, to: clinic, rate_per_day: 9.0}
services:
  clinic:
    capacity: 10
    queue_capacity: unlimited
    duration_days: {dist: exponential, mean: 1.0}
"""

SWEEP = """sweep:
  scenario: clinic.yaml
  design: {design}
  points: {points}
  replicates: {replicates}
  seed: 7
  parameters:
    - {{path: services.clinic.capacity, min: 10, max: 14, integer: true}}
    - {{path: arrivals.walk-ins.rate_per_day, min: 6, max: 9.5}}
    - {{path: services.clinic.duration_days.mean, min: 0.8, max: 1.0}}
  outputs: [arrivals, occupied]
"""


def sweep_file(name, design="sobol", points=32, replicates=2):
    write("clinic.yaml", CLINIC)
    return write(name, SWEEP.format(design=design, points=points, replicates=replicates))


def results(path):
    with h5py.File(path, "r") as f:
        return {m: f["sweep/results"][m][()] for m in f["sweep/results"]}, f["sweep/design"][()]


def same(a, b):
    return a.keys() == b.keys() and all(np.array_equal(a[m], b[m], equal_nan=True) for m in a)


env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
           OMPI_MCA_rmaps_base_oversubscribe="1")

# --- threads -------------------------------------------------------------------------------
s = sweep_file("sweep.yaml")
one, two = work("one.h5"), work("two.h5")
run("sweep", s, "-o", one, "-t", "1", "--quiet")
run("sweep", s, "-o", two, "-t", "2", "--quiet")
r1, d1 = results(one)
r2, d2 = results(two)
c.check(d1.shape == (32 * 5, 3), f"a Sobol design of 32 base points × (3 + 2) rows ({d1.shape})")
c.check(r1["arrivals"].shape == (160, 2, 2), f"results: point × replicate × year ({r1['arrivals'].shape})")
c.check(not np.isnan(r1["arrivals"]).any(), "every point and replicate has a result")
c.check(same(r1, r2) and np.array_equal(d1, d2), "identical results at 1 and 2 threads")
c.check(not os.path.exists(one + ".journal"), "the journal is gone once the file is written")

# --- MPI ----------------------------------------------------------------------------------
mpirun = shutil.which("mpirun")
if mpirun and os.environ.get("PITSTOP_MPI", "ON") == "ON":
    for n in (1, 3):
        out = work(f"mpi{n}.h5")
        proc = subprocess.run([mpirun, "-n", str(n), BIN, "sweep", s, "-o", out, "--quiet"],
                              capture_output=True, text=True, cwd=SOURCE, env=env, timeout=600)
        c.check(proc.returncode == 0, f"mpirun -n {n} exits 0 ({proc.returncode}: {proc.stderr[-500:]})")
        if proc.returncode == 0:
            rn, dn = results(out)
            c.check(same(r1, rn) and np.array_equal(d1, dn),
                    f"mpirun -n {n}: the same results as one process")
else:
    print("mpirun not found or a build without MPI: the MPI checks are skipped")

# --- one point alone ----------------------------------------------------------------------
p = 37
cap, rate, mean = d1[p]
point_yaml = write("point.yaml", CLINIC.replace("capacity: 10", f"capacity: {int(cap)}")
                   .replace("rate_per_day: 9.0", f"rate_per_day: {rate!r}")
                   .replace("mean: 1.0}", f"mean: {mean!r}}}")
                   .replace("seed: 3", "seed: 7").replace("replicates: 1", "replicates: 2"))
alone = work("point.h5")
run("run", point_yaml, "-o", alone, "--quiet")
with h5py.File(alone, "r") as f:
    for m in ("arrivals", "occupied"):
        per_rep = f[f"summary/by_financial_year/{m}/per_replicate"][()][:, :, 0]  # one service
        c.check(np.array_equal(per_rep, r1[m][p]),
                f"point {p}'s {m} equals `pitstop run` of that point alone "
                f"({per_rep.ravel()[:2]} vs {r1[m][p].ravel()[:2]})")

# --- kill and resume ----------------------------------------------------------------------
big = sweep_file("big.yaml", points=64, replicates=6)
whole, cut = work("whole.h5"), work("cut.h5")
run("sweep", big, "-o", whole, "--quiet")
for f in (cut, cut + ".journal"):
    if os.path.exists(f):
        os.remove(f)


def kill_after_five_points(cmd, out):
    """Starts `cmd` (a sweep writing `out`), SIGKILLs it once its journal holds five points and
    returns how many it held."""
    proc = subprocess.Popen(cmd, cwd=SOURCE, env=env)
    lines = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if os.path.exists(out + ".journal"):
            with open(out + ".journal", encoding="utf-8") as jf:
                lines = sum(1 for line in jf if line.startswith("point "))
            if lines >= 5:
                break
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return lines


lines = kill_after_five_points([BIN, "sweep", big, "-o", cut, "-t", "1", "--quiet"], cut)
c.check(lines >= 5 and not os.path.exists(cut), f"killed after {lines} points: no results file yet")
resumed = run("sweep", big, "-o", cut)
c.check("resuming:" in resumed.stderr, f"the same command resumes ({resumed.stderr.splitlines()[:1]})")
rw, _ = results(whole)
rc, _ = results(cut)
c.check(same(rw, rc), "a killed and resumed sweep equals an uninterrupted one")

# The same across ranks: mpirun -n 3 killed (as when a node is lost), resumed with -n 2.
if mpirun and os.environ.get("PITSTOP_MPI", "ON") == "ON":
    mcut = work("mcut.h5")
    for f in (mcut, mcut + ".journal"):
        if os.path.exists(f):
            os.remove(f)
    lines = kill_after_five_points([mpirun, "-n", "3", BIN, "sweep", big, "-o", mcut, "-t", "1",
                                    "--quiet"], mcut)
    # Its ranks go with mpirun; wait until none is left before resuming.
    deadline = time.monotonic() + 30

    def ranks_left():
        left = 0
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    left += mcut.encode() in f.read()
            except OSError:
                pass
        return left

    while ranks_left() and time.monotonic() < deadline:
        time.sleep(0.05)
    c.check(lines >= 5 and not os.path.exists(mcut),
            f"mpirun -n 3 killed after {lines} points: no results file yet")
    proc = subprocess.run([mpirun, "-n", "2", BIN, "sweep", big, "-o", mcut], capture_output=True,
                          text=True, cwd=SOURCE, env=env, timeout=600)
    c.check(proc.returncode == 0 and "resuming:" in proc.stderr,
            f"mpirun -n 2 resumes it ({proc.returncode}: {proc.stderr[-300:]})")
    if proc.returncode == 0:
        c.check(same(rw, results(mcut)[0]), "killed at 3 ranks, resumed at 2: equals uninterrupted")

# A changed sweep file is refused on resume.
changed = work("changed.h5")
write("changed.yaml", open(big, encoding="utf-8").read())
proc = subprocess.Popen([BIN, "sweep", work("changed.yaml"), "-o", changed, "-t", "1", "-q"], cwd=SOURCE)
time.sleep(0.3)
proc.send_signal(signal.SIGKILL)
proc.wait()
if os.path.exists(changed + ".journal"):
    write("changed.yaml", open(big, encoding="utf-8").read().replace("max: 9.5", "max: 9.0"))
    proc2 = run("sweep", work("changed.yaml"), "-o", changed, check=False)
    c.check(proc2.returncode == 2 and "changed since this sweep was started" in proc2.stderr,
            f"a changed sweep file is refused on resume ({proc2.returncode}: {proc2.stderr.strip()})")

# --- bad sweep files -------------------------------------------------------------------------
write("clinic.yaml", CLINIC)
for name, text, message in [
    ("bad_path.yaml", SWEEP.format(design="lhs", points=4, replicates=1)
     .replace("services.clinic.capacity,", "services.clinc.capacity,"),
     "bad_path.yaml:8:14: services.clinc.capacity"),
    ("bad_output.yaml", SWEEP.format(design="lhs", points=4, replicates=1)
     .replace("[arrivals, occupied]", "[arrivals, ocupied]"), "did you mean `occupied`?"),
    ("bad_design.yaml", SWEEP.format(design="sobolx", points=4, replicates=1), "did you mean `sobol`?"),
    ("bad_range.yaml", SWEEP.format(design="lhs", points=4, replicates=1)
     .replace("min: 6, max: 9.5", "min: 6, max: 5"), "must be at least min"),
]:
    path = write(name, text)
    proc = run("sweep", path, "-o", work("bad.h5"), check=False)
    c.check(proc.returncode == 2 and message in proc.stderr,
            f"{name}: exit 2 with '{message}' ({proc.returncode}: {proc.stderr.strip()[:200]})")

# --- analyse ----------------------------------------------------------------------------------
proc = run("sweep", "analyse", one, "--year", "2020/21", "--json", work("analyse.json"))
import json  # noqa: E402

with open(work("analyse.json"), encoding="utf-8") as f:
    a = json.load(f)
sob = a["outputs"]["arrivals"]["sobol"]
c.check(sob["arrivals.walk-ins.rate_per_day"]["total"] > 0.8
        and abs(sob["services.clinic.capacity"]["total"]) < 0.05,
        f"arrivals: the rate carries the variance, the capacity none ({sob})")
c.check("Spearman" in proc.stdout, "sweep analyse prints each output against each parameter")

# --- CSV ---------------------------------------------------------------------------------------
import csv  # noqa: E402

run("export", one, "--csv", work("sweep-csv"))
with open(work("sweep-csv/sweep.csv"), encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
c.check(len(rows) == 160 * 2 * 2 * 2, f"sweep.csv: a row per point, replicate, year and output ({len(rows)})")
row = next(x for x in rows if x["point"] == "37" and x["replicate"] == "1" and x["metric"] == "occupied"
           and x["financial_year"] == "2020/21")
c.check(float(row["value"]) == r1["occupied"][37, 1, 1] and float(row["services.clinic.capacity"]) == d1[37, 0],
        "sweep.csv carries each point's parameters and values exactly")

c.done()
