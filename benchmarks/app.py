"""How quickly the app opens, how fast the register filters, and how much memory it takes.

    python -m benchmarks.app [--runs 5]

Goals (issue 3): process start to the overview shown under 1 s on the demo database and on a
database with 10,000 participants; filtering 10,000 participants keeps up with typing (under
50 ms a keystroke); peak memory with 10,000 participants under 200 MB.

The app runs headless (Textual's own headless mode, the same code path as in a terminal minus
the terminal driver); an auto-pilot exits as soon as the overview has been drawn.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

STARTUP = """
import resource, sys, time
from kommunestyre.services.registry import Registry
from kommunestyre.services.setup import open_repository
from kommunestyre.locations import resolve
from kommunestyre.tui.app import KommunestyreApp

async def auto_pilot(pilot):
    await pilot.pause()
    assert pilot.app.screen.shown is not None  # the overview has been drawn
    pilot.app.exit()

# The same steps as `kommunestyre --db PATH` (kommunestyre.cli._cmd_app), run headless.
registry = Registry(open_repository(resolve(sys.argv[1])))
snapshot = registry.snapshot()
import gc; gc.freeze()
app = KommunestyreApp(registry, snapshot=snapshot)
app.run(headless=True, size=(120, 40), auto_pilot=auto_pilot)
"""

TYPING = """
import asyncio, json, resource, statistics, sys, time
from kommunestyre.services.registry import Registry
from kommunestyre.services.setup import open_repository
from kommunestyre.locations import resolve
from kommunestyre.tui.app import KommunestyreApp

async def main():
    app = KommunestyreApp(Registry(open_repository(resolve(sys.argv[1]))))
    async with app.run_test(size=(120, 40)) as pilot:
        start = time.perf_counter()
        await pilot.press("2")
        await pilot.pause()
        opened = time.perf_counter() - start
        app.screen.query_one("#filter").focus()
        await pilot.pause()
        times = []
        for key in "hansen aarhus" + "\\b" * 6:
            # CPU time, not wall time: the test harness idles between events on purpose.
            start = time.process_time()
            await pilot.press("backspace" if key == "\\b" else key)
            await pilot.pause()
            times.append(time.process_time() - start)
        shown = app.screen.query_one("#count").render()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"open_register": opened, "median": statistics.median(times),
                      "max": max(times), "peak_mb": peak, "count": str(shown)}))

asyncio.run(main())
"""


def wall(code: str, db: Path, runs: int) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code, str(db)], check=True, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from benchmarks.generate import generate
    from kommunestyre.services.demo import create_demo

    with tempfile.TemporaryDirectory() as folder:
        demo = Path(folder) / "demo.json"
        create_demo(demo)
        big = generate(Path(folder) / "big.json", 10_000)
        small_start, big_start = wall(STARTUP, demo, args.runs), wall(STARTUP, big, args.runs)
        print(f"start to overview, demo database        {small_start:6.2f} s  (goal < 1 s)")
        print(f"start to overview, 10,000 participants  {big_start:6.2f} s  (goal < 1 s)")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        result = subprocess.run(
            [sys.executable, "-c", TYPING, str(big)],
            check=True,
            env=env,
            capture_output=True,
            text=True,
        )
        typing = json.loads(result.stdout.splitlines()[-1])
    print(f"open the register (10,000 rows)         {typing['open_register'] * 1000:6.0f} ms")
    print(
        f"filter per keystroke, 10,000 rows       {typing['median'] * 1000:6.1f} ms median, "
        f"{typing['max'] * 1000:.1f} ms worst  (goal < 50 ms; CPU time to handle the key, "
        "filter and redraw)"
    )
    print(f"peak memory, 10,000 participants        {typing['peak_mb']:6.0f} MB  (goal < 200 MB)")


if __name__ == "__main__":
    main()
