"""What an edit changed, field by field: the history's "old → new".

Pure functions: each compares a record as it was with the record as saved and returns the
differences, named in the language in use (the history keeps the words as they were written,
like the rest of its text). The registry writes them into the change's history entry.

A value is shown on one line (line breaks and runs of spaces become one space); an empty value
is shown as "—".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from kommunestyre import i18n
from kommunestyre.domain.model import (
    Cohort,
    InvoiceDetails,
    Meeting,
    MunicipalityContact,
    ParticipantDetails,
    Programme,
    Speaker,
    Venue,
)
from kommunestyre.i18n import NP_, _, pgettext

EMPTY = "—"

#: The names of the fields in the history's running text (lower case, in context "history").
NAME = NP_("history", "name")
TITLE = NP_("history", "title")
FIELD = NP_("history", "professional field")
NETWORKS = NP_("history", "other networks")
EMAIL = NP_("history", "e-mail")
PHONE = NP_("history", "phone")
NEEDS = NP_("history", "diet / access")
NOTES = NP_("history", "notes")
EAN = NP_("history", "EAN")
CVR = NP_("history", "CVR")
REFERENCE = NP_("history", "reference")
INVOICE_CONTACT = NP_("history", "invoice contact")
CONTACT_EMAIL = NP_("history", "contact e-mail")
SEMINAR = NP_("history", "12-12 seminar")
SEMINAR_VENUE = NP_("history", "seminar venue")
FOLLOWUP = NP_("history", "follow-up day")
FOLLOWUP_VENUE = NP_("history", "follow-up venue")
DEADLINE = NP_("history", "deadline")
MIN_DIRECTORATES = NP_("history", "min. directorates")
MAX_DIRECTORATES = NP_("history", "max. directorates")
MAX_PEOPLE = NP_("history", "max. people")
THEME = NP_("history", "theme")
ORGANISATION = NP_("history", "organisation")
ROLE = NP_("history", "role")
TOPIC = NP_("history", "topic")
ORDER = NP_("history", "order")


def one_line(value: str) -> str:
    """A value as the history shows it: on one line, an empty one as "—"."""
    return " ".join(value.split()) or EMPTY


@dataclass(frozen=True, slots=True)
class Difference:
    """One field that changed (``kind`` "changed"), or one item of a list that was added or
    removed (``kind`` "added"/"removed", the item in ``new``/``old``). ``field`` is already in
    the language in use."""

    field: str
    old: str = ""
    new: str = ""
    kind: Literal["changed", "added", "removed"] = "changed"

    def __str__(self) -> str:
        if self.kind == "added":
            return _("{field} added: {value}").format(field=self.field, value=one_line(self.new))
        if self.kind == "removed":
            return _("{field} removed: {value}").format(field=self.field, value=one_line(self.old))
        return _("{field} {old} → {new}").format(
            field=self.field, old=one_line(self.old), new=one_line(self.new)
        )


def compare(pairs: Iterable[tuple[str, str, str]]) -> list[Difference]:
    """``(field, old, new)`` triples (field untranslated, marked ``NP_("history", ...)``) to the
    differences, in the order given; equal values are left out."""
    return [
        Difference(pgettext("history", field), old, new)
        for field, old, new in pairs
        if old != new
    ]  # fmt: skip


def describe(differences: Sequence[Difference]) -> str:
    """``deadline 13.01.2027 → 20.01.2027; seminar venue Kolding → Vejle``"""
    return "; ".join(str(d) for d in differences)


def entry(summary: str, differences: Sequence[Difference]) -> str:
    """A history entry: what was done, and what changed (or that nothing did)."""
    if not differences:
        return _("{summary} (nothing changed)").format(summary=summary)
    return _("{summary}: {changes}").format(summary=summary, changes=describe(differences))


def list_changes(
    field: str, old: Sequence[str], new: Sequence[str], *, ordered: bool = False
) -> list[Difference]:
    """Items added to and removed from a list (``field`` untranslated, as in :func:`compare`);
    with ``ordered``, a new order of the same items is a change too."""
    label = pgettext("history", field)
    before, after = Counter(old), Counter(new)
    found = [Difference(label, old=item, kind="removed") for item in _each(old, before - after)]
    found += [Difference(label, new=item, kind="added") for item in _each(new, after - before)]
    if ordered and not found and list(old) != list(new):
        found.append(
            Difference(pgettext("history", ORDER), ", ".join(old), ", ".join(new))
        )  # fmt: skip
    return found


def _each(items: Sequence[str], wanted: Counter[str]) -> list[str]:
    """The items of ``items`` counted in ``wanted``, in their order, each as often as counted."""
    left = Counter(wanted)
    found = []
    for item in items:
        if left[item] > 0:
            left[item] -= 1
            found.append(item)
    return found


# -- the records ----------------------------------------------------------------------------------


def participant_changes(
    programme: Programme, old: ParticipantDetails, new: ParticipantDetails
) -> list[Difference]:
    label = programme.field_label

    def networks(details: ParticipantDetails) -> str:
        return ", ".join(label(f) for f in details.extra_fields if f != details.field)

    return compare(
        [
            (NAME, old.name, new.name),
            (TITLE, old.title, new.title),
            (FIELD, label(old.field), label(new.field)),
            (NETWORKS, networks(old), networks(new)),
            (EMAIL, old.email, new.email),
            (PHONE, old.phone, new.phone),
            (NEEDS, old.needs, new.needs),
            (NOTES, old.notes, new.notes),
        ]
    )


def invoice_changes(old: InvoiceDetails, new: InvoiceDetails) -> list[Difference]:
    return compare(
        [
            (EAN, old.ean, new.ean),
            (CVR, old.cvr, new.cvr),
            (REFERENCE, old.reference, new.reference),
            (INVOICE_CONTACT, old.contact_name, new.contact_name),
            (CONTACT_EMAIL, old.contact_email, new.contact_email),
        ]
    )


def contact_changes(old: MunicipalityContact, new: MunicipalityContact) -> list[Difference]:
    """The contact's details (whether the municipality declined is said by the entry itself)."""
    return compare(
        [
            (NAME, old.name, new.name),
            (TITLE, old.title, new.title),
            (EMAIL, old.email, new.email),
            (NOTES, old.notes, new.notes),
        ]
    )


