"""Calendar invitations people can accept, their updates, and the cancellation letter: the
exported .eml read back with Python's email parser and with icalendar."""

from __future__ import annotations

import copy
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.headerregistry import Address
from pathlib import Path

import icalendar
from hypothesis import given, settings
from hypothesis import strategies as st

from kommunestyre.domain.model import Status
from kommunestyre.errors import KommunestyreError
from kommunestyre.letters.batch import State
from kommunestyre.letters.calendar import CANCEL, CalendarFile, Invitations
from kommunestyre.letters.catalogue import Filters
from kommunestyre.letters.mail import MessageFactory
from kommunestyre.services.letters import LetterService
from kommunestyre.services.registry import Registry
from kommunestyre.store.repository import Repository
from tests.test_registry import settings_with
from tests.tui.test_plain_text import hostile_values

COORDINATOR = "mailto:kommunestyret2030@komponent.example"
SENDER = Address("Line Vestergaard", "kommunestyret2030", "komponent.example")
WHEN = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def read(path: Path):
    return message_from_bytes(path.read_bytes(), policy=policy.default)


def calendar_parts(message) -> list:
    return [p for p in message.walk() if p.get_content_type() == "text/calendar"]


def events(message, method: str) -> list[icalendar.Event]:
    """Each calendar part of ``message``: one iTIP message of ``method`` with one event, for
    the message's recipient, from the coordinator."""
    to = message["To"].addresses[0]
    found = []
    for part in calendar_parts(message):
        assert part.get_param("method") == method and part.get_content_charset() == "utf-8"
        calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
        assert calendar["METHOD"] == method
        [event] = calendar.walk("VEVENT")
        attendee, organizer = event["ATTENDEE"], event["ORGANIZER"]
        assert str(attendee) == f"mailto:{to.addr_spec}"
        assert attendee.params["CN"] == to.display_name
        assert str(organizer) == COORDINATOR and organizer.params["CN"] == "Line Vestergaard"
        found.append(event)
    return found


def uids(batch, key: str) -> dict[str, int]:
    """A prepared letter's calendar: UID -> SEQUENCE."""
    [letter] = [x for x in batch.letters if x.recipient.key == key]
    parsed = [icalendar.Calendar.from_ical(p.content) for p in letter.calendar]
    return {str(e["UID"]): int(e["SEQUENCE"]) for c in parsed for e in c.walk("VEVENT")}


# -- invitations ----------------------------------------------------------------------------------


def test_a_confirmation_holds_two_invitations_to_accept(
    service: LetterService, tmp_path: Path
) -> None:
    report = service.export(
        service.prepare("confirmation", Filters(cohort=1)), tmp_path / "c", "eml"
    )
    raw = report.files[0].read_bytes()
    message = read(report.files[0])
    seminar, followup = events(message, "REQUEST")
    for event in (seminar, followup):
        attendee = event["ATTENDEE"].params
        assert (attendee["RSVP"], attendee["PARTSTAT"], attendee["ROLE"]) == (
            "TRUE", "NEEDS-ACTION", "REQ-PARTICIPANT",
        )  # fmt: skip
        assert event["STATUS"] == "CONFIRMED"
    assert str(seminar["UID"]) == "kommunestyret-2030-2027-hold-1-seminar@komponent.example"
    assert str(followup["UID"]).endswith("-2027-hold-1-opfoelgning@komponent.example")
    assert seminar.decoded("DTSTART").utcoffset() == timedelta(hours=1)
    # Outlook and Gmail: the first invitation is an alternative of the letter (no file name),
    # the second an attached .ics; the header as mail programs write it
    first, second = calendar_parts(message)
    assert message.get_body(("plain",)).get_content_type() == "text/plain"
    alternative = next(p for p in message.walk() if p.get_content_type() == "multipart/alternative")
    assert first in alternative.get_payload() and first.get_filename() is None
    assert second.get_filename() == "kommunestyret-2030-hold-1-opfoelgning.ics"
    assert raw.count(b"Content-Type: text/calendar; method=REQUEST; charset=utf-8\r\n") == 2


def test_a_changed_seminar_date_is_an_update(
    service: LetterService, repository: Repository
) -> None:
    before = service.prepare("confirmation", Filters(cohort=2))
    key = before.letters[0].recipient.key
    registry = Registry(repository)
    cohort = registry.snapshot().register.cohort(2)
    moved = replace_times(cohort.seminar, timedelta(days=7))
    registry.update_cohort(2, cohort.rev, settings_with(registry, 2, seminar=moved))
    after = service.prepare("confirmation", Filters(cohort=2))
    old, new = uids(before, key), uids(after, key)
    assert old.keys() == new.keys() and len(new) == 2
    assert all(new[uid] > old[uid] for uid in old)
    # and a letter delivered before is stale now (the ledger's content hash)
    assert before.letters[0].content_hash != after.letters[0].content_hash


