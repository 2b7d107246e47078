"""Every change to the register from the shell, as subprocesses on the demo (run as if it were
1 December 2026, before every deadline, or 20 January 2027, after hold 1's): each prints what it
did, --dry-run saves nothing, a refusal is one line with a non-zero exit and changes nothing."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from kommunestyre.domain.model import Status
from kommunestyre.store.database import Database
from kommunestyre.store.repository import Repository
from tests.cli.test_cli import run

TINA = "tina.kristensen@kolding.kommune.example"  # Kolding's municipal director, hold 1
HENRIK = "henrik.oestergaard@kolding.kommune.example"  # holds the demo's seat offer
AFTER_DEADLINE = {"KOMMUNESTYRE_NOW": "2027-01-20T10:00"}


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def refused(result: subprocess.CompletedProcess[str], message: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr
    [line] = result.stderr.strip().splitlines()
    assert message in line


def status(db: Path, email: str) -> tuple[Status, int]:
    register = Repository(Database(db)).load()
    person = next(
        p for p in register.participants.values()
        if p.details.email == email and p.status is not Status.SUBSTITUTED
    )  # fmt: skip
    return person.status, person.cohort


def test_move_a_person_dry_run_then_for_real(demo_db: Path) -> None:
    before = demo_db.read_bytes()
    out = ok(run("move", TINA, "--to", "2", "--db", str(demo_db), "--dry-run"))
    assert out.splitlines() == [
        "Dry run, nothing saved. This would happen:",
        "  Tina Kristensen (Kolding) moved from hold 1 to hold 2 (admitted)",
    ]
    assert demo_db.read_bytes() == before
    out = ok(run("move", TINA, "--to", "2", "--db", str(demo_db)))
    assert out.startswith("Tina Kristensen (Kolding) moved from hold 1 to hold 2 (admitted)")
    assert status(demo_db, TINA) == (Status.ADMITTED, 2)
    counts = json.loads(ok(run("headcount", "--json", "--db", str(demo_db))))["cohorts"]
    assert counts[1]["directorates"] == 9  # Kolding is represented in hold 2 by Tina


def test_move_a_whole_directorate_by_municipality(demo_db: Path) -> None:
    out = ok(run("move", "Thisted", "--to", "3", "--db", str(demo_db)))
    assert out.startswith("Thisted moved from hold 4 to hold 3 (admitted)")
    refused(run("move", "thisted", "--to", "3", "--db", str(demo_db)), "already in hold 3")


def test_cancel_asks_and_says_whether_it_is_free_or_binding(demo_db: Path) -> None:
    before = demo_db.read_bytes()
    result = run("cancel", TINA, "--db", str(demo_db))  # no terminal to ask: refused
    assert "This cancellation is free: the deadline of hold 1 is 13.01.2027." in result.stdout
    refused(result, "add --yes")
    assert demo_db.read_bytes() == before
    out = ok(run("cancel", TINA, "--db", str(demo_db), "--yes", env=AFTER_DEADLINE))
    assert "binding: the deadline of hold 1 passed on 13.01.2027" in out
    assert "Tina Kristensen (Kolding) cancelled (binding, billable)" in out


def test_reinstate_undoes_a_cancellation(demo_db: Path) -> None:
    ok(run("cancel", TINA, "--db", str(demo_db), "--yes"))
    out = ok(run("reinstate", TINA, "--db", str(demo_db)))
    assert out.splitlines()[0].startswith("Tina Kristensen (Kolding) reinstated")
    assert status(demo_db, TINA)[0] in (Status.ADMITTED, Status.WAITLISTED)
    refused(run("reinstate", TINA, "--db", str(demo_db)), "is admitted, not cancelled")


def test_reinstate_a_whole_directorate(demo_db: Path) -> None:
    ok(run("cancel", "Aalborg", "--db", str(demo_db), "--yes"))
    out = ok(run("reinstate", "Aalborg", "--db", str(demo_db)))
    assert out.startswith("Aalborg reinstated with 4 participants, 4 admitted")


def test_substitute(demo_db: Path) -> None:
    out = ok(run("substitute", TINA, "--name", "Vera Vikar", "--email", "vera@kolding.dk",
                 "--db", str(demo_db)))  # fmt: skip
    assert out.startswith("Vera Vikar takes over from Tina Kristensen (Kolding) in hold 1")
    refused(
        run("substitute", "Kolding", "--name", "X", "--email", "x@y.dk", "--db", str(demo_db)),
        "e-mail address",
    )
    refused(
        run("substitute", "vera@kolding.dk", "--name", "X", "--email", "not-an-address",
            "--db", str(demo_db)),
        "email",
    )  # fmt: skip


def test_accept_and_decline_a_seat_offer(demo_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.json"
    copy.write_bytes(demo_db.read_bytes())
    out = ok(run("accept", HENRIK, "--db", str(demo_db), "--dry-run", env=AFTER_DEADLINE))
    assert "accepted the seat offer: admitted to hold 1 (binding)" in out
    out = ok(run("accept", "Kolding", "--db", str(demo_db), env=AFTER_DEADLINE))
    assert out.startswith("Henrik Østergaard (Kolding) accepted the seat offer")
    assert status(demo_db, HENRIK) == (Status.ADMITTED, 1)
    refused(run("decline", HENRIK, "--db", str(demo_db)), "holds no seat offer")
    out = ok(run("decline", HENRIK, "--db", str(copy), env=AFTER_DEADLINE))
    assert "declined the seat offer in hold 1 (free)" in out
    assert status(copy, HENRIK) == (Status.CANCELLED, 1)


def test_an_offer_that_ran_out_cannot_be_accepted(demo_db: Path) -> None:
    late = {"KOMMUNESTYRE_NOW": "2027-02-01T10:00"}  # the offer stood until 25.01.2027
    refused(run("accept", HENRIK, "--db", str(demo_db), env=late), "is cancelled")


def test_erase_asks_and_then_erases_everywhere_in_the_file(demo_db: Path) -> None:
    refused(run("erase", TINA, "--db", str(demo_db)), "add --yes")
    out = ok(run("erase", TINA, "--db", str(demo_db), "--yes"))
    assert "erased" in out
    assert "Tina Kristensen" not in demo_db.read_text("utf-8")
    assert TINA not in demo_db.read_text("utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("move", "nobody@nowhere.dk", "--to", "2"), "nobody is registered with"),
        (("move", "Narnia", "--to", "2"), "not a Danish municipality"),
        (("move", TINA, "--to", "9"), "there is no hold 9"),
        (("cancel", "Billund", "--yes"), "Billund has never registered"),
        (("accept", TINA), "holds no seat offer"),
        (("move", HENRIK, "--to", "2"), "holds a seat offer in hold 1"),
    ],
)
def test_refusals_are_one_line_and_change_nothing(
    demo_db: Path, args: tuple[str, ...], message: str
) -> None:
    before = demo_db.read_bytes()
    refused(run(*args, "--db", str(demo_db)), message)
    assert demo_db.read_bytes() == before


def test_a_bad_clock_setting_is_named() -> None:
    result = run("headcount", env={"KOMMUNESTYRE_NOW": "soon"})
    refused(result, "KOMMUNESTYRE_NOW: 'soon' is not a moment")
