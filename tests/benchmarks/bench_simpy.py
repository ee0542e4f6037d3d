#!/usr/bin/python3
"""The peer side of tools/bench: the same models as bench_kernel.cpp, in SimPy.

Written for Debian's python3-simpy, which is SimPy 2.3.1 (the classic process API:
`yield hold, self, t`, `yield request, self, res`, `yield release, self, res`), run by
/usr/bin/python3. Each model uses its own Simulation instance, so runs do not share state.

  mmc   M/M/c: c = 10, lambda = 9/day, mean service 1 day (rho = 0.9), 10,000 days
  line  emergency -> ward -> reablement with finite rooms and blocking, 365 days

The parameters mirror tests/benchmarks/bench_kernel.cpp: change both together.

Each model runs twice: "bare" measures nothing but counts, and "stats" measures what a pitstop
Network always measures, the SimPy way: Resources monitored by Tallies (time-averaged queue
length and places in use) and a Tally per service for waits, blocked times and sojourns. The
second is the like-for-like comparison; the first is the lower bound on SimPy's cost.
Prints one JSON object per run (model, stats, seed, customers, seconds, ...) on stdout.
"""

import argparse
import json
import random
import time

from SimPy.Simulation import Process, Resource, Simulation, Tally, hold, release, request

# M/M/c (BM_MMc)
SERVERS = 10
ARRIVAL_RATE = 9.0  # per day
MEAN_SERVICE = 1.0  # days
MMC_HORIZON = 10000.0  # days

# Blocking line (BM_BlockingLine)
LINE_HORIZON = 365.0
LINE_ARRIVAL_RATE = 100.0
ED_PLACES, ED_QUEUE, ED_MEAN, P_WARD = 20, 30, 4.0 / 24.0, 0.3
WARD_BEDS, WARD_MEAN, P_REABLEMENT = 150, 4.5, 0.2
REABLEMENT_PLACES, REABLEMENT_MEAN = 85, 14.0


class Counts:
    """What a run counted."""

    def __init__(self):
        self.customers = 0
        self.lost = 0
        self.blocked = 0  # people who found the next service full and waited in their place


class Service:
    """A SimPy Resource plus, with stats, the measurements pitstop makes of a service."""

    def __init__(self, sim, name, capacity, stats):
        self.res = Resource(capacity=capacity, name=name, sim=sim, monitored=stats,
                            monitorType=Tally)
        self.stats = stats
        if stats:
            self.wait = Tally(name=name + " wait", sim=sim)
            self.blocked = Tally(name=name + " blocked", sim=sim)
            self.sojourn = Tally(name=name + " sojourn", sim=sim)

    def summary(self, sim):
        if not self.stats:
            return {}
        r = self.res
        return {"mean_queue": r.waitMon.timeAverage(sim.now()),
                "mean_busy": r.actMon.timeAverage(sim.now()),
                "mean_wait": self.wait.mean() if self.wait.count() else 0.0,
                "blocked_days": self.blocked.total(),
                "mean_sojourn": self.sojourn.mean() if self.sojourn.count() else 0.0}


class MMcCustomer(Process):
    def visit(self, server, rng):
        arrived = self.sim.now()
        yield request, self, server.res
        if server.stats:
            server.wait.observe(self.sim.now() - arrived)
        yield hold, self, rng.expovariate(1.0 / MEAN_SERVICE)
        yield release, self, server.res
        if server.stats:
            server.sojourn.observe(self.sim.now() - arrived)


class MMcSource(Process):
    def generate(self, server, rng, counts):
        while True:
            yield hold, self, rng.expovariate(ARRIVAL_RATE)
            if self.sim.now() > MMC_HORIZON:
                return
            counts.customers += 1
            c = MMcCustomer(sim=self.sim)
            self.sim.activate(c, c.visit(server, rng))


