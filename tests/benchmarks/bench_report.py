#!/usr/bin/python3
"""Summarises one tools/bench run and checks the budgets of DESIGN.md "Performance budgets".

Reads, from one results directory (each part only if its files are there):
  kernel.json          Google Benchmark JSON of BM_Hold* (repetitions interleaved)
  models_<i>.json      Google Benchmark JSON of BM_MMc and BM_BlockingLine, round i
  simpy_<i>.jsonl      tests/benchmarks/bench_simpy.py output, round i (run right after)
  borough.json         Google Benchmark JSON of pitstop_bench_borough (repetitions interleaved)
  borough_rss.txt      lines "run|validate <peak RSS KiB> <wall s> <user s>" from /usr/bin/time
  borough_load.txt     /proc/loadavg before and after pitstop_bench_borough
The kernel and peer budgets are ratios of two figures measured side by side: the hold-model
paths within one benchmark run, pitstop and SimPy within one round. The borough budgets are
absolute (seconds per replicate, bytes per resident) except the 2-core speed-up, which compares
1 and 2 threads within one run. Medians are reported, with the range over repetitions.
With --check, exits 1 when a budget is missed.

usage: bench_report.py RESULTS_DIR [--check]
"""

import glob
import json
import os
import statistics
import sys

KERNEL_VS_BARE_1K = 0.85  # Simulator path / bare std::priority_queue, 1,000 pending
KERNEL_VS_BARE_100K = 1.0  # ... at 100,000 pending: beat the bare loop
VS_SIMPY = 50.0  # per customer on M/M/c, per replication on the blocking line
BOROUGH_SECONDS = 5.0  # at most, one replicate April 2019 - March 2030 on one core
BOROUGH_BYTES = 100.0  # at most, bytes of memory per resident
BOROUGH_SPEEDUP = 1.8  # at least, replicates on 2 threads against 1


def benchmark_rates(path):
    """Median items/s of each benchmark in one Google Benchmark JSON file, by name."""
    runs, context = benchmark_runs(path)
    return ({name: statistics.median(b["items_per_second"] for b in v) for name, v in runs.items()},
            context)


def simpy_rates(path):
    """Customers/s and replications/s of each SimPy run, by (model, "stats" or "bare")."""
    out = {}
    with open(path) as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                key = (r["model"], "stats" if r.get("stats") else "bare")
                out[key] = {"customers_per_s": r["customers"] / r["seconds"],
                            "runs_per_s": 1.0 / r["seconds"]}
    return out


def benchmark_runs(path):
    """The repetitions of each benchmark in one Google Benchmark JSON file, by name."""
    with open(path) as f:
        doc = json.load(f)
    runs = {}
    for b in doc["benchmarks"]:
        if b.get("error_occurred"):
            sys.exit("bench_report: %s failed: %s" % (b["name"], b.get("error_message")))
        if b.get("run_type") != "aggregate":
            runs.setdefault(b.get("run_name", b["name"]), []).append(b)
    return runs, doc.get("context", {})


def spread(values, scale=1.0, fmt="%.2f"):
    """ "median (min-max)" of values times scale."""
    v = [x * scale for x in values]
    return (fmt + " (" + fmt + "-" + fmt + ")") % (statistics.median(v), min(v), max(v))


