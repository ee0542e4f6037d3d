"""The HDF5 results file: schema, JSON round trip, determinism at 1 and 2 threads, atomicity."""
import hashlib
import json
import os
import signal
import subprocess
import time

import h5py
import numpy as np

from pitstop_testlib import BIN, SOURCE, Checks, run, work, write

c = Checks()

# A small two-year network from April 2019 with blocking, so every metric has data.
SCENARIO = write("tandem.yaml", """
name: tandem-two-years
start: 2019-04-01
horizon_days: 800
warmup_days: 30
seed: 5
replicates: 3
arrivals:
  - {name: arrivals, to: front, rate_per_day: 3.0}
services:
  front:
    capacity: 2
    queue_capacity: 0
    duration_days: {dist: exponential, mean: 0.5}
    routes: [{to: ward, p: 0.8}, {to: exit, p: 0.2}]
  ward:
    capacity: 3
    queue_capacity: 1
    duration_days: {dist: exponential, mean: 1.0}
""")

# --- schema -----------------------------------------------------------------------------------
out1, js1 = work("t1.h5"), work("t1.json")
run("run", SCENARIO, "-o", out1, "--json", js1, "--threads", "1", "--quiet")
with h5py.File(out1, "r") as f:
    meta = f["meta"].attrs
    for key in ["tool_version", "git_revision", "schema_version", "scenario", "seed", "replicates",
                "start_date", "end_date", "warmup_days", "horizon_days", "created"]:
        c.check(key in meta, f"/meta has attribute {key}")
    c.check(meta["start_date"] == "2019-04-01" and meta["end_date"] == "2021-06-08",
            f"start/end dates ({meta['start_date']}, {meta['end_date']})")
    c.check(int(meta["replicates"]) == 3 and int(meta["seed"]) == 5, "replicates and seed")
    yaml_text = f["meta/scenario_yaml"][0].decode()
    c.check("tandem-two-years" in yaml_text and "ward" in yaml_text, "resolved scenario YAML stored")
    days = f["scales/day"]
    c.check(days.shape == (800,) and days[0].decode() == "2019-04-01", "day scale is ISO dates")
    expected = {"arrivals": 2, "completions": 2, "lost": 2, "queue_length": 2, "occupied": 2,
                "blocked_days": 1}
    c.check(set(f["series"].keys()) == set(expected), f"series metrics {sorted(f['series'].keys())}")
    for name, b in expected.items():
        ds = f["series"][name]
        c.check(ds.shape == (3, 800, b), f"/series/{name} shape {ds.shape}")
        c.check(ds.chunks is not None and ds.compression == "gzip", f"/series/{name} chunked+deflate")
        for attr in ["units", "description", "rollup", "breakdown"]:
            c.check(attr in ds.attrs, f"/series/{name} has {attr}")
        scales = [ds.dims[i][0].name for i in range(3)]
        c.check(scales[0] == "/scales/replicate" and scales[1] == "/scales/day",
                f"/series/{name} scales {scales}")
    c.check([s.decode() for s in f["scales/service_to_destination"][:]] == ["front->ward"],
            "blocked_days breakdown labels")
    fy = [s.decode() for s in f["scales/financial_year"][:]]
    c.check(fy == ["2019/20", "2020/21", "2021/22"], f"financial years {fy}")
    months = [s.decode() for s in f["scales/month"][:]]
    c.check(months[0] == "2019-05" and months[-1] == "2021-06", f"months after warm-up {months[:2]}..")
    for group, n in [("by_month", len(months)), ("by_financial_year", len(fy))]:
        for name, b in expected.items():
            g = f["summary"][group][name]
            c.check(g["per_replicate"].shape == (3, n, b), f"{group}/{name}/per_replicate shape")
            c.check(g["across"].shape == (4, n, b), f"{group}/{name}/across shape")
    # Rollups: the FY sum of daily arrivals equals the per-replicate FY value.
    arr = f["series/arrivals"][:]
    fy_arr = f["summary/by_financial_year/arrivals/per_replicate"][:]
    # FY 2019/20 observed days: day 30 (2019-05-01) .. day 365 (2020-03-31).
    c.check(np.allclose(arr[:, 30:366, :].sum(axis=1), fy_arr[:, 0, :]), "FY rollup equals daily sum")
    occ = f["series/occupied"][:]
    fy_occ = f["summary/by_financial_year/occupied/per_replicate"][:]
    c.check(np.allclose(occ[:, 30:366, :].mean(axis=1), fy_occ[:, 0, :]), "FY rollup of a level is its mean")
    # Across-replicate stats agree with numpy.
    across = f["summary/by_month/arrivals/across"][:]
    per = f["summary/by_month/arrivals/per_replicate"][:]
    c.check(np.allclose(across[0], per.mean(axis=0)), "across mean")
    c.check(np.allclose(across[2], np.percentile(per, 50, axis=0)), "across median")
    c.check(np.allclose(across[3], np.percentile(per, 95, axis=0)), "across p95")
    stats = f["summary/services"]
    for stat in ["arrivals", "completions", "lost_fraction", "wait_mean_days", "utilisation",
                 "blocked_mean_days", "blocked_fraction"]:
        c.check(stat in stats and stats[stat]["per_replicate"].shape == (3, 2), f"services/{stat}")

    # --- round trip: the JSON summary equals what is in /summary --------------------------------
    js = json.load(open(js1))
    services = [s.decode() for s in f["scales/service"][:]]
    for stat in ["arrivals", "utilisation", "blocked_fraction", "wait_mean_days"]:
        acr = f["summary/services"][stat]["across"][:]
        for j, name in enumerate(services):
            got = js["services"][name][stat]
            c.check(np.isclose(got["mean"], acr[0, j], rtol=1e-9) and
                    np.isclose(got["lo"], acr[1, j], rtol=1e-9) and
                    np.isclose(got["hi"], acr[2, j], rtol=1e-9), f"JSON services.{name}.{stat}")
    for name in expected:
        per = f["summary/by_financial_year"][name]["per_replicate"][:].sum(axis=2).mean(axis=0)
        for p, label in enumerate(fy):
            got = js["metrics"][name][label]["mean"]
            c.check(np.isclose(got, per[p], rtol=1e-9), f"JSON metrics.{name}.{label}")
    # Blocking shows up, and its daily place-days add up to the counters' blocked days.
    blocked = f["series/blocked_days"][:, 30:, 0].sum(axis=1)
    total = f["summary/services/blocked_days/per_replicate"][:, 0]
    c.check(blocked.min() > 0, "blocking occurred")
    c.check(np.allclose(blocked, total, rtol=0.02), f"daily blocked place-days {blocked} ≈ counters {total}")