def run_mmc(seed, stats):
    sim = Simulation()
    sim.initialize()
    rng = random.Random(seed)
    counts = Counts()
    server = Service(sim, "server", SERVERS, stats)
    src = MMcSource(sim=sim)
    sim.activate(src, src.generate(server, rng, counts))
    sim.simulate(until=MMC_HORIZON)
    return counts, [server.summary(sim)]


class Patient(Process):
    def visit(self, ed, ward, reablement, rng, counts):
        sim = self.sim
        if ed.res.n == 0 and len(ed.res.waitQ) >= ED_QUEUE:
            counts.lost += 1  # the emergency department is full: diverted
            return
        entered = sim.now()
        yield request, self, ed.res
        if ed.stats:
            ed.wait.observe(sim.now() - entered)
        yield hold, self, rng.expovariate(1.0 / ED_MEAN)
        if rng.random() >= P_WARD:
            yield release, self, ed.res
            if ed.stats:
                ed.sojourn.observe(sim.now() - entered)
            return
        # The ward has no waiting room: wait for a bed in the cubicle (blocking).
        if ward.res.n == 0:
            counts.blocked += 1
        ready = sim.now()
        yield request, self, ward.res
        yield release, self, ed.res
        if ed.stats:
            ed.blocked.observe(sim.now() - ready)
            ed.sojourn.observe(sim.now() - entered)
            ward.wait.observe(0.0)
        entered = sim.now()
        yield hold, self, rng.expovariate(1.0 / WARD_MEAN)
        if rng.random() >= P_REABLEMENT:
            yield release, self, ward.res
            if ward.stats:
                ward.sojourn.observe(sim.now() - entered)
            return
        if reablement.res.n == 0:
            counts.blocked += 1
        ready = sim.now()
        yield request, self, reablement.res
        yield release, self, ward.res
        if ward.stats:
            ward.blocked.observe(sim.now() - ready)
            ward.sojourn.observe(sim.now() - entered)
            reablement.wait.observe(0.0)
        entered = sim.now()
        yield hold, self, rng.expovariate(1.0 / REABLEMENT_MEAN)
        yield release, self, reablement.res
        if reablement.stats:
            reablement.sojourn.observe(sim.now() - entered)


class LineSource(Process):
    def generate(self, ed, ward, reablement, rng, counts):
        while True:
            yield hold, self, rng.expovariate(LINE_ARRIVAL_RATE)
            if self.sim.now() > LINE_HORIZON:
                return
            counts.customers += 1
            p = Patient(sim=self.sim)
            self.sim.activate(p, p.visit(ed, ward, reablement, rng, counts))


def run_line(seed, stats):
    sim = Simulation()
    sim.initialize()
    rng = random.Random(seed)
    counts = Counts()
    ed = Service(sim, "emergency", ED_PLACES, stats)
    ward = Service(sim, "ward", WARD_BEDS, stats)
    reablement = Service(sim, "reablement", REABLEMENT_PLACES, stats)
    src = LineSource(sim=sim)
    sim.activate(src, src.generate(ed, ward, reablement, rng, counts))
    sim.simulate(until=LINE_HORIZON)
    return counts, [s.summary(sim) for s in (ed, ward, reablement)]


MODELS = {"mmc": run_mmc, "line": run_line}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("models", nargs="*", metavar="model", help="mmc, line (default: both)")
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1, help="seed of the first repetition")
    args = parser.parse_args()
    for model in args.models:
        if model not in MODELS:
            parser.error("unknown model %r (choose from %s)" % (model, ", ".join(MODELS)))
    for model in args.models or list(MODELS):
        for stats in (False, True):
            for rep in range(args.repetitions):
                seed = args.seed + rep
                start = time.process_time()  # CPU time, as Google Benchmark reports
                counts, summaries = MODELS[model](seed, stats)
                seconds = time.process_time() - start
                print(json.dumps({"model": model, "stats": stats, "seed": seed,
                                  "customers": counts.customers, "lost": counts.lost,
                                  "blocked": counts.blocked, "seconds": round(seconds, 4),
                                  "services": summaries}), flush=True)

if __name__ == "__main__":
    main()
