"""The database file as coordinators' machines treat it: reached through a link, protected
read-only, and folders made under a permissive umask."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kommunestyre.cli import main
from kommunestyre.clock import frozen_clock
from kommunestyre.store.database import Database
from kommunestyre.store.repository import Repository
from tests.conftest import EARLY

MOVE = ["move", "tina.kristensen@kolding.kommune.example", "--to", "2"]


def test_a_link_is_followed_and_stays_a_link(demo_db: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.json"
    link.symlink_to(demo_db)
    assert main([*MOVE, "--db", str(link)], clock=frozen_clock(EARLY)) == 0
    assert link.is_symlink() and link.resolve() == demo_db
    assert Database(link).lock_path == Database(demo_db).lock_path  # one file, one lock
    backup = demo_db.with_name("demo.json.bak1")
    assert backup.exists() and not backup.is_symlink()
    assert not (tmp_path / "link.json.bak1").exists()
    register = Repository(Database(link)).load()
    assert any(
        p.cohort == 2 and p.name == "Tina Kristensen" for p in register.participants.values()
    )


def test_a_read_only_database_is_not_replaced(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    demo_db.chmod(0o400)
    before = demo_db.read_bytes()
    try:
        assert main([*MOVE, "--db", str(demo_db)], clock=frozen_clock(EARLY)) == 1
        assert main(["headcount", "--db", str(demo_db)]) == 0  # reading is fine
        for create in (["init", "--force"], ["demo", "--force"]):  # nor is it forced over
            assert main([*create, "--db", str(demo_db)], clock=frozen_clock(EARLY)) == 1
    finally:
        mode = stat.S_IMODE(demo_db.stat().st_mode)
        demo_db.chmod(0o600)
    assert mode == 0o400 and demo_db.read_bytes() == before
    err = capsys.readouterr().err
    assert "is read-only (mode 0400)" in err and "chmod u+w" in err


def test_folders_made_for_exports_are_private_whatever_the_umask(
    demo_db: Path, tmp_path: Path
) -> None:
    old = os.umask(0)
    try:
        target = tmp_path / "new" / "deeper" / "breve"
        code = main(["letters", "export", "waitlist", "--format", "eml", "--out", str(target),
                     "--db", str(demo_db)], clock=frozen_clock(EARLY))  # fmt: skip
    finally:
        os.umask(old)
    assert code == 0
    for folder in (tmp_path / "new", tmp_path / "new" / "deeper", target):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    for path in target.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