def borough(results, rows, checks):
    """The borough's figures (rows) and budgets (checks); returns the benchmark context."""
    runs, context = benchmark_runs(os.path.join(results, "borough.json"))
    med = statistics.median
    name = "BM_BoroughReplicate/recorder:%d/iterations:1/real_time"
    residents = None
    for recorder, label in ((1, "with the series recorder"), (0, "front door + network only")):
        reps = runs.get(name % recorder)
        if not reps:
            continue
        wall = [r["real_time"] for r in reps]
        cpu = [r["cpu_time"] for r in reps]
        residents = reps[0]["residents"]
        rows.append(("replicate, %s: wall" % label, spread(wall), "s"))
        rows.append(("replicate, %s: CPU" % label, spread(cpu), "s"))
        rows.append(("  events dispatched (%.1f M a replicate)" % (reps[0]["events"] / 1e6),
                     spread([r["events_per_s"] for r in reps], 1e-6), "M events/s (wall)"))
        rows.append(("  demand events (%.1f M a replicate)" % (reps[0]["demand_events"] / 1e6),
                     spread([r["demand_events_per_s"] for r in reps], 1e-6), "M events/s (wall)"))
        rows.append(("  building the front door (residents, sampler)",
                     spread([r["build_s"] for r in reps]), "s"))
        if recorder == 1:
            # Budgets: what `pitstop run` pays per replicate (less the HDF5 writer).
            checks.append(("seconds per replicate, 1 thread (wall)", med(wall),
                           BOROUGH_SECONDS, "max", "%.2f s", spread(wall)))
            if med(wall) > 1.1 * med(cpu):
                checks.append(("  the same in CPU time (the machine was busy)", med(cpu),
                               BOROUGH_SECONDS, "max", "%.2f s", spread(cpu)))
            model = [r["bytes_per_resident"] for r in reps]
            heap = [r["heap_per_resident"] for r in reps]
            checks.append(("bytes/resident: FrontDoor::bytes() + series", med(model),
                           BOROUGH_BYTES, "max", "%.1f B", spread(model, fmt="%.1f")))
            checks.append(("bytes/resident: malloc heap in use after the run", med(heap),
                           BOROUGH_BYTES, "max", "%.1f B", spread(heap, fmt="%.1f")))
    if residents:
        rows.insert(0, ("borough residents at the start", "%d" % residents, "people"))

    rss_path = os.path.join(results, "borough_rss.txt")
    if residents and os.path.exists(rss_path):
        peaks = {"run": [], "validate": []}
        with open(rss_path) as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 2 and parts[0] in peaks:
                    peaks[parts[0]].append(float(parts[1]) * 1024)
        if peaks["run"] and peaks["validate"]:
            base = med(peaks["validate"])
            rows.append(("peak RSS, pitstop run -r 1 -t 1 -q", spread(peaks["run"], 2**-20, "%.1f"),
                         "MiB"))
            rows.append(("peak RSS, pitstop validate (the baseline)",
                         spread(peaks["validate"], 2**-20, "%.1f"), "MiB"))
            growth = [(p - base) / residents for p in peaks["run"]]
            checks.append(("bytes/resident: peak RSS of run - validate", med(growth),
                           BOROUGH_BYTES, "max", "%.1f B", spread(growth, fmt="%.1f")))

    scaling, cpu = {}, {}
    for run_name, reps in runs.items():
        if run_name.startswith("BM_BoroughScaling/"):
            args = dict(a.split(":") for a in run_name.split("/")[1:3])
            key = (int(args["threads"]), int(args["replicates"]))
            scaling[key] = {r.get("repetition_index", i): r["real_time"]
                            for i, r in enumerate(reps)}
            cpu[key] = [r["process_cpu_s_per_replicate"] for r in reps
                        if "process_cpu_s_per_replicate" in r]
    for (threads, n), times in sorted(scaling.items()):
        rows.append(("%d replicates on %d thread(s): wall" % (n, threads),
                     spread(list(times.values())), "s"))
        if cpu[(threads, n)]:
            rows.append(("  CPU of every thread, per replicate", spread(cpu[(threads, n)]), "s"))
    for (threads, n), times in sorted(scaling.items()):
        if threads == 2 and (1, n) in scaling:
            one = scaling[(1, n)]
            pairs = [one[i] / times[i] for i in times if i in one]
            checks.append(("speed-up of %d replicates, 2 threads / 1 (wall)" % n,
                           med(one.values()) / med(times.values()), BOROUGH_SPEEDUP, "min",
                           "%.2fx", spread(pairs) + " by repetition"))
            if cpu[(1, n)] and cpu[(2, n)]:
                # What 2 free cores would give: 2 x (CPU per replicate alone / side by side).
                bound = 2 * med(cpu[(1, n)]) / med(cpu[(2, n)])
                checks.append(("  2 x CPU per replicate at 1 thread / at 2 (reference)", bound,
                               None, "min", "%.2fx", "the speed-up if both cores were free"))
    return context


