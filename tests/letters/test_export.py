"""Exports parsed back with the standard library and a real iCalendar parser; the ledger."""

from __future__ import annotations

import csv
import mailbox
import stat
from dataclasses import replace
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path

import icalendar
import pytest

from kommunestyre.letters.batch import State
from kommunestyre.letters.catalogue import Filters
from kommunestyre.letters.delivery import DeliveryError
from kommunestyre.letters.ledger import read_ledger
from kommunestyre.services.letters import LetterService
from kommunestyre.services.registry import Registry
from kommunestyre.store.repository import Repository
from tests.test_registry import settings_with


def read(path: Path):
    return message_from_bytes(path.read_bytes(), policy=policy.default)


def invitations(message, method: str = "REQUEST") -> list[icalendar.Event]:
    """The message's calendar parts, each one invitation (METHOD, one VEVENT) to ``To``."""
    events = []
    to = message["To"].addresses[0]
    for part in message.walk():
        if part.get_content_type() != "text/calendar":
            continue
        assert part.get_param("method") == method and part.get_content_charset() == "utf-8"
        calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
        assert calendar["METHOD"] == method
        [event] = calendar.walk("VEVENT")
        assert str(event["ATTENDEE"]) == f"mailto:{to.addr_spec}"
        assert event["ATTENDEE"].params["CN"] == to.display_name
        assert str(event["ORGANIZER"]) == "mailto:kommunestyret2030@komponent.example"
        events.append(event)
    return events


def check_practical(message, name: str) -> None:
    assert message["From"].addresses[0].display_name == "Line Vestergaard"
    assert message["To"].addresses[0].display_name == name
    assert str(message["Subject"]).startswith("Praktisk information før 12-12-seminaret")
    assert message["Message-ID"] and message["Date"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert f"Kære {name}" in text and f"<p>Kære {name}</p>" in html
    assert "Overnatning".upper() in text
    [attachment] = list(message.iter_attachments())  # the follow-up day; the seminar is inline
    assert attachment.get_content_type() == "text/calendar"
    seminar, followup = invitations(message)
    start = seminar.decoded("DTSTART")
    assert (start.hour, start.minute, start.utcoffset()) == (12, 0, timedelta(hours=1))
    assert seminar.decoded("DTEND") - start == timedelta(days=1)
    assert followup.decoded("DTSTART").utcoffset() == timedelta(hours=2)  # April: summer time
    assert "Hotel Koldingfjord" in str(seminar["LOCATION"])
    assert str(seminar["UID"]).endswith("-seminar@komponent.example")


def test_eml_export(service: LetterService, repository: Repository, tmp_path: Path) -> None:
    target = tmp_path / "practical"
    batch = service.prepare("practical", Filters(cohort=1))
    report = service.export(batch, target, "eml")
    files = sorted(target.glob("*.eml"))
    assert len(files) == len(batch.letters) == 39
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert all(f.name.isascii() and " " not in f.name for f in files)
    rows = list(csv.DictReader((target / "manifest.csv").read_text("utf-8-sig").splitlines()))
    assert len(rows) == 39 and {r["letter"] for r in rows} == {"practical"}
    for row in rows[:5]:
        message = read(target / row["file"])
        assert message["To"].addresses[0].addr_spec == row["email"]
        check_practical(message, message["To"].addresses[0].display_name)
    assert len(read_ledger(repository)) == 39 == len(report.deliveries)
    assert {d.channel for d in read_ledger(repository)} == {"eml"}


def test_mbox_export(service: LetterService, tmp_path: Path) -> None:
    target = tmp_path / "box"
    service.export(service.prepare("practical", Filters(cohort=1)), target, "mbox")
    box = mailbox.mbox(target / "letters.mbox")
    messages = [message_from_bytes(m.as_bytes(), policy=policy.default) for m in box]
    assert len(messages) == 39
    for message in messages[:3]:
        check_practical(message, message["To"].addresses[0].display_name)
    assert stat.S_IMODE((target / "letters.mbox").stat().st_mode) == 0o600


def test_export_never_overwrites_and_leaves_nothing_when_cancelled(
    service: LetterService, repository: Repository, tmp_path: Path
) -> None:
    target = tmp_path / "busy"
    target.mkdir()
    (target / "mine.txt").write_text("keep")
    with pytest.raises(DeliveryError, match="not empty"):
        service.export(service.prepare("waitlist"), target, "eml")
    assert [p.name for p in target.iterdir()] == ["mine.txt"]
    fresh = tmp_path / "fresh"
    with pytest.raises(DeliveryError, match="cancelled"):
        service.export(service.prepare("waitlist"), fresh, "eml", cancelled=lambda: True)
    assert not fresh.exists()
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert read_ledger(repository) == []


def test_ledger_skips_what_was_delivered_and_marks_moved_dates_stale(
    service: LetterService, repository: Repository, tmp_path: Path
) -> None:
    service.export(service.prepare("confirmation"), tmp_path / "first", "eml")
    drafts = service.prepare("confirmation")
    assert drafts.count(State.EXPORTED) == 28 and len(drafts.outgoing) == 28  # not sent yet
    assert service.mark_sent("confirmation") == 28  # the coordinator sent them from Outlook
    again = service.prepare("confirmation")
    assert again.count(State.SENT) == 28 and again.outgoing == []
    states = [line.state for line in service.ledger()]
    assert states.count("current") == 28 and states.count("superseded") == 28  # the drafts

    registry = Registry(repository)
    cohort = registry.snapshot().register.cohort(2)
    moved = replace(cohort.seminar, start=cohort.seminar.start + timedelta(days=7),
                    end=cohort.seminar.end + timedelta(days=7))  # fmt: skip
    registry.update_cohort(2, cohort.rev, settings_with(registry, 2, seminar=moved))

    states = {
        line.delivery.cohort: line.state for line in service.ledger() if line.state != "superseded"
    }
    assert states[2] == "stale" and states[1] == "current"
    batch = service.prepare("confirmation")
    assert batch.count(State.STALE) == 8 and batch.outgoing == []
    update = service.prepare("confirmation", Filters(cohort=2), resend=True)
    report = service.export(update, tmp_path / "update", "eml")
    message = read(report.files[0])
    assert "28. april" not in message.get_body(("plain",)).get_content()
    seminar, _followup = invitations(message)
    assert int(seminar["SEQUENCE"]) > 0
    assert seminar.decoded("DTSTART").date() == datetime(2027, 5, 5).date()
    latest = {
        line.delivery.recipient: line.state
        for line in service.ledger()
        if line.state != "superseded"
    }
    assert set(latest.values()) == {"current"}
