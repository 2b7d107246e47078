"""Calendar invitations by e-mail (iTIP, RFC 5546 and 6047): each meeting one invitation.

A letter to a person carries one calendar part per meeting (the 12-12 seminar, the follow-up
day): ``METHOD:REQUEST``, the coordinator as ``ORGANIZER`` and the recipient as ``ATTENDEE``
with ``RSVP=TRUE``, which Outlook, Gmail, Apple Mail and Thunderbird show with accept and
decline. One event per part, because Outlook reads only the first VEVENT of an invitation
(MS-STANOICAL 2.2.175). The cancellation letter carries ``METHOD:CANCEL`` and
``STATUS:CANCELLED`` with the same UIDs, for the meetings the person no longer attends.

- A UID names the programme round (the year of its first 12-12 seminar), the cohort and the
  meeting: a letter sent again updates the entry already in the calendar, and next year's
  hold 1 is a new event rather than an update of this year's.
- SEQUENCE is the cohort's revision, which grows with every change of its dates, times and
  venues (other changes to the cohort raise it too, which does no harm), so an update wins. A
  cancellation carries the same revision: between equal SEQUENCEs the later DTSTAMP decides
  (RFC 5546, 2.1.5), so someone cancelled and later reinstated can be invited again.
- The calendars are written with icalendar, once per batch for each meeting, around a marker
  line where the attendee goes; a letter's parts are that text with the recipient's ATTENDEE
  line put in (one line, folded here), so thousands of letters cost microseconds each.
  icalendar is loaded only when a letter carries a calendar.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from kommunestyre.clock import TIMEZONE, local
from kommunestyre.domain.model import Cohort, Meeting, Programme

if TYPE_CHECKING:
    from icalendar import Timezone

REQUEST = "REQUEST"  # an invitation to accept or decline
CANCEL = "CANCEL"  # the meeting is off for the attendee

#: A cohort's meetings in the order a letter carries them, and their word in UIDs and file names.
MEETINGS: dict[str, str] = {"seminar": "seminar", "followup": "opfoelgning"}

#: What each meeting is called in the calendar, and what its description says (in Danish,
#: like the letter the calendar comes with).
_WORDS: dict[str, tuple[str, str]] = {
    "seminar": ("12-12-seminar", "12-12-seminar med overnatning."),  # not translated
    "followup": ("opfølgningsdag", "Opfølgningsdag."),
}

_MARK = "KSATTENDEEPLACEHOLDER"
_MARK_LINE = f"ATTENDEE:{_MARK}\r\n".encode("ascii")

#: What a parameter value or an address cannot hold: control characters and line separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class CalendarFile(NamedTuple):
    """One meeting's iTIP message: a VCALENDAR with its METHOD and one VEVENT (a .ics file).

    Its content is ``head + line + tail``: every letter about the meeting has the same head
    and tail (the very same objects, so a mail builder encodes them once), and its own line
    (the attendee) between them. (A named tuple: thousands are made, two a letter.)
    """

    filename: str
    head: bytes
    method: str = REQUEST
    line: bytes = b""
    tail: bytes = b""

    @property
    def content(self) -> bytes:
        return self.head + self.line + self.tail


def programme_round(programme: Programme) -> int:
    """The round a programme's invitations belong to: the year of its first 12-12 seminar."""
    starts = [cohort.seminar.start for cohort in programme.cohorts]
    return local(min(starts)).year if starts else 0


def _slug(text: str) -> str:
    return "".join(
        c if c.isalnum() else "-" for c in text.lower().encode("ascii", "ignore").decode()
    ).strip("-")


def _domain(programme: Programme) -> str:
    return programme.coordinator.email.partition("@")[2] or "kommunestyre.invalid"


def uid(programme: Programme, number: int, meeting: str) -> str:
    """The UID of a meeting of hold ``number`` in this round of the programme."""
    round_ = programme_round(programme)
    name = f"{_slug(programme.name)}-{round_}-hold-{number}-{MEETINGS[meeting]}"
    return f"{name}@{_domain(programme)}"


def filename(programme: Programme, number: int, meeting: str) -> str:
    return f"{_slug(programme.name)}-hold-{number}-{MEETINGS[meeting]}.ics"


def _flat(text: str) -> str:
    """``text`` on one line without control characters: what a parameter value can hold."""
    return _CONTROL.sub(" ", text)


def _mailto(email: str) -> str:
    """The address as a calendar names it: ``mailto:`` and the domain in its ASCII form."""
    local_part, at, domain = _flat(email).replace(" ", "").partition("@")
    if not domain.isascii():  # an unusable one stays as it is: the pre-flight refuses it
        with contextlib.suppress(UnicodeError):
            domain = domain.encode("idna").decode("ascii")
    return f"mailto:{local_part}{at}{domain}"


def fold(line: str) -> bytes:
    """A content line in UTF-8, folded after at most 75 octets (RFC 5545, 3.1).

    Never inside a character, and never right after a ``^`` or ``\\`` (the start of an escape,
    which some clients do not rejoin, as icalendar's own folding also avoids).
    """
    data = line.encode("utf-8")
    if len(data) <= 75:
        return data
    pieces = []
    start, limit = 0, 75
    while len(data) - start > limit:
        end = start + limit
        if data[end - 1] in b"^\\":
            end -= 1
        while data[end] & 0xC0 == 0x80:  # a continuation byte: back to the character's start
            end -= 1
        pieces.append(data[start:end])
        start, limit = end, 74  # a continuation line begins with a space
    pieces.append(data[start:])
    return b"\r\n ".join(pieces)