def main():
    args = [a for a in sys.argv[1:] if a != "--check"]
    check = "--check" in sys.argv[1:]
    if len(args) != 1:
        sys.exit(__doc__.strip().splitlines()[-1])
    results = args[0]

    rows = []  # (figure, value, unit)
    ratios = []  # (what, measured ratio, budget or None)
    context = {}
    kernel_path = os.path.join(results, "kernel.json")
    if os.path.exists(kernel_path):
        kernel, context = benchmark_rates(kernel_path)
        for n, label, need in ((1000, "1k", KERNEL_VS_BARE_1K),
                               (100000, "100k", KERNEL_VS_BARE_100K)):
            sim = kernel.get("BM_HoldSimulator/%d" % n, float("nan"))
            bare = kernel.get("BM_HoldBareQueue/%d" % n, float("nan"))
            rows.append(("hold model, %s pending: Simulator path" % label, sim / 1e6,
                         "M events/s"))
            rows.append(("hold model, %s pending: bare std::priority_queue" % label, bare / 1e6,
                         "M events/s"))
            ratios.append(("Simulator / bare loop, %s pending" % label, sim / bare, need))

    # Rounds: pitstop, then SimPy, side by side.
    figures = {}  # name -> list over rounds
    per_round = {}  # ratio name -> list over rounds
    rounds = sorted(glob.glob(os.path.join(results, "models_*.json")))
    for path in rounds:
        i = path[path.rindex("_") + 1:-len(".json")]
        pit, _ = benchmark_rates(path)
        mmc, line = pit["BM_MMc"], pit["BM_BlockingLine"]
        figures.setdefault("mmc", []).append(mmc)
        figures.setdefault("line", []).append(line)
        simpy_path = os.path.join(results, "simpy_%s.jsonl" % i)
        if not os.path.exists(simpy_path):
            continue
        for key, s in simpy_rates(simpy_path).items():
            model, variant = key
            if model == "mmc":
                figures.setdefault(key, []).append(s["customers_per_s"])
                per_round.setdefault(key, []).append(mmc / s["customers_per_s"])
            else:
                figures.setdefault(key, []).append(s["runs_per_s"])
                per_round.setdefault(key, []).append(line / s["runs_per_s"])

    med = statistics.median
    if "mmc" in figures:
        rows.append(("M/M/c (c=10, rho=0.9, 10,000 days): pitstop", med(figures["mmc"]) / 1e6,
                     "M customers/s"))
        rows.append(("blocking line (365 days): pitstop", med(figures["line"]), "replications/s"))
    for variant, what in (("stats", "same statistics"), ("bare", "no statistics")):
        # Like-for-like is SimPy measuring what pitstop measures; "bare" SimPy measures nothing.
        budget = VS_SIMPY if variant == "stats" else None
        if ("mmc", variant) in figures:
            rows.append(("M/M/c: SimPy 2.3.1, %s" % what, med(figures[("mmc", variant)]) / 1e6,
                         "M customers/s"))
            ratios.append(("pitstop / SimPy (%s), M/M/c per customer" % what,
                           med(per_round[("mmc", variant)]), budget))
        if ("line", variant) in figures:
            rows.append(("blocking line: SimPy 2.3.1, %s" % what, med(figures[("line", variant)]),
                         "replications/s"))
            ratios.append(("pitstop / SimPy (%s), line per replication" % what,
                           med(per_round[("line", variant)]), budget))

    missed = 0
    if rows:
        print()
        print("%-56s %9s  %s" % ("figure (median)", "value", "unit"))
        for figure, value, unit in rows:
            print("%-56s %9.3f  %s" % (figure, value, unit))
    if ratios:
        print()
        print("%-56s %9s %8s" % ("ratio (side by side; median over rounds)", "measured", "budget"))
    for what, ratio, need in ratios:
        if need is None:
            print("%-56s %8.1fx %8s  (reference)" % (what, ratio, "-"))
            continue
        ok = ratio >= need
        missed += not ok
        print("%-56s %8.2fx %7.2fx  %s" % (what, ratio, need, "ok" if ok else "MISSED"))
    if rounds:
        print("(%d rounds of pitstop then SimPy)" % len(rounds))
    load = context.get("load_avg")
    if load:
        print("load average when the kernel run began: %s on %s CPUs (above ~1 per CPU, other "
              "work shares the machine and figures drop)"
              % (" ".join("%.2f" % x for x in load), context.get("num_cpus", "?")))

    if os.path.exists(os.path.join(results, "borough.json")):
        brows, checks = [], []  # (figure, "median (min-max)", unit); budgets
        bcontext = borough(results, brows, checks)
        print()
        print("%-56s %s" % ("borough figure", "median (min-max over repetitions)"))
        for figure, value, unit in brows:
            print("%-56s %s %s" % (figure, value, unit))
        print()
        print("%-52s %9s %11s" % ("borough budget (median)", "measured", "budget"))
        for what, value, need, kind, fmt, detail in checks:
            if need is None:
                print("%-52s %9s %11s  %-6s %s" % (what, fmt % value, "-", "", detail))
                continue
            ok = value <= need if kind == "max" else value >= need
            missed += not ok
            print("%-52s %9s %11s  %-6s %s" % (what, fmt % value,
                                              ("<= " if kind == "max" else ">= ") + fmt % need,
                                              "ok" if ok else "MISSED", detail))
        loads = {}
        load_path = os.path.join(results, "borough_load.txt")
        if os.path.exists(load_path):
            with open(load_path) as f:
                for line in f:
                    parts = line.split()
                    if len(parts) >= 4:
                        loads[parts[0]] = " ".join(parts[1:4])
        elif bcontext.get("load_avg"):
            loads["before"] = " ".join("%.2f" % x for x in bcontext["load_avg"])
        if loads:
            print("load average (1, 5, 15 min) %s on %s CPUs (wall times and the speed-up "
                  "suffer above ~1 per CPU)"
                  % (", ".join("%s the borough benchmarks: %s" % (k, v) for k, v in loads.items()),
                     bcontext.get("num_cpus", "?")))
    if check and missed:
        sys.exit(1)


if __name__ == "__main__":
    main()
