"""The Money section of the report: a run with `finance` (docs/output.md, "Metrics of the borough")
has spend_gbp (each budget line's amount spread over the days of the financial year, labels
"<fund>/<line>") and activity_cost_gbp (each activity's count × its unit cost). This shows both by
financial year in £ million, and with a baseline the difference of their totals."""
import numpy as np

import report_data as data
from report_html import esc, plural, table
from report_sections import difference_cells, pairing_note

SPEND, ACTIVITY = "spend_gbp", "activity_cost_gbp"
TOTALS = [(SPEND, "Spend"), (ACTIVITY, "Activity-based cost")]


def millions(x):
    """GBP as £ million with one decimal and thousands separators: 1,234.5."""
    return "–" if np.isnan(x) else f"{x / 1e6:,.1f}"


def signed_millions(x):
    """A difference in £ million with its sign: +12.3, -0.4, 0.0."""
    if np.isnan(x):
        return "–"
    text = f"{x / 1e6:+,.1f}"
    return "0.0" if text in ("+0.0", "-0.0") else text


def years(run):
    """Indices of the financial years shown: the fully observed ones, or all when none is."""
    full = [i for i in range(len(run.fys.labels)) if run.fys.is_full(i)]
    return full or list(range(len(run.fys.labels)))


def _year_header(run, i):
    fy = esc(run.fys.labels[i])
    if run.fys.is_full(i):
        return fy
    return f'{fy} <span class="partial">({run.fys.observed_days[i]} days)</span>'


def _cells(values, shown):
    """'mean (lo–hi)' in £m of each shown year of (replicate, year) values: the mean across
    replicates with its 95% interval, left out when the replicates agree to the digit shown."""
    mean, lo, hi = data.mean_interval(values[:, shown])
    cells = []
    for m, low, high in zip(mean, lo, hi):
        cell = millions(m)
        if not np.isnan(low) and millions(low) != millions(high):
            cell += f' <span class="ci">({millions(low)}–{millions(high)})</span>'
        cells.append(cell)
    return cells


def funds(labels):
    """{fund: [(line, index of its label)]} from labels "<fund>/<line>", in label order."""
    out = {}
    for j, label in enumerate(labels):
        fund, _, line = label.partition("/")
        out.setdefault(fund, []).append((line or fund, j))
    return out


def _spend_table(run, shown):
    """One row per fund (the sum of its lines), its lines indented under it, and the total."""
    metric = run.metrics[SPEND]
    rows, classes = [], []
    for fund, lines in funds(metric.labels).items():
        rows.append([f"<strong>{esc(fund)}</strong>"] +
                    _cells(metric.by_fy[:, :, [j for _, j in lines]].sum(axis=2), shown))
        classes.append("fund")
        for line, j in lines:
            rows.append([esc(line)] + _cells(metric.by_fy[:, :, j], shown))
            classes.append("line")
    rows.append(["<strong>Total</strong>"] + _cells(data.metric_totals(metric, "fy"), shown))
    classes.append("total")
    return rows, classes


def _activity_table(run, shown):
    """One row per activity and the total."""
    metric = run.metrics[ACTIVITY]
    rows = [[esc(label)] + _cells(metric.by_fy[:, :, j], shown)
            for j, label in enumerate(metric.labels)]
    rows.append(["<strong>Total</strong>"] + _cells(data.metric_totals(metric, "fy"), shown))
    return rows, [""] * (len(rows) - 1) + ["total"]


def _difference_table(scenario, baseline, shown):
    """For each total both runs have: the baseline's and the scenario's means, the difference
    scenario − baseline with its 95% interval, and the change; or None when neither is shared.
    Also whether the replicates were paired."""
    rows, classes, paired = [], [], None
    for name, title in TOTALS:
        if name not in scenario.metrics or name not in baseline.metrics:
            continue
        s, b, (mean, lo, hi), paired = data.fy_comparison(scenario, baseline, name)
        base_mean = data.mean(b)
        cells = [difference_cells(mean[i], lo[i], hi[i], base_mean[i], signed_millions,
                                  millions, point_alone=True) for i in shown]
        rows += [[f"<strong>{esc(title)}</strong>"] + [""] * len(shown),
                 ["Baseline"] + _cells(b, shown),
                 ["Scenario"] + _cells(s, shown),
                 ["Difference (95% CI)"] + [diff for diff, _ in cells],
                 ["Change"] + [change for _, change in cells]]
        classes += ["fund", "line", "line", "line", "line"]
    return (rows, classes, paired) if rows else None


def _left_out(run, shown):
    """A sentence naming the partly observed years left out of the tables, if any."""
    gone = [f"{esc(fy)} ({run.fys.observed_days[i]} of {run.fys.full_days[i]} days)"
            for i, fy in enumerate(run.fys.labels) if i not in shown]
    return (" Financial years only partly observed are left out: " + ", ".join(gone) + "."
            if gone else "")


def money_section(scenario, baseline):
    """The Money card, or "" when the scenario's results have no spend_gbp (no `finance`)."""
    if SPEND not in scenario.metrics:
        return ""
    shown = years(scenario)
    headers = [""] + [_year_header(scenario, i) for i in shown]
    parts = ['<h3>Spend by financial year (£m)</h3><div class="money">'
             f'{table(headers, *_spend_table(scenario, shown))}</div>']
    if ACTIVITY in scenario.metrics:
        parts.append('<h3>Activity-based cost by financial year (£m)</h3><div class="money">'
                     f'{table(headers, *_activity_table(scenario, shown))}</div>')
    note = (f"£ million. Each value is the financial year's total (the sum of the daily series "
            f"over the year) in each replicate, then the mean across "
            f"{plural(scenario.replicates, 'replicate')} with its 95% interval (left out where "
            "the replicates agree). Spend: each budget line's <code>amount_gbp</code> spread "
            "evenly over the days of the year; a fund's row is the sum of its lines. "
            "Activity-based cost: each activity's count (or places in use) × its unit cost, "
            "the whole borough." + _left_out(scenario, shown))
    compared = _difference_table(scenario, baseline, shown) if baseline is not None else None
    if compared is not None:
        rows, classes, paired = compared
        parts.append('<h3>Scenario − baseline (£m)</h3><div class="money">'
                     f'{table(headers, rows, classes)}</div>')
        note += (" Difference = scenario − baseline of the totals, " + pairing_note(paired) +
                 ", with its 95% interval; bold where the interval excludes zero. Change = "
                 "difference ÷ baseline mean.")
    elif baseline is not None:
        note += " The baseline has no finance metrics, so there is no difference."
    desc = ("Budget spend by fund and line (<code>spend_gbp</code>)" +
            (", and the cost of the activity the model counts (<code>activity_cost_gbp</code>)"
             if ACTIVITY in scenario.metrics else "") + ", by financial year.")
    return (f'<section class="card" id="money"><h2>Money</h2><p class="desc">{desc}</p>'
            f'{"".join(parts)}<p class="note">{note}</p></section>')
