"""Calendar invitations: one .ics per cohort with the 12-12 seminar and the follow-up day.

Written by hand (RFC 5545 is small for two events) so that the bytes are the same every time:
the UIDs are stable, so a re-sent letter updates the entries already in people's calendars, and
SEQUENCE follows the cohort's revision, so the update wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from kommunestyre.clock import TIMEZONE
from kommunestyre.domain.model import Cohort, Meeting, Programme

VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    f"TZID:{TIMEZONE}",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
]


@dataclass(frozen=True, slots=True)
class CalendarFile:
    filename: str
    content: bytes


def escape(text: str) -> str:
    """TEXT values: backslash, semicolon, comma and newlines escaped."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after CRLF and a space."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _local(moment: datetime) -> str:
    return moment.astimezone(moment.tzinfo).strftime("%Y%m%dT%H%M%S")


def _slug(text: str) -> str:
    return "".join(
        c if c.isalnum() else "-" for c in text.lower().encode("ascii", "ignore").decode()
    ).strip("-")


def _event(
    uid: str, sequence: int, stamp: str, meeting: Meeting, summary: str, text: str
) -> list[str]:
    v = meeting.venue
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"SEQUENCE:{sequence}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;TZID={TIMEZONE}:{_local(meeting.start)}",
        f"DTEND;TZID={TIMEZONE}:{_local(meeting.end)}",
        f"SUMMARY:{escape(summary)}",
        f"LOCATION:{escape(f'{v.name}, {v.address}, {v.postcode} {v.town}')}",
        f"DESCRIPTION:{escape(text)}",
        "STATUS:CONFIRMED",
        "TRANSP:OPAQUE",
        "END:VEVENT",
    ]


def cohort_calendar(programme: Programme, cohort: Cohort, stamp: datetime) -> CalendarFile:
    """Both meetings of a cohort. ``stamp`` (DTSTAMP) is when the file was made."""
    name = programme.name
    prefix = f"{_slug(name)}-hold-{cohort.number}"
    domain = programme.coordinator.email.partition("@")[2] or "kommunestyre.invalid"
    when = stamp.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    contact = f"{programme.coordinator.name}, {programme.coordinator.email}"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//kommunestyre//Kommunestyret 2030//DA",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        *VTIMEZONE,
        *_event(
            f"{prefix}-seminar@{domain}",
            cohort.rev,
            when,
            cohort.seminar,
            f"{name}, hold {cohort.number}: 12-12-seminar",
            f"12-12-seminar med overnatning. Spørgsmål: {contact}.",
        ),
        *_event(
            f"{prefix}-opfoelgning@{domain}",
            cohort.rev,
            when,
            cohort.followup,
            f"{name}, hold {cohort.number}: opfølgningsdag",
            f"Opfølgningsdag. Spørgsmål: {contact}.",
        ),
        "END:VCALENDAR",
    ]
    text = "\r\n".join(fold(line) for line in lines) + "\r\n"
    return CalendarFile(f"{prefix}.ics", text.encode("utf-8"))


def calendar_key(programme: Programme, cohort: Cohort) -> str:
    """What the calendar says, without its time stamp: part of a letter's content hash."""
    return "|".join(
        str(x)
        for x in (
            cohort.number,
            cohort.seminar.start.isoformat(),
            cohort.seminar.end.isoformat(),
            cohort.seminar.venue,
            cohort.followup.start.isoformat(),
            cohort.followup.end.isoformat(),
            cohort.followup.venue,
            programme.coordinator,
        )
    )