def replace_times(meeting, shift: timedelta):
    return replace(meeting, start=meeting.start + shift, end=meeting.end + shift)


def test_next_rounds_hold_1_is_another_event(service: LetterService) -> None:
    batch = service.prepare("practical", Filters(cohort=1))
    programme = batch.programme
    later = copy.deepcopy(programme)
    for cohort in later.cohorts:
        cohort.seminar.start += timedelta(days=364)
        cohort.seminar.end += timedelta(days=364)
    r = batch.letters[0].recipient
    now = Invitations(programme, WHEN).parts(programme.cohort(1), r.meetings, r.name, r.email)
    then = Invitations(later, WHEN).parts(later.cohort(1), r.meetings, r.name, r.email)
    ids = [str(icalendar.Calendar.from_ical(p.content).walk("VEVENT")[0]["UID"]) for p in now]
    later_ids = [
        str(icalendar.Calendar.from_ical(p.content).walk("VEVENT")[0]["UID"]) for p in then
    ]
    assert all("-2027-hold-1-" in uid for uid in ids)
    assert all("-2028-hold-1-" in uid for uid in later_ids)
    assert not set(ids) & set(later_ids)


def test_hostile_names_stay_inside_the_attendee(service: LetterService) -> None:
    """Names from the hostile corpus as the attendee (and the coordinator's): icalendar reads
    each calendar back with the same properties, the name whole (control characters made
    spaces), and no line longer than 75 octets."""
    programme = service.prepare("practical", Filters(cohort=1)).programme
    odd = copy.deepcopy(programme)
    odd.coordinator = replace(programme.coordinator, name='Line "^" Vester;gaard\r\nX-Bad: 1')
    properties = {"UID", "SEQUENCE", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "LOCATION",
                  "DESCRIPTION", "ORGANIZER", "ATTENDEE", "STATUS", "TRANSP"}  # fmt: skip
    for source in (programme, odd):
        invitations = Invitations(source, WHEN)
        for name in hostile_values():
            email = "ole@example.dk\r\nBcc: x@example.invalid"
            for part in invitations.parts(source.cohort(1), ("seminar", "followup"), name, email):
                assert all(len(line) <= 75 for line in part.content.split(b"\r\n"))
                [event] = icalendar.Calendar.from_ical(part.content).walk("VEVENT")
                assert set(event) == properties
                assert event["ATTENDEE"].params["CN"] == flat(name)
                assert event["ORGANIZER"].params["CN"] == flat(source.coordinator.name)


def flat(text: str) -> str:
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", " ", text)


@settings(max_examples=60, deadline=None)
@given(
    head=st.binary(max_size=300), line=st.binary(max_size=120), tail=st.binary(max_size=300),
    second=st.binary(max_size=90),
)  # fmt: skip
def test_calendar_bodies_encode_their_shared_parts_once(
    head: bytes, line: bytes, tail: bytes, second: bytes
) -> None:
    factory = MessageFactory(SENDER, "komponent.example")
    to = Address("Ole", "ole", "example.dk")
    for own in (line, second):  # the second letter reuses the first one's encoded pieces
        parts = (CalendarFile("a.ics", head, "REQUEST", own, tail),
                 CalendarFile("b.ics", tail, "REQUEST", own, head))  # fmt: skip
        data = factory.build(to, "s", "t", "h", parts, WHEN, "<a@b>")
        assert max(len(x) for x in data.split(b"\r\n")) <= 78
        found = [p.get_payload(decode=True) for p in calendar_parts(message_from_bytes(data))]
        assert found == [head + own + tail, tail + own + head]


# -- the cancellation letter ----------------------------------------------------------------------


def cancellation(service: LetterService, key: str):
    batch = service.prepare("cancellation")
    assert batch.clean
    [letter] = [x for x in batch.letters if x.recipient.key == key]
    return letter


def test_a_free_cancellation_cancels_the_invitations_sent(
    service: LetterService, repository: Repository, tmp_path: Path
) -> None:
    practical = service.prepare("practical", Filters(cohort=1))
    letter = practical.letters[0]
    pid = int(letter.recipient.key.split(":")[1])
    invited = uids(practical, letter.recipient.key)
    service.export(practical, tmp_path / "practical", "eml")
    registry = Registry(repository)
    person = registry.snapshot().register.participant(pid)
    registry.cancel_participant(pid, person.rev)  # before the deadline: free

    batch = service.prepare("cancellation", Filters(status="cancelled"))
    key = f"participant:{pid}:hold1"
    assert key in {x.recipient.key for x in batch.letters}
    report = service.export(batch, tmp_path / "cancellation", "eml")
    [path] = [
        f for f, x in zip(report.files, batch.outgoing, strict=True) if x.recipient.key == key
    ]
    message = read(path)
    cancelled = events(message, CANCEL)
    assert {str(e["UID"]): int(e["SEQUENCE"]) for e in cancelled} == invited
    assert {e["STATUS"] for e in cancelled} == {"CANCELLED"}
    text = message.get_body(("plain",)).get_content()
    assert "Afmelding fra hold 1" in str(message["Subject"])
    assert "gratis afmelding" in text and "bindende" not in text
    assert "12-12-seminaret og opfølgningsdagen på hold 1" in text
    # the ledger knows it: an exported draft until it is marked as sent, then sent
    assert cancellation(service, key).state is State.EXPORTED
    service.mark_sent("cancellation")
    assert cancellation(service, key).state is State.SENT


