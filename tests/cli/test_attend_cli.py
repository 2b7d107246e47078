"""``kommunestyre attend``: one line per change, a refusal is one line with a non-zero exit,
the history records it and the headcount counts it."""

from __future__ import annotations

import json
from pathlib import Path

from kommunestyre.store.database import Database
from tests.cli.test_cli import run
from tests.cli.test_register_cli import TINA, ok, refused


def test_attend_a_person_then_a_municipality(demo_db: Path) -> None:
    db = str(demo_db)
    out = ok(run("attend", TINA, "--meeting", "seminar", "--db", db))
    assert out.strip() == "Tina Kristensen (Kolding): present at the seminar of hold 1"
    out = ok(run("attend", "Kolding", "--meeting", "followup", "--absent", "--db", db))
    assert out.startswith("Kolding: ") and "marked absent at the follow-up day of hold 1" in out
    counts = json.loads(ok(run("headcount", "--json", "--db", db)))["cohorts"]
    assert counts[0]["attended"] == {"seminar": 1, "followup": 0}
    with Database(demo_db).transaction() as tables:
        history = list(tables.table("history").all())
    assert [e["action"] for e in history[-2:]] == ["attend", "attend"]


def test_attend_refuses_someone_without_a_seat(demo_db: Path) -> None:
    before = demo_db.read_bytes()
    waiting = "maria.oestergaard@nyborg.kommune.example"
    result = run("attend", waiting, "--meeting", "seminar", "--db", str(demo_db))
    refused(result, "only admitted people can be checked in")
    refused(
        run("attend", "louise.dahl@vejle.kommune.example", "--meeting", "seminar", "--db",
            str(demo_db)),
        "is cancelled",
    )  # fmt: skip
    assert demo_db.read_bytes() == before


def test_attend_dry_run_saves_nothing(demo_db: Path) -> None:
    before = demo_db.read_bytes()
    out = ok(run("attend", TINA, "--meeting", "seminar", "--undo", "--dry-run", "--db",
                 str(demo_db)))  # fmt: skip
    assert out.startswith("Dry run, nothing saved.")
    assert demo_db.read_bytes() == before
