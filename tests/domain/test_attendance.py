"""The check-in: who can be marked, what is counted, the no-shows (still billable), the
follow-up letter's recipients, and a database from before the check-in."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from kommunestyre.clock import local
from kommunestyre.domain import attendance
from kommunestyre.domain.model import Attendance, Register, Status
from kommunestyre.errors import RuleError, ValidationError
from kommunestyre.letters.catalogue import Filters, _followup
from kommunestyre.services.headcount import as_json, as_text, select
from kommunestyre.store.database import Database
from kommunestyre.store.repository import Repository

BETWEEN = local(datetime(2027, 3, 10, 12, 0))  # after hold 1's seminar, before its follow-up


def load(path: Path) -> Register:
    return Repository(Database(path)).load()


def seated(register: Register, cohort: int = 1) -> list[int]:
    return sorted(p.id for p in attendance.seated(register, cohort))


def test_mark_present_absent_and_undo(demo_db: Path) -> None:
    register = load(demo_db)
    first, second = seated(register)[:2]
    outcome = attendance.mark(register, first, "seminar", True, BETWEEN)
    assert "present at the seminar of hold 1" in outcome.summary
    attendance.mark(register, second, "seminar", False, BETWEEN)
    counts = attendance.attended(register, 1)
    assert counts.present == {"seminar": 1, "followup": 0}
    assert counts.shown("seminar") == f"1/{counts.expected}"
    assert counts.shown("followup") == f"–/{counts.expected}"
    no_show = register.participant(second)
    assert [p.id for p in attendance.no_shows(register, 1, "seminar")] == [second]
    assert no_show.is_billable  # a no-show stays billable
    attendance.mark(register, first, "seminar", None, BETWEEN)
    assert register.participant(first).attendance.at(1, "seminar") is None


def test_only_people_with_a_seat_can_be_marked(demo_db: Path) -> None:
    register = load(demo_db)
    waiting = next(p for p in register.participants.values() if p.status is Status.WAITLISTED)
    with pytest.raises(RuleError, match="only admitted people"):
        attendance.mark(register, waiting.id, "seminar", True, BETWEEN)
    with pytest.raises(ValidationError):
        attendance.mark(register, seated(register)[0], "lunch", True, BETWEEN)


def test_a_move_leaves_the_old_cohorts_marks_unread() -> None:
    marks = Attendance(1, True, None)
    assert marks.at(2, "seminar") is None
    assert attendance.marked(marks, 2, "followup", False) == Attendance(2, None, False)


def test_headcount_json_and_text(demo_db: Path) -> None:
    register = load(demo_db)
    rows = select(register, BETWEEN)
    assert "attendance" not in as_text(register, rows, BETWEEN)
    first, second = seated(register)[:2]
    attendance.mark(register, first, "seminar", True, BETWEEN)
    attendance.mark(register, second, "seminar", False, BETWEEN)
    data = as_json(register, select(register, BETWEEN), BETWEEN)
    assert data["cohorts"][0]["attended"] == {"seminar": 1, "followup": 0}
    assert data["cohorts"][1]["attended"] == {"seminar": 0, "followup": 0}
    text = as_text(register, select(register, BETWEEN), BETWEEN)
    assert f"Hold 1 attendance: seminar 1/{len(seated(register))}" in text
    assert "1 no-show at the seminar, still billable: " + register.participant(second).name in text


def test_followup_letter_goes_to_those_present_once_recorded(demo_db: Path) -> None:
    register = load(demo_db)
    everyone = {r.key for r in _followup(register, BETWEEN, Filters())}
    assert everyone == {f"participant:{pid}" for pid in seated(register)}
    first = seated(register)[0]
    attendance.mark(register, first, "seminar", True, BETWEEN)
    assert [r.key for r in _followup(register, BETWEEN, Filters())] == [f"participant:{first}"]


def test_a_database_without_attendance_loads(demo_db: Path) -> None:
    doc = json.loads(demo_db.read_text("utf-8"))
    for person in doc["participants"].values():
        person.pop("attendance", None)
    for settings in doc["programme"].values():
        settings.pop("evaluation_url", None)
    demo_db.write_text(json.dumps(doc), "utf-8")
    register = load(demo_db)
    assert all(p.attendance == Attendance() for p in register.participants.values())
    assert register.programme.evaluation_url == ""


def test_a_hostile_attendance_value_is_damage(demo_db: Path) -> None:
    from kommunestyre.errors import CorruptDatabase

    doc = json.loads(demo_db.read_text("utf-8"))
    person = next(iter(doc["participants"].values()))
    person["attendance"] = {"cohort": 1, "seminar": "yes", "followup": None}
    demo_db.write_text(json.dumps(doc), "utf-8")
    with pytest.raises(CorruptDatabase, match="not true, false or null"):
        load(demo_db)


def test_the_followup_letter_carries_the_evaluation_link(demo_db: Path, tmp_path: Path) -> None:
    import shutil

    from kommunestyre.clock import frozen_clock
    from kommunestyre.definition import load_programme
    from kommunestyre.errors import KommunestyreError
    from kommunestyre.resources import cohorts_dir
    from kommunestyre.services.letters import LetterService

    link = "https://evaluering.example/ks2030?hold=1"
    doc = json.loads(demo_db.read_text("utf-8"))
    for settings in doc["programme"].values():
        settings["evaluation_url"] = link
    demo_db.write_text(json.dumps(doc), "utf-8")
    letters = LetterService(Repository(Database(demo_db), clock=frozen_clock(BETWEEN)))
    batch = letters.prepare("followup")
    assert batch.letters and all(link in x.text and link in x.html for x in batch.letters)

    folder = tmp_path / "cohorts"  # the programme definition checks the link
    shutil.copytree(cohorts_dir(), folder)
    toml = folder / "programme.toml"
    original = toml.read_text("utf-8")
    toml.write_text(f'evaluation_url = "{link}"\n' + original, "utf-8")
    assert load_programme(folder).evaluation_url == link
    toml.write_text('evaluation_url = "javascript:alert(1)"\n' + original, "utf-8")
    with pytest.raises(KommunestyreError, match="evaluation_url"):
        load_programme(folder)
