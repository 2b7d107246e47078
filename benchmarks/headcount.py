"""How quick is the quick headcount, and how long does one registration take?

    python -m benchmarks.headcount [--runs 15]

Goals (issue 2): `kommunestyre headcount` on the demo database within 3x the time of
`python -c "import tinydb, pendulum"` (both measured here, in the same run); with 10,000
participants, headcount under 0.5 s and one registration (read-modify-write under the lock)
under 100 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.generate import generate
from kommunestyre.clock import system_clock
from kommunestyre.domain import rules
from kommunestyre.domain.model import InvoiceDetails, ParticipantDetails
from kommunestyre.domain.municipalities import find_municipality
from kommunestyre.services.demo import create_demo
from kommunestyre.store.database import Database
from kommunestyre.store.repository import Repository

ROOT = Path(__file__).resolve().parents[1]


def wall(command: list[str], runs: int) -> float:
    """Median wall time of a whole process, in seconds."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _add_one(repository: Repository, directorate_id: int, tag: str) -> float:
    start = time.perf_counter()
    with repository.change() as change:
        participant, outcome = rules.add_participant(
            change.register,
            directorate_id,
            ParticipantDetails(name=f"Ny {tag}", email=f"ny{tag}@bench.example"),
            change.now,
            # the generated directorates are too big for a seat (they wait), and a waiting one
            # may not grow past the cap; the newcomer asks for a seat in hold 2 instead
            cohort_number=2,
        )
        change.log("add", outcome.summary, participants=[participant.id])
    return time.perf_counter() - start


def registration_times(path: Path, runs: int) -> dict[str, float]:
    """Median times of adding one participant: cold (a new process's first transaction, which
    parses and decodes the whole file) and warm (a running app's next one); and of registering
    one new directorate in a running app."""
    register = Repository(Database(path)).load()
    directorate_id = next(d.id for d in register.directorates.values() if d.cohort != 2)
    cold = [_add_one(Repository(Database(path)), directorate_id, f"c{n}") for n in range(runs)]
    running = Repository(Database(path))
    warm = [_add_one(running, directorate_id, f"w{n}") for n in range(runs + 1)][1:]
    start = time.perf_counter()
    with running.change() as change:
        members = [ParticipantDetails(name="Ærø Direktør", email="direktor@aeroe.example")]
        directorate, outcome = rules.register_directorate(
            change.register, find_municipality("Ærø"), 1, members, InvoiceDetails(), change.now
        )
        change.log("register", outcome.summary, directorates=[directorate.id])
    return {
        "cold": statistics.median(cold),
        "warm": statistics.median(warm),
        "directorate": time.perf_counter() - start,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        demo = Path(folder) / "demo.json"
        create_demo(demo, clock=system_clock)
        big = generate(Path(folder) / "big.json", 10_000)

        baseline = wall([sys.executable, "-c", "import tinydb, pendulum"], args.runs)
        demo_time = wall(
            [sys.executable, "-m", "kommunestyre", "headcount", "--db", str(demo)], args.runs
        )
        big_time = wall(
            [sys.executable, "-m", "kommunestyre", "headcount", "--db", str(big)], args.runs
        )
        times = registration_times(big, args.runs)

    print(f"python -c 'import tinydb, pendulum'   {baseline * 1000:7.1f} ms")
    print(
        f"headcount, demo database               {demo_time * 1000:7.1f} ms  "
        f"({demo_time / baseline:.2f}x the imports; goal <= 3x)"
    )
    print(f"headcount, 10,000 participants         {big_time * 1000:7.1f} ms  (goal < 500 ms)")
    print("one registration with 10,000 participants (goal < 100 ms):")
    print(f"  add a participant, running app        {times['warm'] * 1000:7.1f} ms")
    print(f"  register a directorate, running app   {times['directorate'] * 1000:7.1f} ms")
    print(f"  add a participant, first in a process {times['cold'] * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