def attendee_line(name: str, email: str, method: str = REQUEST) -> bytes:
    """The recipient as an invitation's ATTENDEE: the line put in at the marker, CRLF ended.

    The name is quoted, after control characters and line breaks are made spaces, and escaped
    as icalendar escapes a parameter (RFC 6868: ``"`` as ``^'``, ``^`` as ``^^``); an
    invitation asks for an answer, a cancellation does not.
    """
    name = _flat(name)
    if '"' in name or "^" in name:  # rare: the escaping's import and call are saved otherwise
        from icalendar.parser import rfc_6868_escape

        name = rfc_6868_escape(name)
    answer = ";PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE" if method == REQUEST else ""
    return fold(f'ATTENDEE;CN="{name}"{answer}:{_mailto(email)}') + b"\r\n"


def _vtimezone() -> Timezone:
    """Copenhagen's rules (CET/CEST, the EU's last Sundays of March and October)."""
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

    zone = Timezone()
    zone.add("tzid", TIMEZONE)
    for kind, (before, after, name, start, month) in (
        (TimezoneDaylight, (1, 2, "CEST", datetime(1970, 3, 29, 2), 3)),
        (TimezoneStandard, (2, 1, "CET", datetime(1970, 10, 25, 3), 10)),
    ):
        rule = kind()
        rule.add("tzoffsetfrom", timedelta(hours=before))
        rule.add("tzoffsetto", timedelta(hours=after))
        rule.add("tzname", name)
        rule.add("dtstart", start)
        rule.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        zone.add_component(rule)
    return zone


@dataclass(frozen=True, slots=True)
class _Written:
    """One meeting's calendar, split at the marker where each letter's attendee goes."""

    filename: str
    head: bytes
    tail: bytes


def _write(
    programme: Programme, cohort: Cohort, meeting: str, stamp: datetime, method: str
) -> _Written:
    from icalendar import Calendar, Event, vCalAddress

    when: Meeting = getattr(cohort, meeting)
    word, description = _WORDS[meeting]
    venue = when.venue
    coordinator = programme.coordinator
    organizer = vCalAddress(_mailto(coordinator.email))
    organizer.params["CN"] = _flat(coordinator.name)
    calendar = Calendar()
    calendar.add("prodid", "-//kommunestyre//Kommunestyret 2030//DA")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add_component(_vtimezone())
    event = Event()
    event.add("uid", uid(programme, cohort.number, meeting))
    event.add("sequence", cohort.rev)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", local(when.start))
    event.add("dtend", local(when.end))
    event.add("summary", f"{programme.name}, hold {cohort.number}: {word}")
    event.add("location", f"{venue.name}, {venue.address}, {venue.postcode} {venue.town}")
    contact = f"{coordinator.name}, {coordinator.email}"
    event.add("description", f"{description} Spørgsmål: {contact}.")
    event.add("organizer", organizer)
    event.add("attendee", _MARK)
    event.add("status", "CONFIRMED" if method == REQUEST else "CANCELLED")
    event.add("transp", "OPAQUE")
    calendar.add_component(event)
    head, mark, tail = calendar.to_ical().partition(_MARK_LINE)
    if not mark:  # icalendar wrote the marker differently: a bug here, not in the data
        raise RuntimeError("the attendee marker is missing")  # not translated: a bug
    return _Written(filename(programme, cohort.number, meeting), head, tail)


class Invitations:
    """The calendar parts of one batch of letters: each meeting written once, each letter's
    attendee put in (see the module's docstring). ``stamp`` (DTSTAMP) is when they are made."""

    def __init__(self, programme: Programme, stamp: datetime, method: str = REQUEST) -> None:
        self.programme = programme
        self.stamp = stamp
        self.method = method
        self._written: dict[tuple[int, str], _Written] = {}
        self._keys: dict[tuple[int, tuple[str, ...]], str] = {}

    def parts(
        self, cohort: Cohort, meetings: Sequence[str], name: str, email: str
    ) -> tuple[CalendarFile, ...]:
        """The letter's calendar: one part per meeting, the recipient as the attendee."""
        line = attendee_line(name, email, self.method)
        parts = []
        for meeting in meetings:
            written = self._written.get((cohort.number, meeting))
            if written is None:
                written = self._written[(cohort.number, meeting)] = _write(
                    self.programme, cohort, meeting, self.stamp, self.method
                )
            parts.append(
                CalendarFile(written.filename, written.head, self.method, line, written.tail)
            )
        return tuple(parts)

    def key(self, cohort: Cohort, meetings: Sequence[str]) -> str:
        """What the parts say, without time stamp or attendee: part of a letter's content hash
        (the attendee is in it already: the recipient's address and name)."""
        wanted = (cohort.number, tuple(meetings))
        found = self._keys.get(wanted)
        if found is None:
            if self.method == CANCEL:  # which events: not when or where they would have been
                found = "|".join(
                    [CANCEL, *(uid(self.programme, cohort.number, m) for m in meetings)]
                )
            elif wanted[1] == tuple(MEETINGS):  # as before: letters delivered stay current
                found = calendar_key(self.programme, cohort)
            else:
                found = f"{self.method}|{','.join(meetings)}|{calendar_key(self.programme, cohort)}"
            self._keys[wanted] = found
        return found


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
