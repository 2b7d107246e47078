"""The fast message builder against messages built naively with EmailMessage, and header safety."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.headerregistry import Address

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kommunestyre.errors import ValidationError
from kommunestyre.letters.calendar import CalendarFile
from kommunestyre.letters.mail import MessageFactory, address, check_header, reference_message

SENDER = Address("Line Vestergaard", "kommunestyret2030", "komponent.example")
WHEN = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
CALENDARS = (
    CalendarFile("hold-1-seminar.ics", b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"),
    CalendarFile("hold-1-opfoelgning.ics", "BEGIN:VCALENDAR\r\nX:æ\r\n".encode() * 40),
)


def parse(data: bytes):
    return message_from_bytes(data, policy=policy.default)


def assert_same(ours: bytes, reference: bytes) -> None:
    a, b = parse(ours), parse(reference)
    for header in ("From", "To", "Subject", "Date", "Message-ID"):
        assert str(a[header]) == str(b[header]), header
    assert a.get_body(("plain",)).get_content() == b.get_body(("plain",)).get_content()
    assert a.get_body(("html",)).get_content() == b.get_body(("html",)).get_content()
    assert [p.get_payload(decode=True) for p in a.iter_attachments()] == [
        p.get_payload(decode=True) for p in b.iter_attachments()
    ]
    assert [p.get_filename() for p in a.iter_attachments()] == [
        p.get_filename() for p in b.iter_attachments()
    ]
    assert calendar_parts(a) == calendar_parts(b)
    assert max(len(line) for line in ours.split(b"\r\n")) <= 78
    assert b"\n" not in ours.replace(b"\r\n", b"")  # CRLF only


def calendar_parts(message) -> list[tuple[bytes, str | None, str | None, str | None]]:
    """Every text/calendar part, wherever it is: content, method, charset and file name."""
    return [
        (p.get_payload(decode=True), p.get_param("method"), p.get_content_charset(),
         p.get_filename())
        for p in message.walk()
        if p.get_content_type() == "text/calendar"
    ]  # fmt: skip


# Printable text without controls; names short enough for one encoded-word (see below).
printable = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=60)
names = st.text(st.characters(whitelist_categories=("L", "Zs"), max_codepoint=0x2FF), max_size=22)


@settings(max_examples=150, deadline=None)
@given(name=names, subject=printable, text=printable, html=printable, attach=st.integers(0, 2))
def test_fast_messages_parse_back_like_naive_ones(
    name: str, subject: str, text: str, html: str, attach: int
) -> None:
    name, subject = " ".join(name.split()), " ".join(subject.split())
    if "=?" in subject or not subject:
        return
    to = Address(name, "soeren", "aeroe.dk")
    calendar = CALENDARS[:attach]
    ours = MessageFactory(SENDER, "komponent.example").build(
        to, subject, text, html, calendar, WHEN, "<a@b>"
    )
    reference = reference_message(SENDER, to, subject, text, html, calendar, WHEN, "<a@b>")
    assert_same(ours, reference.as_bytes(policy=policy.SMTP))


def test_danish_names_and_subjects_survive() -> None:
    to = Address("Søren Ærø Østergård", "soeren", "aeroe.dk")
    data = MessageFactory(SENDER, "komponent.example").build(
        to, "Praktisk information før seminaret på Ærø", "Kære Søren\næøå ÆØÅ\n", "<p>æøå</p>",
        CALENDARS, WHEN, "<a@b>",
    )  # fmt: skip
    message = parse(data)
    assert message["To"].addresses[0].display_name == "Søren Ærø Østergård"
    assert str(message["Subject"]) == "Praktisk information før seminaret på Ærø"
    assert "æøå ÆØÅ" in message.get_body(("plain",)).get_content()


def test_long_display_names_follow_rfc_2047() -> None:
    name = "Anne-Mette Kjærsgaard Østergaard-Rasmussen von Æbelø"
    data = MessageFactory(SENDER, "komponent.example").build(
        Address(name, "am", "x.dk"), "s", "t", "h", (), WHEN, "<a@b>"
    )
    raw = message_from_bytes(data, policy=policy.compat32)["To"]
    assert str(make_header(decode_header(raw))) == f"{name} <am@x.dk>"


@pytest.mark.parametrize(
    "value",
    [
        "Hej\r\nBcc: alle@x.dk",
        "Hej\nBcc: alle@x.dk",
        "Hej\rBcc",
        "Hej\x00",
        "Hej\u2028Bcc",
        "=?utf-8?q?Hej=0D=0ABcc:_x@y.dk?=",
        "Pris =?UTF-8?B?SGVq?= her",
    ],
)
def test_header_injection_is_rejected(value: str) -> None:
    with pytest.raises(ValidationError):
        check_header(value, "subject")
    with pytest.raises(ValidationError):
        address(value, "x@y.dk")
    with pytest.raises(ValidationError):
        MessageFactory(SENDER, "komponent.example").build(
            Address("A", "a", "b.dk"), value, "t", "h", (), WHEN, "<a@b>"
        )


def test_address_parts_cannot_carry_new_lines() -> None:
    with pytest.raises(ValidationError):
        address("Ok", "a@b.dk\r\nBcc: x@y.dk")
