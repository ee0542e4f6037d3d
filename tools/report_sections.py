"""The sections of the report: the runs, one per metric (charts and a financial-year table), the
service statistics and the scenario YAML. Each returns HTML; the data come from report_data."""
import os

import numpy as np

import report_charts as charts
import report_data as data
from report_html import esc, image, number, percent, plural, signed, table

MAX_SMALL_MULTIPLES = 8


# --- the runs -----------------------------------------------------------------------------

def run_names(scenario, baseline):
    """Names for the legend: scenario names, or file names when both have the same name."""
    if baseline is None:
        return scenario.name, None
    if scenario.name != baseline.name:
        return scenario.name, baseline.name
    return os.path.basename(scenario.path), os.path.basename(baseline.path)


def _run_rows(r):
    """The facts shown for one run."""
    m = r.meta
    warmup = float(m.get("warmup_days", 0) or 0)
    return [
        ("Scenario", f"<strong>{esc(r.name)}</strong>"),
        ("File", f"<code>{esc(os.path.basename(r.path))}</code>"),
        ("Dates", f"{esc(m.get('start_date', '?'))} to {esc(m.get('end_date', '?'))}"),
        ("Observed from", f"{esc(m.get('first_observed_date', '?'))} "
                          f"(warm-up {warmup:g} days)"),
        ("Replicates", esc(m.get("replicates", "?"))),
        ("Seed", esc(m.get("seed", "?"))),
        ("Tool version", esc(m.get("tool_version", "?"))),
        ("Created", esc(m.get("created", "?"))),
    ]


def _pit_stop_list(run):
    """The run's pit stops, numbered as on the charts."""
    if not run.pit_stops:
        return "none"
    items = "".join(f"<li><strong>{esc(date.isoformat())}</strong> {esc(name)}: {esc(why)}</li>"
                    for date, name, why in run.pit_stops)
    return f'<ol class="pit-stops">{items}</ol>'


def runs_section(scenario, baseline):
    """A card listing each run's name, dates, replicates, seed, tool version and pit stops."""
    rows = _run_rows(scenario)
    if scenario.pit_stops or (baseline is not None and baseline.pit_stops):
        rows.append(("Pit stops", _pit_stop_list(scenario)))
    if baseline is None:
        cells = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
        head = ""
    else:
        base_rows = dict(_run_rows(baseline))
        base_rows["Pit stops"] = _pit_stop_list(baseline)
        cells = "".join(f"<tr><th>{k}</th><td>{v}</td><td>{base_rows[k]}</td></tr>"
                        for k, v in rows)
        head = "<tr><th></th><th>Scenario</th><th>Baseline</th></tr>"
    return (f'<section class="card" id="runs"><h2>Runs</h2>'
            f'<table class="meta">{head}{cells}</table></section>')


def contents(metrics, money=False):
    """Links to each metric's section (after the Money section's, when there is one)."""
    links = '<a href="#money">money</a>' if money else ""
    links += "".join(f'<a href="#m-{esc(m)}">{esc(m)}</a>' for m in metrics)
    return (f'<nav class="card toc"><h2>Metrics</h2>{links}'
            f'<a href="#services">service statistics</a></nav>')


# --- one metric ---------------------------------------------------------------------------

def _per_period_units(metric):
    """What one value of the monthly/yearly summaries is, in words."""
    if metric.is_ratio:
        return metric.units or "share", (f"share: the period's total {metric.numerator} ÷ its "
                                         f"total {metric.denominator}")
    units = metric.units[:-4] if metric.units.endswith("/day") else metric.units
    return units, ("total over the period" if metric.rollup == "sum"
                   else "mean of the period's end-of-day values")


def _chart_label(metric):
    units, _ = _per_period_units(metric)
    if metric.is_ratio:
        return f"share per month ({metric.numerator} ÷ {metric.denominator})"
    return f"{units} per month" if metric.rollup == "sum" else f"{units} (monthly mean)"


def _formats(metric):
    """How to print a value and a difference of a metric: shares as percentages (and their
    differences in percentage points), everything else as numbers."""
    if metric.is_ratio:
        return percent, lambda x: "–" if np.isnan(x) else f"{x * 100:+.1f} pp"
    return number, signed


def _fan(label, colour, run, values):
    """A Fan of a run's (replicate, month) values, leaving out partly observed months."""
    keep = [i for i in range(len(run.months.labels)) if run.months.is_full(i)]
    dates = charts.month_dates([run.months.labels[i] for i in keep])
    return charts.Fan(label, colour, dates, values[:, keep])


def _fans(names, scenario, baseline, name, column=None):
    """Fans of metric `name` (its total, or one breakdown label) for the scenario and baseline."""
    out = []
    for label, colour, run in ((names[1], charts.BASELINE_COLOUR, baseline),
                               (names[0], charts.SCENARIO_COLOUR, scenario)):
        if run is None or name not in run.metrics:
            continue
        m = run.metrics[name]
        if column is None:
            values = data.metric_totals(m, "month")
        elif column in m.labels:
            values = m.by_month[:, :, m.labels.index(column)]
        else:
            continue
        out.append(_fan(label, colour, run, values))
    return out


