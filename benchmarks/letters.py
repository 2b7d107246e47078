"""Letters: our whole export against mailmerge's dry run, and 10,000 letters.

    python -m benchmarks.letters [--runs 3] [--disk]

Goal (issue 4): `kommunestyre letters export` of 1,000 letters (each .eml with plain text, HTML
and the .ics attachment; and the same as one mbox), whole process, takes no longer than
`mailmerge --no-limit --output-format raw` (its dry run: plain text to stdout) on the same text
and 1,000 recipients, measured in the same run (ratio <= 1.0); 10,000 letters in under 5 s.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def wall(command, cwd: Path, runs: int, before=None) -> float:
    """Median wall time of a whole process; ``command`` may be a list or make one per run."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    times = []
    for _ in range(runs):
        if before:
            before()
        argv = command() if callable(command) else command
        start = time.perf_counter()
        subprocess.run(argv, check=True, env=env, cwd=cwd, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def mailmerge_setup(folder: Path, text: str, recipients: list[tuple[str, str]]) -> None:
    """mailmerge's three files, with our practical letter's text as its template."""
    with (folder / "mailmerge_database.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["email", "name"])
        writer.writerows(recipients)
    body = text.replace(recipients[0][1], "{{name}}")
    (folder / "mailmerge_template.txt").write_text(
        "TO: {{email}}\nSUBJECT: Praktisk information\nFROM: Koordinator <k@example.com>\n\n"
        + body,
        encoding="utf-8",
    )
    (folder / "mailmerge_server.conf").write_text(
        "[smtp_server]\nhost = localhost\nport = 25\nsecurity = Never\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--disk", action="store_true", help="work in benchmarks/out, on disk")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from benchmarks.generate import generate
    from kommunestyre.services.letters import LetterService
    from kommunestyre.store.database import Database
    from kommunestyre.store.repository import Repository

    mailmerge = shutil.which("mailmerge") or str(Path(sys.executable).with_name("mailmerge"))
    # mailmerge's dry run writes to a pipe, never to disk. To compare the work of the two tools
    # rather than this machine's disk (which creates a small file in 0.02-0.4 ms, varying by the
    # minute), both run in a memory-backed folder when there is one; --disk runs them in
    # benchmarks/out instead.
    shm = Path("/dev/shm")
    work = ROOT / "benchmarks" / "out" if args.disk or not shm.is_dir() else shm
    work.mkdir(exist_ok=True)
    print(f"working folder: {work}")
    with tempfile.TemporaryDirectory(dir=work) as name:
        folder = Path(name)
        results = {}
        for count in (1_000, 10_000):
            pristine = generate(folder / f"pristine{count}.json", count, admit_everyone=True)
            db = folder / f"db{count}.json"
            for fmt in ("eml", "mbox"):
                outs = iter(range(10_000))

                def fresh(db: Path = db, pristine: Path = pristine) -> None:
                    """Every run is a first export: an empty ledger."""
                    shutil.copyfile(pristine, db)

                def command(fmt: str = fmt, db: Path = db, outs=outs) -> list[str]:
                    out = folder / f"out-{db.stem}-{fmt}-{next(outs)}"  # a new folder each run
                    argv = [sys.executable, "-m", "kommunestyre", "letters", "export"]
                    return [*argv, "practical", "--db", str(db), "--format", fmt, "--out", str(out)]

                results[(count, fmt)] = wall(command, folder, args.runs, fresh)
            if count == 1_000:
                batch = LetterService(Repository(Database(pristine))).prepare("practical")
                first = batch.letters[0]
                recipients = [(x.recipient.email, x.recipient.name) for x in batch.letters]
                mailmerge_setup(folder, first.text, recipients)
                results["mailmerge"] = wall(
                    [mailmerge, "--no-limit", "--output-format", "raw"], folder, args.runs
                )
    reference = results["mailmerge"]
    print(
        f"mailmerge dry run, 1,000 (plain text to stdout)   {reference:6.2f} s  (ratio goal <= 1.0)"
    )
    for fmt in ("eml", "mbox"):
        ours = results[(1_000, fmt)]
        ratio = ours / reference
        print(
            f"our export, 1,000 letters as {fmt:<4} (+HTML, .ics)  {ours:6.2f} s  ratio {ratio:.2f}"
        )
    for fmt in ("eml", "mbox"):
        took = results[(10_000, fmt)]
        print(f"our export, 10,000 letters as {fmt:<4}               {took:6.2f} s  (goal < 5 s)")


if __name__ == "__main__":
    main()