# --- determinism: byte-identical datasets at 1 and 2 threads -----------------------------------
def datasets(path):
    """Every dataset's bytes (numbers) or values (variable-length strings), by path."""
    out = {}

    def take(name, obj):
        if isinstance(obj, h5py.Dataset):
            data = obj[()]
            out[name] = repr(data.tolist()) if data.dtype.kind == "O" else data.tobytes()

    with h5py.File(path, "r") as f:
        f.visititems(take)
    return out


out2 = work("t2.h5")
run("run", SCENARIO, "-o", out2, "--threads", "2", "--quiet")
d1, d2 = datasets(out1), datasets(out2)
c.check(d1.keys() == d2.keys(), "same datasets at 1 and 2 threads")
c.check(all(d1[k] == d2[k] for k in d1), "byte-identical datasets at 1 and 2 threads")
out3 = work("t3.h5")
run("run", SCENARIO, "-o", out3, "--seed", "6", "--quiet")
c.check(datasets(out3)["series/arrivals"] != d1["series/arrivals"], "another seed differs")

# --- atomicity ---------------------------------------------------------------------------------
LONG = write("long.yaml", """
name: long
start: 2019-04-01
horizon_days: 20000
seed: 1
replicates: 400
arrivals: [{name: a, to: s, rate_per_day: 20}]
services:
  s: {capacity: 25, duration_days: {dist: exponential, mean: 1.0}}
""")


def digest(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
    target = work(f"atomic-{sig.name}.h5")
    with open(target, "wb") as f:
        f.write(b"an older result that must survive")
    before = digest(target)
    proc = subprocess.Popen([BIN, "run", LONG, "-o", target, "--quiet"], cwd=SOURCE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    temp = os.path.join(os.path.dirname(target), f".{os.path.basename(target)}.tmp-{proc.pid}")
    deadline = time.time() + 60
    while not os.path.exists(temp) and time.time() < deadline and proc.poll() is None:
        time.sleep(0.02)
    time.sleep(0.5)  # well into the run: replicates are being written
    c.check(proc.poll() is None and os.path.exists(temp), f"{sig.name}: run in progress with a temporary")
    proc.send_signal(sig)
    proc.wait(timeout=60)
    c.check(digest(target) == before, f"{sig.name}: the older file at the target is untouched")
    if sig != signal.SIGKILL:  # a kill -9 cannot clean up; the temporary is never the target
        c.check(not os.path.exists(temp), f"{sig.name}: the temporary was removed")
    elif os.path.exists(temp):
        os.remove(temp)

# A failed run (bad input) never creates the target either.
bad_target = work("never.h5")
bad = write("bad.yaml", "name: x\nstart: 2019-13-01\n")
proc = run("run", bad, "-o", bad_target, check=False)
c.check(proc.returncode == 2 and not os.path.exists(bad_target), "bad input: exit 2, no file")

c.done()