def _charts(names, scenario, baseline, metric):
    """The total's fan chart, and small multiples when there are 2..8 breakdown labels."""
    label = _chart_label(metric)
    html = image(charts.fan_chart(_fans(names, scenario, baseline, metric.name), label,
                                  scenario.pit_stops),
                 f"{metric.name}: monthly {'share' if metric.is_ratio else 'total'} across "
                 "replicates")
    if 1 < len(metric.labels) <= MAX_SMALL_MULTIPLES:
        panels = [(lab, _fans(names, scenario, baseline, metric.name, lab))
                  for lab in metric.labels]
        html += f"<h3>By {esc(metric.breakdown)}</h3>"
        html += image(charts.small_multiples(panels, label),
                      f"{metric.name} by {metric.breakdown}")
    return html


def _days_cell(run, i):
    """Observed days of financial year i, marked when the year is partly observed."""
    days = run.fys.observed_days[i]
    if run.fys.is_full(i):
        return str(days)
    return f'<span class="partial">{days} (partial)</span>'


def _band_cell(values, fmt=number):
    """'mean (p5–p95)' of one column of per-replicate values (NaNs left out)."""
    if np.all(np.isnan(values)):
        return "–"
    p5, _, p95 = data.band(values)
    return f'{fmt(data.mean(values))} <span class="ci">({fmt(p5)}–{fmt(p95)})</span>'


def _fy_rows_alone(run, metric):
    values = data.metric_totals(metric, "fy")
    fmt, _ = _formats(metric)
    rows = []
    for i, fy in enumerate(run.fys.labels):
        p5, p50, p95 = data.band(values[:, i])
        rows.append([fy, _days_cell(run, i), fmt(data.mean(values[:, i])), fmt(p5),
                     fmt(p50), fmt(p95)])
    return ["Financial year", "Days", "Mean", "5%", "Median", "95%"], rows


def emphasised(html, sig):
    """html in a span, bold (class sig) when sig."""
    cls = ' class="sig"' if sig else ""
    return f"<span{cls}>{html}</span>"


def difference_cells(mean, lo, hi, base_mean, fmt_diff=signed, fmt_bound=number,
                     point_alone=False):
    """The 'difference (95% CI)' and 'change' cells of one scenario − baseline difference, both
    bold where the interval excludes zero. point_alone: no interval when its bounds print alike
    (the replicates agree)."""
    diff = fmt_diff(mean)
    if not np.isnan(lo) and not (point_alone and fmt_bound(lo) == fmt_bound(hi)):
        diff += f' <span class="ci">({fmt_bound(lo)} to {fmt_bound(hi)})</span>'
    sig = data.excludes_zero(lo, hi)
    return emphasised(diff, sig), emphasised(percent(data.change(mean, base_mean), True), sig)


def pairing_note(paired):
    """How the differences were computed, for a table's note."""
    return ("paired by replicate (common random numbers)" if paired else
            "unpaired (Welch interval): the runs differ in seed or replicate count")


def _fy_rows_compared(scenario, baseline, name):
    s_metric = scenario.metrics[name]
    fmt, fmt_diff = _formats(s_metric)
    s, b, (mean, lo, hi), paired = data.fy_comparison(scenario, baseline, name)
    base_mean = data.mean(b)
    rows = []
    for i, fy in enumerate(scenario.fys.labels):
        diff, change = difference_cells(mean[i], lo[i], hi[i], base_mean[i], fmt_diff,
                                        fmt_diff if s_metric.is_ratio else number)
        rows.append([fy, _days_cell(scenario, i), _band_cell(b[:, i], fmt),
                     _band_cell(s[:, i], fmt), diff, change])
    headers = ["Financial year", "Days", "Baseline mean (5–95%)", "Scenario mean (5–95%)",
               "Difference (95% CI)", "Change"]
    return headers, rows, paired


def fy_table(scenario, baseline, name):
    """The financial-year table of one metric's total, with a note on how to read it."""
    metric = scenario.metrics[name]
    units, what = _per_period_units(metric)
    if metric.is_ratio:
        note = (f"Each value is a share: the year's total {esc(metric.numerator)} ÷ its total "
                f"{esc(metric.denominator)}, both summed over {esc(metric.breakdown)}; mean and "
                f"5–95% range across {plural(scenario.replicates, 'replicate')}, leaving out any "
                f"replicate with no {esc(metric.denominator)} in the year.")
    else:
        note = (f"Each value is the {what} in {esc(units)}, summed over "
                f"{esc(metric.breakdown)}; mean and 5–95% range across "
                f"{plural(scenario.replicates, 'replicate')}.")
    if baseline is None or name not in baseline.metrics:
        headers, rows = _fy_rows_alone(scenario, metric)
    else:
        headers, rows, paired = _fy_rows_compared(scenario, baseline, name)
        note += (" Difference = scenario − baseline" +
                 (" in percentage points (pp)" if metric.is_ratio else "") + ", " +
                 pairing_note(paired) + ", with its 95% interval; bold where the interval "
                 "excludes zero. Change = difference ÷ baseline mean.")
    return (f'<h3>By financial year</h3><div class="fy">{table(headers, rows)}</div>'
            f'<p class="note">{note}</p>')