def _day(day: date) -> str:
    """``24.02.2027`` (the domain does not import kommunestyre.formats: see its short_date)"""
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


def _clock(moment: datetime) -> str:
    """``12.00`` in Danish, ``12:00`` in English."""
    mark = "." if i18n.language() == "da" else ":"
    return f"{moment.hour:02d}{mark}{moment.minute:02d}"


def _span(meeting: Meeting) -> str:
    """``24.02.2027 12.00 - 25.02.2027 12.00``; one day: ``10.06.2027 09.00 - 16.00``"""
    start = f"{_day(meeting.start.date())} {_clock(meeting.start)}"
    if meeting.start.date() == meeting.end.date():
        return f"{start} - {_clock(meeting.end)}"
    return f"{start} - {_day(meeting.end.date())} {_clock(meeting.end)}"


def _venues(old: Venue, new: Venue) -> tuple[str, str]:
    """The parts of a venue that changed, as they were and as they are: ``6000 Kolding`` and
    ``7100 Vejle`` when only the town did (the name, the address, the postcode and town)."""

    def parts(venue: Venue) -> list[str]:
        return [venue.name, venue.address, f"{venue.postcode} {venue.town}".strip()]

    changed = [(a, b) for a, b in zip(parts(old), parts(new), strict=True) if a != b]
    return ", ".join(a for a, _b in changed), ", ".join(b for _a, b in changed)


def cohort_changes(old: Cohort, new: Cohort) -> list[Difference]:
    """A cohort's settings (dates, venues, deadline, capacity, themes); speakers are
    :func:`speaker_changes`."""
    return [
        *compare(
            [
                (SEMINAR, _span(old.seminar), _span(new.seminar)),
                (SEMINAR_VENUE, *_venues(old.seminar.venue, new.seminar.venue)),
                (FOLLOWUP, _span(old.followup), _span(new.followup)),
                (FOLLOWUP_VENUE, *_venues(old.followup.venue, new.followup.venue)),
                (DEADLINE, _day(old.registration_deadline), _day(new.registration_deadline)),
                (MIN_DIRECTORATES, str(old.min_directorates), str(new.min_directorates)),
                (MAX_DIRECTORATES, str(old.max_directorates), str(new.max_directorates)),
                (MAX_PEOPLE, str(old.max_participants), str(new.max_participants)),
            ]
        ),
        *list_changes(THEME, old.themes, new.themes),
    ]


def _role(speaker: Speaker) -> str:
    return speaker.role.label


def speaker_changes(old: Sequence[Speaker], new: Sequence[Speaker]) -> list[Difference]:
    """Who was added or removed (by name), what changed about those on both lists, and a new
    order of the same people."""
    before = dict(_keyed(old))
    after = dict(_keyed(new))
    found = [
        Difference(_role(s), old=s.name, kind="removed")
        for key, s in before.items()
        if key not in after
    ]
    for key, s in after.items():
        was = before.get(key)
        if was is None:
            found.append(Difference(_role(s), new=s.name, kind="added"))
            continue
        for d in compare(
            [
                (NAME, was.name, s.name),
                (TITLE, was.title, s.title),
                (ORGANISATION, was.organisation, s.organisation),
                (ROLE, _role(was), _role(s)),
                (TOPIC, was.topic, s.topic),
            ]
        ):
            field = _("{name}: {field}").format(name=one_line(s.name), field=d.field)
            found.append(Difference(field, d.old, d.new))
    same_people = set(before) == set(after)
    if same_people and list(before) != list(after):
        found.append(
            Difference(
                pgettext("history", ORDER),
                ", ".join(s.name for s in old),
                ", ".join(s.name for s in new),
            )
        )
    return found


def _keyed(speakers: Sequence[Speaker]) -> list[tuple[tuple[str, int], Speaker]]:
    """Each speaker under (their name folded, which of that name): two of one name stay two."""
    seen: Counter[str] = Counter()
    keyed = []
    for speaker in speakers:
        name = " ".join(speaker.name.split()).casefold()
        keyed.append(((name, seen[name]), speaker))
        seen[name] += 1
    return keyed


#: What each kind of history entry is called (the stored ``action`` stays English: it is a key).
ACTIONS = {
    "register": NP_("history", "registered"),
    "add": NP_("history", "added"),
    "edit": NP_("history", "edited"),
    "invoice": NP_("history", "invoice"),
    "cancel": NP_("history", "cancelled"),
    "move": NP_("history", "moved"),
    "reinstate": NP_("history", "reinstated"),
    "offer": NP_("history", "seat offer"),
    "substitute": NP_("history", "substituted"),
    "promote": NP_("history", "promoted"),  # from the waiting list
    "erase": NP_("history", "erased"),
    "contact": NP_("history", "contact"),
    "cohort": NP_("history", "cohort"),
    "import": NP_("history", "imported"),
    "letters": NP_("history", "letters"),
    "attend": NP_("history", "check-in"),
}


def action_label(action: str) -> str:
    """A history entry's kind in the language in use; an unknown one as it is stored."""
    return pgettext("history", ACTIONS[action]) if action in ACTIONS else action
