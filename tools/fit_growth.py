"""Places that grow with the demand the model projects (`tools/calibrate.py --fit-growth`).

From a run of the baseline with the hospital and discharge services unconstrained (places far
above their use, so that every place in use is demand, none a queue), each service's mean places
in use per financial year is smoothed by a least-squares line over the years; a year's places
are the baseline's 2019/20 places × (the line in that year ÷ the line in the first year),
rounded. So the first year keeps its calibrated places and occupancy, and later years grow (or
shrink) as their own demand does, not as any one age group does."""
import numpy as np

# The services whose places grow with their demand in the baseline: the acute beds, the
# assessors and every discharge destination (the front door's rotas stay as they are).
GROWING = ["beds", "assessment", "homecare", "reablement", "intermediate_care",
           "residential_home", "nursing_home"]


def financial_years(days):
    """(labels, index of each day's year) for ISO day labels."""
    fy = []
    for d in days:
        y, m = int(d[:4]), int(d[5:7])
        fy.append(y if m >= 4 else y - 1)
    years = sorted(set(fy))
    return years, np.array([years.index(y) for y in fy])


def trend(means):
    """The least-squares line through (k, means[k]), at each k."""
    k = np.arange(len(means), dtype=float)
    slope, intercept = np.polyfit(k, np.asarray(means, dtype=float), 1)
    return intercept + slope * k


def fit(occupied, services, days, base_places, whole_years):
    """Places per service and financial year: {service: [(year, places)]}.

    occupied: (replicate, day, service) places in use of the unconstrained run; services: its
    service labels; base_places: {service: 2019/20 places}; whole_years: the years to use (those
    wholly inside the run)."""
    years, index = financial_years(days)
    out = {}
    for name in GROWING:
        if name not in services or name not in base_places:
            continue
        i = services.index(name)
        means = [occupied[:, index == years.index(y), i].mean() for y in whole_years]
        line = trend(means)
        out[name] = [(y, int(round(base_places[name] * line[k] / line[0])))
                     for k, y in enumerate(whole_years)]
    return out


def yaml_block(places):
    """The capacity_schedule entries for the baseline, one step each April after the first."""
    lines = []
    for name, steps in places.items():
        lines.append(f"  {name}:")
        lines.append("    capacity_schedule:")
        for year, n in steps[1:]:
            lines.append(f"      - {{from: {year}-04-01, capacity: {n}}}")
    return "\n".join(lines) + "\n"
