"""Lists: importing big sign-up sheets and exporting every list, whole processes.

    python -m benchmarks.lists [--runs 3]

Goals (issue 5): import 5,000 rows in under 3 s (one write under the lock, not one per row);
export all lists for 10,000 participants in under 3 s.

A programme has room for at most 97 x 40 new people in one sheet (a directorate holds at most
40), so the import is measured twice: 3,880 new registrations into an empty programme (every
row adds; 40 directorates get seats, the rest wait), and 5,000 rows that correct the phone
number of every participant of a 5,000-person database (every row updates).
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


def wall(argv: list[str], runs: int, before=None) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    times = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        subprocess.run(argv, check=True, env=env, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def write_sheet(path: Path, rows: list[list[str]]) -> None:
    headers = ["Kommune", "Hold", "Navn", "Titel", "Fagområde", "E-mail", "Telefon", "EAN"]
    if path.suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
        book.save(path)
        return
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(headers)
        writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from benchmarks.generate import generate
    from kommunestyre.domain.municipalities import all_municipalities
    from kommunestyre.services.setup import init_database
    from kommunestyre.store.database import Database
    from kommunestyre.store.repository import Repository

    cli = [sys.executable, "-m", "kommunestyre"]
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)

        # 1. new registrations into an empty programme
        empty = folder / "empty.json"
        init_database(empty)
        pristine = folder / "empty-pristine.json"
        shutil.copyfile(empty, pristine)
        towns = [m.name for m in all_municipalities() if m.name != "Ærø"]
        rows = [
            [town, str(i % 4 + 1), f"Direktør {i}-{n}", "Direktør", "Teknik og miljø",
             f"d{n}@k{i}.example", f"{20000000 + i * 100 + n}", "5798009813640"]
            for i, town in enumerate(towns)
            for n in range(40)
        ]  # fmt: skip
        for suffix in (".csv", ".xlsx"):
            sheet = folder / f"new{suffix}"
            write_sheet(sheet, rows)
            results[f"add {len(rows):,} rows from {suffix}"] = wall(
                [*cli, "import", str(sheet), "--db", str(empty)],
                args.runs,
                lambda: shutil.copyfile(pristine, empty),
            )

        # 2. corrections of every participant of a 5,000-person database
        big = generate(folder / "five.json", 5_000)
        big_pristine = folder / "five-pristine.json"
        shutil.copyfile(big, big_pristine)
        register = Repository(Database(big)).load()
        rows = []
        for p in register.participants.values():
            d = register.directorates[p.directorate_id]
            town = next(m.name for m in all_municipalities() if m.code == d.municipality_code)
            rows.append([town, str(p.cohort), p.details.name, p.details.title, "",
                         p.details.email, f"{30000000 + p.id}", ""])  # fmt: skip
        for suffix in (".csv", ".xlsx"):
            sheet = folder / f"update{suffix}"
            write_sheet(sheet, rows)
            results[f"update {len(rows):,} rows from {suffix}"] = wall(
                [*cli, "import", str(sheet), "--db", str(big)],
                args.runs,
                lambda: shutil.copyfile(big_pristine, big),
            )

        # 3. every list for 10,000 participants
        ten = generate(folder / "ten.json", 10_000)
        for suffix in (".xlsx", ".csv"):
            total = 0.0
            for kind in ("participants", "networks", "invoices", "contacts"):
                out = folder / f"{kind}{suffix}"
                total += wall(
                    [*cli, "export", kind, "--db", str(ten), "--out", str(out)], args.runs
                )
            results[f"export all four lists as {suffix} (10,000)"] = total

    for label, took in results.items():
        goal = "(goal < 3 s)"
        print(f"{label:<42} {took:6.2f} s  {goal}")


if __name__ == "__main__":
    main()
