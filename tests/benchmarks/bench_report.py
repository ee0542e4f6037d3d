#!/usr/bin/python3
"""Summarises one tools/bench run and checks the budgets of DESIGN.md "Performance budgets".

Reads, from one results directory:
  kernel.json          Google Benchmark JSON of BM_Hold* (repetitions interleaved)
  models_<i>.json      Google Benchmark JSON of BM_MMc and BM_BlockingLine, round i
  simpy_<i>.jsonl      tests/benchmarks/bench_simpy.py output, round i (run right after)
Every budget is a ratio of two figures measured side by side: the hold-model paths within one
benchmark run, pitstop and SimPy within one round. The median over rounds is reported.
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


def benchmark_rates(path):
    """Median items/s of each benchmark in one Google Benchmark JSON file, by name."""
    with open(path) as f:
        doc = json.load(f)
    runs = {}
    for b in doc["benchmarks"]:
        if b.get("error_occurred"):
            sys.exit("bench_report: %s failed: %s" % (b["name"], b.get("error_message")))
        if b.get("run_type") == "aggregate":
            continue  # recomputed below from the repetitions themselves
        runs.setdefault(b.get("run_name", b["name"]), []).append(b["items_per_second"])
    return {name: statistics.median(v) for name, v in runs.items()}, doc.get("context", {})


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


def main():
    args = [a for a in sys.argv[1:] if a != "--check"]
    check = "--check" in sys.argv[1:]
    if len(args) != 1:
        sys.exit(__doc__.strip().splitlines()[-1])
    results = args[0]

    rows = []  # (figure, value, unit)
    ratios = []  # (what, measured ratio, budget or None)
    kernel, context = benchmark_rates(os.path.join(results, "kernel.json"))
    for n, label, need in ((1000, "1k", KERNEL_VS_BARE_1K), (100000, "100k", KERNEL_VS_BARE_100K)):
        sim = kernel.get("BM_HoldSimulator/%d" % n, float("nan"))
        bare = kernel.get("BM_HoldBareQueue/%d" % n, float("nan"))
        rows.append(("hold model, %s pending: Simulator path" % label, sim / 1e6, "M events/s"))
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

    print()
    print("%-56s %9s  %s" % ("figure (median)", "value", "unit"))
    for figure, value, unit in rows:
        print("%-56s %9.3f  %s" % (figure, value, unit))
    print()
    print("%-56s %9s %8s" % ("ratio (side by side; median over rounds)", "measured", "budget"))
    missed = 0
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
    if check and missed:
        sys.exit(1)


if __name__ == "__main__":
    main()