def test_a_late_cancellation_says_it_is_binding(service: LetterService) -> None:
    batch = service.prepare("cancellation")
    register = service.repository.load()
    late = [
        p
        for p in register.participants.values()
        if p.status is Status.CANCELLED and p.billable_cancellation and p.details.email
    ]
    assert late  # the demo has one: Louise Dahl, after the deadline of hold 1
    for person in late:
        letter = cancellation(service, f"participant:{person.id}:hold{person.cohort}")
        assert "sen afmelding" in letter.text and "bindende" in letter.text
        assert "faktureret for pladsen" in letter.text and "gratis" not in letter.text
        assert [p.method for p in letter.calendar] == [CANCEL, CANCEL]
    assert batch.clean


def test_a_move_cancels_the_old_holds_invitations(
    service: LetterService, repository: Repository, tmp_path: Path
) -> None:
    confirmation = service.prepare("confirmation", Filters(cohort=1))
    service.export(confirmation, tmp_path / "confirmation", "eml")
    registry = Registry(repository)
    register = registry.snapshot().register
    moved = None
    for letter in confirmation.letters:  # a directorate that fits into another hold
        did = int(letter.recipient.key.split(":")[1])
        for target in (2, 3, 4):
            try:
                registry.move_directorate(did, register.directorate(did).rev, target)
            except KommunestyreError:
                continue
            moved = (letter, did, target)
            break
        if moved:
            break
    assert moved is not None
    letter, did, target = moved
    lead = next(
        p
        for p in registry.snapshot().register.members(did)
        if p.details.email == letter.recipient.email
    )
    batch = service.prepare("cancellation", Filters(status="moved"))
    assert {x.recipient.key for x in batch.letters} == {f"participant:{lead.id}:hold1"}
    [cancelled] = batch.letters
    assert cancelled.recipient.cohort == 1 and lead.cohort == target
    assert uids(batch, cancelled.recipient.key) == uids(confirmation, letter.recipient.key)
    assert f"Flytning fra hold 1 til hold {target}" in cancelled.subject
    assert "gratis til og med" in cancelled.text  # the new hold's deadline has not passed
    message = read(service.export(batch, tmp_path / "moved", "eml").files[0])
    assert len(events(message, CANCEL)) == 2
    # the new hold's confirmation invites the lead again, with the new hold's UIDs
    update = service.prepare("confirmation", Filters(cohort=target), resend=True)
    [again] = [x for x in update.letters if x.recipient.email == lead.details.email]
    assert all(f"-hold-{target}-" in uid for uid in uids(update, again.recipient.key))


def test_nobody_still_attending_gets_a_cancellation(service: LetterService) -> None:
    register = service.repository.load()
    admitted = {
        (p.details.email.casefold(), p.cohort)
        for p in register.participants.values()
        if p.status is Status.ADMITTED
    }
    for letter in service.prepare("cancellation").letters:
        r = letter.recipient
        assert (r.email.casefold(), r.cohort) not in admitted


def test_a_sent_cancellation_stays_current_when_the_hold_moves(
    service: LetterService, repository: Repository, tmp_path: Path
) -> None:
    """It cancels events by UID: a later change of the hold's dates does not make it stale
    (nor would an update of it make sense to someone who left), while the hold's own letters
    go stale as before."""
    service.export(service.prepare("cancellation"), tmp_path / "c", "eml")
    service.export(service.prepare("confirmation", Filters(cohort=1)), tmp_path / "k", "eml")
    service.mark_sent("cancellation")
    service.mark_sent("confirmation")
    registry = Registry(repository)
    cohort = registry.snapshot().register.cohort(1)
    moved = replace_times(cohort.seminar, timedelta(days=7))
    registry.update_cohort(1, cohort.rev, settings_with(registry, 1, seminar=moved))
    assert {x.state for x in service.prepare("cancellation").letters} == {State.SENT}
    states = {
        (line.delivery.letter, line.state)
        for line in service.ledger()
        if line.delivery.cohort == 1 and line.state != "superseded"
    }
    assert states == {("cancellation", "current"), ("confirmation", "stale")}
