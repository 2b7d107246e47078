"""An unexpected error (a bug) ends in one line and a private crash report without personal
data: never a traceback, never the values it was working on."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

import kommunestyre.cli as cli
from kommunestyre.crash import describe, write_report
from tests.cli.test_cli import ROOT

SECRET = "ole.hemmelig@aarhus.dk"


def boom(args: argparse.Namespace, ctx: cli.Context) -> int:
    person = {"name": "Ole Hemmelig", "email": SECRET}
    return int(person["phone"])  # a KeyError whose message is a value


def reports(folder: Path) -> list[Path]:
    return sorted(folder.glob("crash-*.txt"))


def test_the_cli_prints_one_line_and_keeps_a_report_without_values(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    demo_db: Path,
) -> None:
    monkeypatch.setenv("KOMMUNESTYRE_CRASH_DIR", str(tmp_path / "crashes"))
    monkeypatch.setattr(cli, "_cmd_headcount", boom)
    assert cli.main(["headcount", "--db", str(demo_db)]) == cli.UNEXPECTED
    out, err = capsys.readouterr()
    [line] = err.strip().splitlines()
    assert line.startswith("kommunestyre stopped after an unexpected error (KeyError)")
    assert "Traceback" not in out + err and SECRET not in err
    [report] = reports(tmp_path / "crashes")
    text = report.read_text("utf-8")
    assert str(report) in line
    assert (
        "builtins.KeyError" in text
        and "in boom" in text
        and "where: kommunestyre headcount" in text
    )
    assert (
        SECRET not in text
        and "Ole Hemmelig" not in text
        and "phone" not in text.split("in boom")[0]
    )
    assert report.stat().st_mode & 0o777 == 0o600


def test_a_subprocess_never_shows_a_traceback(tmp_path: Path, demo_db: Path) -> None:
    code = (
        "import kommunestyre.cli as cli\n"
        "def boom(args, ctx):\n"
        f"    raise ValueError({SECRET!r})\n"
        "cli._cmd_headcount = boom\n"
        f"raise SystemExit(cli.main(['headcount', '--db', {str(demo_db)!r}]))\n"
    )
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "KOMMUNESTYRE_CRASH_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment, check=False
    )
    assert result.returncode == cli.UNEXPECTED
    assert "Traceback" not in result.stderr and SECRET not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert SECRET not in reports(tmp_path)[0].read_text("utf-8")


def test_causes_are_described_without_their_messages() -> None:
    try:
        try:
            raise KeyError(SECRET)
        except KeyError as inner:
            raise RuntimeError(f"while handling {SECRET}") from inner
    except RuntimeError as error:
        lines = describe(error)
    assert lines[0] == "builtins.RuntimeError"
    assert "builtins.KeyError" in lines and SECRET not in "\n".join(lines)


def test_an_unwritable_folder_does_not_crash_the_crash_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("KOMMUNESTYRE_CRASH_DIR", str(blocked / "sub"))
    assert write_report(ValueError("x"), "test") is None
