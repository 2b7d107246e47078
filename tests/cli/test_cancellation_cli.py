"""``kommunestyre letters export cancellation``: the cancellation letter from the command line."""

from __future__ import annotations

from email import message_from_bytes, policy
from pathlib import Path

import icalendar
import pytest

from tests.cli.test_letters_cli import run


def test_export_cancellation(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "letters", "list", "--db", str(demo_db))
    assert code == 0 and "cancellation  people who cancelled or moved +.ics" in out
    code, out, _ = run(capsys, "letters", "preview", "cancellation", "--db", str(demo_db))
    assert code == 0 and "Subject: Afmelding fra hold 1" in out and "sen afmelding" in out
    assert "Attachment: kommunestyret-2030-hold-1-seminar.ics, kommunestyret-2030-hold-1" in out
    code, out, _ = run(capsys, "letters", "export", "cancellation", "--db", str(demo_db),
                       "--format", "eml", "--out", str(tmp_path / "out"))  # fmt: skip
    assert code == 0 and "Exported 2 letter(s)" in out
    for path in sorted((tmp_path / "out").glob("*.eml")):
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
        assert parts and all(p.get_param("method") == "CANCEL" for p in parts)
        for part in parts:
            calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
            assert calendar["METHOD"] == "CANCEL"
            assert calendar.walk("VEVENT")[0]["STATUS"] == "CANCELLED"
    code, out, _ = run(capsys, "letters", "export", "cancellation", "--db", str(demo_db),
                       "--status", "moved", "--format", "eml",
                       "--out", str(tmp_path / "m"))  # fmt: skip
    assert code == 0 and "cancellation: 0 recipient(s)." in out  # nobody has moved yet
    assert not (tmp_path / "m").exists()
