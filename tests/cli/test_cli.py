"""The command line: headcount as text and JSON, init and demo, and every error path as one
line on stderr with a non-zero exit code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kommunestyre.cli import main
from kommunestyre.clock import frozen_clock
from tests.conftest import EARLY

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "KOMMUNESTYRE_DB"}
    environment["PYTHONPATH"] = str(ROOT)
    environment["KOMMUNESTYRE_NOW"] = EARLY.isoformat()  # the demo's story, whatever the date
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "kommunestyre", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=False,
    )


def test_headcount_text_on_the_demo(demo_db: Path) -> None:
    result = run("headcount", "--db", str(demo_db))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert max(len(line) for line in out.splitlines()) <= 80
    lines = out.splitlines()
    hold1 = next(line for line in lines if line.strip().startswith("1 "))
    assert "24.-25.02.2027" in hold1 and "Kolding" in hold1
    assert "10/10 (5)" in hold1 and "39+1/40" in hold1 and "2 / 7" in hold1 and "full" in hold1
    hold4 = lines[lines.index(next(line for line in lines if line.strip().startswith("4 "))) + 1]
    assert "01.12.2027" in hold4 and "at risk" in hold4
    total = next(line for line in lines if line.strip().startswith("All"))
    assert "28/40" in total and "106+1/160" in total
    assert "! Hold 4 – at risk" in out


def test_headcount_json_on_the_demo(demo_db: Path) -> None:
    result = run("headcount", "--db", str(demo_db), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    first = data["cohorts"][0]
    for key in (
        "number", "directorates", "min_directorates", "max_directorates", "participants",
        "max_participants", "free_seats", "waitlisted_directorates", "waitlisted_participants",
        "status", "at_risk",
    ):  # fmt: skip
        assert key in first
    assert (first["number"], first["directorates"], first["participants"]) == (1, 10, 39)
    assert (first["offers"], first["billable"], first["late_cancellations"]) == (1, 40, 1)
    [offer] = first["offered_to"]
    assert offer == {
        "municipality": "Kolding",
        "participants": 1,
        "answer_by": "2027-01-25T10:00:00+01:00",
    }
    assert (first["free_seats"], first["status"], first["at_risk"]) == (0, "full", False)
    assert (first["waitlisted_directorates"], first["waitlisted_participants"]) == (2, 7)
    assert data["cohorts"][3]["at_risk"] is True
    totals = data["totals"]
    assert totals["directorates"] == 28
    assert totals["participants"] == sum(c["participants"] for c in data["cohorts"])
    assert totals["free_seats"] == sum(c["free_seats"] for c in data["cohorts"])
    assert totals["offers"] == 1 and totals["billable"] == 107


def test_headcount_for_one_cohort(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["headcount", "--db", str(demo_db), "--cohort", "2"], clock=frozen_clock(EARLY)) == 0
    )
    out = capsys.readouterr().out
    assert "hold 2: open" in out
    assert "Sinatur Hotel Storebælt, Østerøvej 121, 5800 Nyborg" in out
    assert "16.06.2027 09.30 - 15.30" in out
    assert main(["headcount", "--db", str(demo_db), "--cohort", "2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [c["number"] for c in data["cohorts"]] == [2]


def test_global_db_option_and_environment_variable(demo_db: Path) -> None:
    assert run("--db", str(demo_db), "headcount").returncode == 0
    assert run("headcount", env={"KOMMUNESTYRE_DB": str(demo_db)}).returncode == 0


def test_default_database_is_created_on_first_use(tmp_path: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "HOME": str(tmp_path)}
    result = run("headcount", "--json", env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["totals"]["participants"] == 0
    assert (tmp_path / "data" / "kommunestyre" / "kommunestyre.json").exists()


def test_help() -> None:
    result = run("--help")
    assert result.returncode == 0
    assert "headcount" in result.stdout and "init" in result.stdout


def test_no_arguments_opens_the_app(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kommunestyre.tui import app as app_module

    opened = []
    monkeypatch.setattr(app_module.KommunestyreApp, "run", lambda self: opened.append(self))
    assert main(["--db", str(demo_db)], clock=frozen_clock(EARLY)) == 0
    [app] = opened
    assert len(app.snapshot.register.participants) > 100


def test_app_is_not_started_on_a_damaged_database(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{")
    assert_one_line_error(run("--db", str(path)), "not valid JSON")
    assert_one_line_error(run("--db", str(tmp_path / "missing.json")), "kommunestyre init")


def assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    for needle in needles:
        assert needle in result.stderr


def test_missing_named_database_is_an_error_not_a_new_programme(tmp_path: Path) -> None:
    missing = tmp_path / "typo.json"
    result = run("headcount", "--db", str(missing))
    assert_one_line_error(result, str(missing), "kommunestyre init --db")
    assert not missing.exists()
    result = run("headcount", env={"KOMMUNESTYRE_DB": str(missing)})
    assert_one_line_error(result, "KOMMUNESTYRE_DB")
    assert not missing.exists()


@pytest.mark.parametrize("content", [b"", b"{not json", b"[]", b"\x00\xff"])
def test_corrupt_database(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    assert_one_line_error(run("headcount", "--db", str(path)), str(path))
    assert path.read_bytes() == content


def test_unknown_cohort(demo_db: Path) -> None:
    assert_one_line_error(run("headcount", "--db", str(demo_db), "--cohort", "7"), "no hold 7")
    result = run("headcount", "--db", str(demo_db), "--cohort", "x")
    assert result.returncode == 2 and "not a cohort number" in result.stderr


def test_init_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    assert run("init", "--db", str(path)).returncode == 0
    assert_one_line_error(run("init", "--db", str(path)), "already exists", "--force")
    assert_one_line_error(run("demo", "--db", str(path)), "already exists")
    assert run("demo", "--db", str(path), "--force").returncode == 0
    assert (tmp_path / "p.json.bak1").exists()


def test_init_reports_a_bad_definition(tmp_path: Path) -> None:
    import shutil

    from kommunestyre.resources import cohorts_dir

    folder = tmp_path / "cohorts"
    shutil.copytree(cohorts_dir(), folder)
    hold = folder / "hold-1.toml"
    hold.write_text(
        hold.read_text("utf-8").replace("max_directorates = 10", "max_directorates = 3")
    )
    result = run("init", "--db", str(tmp_path / "x.json"), "--cohorts", str(folder))
    assert_one_line_error(result, "hold-1.toml", "capacity.min_directorates")
    assert not (tmp_path / "x.json").exists()


def test_unreadable_database_folder(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads everything")
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "db.json").write_text("{}")
    folder.chmod(0)
    try:
        assert_one_line_error(run("headcount", "--db", str(folder / "db.json")))
    finally:
        folder.chmod(0o700)


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d.pop("cohorts"),
        lambda d: d["participants"]["1"].update(status="admited"),
        lambda d: d["cohorts"]["1"].update(registration_deadline="2027-13-01"),
        lambda d: d["meta"]["1"].update(schema_version=True),
    ],
    ids=["no cohorts", "bad status", "bad date", "boolean schema"],
)
def test_valid_json_with_nonsense_records_is_corrupt(demo_db: Path, damage: object) -> None:
    data = json.loads(demo_db.read_text("utf-8"))
    damage(data)  # type: ignore[operator]
    demo_db.write_text(json.dumps(data), "utf-8")
    before = demo_db.read_bytes()
    assert_one_line_error(run("headcount", "--db", str(demo_db)), str(demo_db))
    assert demo_db.read_bytes() == before


def test_missing_default_database_with_a_backup_is_not_silently_recreated(tmp_path: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "HOME": str(tmp_path)}
    assert run("headcount", env=env).returncode == 0
    assert run("demo", "--force", env=env).returncode == 0
    database = tmp_path / "data" / "kommunestyre" / "kommunestyre.json"
    database.unlink()
    assert_one_line_error(run("headcount", env=env), "backup")
    assert not database.exists()


def test_empty_db_option_is_an_error() -> None:
    assert_one_line_error(run("headcount", "--db", ""), "--db")
