"""``kommunestyre letters``: list, preview, export, send (dry run), ledger, and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kommunestyre.cli import main
from kommunestyre.clock import frozen_clock
from tests.conftest import EARLY, ENGLISH


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args), clock=frozen_clock(EARLY), environ=ENGLISH)
    out, err = capsys.readouterr()
    return code, out, err


def test_list_and_preview(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "letters", "list", "--db", str(demo_db))
    assert code == 0 and "confirmation" in out and "+.ics" in out
    code, out, _ = run(capsys, "letters", "preview", "waitlist", "--db", str(demo_db))
    assert code == 0 and "Subject: Nyborg er på venteliste" in out and "Kære" in out
    code, out, _ = run(capsys, "letters", "preview", "practical", "--db", str(demo_db),
                       "--to", "tina.kristensen@kolding.kommune.example", "--html")  # fmt: skip
    assert code == 0 and "<p>Kære Tina Kristensen</p>" in out


def test_export_then_nothing_twice(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "letters", "export", "confirmation", "--db", str(demo_db),
                       "--format", "mbox", "--out", str(tmp_path / "a"))  # fmt: skip
    assert code == 0 and "Exported 28 letter(s)" in out and "as drafts" in out
    # exported is not sent: a second export is allowed, and says so
    code, out, _ = run(capsys, "letters", "export", "confirmation", "--db", str(demo_db),
                       "--format", "eml", "--out", str(tmp_path / "b"))  # fmt: skip
    assert code == 0 and "28 exported before but not marked as sent" in out
    assert len(list((tmp_path / "b").glob("*.eml"))) == 28
    code, out, _ = run(capsys, "letters", "mark-sent", "confirmation", "--db", str(demo_db))
    assert code == 0 and "Marked 28 exported 'confirmation' letter(s) as sent." in out
    code, out, _ = run(capsys, "letters", "export", "confirmation", "--db", str(demo_db),
                       "--format", "eml", "--out", str(tmp_path / "c"))  # fmt: skip
    assert code == 0 and "Nothing to export" in out and not (tmp_path / "c").exists()
    code, out, _ = run(capsys, "letters", "ledger", "--db", str(demo_db))
    assert code == 0 and out.count("confirmation  marked  sent") == 28


def test_send_is_a_dry_run_by_default(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "letters", "send", "waitlist", "--db", str(demo_db),
                       "--smtp-host", "mail.example.invalid")  # fmt: skip
    assert code == 0 and "Dry run: 2 letter(s) would be sent via mail.example.invalid:587" in out


def test_preflight_failure_stops_everything(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(demo_db.read_text("utf-8"))
    data["contacts"]["751"]["email"] = ""
    demo_db.write_text(json.dumps(data), "utf-8")
    args = ("letters", "export", "invitation", "--db", str(demo_db), "--status", "all")
    code, out, err = run(capsys, *args, "--format", "eml", "--out", str(tmp_path / "x"))
    assert code == 3 and "problem  Aarhus <->: no e-mail address" in out
    assert "pre-flight failed for 1 recipient(s)" in err and not (tmp_path / "x").exists()
    code, out, _ = run(
        capsys, *args, "--format", "eml", "--out", str(tmp_path / "x"), "--skip", "contact:751"
    )
    assert code == 0 and "Exported 97 letter(s)" in out


def test_bad_arguments(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "letters", "preview", "brev", "--db", str(demo_db))
    assert code == 1 and "there is no letter 'brev'" in err
    code, _, err = run(
        capsys, "letters", "preview", "practical", "--db", str(demo_db), "--status", "x"
    )
    assert code == 1 and "'x' is not one of" in err
    code, _, err = run(
        capsys, "letters", "preview", "practical", "--db", str(demo_db), "--templates", "/nope"
    )
    assert code == 1 and "/nope is not a folder" in err
    send = ("letters", "send", "waitlist", "--db", str(demo_db), "--smtp-host", "h")
    code, _, err = run(capsys, *send, "--security", "none", "--smtp-user", "u")
    assert code == 1 and "never sent over an unencrypted connection" in err


def test_send_for_real_reports_a_refused_recipient_and_exits_4(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.smtp_server import Mailbox, start

    mailbox = Mailbox(refuse={"tina.kristensen@kolding.kommune.example"})
    controller = start(mailbox, None)
    try:
        code, out, _ = run(capsys, "letters", "send", "practical", "--db", str(demo_db),
                           "--cohort", "1", "--smtp-host", "127.0.0.1", "--smtp-port",
                           str(controller.port), "--security", "none", "--send")  # fmt: skip
    finally:
        controller.stop()
    assert code == 4
    assert "failed   Tina Kristensen (Kolding) <tina.kristensen@kolding.kommune.example>" in out
    assert len(mailbox.messages) == 38 and "38 sent, 1 failed" in out
    code, out, _ = run(capsys, "letters", "ledger", "--db", str(demo_db))
    assert out.count("practical     smtp") == 38 and "tina.kristensen" not in out
