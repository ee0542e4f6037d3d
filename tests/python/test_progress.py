"""Progress on a terminal: shown for runs over a second, absent when not a terminal or --quiet."""
import os
import pty
import subprocess
import time

from pitstop_testlib import BIN, SOURCE, Checks, write

c = Checks()
# Long enough to pass one second even on a fast machine: 120 replicates × 20,000 days.
LONG = write("progress.yaml", """
name: progress
start: 2019-04-01
horizon_days: 20000
seed: 1
replicates: 120
arrivals: [{name: a, to: s, rate_per_day: 20}]
services:
  s: {capacity: 25, duration_days: {dist: exponential, mean: 1.0}}
""")


def run_on_terminal(*args):
    """Runs pitstop with stdout and stderr on a pseudo-terminal; returns (seconds, output)."""
    leader, follower = pty.openpty()
    start = time.time()
    proc = subprocess.Popen([BIN, *args], cwd=SOURCE, stdout=follower, stderr=follower)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait()
    os.close(leader)
    return time.time() - start, proc.returncode, b"".join(chunks).decode(errors="replace")


seconds, code, out = run_on_terminal("run", LONG)
c.check(code == 0, "run on a terminal succeeds")
if seconds > 1.5:
    c.check("replicates" in out and "M events/s" in out and "s left" in out,
            f"progress shown on a terminal for a {seconds:.1f} s run")
    c.check("replicates 120/120" in out, "progress reaches 120/120")
else:
    print(f"note: the run took only {seconds:.2f} s; progress is only shown after a second")
seconds, code, out = run_on_terminal("run", LONG, "--quiet")
c.check(code == 0 and "M events/s" not in out and out.strip() == "", "--quiet prints nothing")
piped = subprocess.run([BIN, "run", LONG, "--replicates", "4"], cwd=SOURCE, capture_output=True,
                       text=True)
c.check(piped.returncode == 0 and "s left" not in piped.stderr, "no progress when not a terminal")
c.done()
