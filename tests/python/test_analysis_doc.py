"""docs/analysis.md: every ```python block runs, in order, against freshly written results files,
and the tables it builds are not empty."""
import os
import re
import time
import traceback

import pandas as pd

from pitstop_testlib import triage_ward, SOURCE, WORK, Checks, run, work, write

c = Checks()

def make_results():
    """results.h5 (a scenario) and baseline.h5 in the scratch folder, as the doc expects."""
    for name, rate, out in [("doc-baseline", 3.0, "baseline.h5"), ("doc-scenario", 3.5,
                                                                   "results.h5")]:
        yaml = write(f"{name}.yaml", triage_ward(name, rate, seed=3))
        run("run", yaml, "-o", work(out), "--quiet")


def python_blocks(markdown):
    """The ```python fenced blocks of a Markdown text, in order."""
    return re.findall(r"^```python\n(.*?)^```", markdown, flags=re.S | re.M)


def run_blocks(blocks):
    """Executes the blocks in one namespace, in the scratch folder; returns the namespace."""
    namespace = {"__name__": "analysis_doc"}
    cwd = os.getcwd()
    os.chdir(WORK)
    try:
        for i, block in enumerate(blocks, 1):
            start = time.monotonic()
            try:
                exec(compile(block, f"docs/analysis.md block {i}", "exec"), namespace)
                c.check(True, f"block {i}")
            except Exception:  # noqa: BLE001 - report every failing block
                c.check(False, f"block {i} ({block.splitlines()[0]!r}) raised:\n"
                               f"{traceback.format_exc()}")
            print(f"block {i}: {time.monotonic() - start:.2f} s")
    finally:
        os.chdir(cwd)
    return namespace


make_results()
with open(os.path.join(SOURCE, "docs", "analysis.md"), encoding="utf-8") as f:
    blocks = python_blocks(f.read())
c.check(len(blocks) >= 8, f"docs/analysis.md has python blocks ({len(blocks)})")
ns = run_blocks(blocks)

for name in ["metrics", "daily", "daily_total", "monthly", "monthly_total", "fy_totals",
             "difference", "service_stats"]:
    value = ns.get(name)
    c.check(isinstance(value, (pd.DataFrame, pd.Series)) and not value.empty,
            f"the doc builds a non-empty table '{name}'")
frames = {k: v for k, v in ns.items() if isinstance(v, (pd.DataFrame, pd.Series))}
empty = [k for k, v in frames.items() if v.empty]
c.check(not empty, f"no empty tables ({empty})")
c.check(set(ns["metrics"].index) >= {"arrivals", "blocked_days"}, "metrics listed")
c.check(list(ns["fy_totals"].columns) == ["2019/20", "2020/21", "2021/22", "2022/23"],
        f"financial years {list(ns['fy_totals'].columns)}")
c.check(ns["fy_totals"].shape[0] == 4, "one row per replicate")
c.check((ns["difference"]["mean"].iloc[1:3] > 0).all(), "the busier scenario has more arrivals")
c.check("doc-scenario" in ns.get("scenario_yaml", ""), "scenario YAML read from /meta")
c.check(os.path.getsize(work("arrivals-by-month.png")) > 1000, "the doc's fan chart was drawn")
c.done()