def metric_section(names, scenario, baseline, name):
    """A card for one metric: its description, charts and financial-year table."""
    m = scenario.metrics[name]
    units, what = _per_period_units(m)
    desc = (f"{esc(m.description)}. <br>Units: {esc(m.units)}; by {esc(m.breakdown)} "
            f"({len(m.labels)}); a month's value is the {what}.")
    return (f'<section class="card metric" id="m-{esc(name)}"><h2><code>{esc(name)}</code></h2>'
            f'<p class="desc">{desc}</p>{_charts(names, scenario, baseline, m)}'
            f"{fy_table(scenario, baseline, name)}</section>")


# --- service statistics -------------------------------------------------------------------

STAT_GROUPS = [
    ("Flow", [("arrivals", "Arrivals", "n"), ("completions", "Completions", "n"),
              ("lost", "Lost", "n"), ("lost_fraction", "Lost share", "share")]),
    ("Time and occupancy", [("wait_mean_days", "Mean wait (days)", "n"),
                            ("sojourn_mean_days", "Mean time in service (days)", "n"),
                            ("utilisation", "Utilisation", "share"),
                            ("mean_in_node", "Mean present", "n"),
                            ("mean_queue", "Mean waiting", "n")]),
    ("Blocking (delayed transfer)", [("blocked_days", "Blocked place-days", "n"),
                                     ("blocked_mean_days", "Blocked days per departure", "n"),
                                     ("blocked_fraction", "Blocked share", "share")]),
]


def _stat_groups(stats):
    """STAT_GROUPS restricted to the stats present, plus any others in an 'Other' group."""
    known = {s for _, group in STAT_GROUPS for s, _, _ in group}
    groups = [(title, [g for g in group if g[0] in stats]) for title, group in STAT_GROUPS]
    others = [(s, s, "n") for s in stats if s not in known]
    return [(t, g) for t, g in groups + [("Other", others)] if g]


def _service_cell(scenario, baseline, stat, service, kind):
    """Mean across replicates with its 95% interval; with a baseline, its value and change."""
    fmt = percent if kind == "share" else number
    per_rep, across = scenario.service_stats[stat]
    j = scenario.services.index(service)
    cell = (f'{fmt(across["mean"][j])} '
            f'<span class="ci">({fmt(across["lo"][j])}–{fmt(across["hi"][j])})</span>')
    if baseline is None or stat not in baseline.service_stats or \
            service not in baseline.services:
        return cell
    b_per_rep, b_across = baseline.service_stats[stat]
    jb = baseline.services.index(service)
    mean, lo, hi = data.difference(per_rep[:, [j]], b_per_rep[:, [jb]],
                                   data.pairable(scenario, baseline))
    base = b_across["mean"][jb]
    change = emphasised(percent(data.change(mean[0], base), True),
                        data.excludes_zero(lo[0], hi[0]))
    return cell + f'<span class="vs">baseline {fmt(base)}, {change}</span>'


def services_section(scenario, baseline):
    """Tables of the service statistics over the observed window, grouped by theme."""
    if not scenario.service_stats:
        return ""
    parts = []
    for title, group in _stat_groups(list(scenario.service_stats)):
        headers = ["Service"] + [label for _, label, _ in group]
        rows = [[f"<strong>{esc(svc)}</strong>"] +
                [_service_cell(scenario, baseline, s, svc, kind) for s, _, kind in group]
                for svc in scenario.services]
        parts.append(f"<h3>{esc(title)}</h3>{table(headers, rows)}")
    note = ("Over the observed window (after warm-up): mean across replicates and its 95% "
            "interval. Counts are totals over the window." +
            (" With a baseline: the baseline's mean and the % change of the scenario, bold "
             "where the interval of the difference excludes zero." if baseline else ""))
    return (f'<section class="card" id="services"><h2>Service statistics</h2>{"".join(parts)}'
            f'<p class="note">{note}</p></section>')


def yaml_section(scenario, baseline):
    """The resolved scenario YAML of each run, folded away."""
    parts = [(f"Scenario YAML ({scenario.name})", scenario.scenario_yaml)]
    if baseline is not None:
        parts.append((f"Baseline YAML ({baseline.name})", baseline.scenario_yaml))
    body = "".join(f"<details><summary>{esc(t)}</summary><pre><code>{esc(y)}</code></pre>"
                   f"</details>" for t, y in parts)
    return f'<section class="card" id="yaml"><h2>Scenario files</h2>{body}</section>'
