"""The queueing arithmetic behind the places of the baseline's discharge services.

A patient ready to leave hospital whose destination has no free place keeps the bed (DESIGN.md:
blocking = delayed transfer). Each destination is then a many-server queue whose waiting room is
the acute bed, so the delayed beds awaiting it are that queue's mean length Lq. For each service
this reads, from a results file of the scenario: the arrival rate in a financial year (days after
the first, so that the people placed there at the start do not count), the mean time in service
from the scenario's own durations, and the simulated delayed beds; and it prints the places that
would give the target Lq by the Allen–Cunneen approximation of the M/G/c queue:

    Lq(c) ≈ ErlangC(c, a) · a / (c − a) · (1 + cs²) / 2,   a = λ · E[S],  cs² = Var S / E[S]²

and the steady-state occupancy a to use as `initial_occupied`. The assessment holds its place
while the patient waits for the destination, so its E[S] is measured (occupied ÷ arrivals).

Targets: calibration.md target 8 (≈11.7 delayed beds a day) spread over the reasons the model has
by the England reason split (calibration.md §5 row "Reason split": care package at home 20%,
further non-acute NHS care 20%, completion of assessment 13%, nursing home 12%, residential home
8%; choice, equipment, housing and the rest are not modelled, so these shares are rescaled to sum
to 1; the care-package share is split 17:3 between homecare and reablement, an assumption).

Used by tools/calibrate.py --fit-discharge."""
import math

TARGET_DELAYED_BEDS = 11.7  # calibration.md target 8
REASON_SHARE = {            # calibration.md §5 "Reason split" (assumption there), modelled part
    "homecare": 17, "reablement": 3, "intermediate_care": 20, "assessment": 13,
    "residential_home": 8, "nursing_home": 12,
}
SERVICES = ["assessment", "homecare", "reablement", "intermediate_care", "residential_home",
            "nursing_home"]


def target_delayed_beds(reason):
    return TARGET_DELAYED_BEDS * REASON_SHARE[reason] / sum(REASON_SHARE.values())


def erlang_c(c, a):
    """Probability of waiting in an M/M/c queue with offered load a (< c), through the stable
    Erlang B recursion B(k) = a·B(k−1) / (k + a·B(k−1)) and C = B / (1 − (a/c)(1 − B))."""
    if a <= 0:
        return 0.0
    if a >= c:
        return 1.0
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return b / (1 - (a / c) * (1 - b))


def mean_queue(c, a, cs2):
    """Allen–Cunneen mean queue length of M/G/c (inf when a >= c)."""
    if a >= c:
        return math.inf
    return erlang_c(c, a) * a / (c - a) * (1 + cs2) / 2


def places_for(a, cs2, target):
    """Fewest places whose mean queue is at most `target`."""
    c = max(1, int(math.floor(a)) + 1)
    while mean_queue(c, a, cs2) > target:
        c += 1
    return c


def moments(dist):
    """Mean and squared coefficient of variation of a scenario duration (`duration_days`)."""
    kind = dist.get("dist")
    if kind == "fixed":
        return float(dist["value"]), 0.0
    if kind == "exponential":
        return float(dist["mean"]), 1.0
    if kind in ("lognormal", "gamma", "normal"):
        mean, sd = float(dist["mean"]), float(dist["sd"])
        return mean, (sd / mean) ** 2
    if kind == "uniform":
        lo, hi = float(dist["min"]), float(dist["max"])
        mean = (lo + hi) / 2
        return mean, ((hi - lo) ** 2 / 12) / mean ** 2
    raise ValueError(f"cannot take the moments of duration {dist!r}")


def fit(run, scenario, first_day, last_day):
    """Rows of (service, λ per day, E[S], cs², a, places now, simulated delayed beds, target,
    suggested places) over days [first_day, last_day) of `run` (a calibrate.Run)."""
    services = scenario.get("services", {})
    labels = run.labels("arrivals")
    rows = []
    for name in SERVICES:
        if name not in services or name not in labels:
            continue
        spec = services[name]
        k = labels.index(name)
        # Arrivals from the day after the first: the first day holds the initial occupants.
        start = max(first_day, 1)
        lam = float(run._window("arrivals", start, last_day)[:, :, k].sum(axis=1).mean()) / (
            last_day - start)
        mean, cs2 = moments(spec["duration_days"])
        if name == "assessment":
            occupied = float(run._window("occupied", first_day, last_day)[:, :, k].mean())
            mean = occupied / lam if lam > 0 else mean
        a = lam * mean
        simulated = float(run.total("delayed_transfer_days", first_day, last_day,
                                    lambda lab, n=name: lab.split("/")[-1] == n).mean()) / (
            last_day - first_day)
        target = target_delayed_beds(name)
        rows.append((name, lam, mean, cs2, a, int(spec["capacity"]) if not isinstance(
            spec["capacity"], dict) else spec["capacity"], simulated, target,
            places_for(a, cs2, target)))
    return rows


def table(rows):
    head = (f"{'service':18s} {'λ/day':>7s} {'E[S] d':>7s} {'cs²':>5s} {'load a':>7s} "
            f"{'places':>6s} {'delayed':>8s} {'target':>7s} {'fit':>5s}")
    out = [head]
    for name, lam, mean, cs2, a, places, sim, target, fit_c in rows:
        out.append(f"{name:18s} {lam:7.2f} {mean:7.2f} {cs2:5.2f} {a:7.1f} {places!s:>6s} "
                   f"{sim:8.2f} {target:7.2f} {fit_c:5d}")
    return "\n".join(out)
