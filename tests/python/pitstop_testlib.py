"""Shared helpers for the Python tests: where the binary is, a scratch folder, running pitstop."""
import os
import subprocess
import sys

BIN = os.environ.get("PITSTOP_BIN", "build/release/tools/pitstop")
SOURCE = os.environ.get("PITSTOP_SOURCE_DIR", os.getcwd())
WORK = os.environ.get("PITSTOP_WORK_DIR", "/tmp/pitstop-py-tests")
os.makedirs(WORK, exist_ok=True)


def run(*args, check=True, **kw):
    """Runs pitstop with args; returns the CompletedProcess (text mode)."""
    proc = subprocess.run([BIN, *args], capture_output=True, text=True, cwd=SOURCE, **kw)
    if check and proc.returncode != 0:
        sys.exit(f"pitstop {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}")
    return proc


def work(name):
    """A path in this test's scratch folder."""
    return os.path.join(WORK, name)


def write(name, text):
    path = work(name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


class Checks:
    """Collects failed checks and reports them all at the end (exit 1 if any)."""

    def __init__(self):
        self.failed = []
        self.passed = 0

    def check(self, cond, what):
        if cond:
            self.passed += 1
        else:
            self.failed.append(what)
            print("FAILED:", what)

    def done(self):
        print(f"{self.passed} passed, {len(self.failed)} failed")
        sys.exit(1 if self.failed else 0)


TRIAGE_WARD = """
name: {name}
start: 2019-04-01
horizon_days: 1100
warmup_days: 30
seed: {seed}
replicates: 4
arrivals:
  - {{name: walk-ins, to: triage, rate_per_day: {rate}}}
services:
  triage:
    capacity: 2
    queue_capacity: 2
    duration_days: {{dist: exponential, mean: 0.4}}
    routes: [{{to: ward, p: 0.7}}, {{to: exit, p: 0.3}}]
  ward:
    capacity: 3
    queue_capacity: 1
    duration_days: {{dist: exponential, mean: 1.0}}
"""


def triage_ward(name, rate, seed):
    """A three-year triage → ward scenario from April 2019 (several financial years), as YAML."""
    return TRIAGE_WARD.format(name=name, rate=rate, seed=seed)
