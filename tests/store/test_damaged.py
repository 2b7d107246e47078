"""A hand-edited or damaged database is refused when it is read, naming the record that is
wrong, by every command; the file is left as it was; impossible files are never opened."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kommunestyre.cli import main
from kommunestyre.clock import frozen_clock
from tests.conftest import EARLY

Edit = Callable[[dict[str, Any]], None]


def first(table: dict[str, Any]) -> dict[str, Any]:
    return table[min(table, key=int)]


def orphan(data: dict[str, Any]) -> None:
    first(data["participants"])["directorate_id"] = 999


def no_cohorts(data: dict[str, Any]) -> None:
    data["cohorts"] = {}


def null_email(data: dict[str, Any]) -> None:
    first(data["participants"])["email"] = None


def unknown_cohort(data: dict[str, Any]) -> None:
    first(data["directorates"])["cohort"] = 9


def counter_behind(data: dict[str, Any]) -> None:
    data["counters"]["1"]["participant"] = 1


def bad_municipality(data: dict[str, Any]) -> None:
    first(data["directorates"])["municipality_code"] = 9999


def counter_text(data: dict[str, Any]) -> None:
    data["counters"]["1"]["participant"] = "x"


def cap_text(data: dict[str, Any]) -> None:
    first(data["cohorts"])["max_participants"] = "30"


def generation_text(data: dict[str, Any]) -> None:
    data["meta"]["1"]["generation"] = "x"


def unknown_status(data: dict[str, Any]) -> None:
    first(data["participants"])["status"] = "bogus"


DAMAGE: dict[str, tuple[Edit, str]] = {
    "counter a text": (counter_text, "counters participant: 'x' is not a whole number"),
    "cap a text": (cap_text, "cohorts 1 max_participants: '30' is not a whole number"),
    "generation a text": (generation_text, "meta.generation is 'x', not a whole number"),
    "unknown status": (unknown_status, "participants 1:"),
    "participant without directorate": (orphan, "its directorate 999 does not exist"),
    "no cohorts": (no_cohorts, "the programme has no cohorts"),
    "e-mail null": (null_email, "email is not a text"),
    "unknown cohort": (unknown_cohort, "there is no hold 9"),
    "counter behind": (counter_behind, "the participant counter is behind"),
    "unknown municipality": (bad_municipality, "9999 is not a municipality code"),
}

COMMANDS = [
    ["headcount"],
    ["export", "invoices", "--out", "{tmp}/f.csv"],
    ["letters", "export", "confirmation", "--format", "eml", "--out", "{tmp}/breve"],
    ["move", "tina.kristensen@kolding.kommune.example", "--to", "2"],
    ["import", "{tmp}/sheet.csv"],
]


@pytest.mark.parametrize("damage", DAMAGE)
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_damage_is_named_by_every_command(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: str, command: list
) -> None:
    edit, message = DAMAGE[damage]
    data = json.loads(demo_db.read_text("utf-8"))
    edit(data)
    demo_db.write_text(json.dumps(data), "utf-8")
    before = demo_db.read_bytes()
    (tmp_path / "sheet.csv").write_text("Kommune;Hold;Navn;E-mail\nAarhus;2;Ny;ny@aarhus.dk\n")
    args = [a.format(tmp=tmp_path) for a in command]
    code = main([*args, "--db", str(demo_db)], clock=frozen_clock(EARLY))
    err = capsys.readouterr().err
    assert code != 0
    [line] = err.strip().splitlines()
    assert message in line and "damaged database" in line
    assert demo_db.read_bytes() == before


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_pipe_or_a_device_is_never_opened(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)
    for path in (pipe, Path("/dev/zero"), tmp_path):
        if not path.exists():
            continue
        assert main(["headcount", "--db", str(path)]) == 1
        assert "is not a regular file" in capsys.readouterr().err
