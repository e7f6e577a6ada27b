"""Cold start to an interactive screen, in a real 80x24 tmux pane, against an empty Textual app.

Both programs are started the same way; the clock stops when the first text of
their first screen is on the pane. Runs alternate so machine load hits both,
after one unmeasured start of each (the first start after a build fills the
operating system's file cache and seop's data cache).
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

SESSION = "seop-bench-startup"


def _time_to_text(command: list[str], text: str, timeout: float = 30.0) -> float:
    subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True)
    start = time.perf_counter()
    subprocess.run(["tmux", "new-session", "-d", "-s", SESSION, "-x", "80", "-y", "24", *command], check=True)
    try:
        while time.perf_counter() - start < timeout:
            pane = subprocess.run(["tmux", "capture-pane", "-p", "-t", SESSION], capture_output=True, text=True).stdout
            if text in pane:
                return time.perf_counter() - start
            time.sleep(0.005)
        raise TimeoutError(f"{text!r} not on screen after {timeout}s: {' '.join(command)}")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True)


def measure(db: Path, runs: int = 7) -> dict:
    if shutil.which("tmux") is None:
        raise RuntimeError("the start-up benchmark needs tmux")
    python = sys.executable
    seop = str(Path(python).with_name("seop"))
    empty_script = str(Path(__file__).with_name("empty_app.py"))
    empty = [python, empty_script]
    app = [seop, "--db", str(db)]
    _time_to_text(empty, "Ready")
    _time_to_text(app, "Username")
    seop_times, empty_times, ratios = [], [], []
    for _ in range(runs):
        empty_times.append(_time_to_text(empty, "Ready"))
        seop_times.append(_time_to_text(app, "Username"))
        ratios.append(seop_times[-1] / empty_times[-1])
    seop_median, empty_median = statistics.median(seop_times), statistics.median(empty_times)
    return {
        "runs": runs,
        "seop_s": seop_median,
        "empty_s": empty_median,
        "ratio": seop_median / empty_median,
        "ratio_of_pairs": statistics.median(ratios),
    }
