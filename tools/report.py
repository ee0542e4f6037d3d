#!/usr/bin/python3
"""Renders a pitstop results file as one self-contained HTML page: for a run with finance, the
money by financial year; for every metric a fan chart by month (median and 5–95% band across
replicates), small multiples per breakdown label and a table by financial year; then the service
statistics. With --baseline, the baseline is drawn alongside and the tables show paired
differences and % change.

    report.py results.h5 [--baseline base.h5] -o report.html [--title T]

Exit codes: 0 written, 1 failure while writing, 2 bad input (a missing or non-pitstop file).
`pitstop report` runs this script; see docs/output.md for the file it reads."""
import argparse
import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import report_charts as charts  # noqa: E402
import report_data as data  # noqa: E402
import report_money as money  # noqa: E402
import report_sections as sections  # noqa: E402
from report_html import esc, page, plural, swatch  # noqa: E402

EXIT_RUNTIME, EXIT_INPUT = 1, 2


def parse_args(argv):
    """The command line (argparse exits 2 on bad options)."""
    p = argparse.ArgumentParser(prog="report.py", description=__doc__.split("\n\n")[0])
    p.add_argument("results", help="results file of the scenario (from `pitstop run -o`)")
    p.add_argument("--baseline", help="results file of the baseline to compare against")
    p.add_argument("-o", "--output", required=True, help="HTML file to write")
    p.add_argument("--title", help="page title (default: from the scenario name)")
    return p.parse_args(argv)


def render(scenario, baseline, title=None):
    """The whole report as an HTML string."""
    names = sections.run_names(scenario, baseline)
    if title is None:
        title = (f"{scenario.name} against {baseline.name}" if baseline is not None
                 else scenario.name)
    key = swatch(charts.SCENARIO_COLOUR, f"Scenario: {names[0]}")
    if baseline is not None:
        key += swatch(charts.BASELINE_COLOUR, f"Baseline: {names[1]}")
    key += '<span class="chip">line = median, band = 5–95% of replicates</span>'
    m = scenario.meta
    subtitle = (f"pitstop report · {esc(m.get('start_date', '?'))} to "
                f"{esc(m.get('end_date', '?'))} · {plural(scenario.replicates, 'replicate')} · "
                f"seed {esc(m.get('seed', '?'))}")
    body = [sections.runs_section(scenario, baseline),
            sections.contents(scenario.metrics, money.SPEND in scenario.metrics),
            money.money_section(scenario, baseline)]
    body += [sections.metric_section(names, scenario, baseline, name)
             for name in scenario.metrics]
    body += [sections.services_section(scenario, baseline),
             sections.yaml_section(scenario, baseline)]
    footer = (f"Made by pitstop report ({esc(m.get('tool_version', '?'))}) on "
              f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC from "
              f"<code>{esc(os.path.basename(scenario.path))}</code>"
              + (f" and <code>{esc(os.path.basename(baseline.path))}</code>" if baseline else "")
              + ". Months and financial years only partly observed are left out of the charts.")
    return page(title, subtitle, key, "\n".join(body), footer)


def write_atomically(path, text):
    """Writes text to a temporary file beside path, then renames it into place."""
    directory = os.path.dirname(os.path.abspath(path))
    temp = os.path.join(directory, f".{os.path.basename(path)}.tmp-{os.getpid()}")
    try:
        with open(temp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(temp, path)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


def main(argv=None):
    """Reads the files, renders and writes the page; returns the exit code."""
    args = parse_args(argv)
    try:
        scenario = data.load(args.results)
        baseline = data.load(args.baseline) if args.baseline else None
    except data.InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_INPUT
    text = render(scenario, baseline, args.title)
    try:
        write_atomically(args.output, text)
    except OSError as e:
        print(f"error: cannot write '{args.output}': {e}", file=sys.stderr)
        return EXIT_RUNTIME
    print(f"wrote {args.output} ({len(scenario.metrics)} metrics, {len(text) // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
