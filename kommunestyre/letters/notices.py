"""Change notices: what a delivered letter said about its cohorts, and what changed since.

Each delivery records a few facts of the cohorts its letter is about (the meetings' times and
venues, the registration deadline): public, non-personal and small. When a letter goes out
again because it is stale, comparing those facts with today's says what changed, in the
letter's own Danish ("12-12-seminaret er flyttet til torsdag den 7. oktober 2027 kl. 12.00")
and on the coordinator's screens. Comparing facts needs no rendering: the app counts the
letters a save made stale this way.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from kommunestyre.domain.model import Cohort, Meeting, Programme
from kommunestyre.formats import clock_time, long_date, long_moment, short_date
from kommunestyre.i18n import N_, _
from kommunestyre.letters.ledger import Delivery

#: The facts of one cohort: field -> an ISO date or moment, or a venue on one line.
CohortFacts = dict[str, str]
#: The facts a letter was based on: the cohort's number (as text: JSON keys are) -> its facts.
Facts = dict[str, CohortFacts]

DA = "da"  # the letters are Danish, whatever language the coordinator's screen speaks

#: Subject prefix of a letter that updates one delivered before.
CHANGED_PREFIX = "Ændret: "  # not translated: Danish letter

MEETINGS = ("seminar", "followup")
#: The meetings as a Danish sentence names them (definite form).
_MEETING_DA = {"seminar": "12-12-seminaret", "followup": "opfølgningsdagen"}
#: What a change notice says (Danish, as the letters): one sentence per change.
_LINES_DA = {
    "deadline": "Tilmeldingsfristen{which} er ændret til {deadline}.",  # not translated: letter
    "venue": "Nyt mødested for {meeting}{on}: {venue}.",  # not translated: Danish letter
    "moved": "{meeting}{on} er flyttet til {when}.",  # not translated: Danish letter
    "times": "Tidspunktet for {meeting}{on} er nu {when}.",  # not translated: Danish letter
}
_ON_COHORT_DA = " på hold {number}"  # not translated: Danish letter
_FOR_COHORT_DA = " for hold {number}"  # not translated: Danish letter


def _meeting_facts(prefix: str, meeting: Meeting) -> CohortFacts:
    return {
        f"{prefix}_start": meeting.start.isoformat(),
        f"{prefix}_end": meeting.end.isoformat(),
        f"{prefix}_venue": meeting.venue.one_line(),
    }


def cohort_facts(cohort: Cohort) -> CohortFacts:
    return {
        **_meeting_facts("seminar", cohort.seminar),
        **_meeting_facts("followup", cohort.followup),
        "deadline": cohort.registration_deadline.isoformat(),
    }


def programme_facts(programme: Programme) -> Facts:
    """Every cohort's facts as they are now."""
    return {str(c.number): cohort_facts(c) for c in programme.cohorts}


def letter_cohorts(cohort: int | None, context: Mapping[str, object]) -> list[int]:
    """The cohorts a letter speaks of: its own, or those it lists (the invitation's)."""
    if cohort is not None:
        return [cohort]
    listed = context.get("cohorts")
    if not isinstance(listed, list):
        return []
    return [c["number"] for c in listed if isinstance(c, dict) and "number" in c]


def letter_facts(now: Facts, cohorts: Iterable[int]) -> Facts:
    return {str(n): now[str(n)] for n in cohorts if str(n) in now}


# -- what changed ---------------------------------------------------------------------------------


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _span_da(start: datetime, end: datetime) -> str:
    """As the templates' ``periode`` says it."""
    if start.date() == end.date():
        return f"{long_date(start.date(), DA)} {clock_time(start, DA)}-{end:%H.%M}"
    return f"fra {long_moment(start, DA)} til {long_moment(end, DA)}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True, slots=True)
class FactChange:
    """One fact of one cohort that is not what a delivered letter said."""

    cohort: int
    what: str  # "seminar" or "followup" (its times), "seminar_venue", "followup_venue", "deadline"
    before: CohortFacts
    after: CohortFacts

    def _times(self, meeting: str) -> tuple[datetime, datetime, datetime, datetime]:
        return (
            _moment(self.before[f"{meeting}_start"]),
            _moment(self.before[f"{meeting}_end"]),
            _moment(self.after[f"{meeting}_start"]),
            _moment(self.after[f"{meeting}_end"]),
        )

    def _moved(self, meeting: str) -> bool:
        """The meeting starts at another time and lasts as long as before."""
        old_start, old_end, start, end = self._times(meeting)
        return start != old_start and end - start == old_end - old_start

    def letter_line(self, *, name_cohort: bool = False) -> str:
        """The change as the letter says it, in Danish (``name_cohort`` when the letter speaks
        of several cohorts)."""
        on = _ON_COHORT_DA.format(number=self.cohort) if name_cohort else ""
        if self.what == "deadline":
            deadline = long_date(date.fromisoformat(self.after["deadline"]), DA)
            which = _FOR_COHORT_DA.format(number=self.cohort) if name_cohort else ""
            return _LINES_DA["deadline"].format(which=which, deadline=deadline)
        if self.what.endswith("_venue"):
            meeting = _MEETING_DA[self.what.removesuffix("_venue")]
            return _LINES_DA["venue"].format(meeting=meeting, on=on, venue=self.after[self.what])
        _old_start, _old_end, start, end = self._times(self.what)
        meeting = _MEETING_DA[self.what]
        if self._moved(self.what):
            when = long_moment(start, DA) if start.date() != end.date() else _span_da(start, end)
            return _capital(_LINES_DA["moved"].format(meeting=meeting, on=on, when=when))
        return _LINES_DA["times"].format(meeting=meeting, on=on, when=_span_da(start, end))

    def summary(self) -> str:
        """The change in a few words for the coordinator's screens (the language in use)."""
        number = self.cohort
        if self.what == "deadline":
            deadline = short_date(date.fromisoformat(self.after["deadline"]))
            return _("hold {number}: the deadline is now {date}").format(
                number=number, date=deadline
            )
        if self.what.endswith("_venue"):
            return _(_NEW_VENUE[self.what]).format(number=number)
        start = _moment(self.after[f"{self.what}_start"])
        if self._moved(self.what):
            when = f"{short_date(start.date())} {clock_time(start)}"
            return _(_MOVED[self.what]).format(number=number, when=when)
        return _(_NEW_TIMES[self.what]).format(number=number)


_MOVED = {
    "seminar": N_("hold {number}: the seminar moved to {when}"),
    "followup": N_("hold {number}: the follow-up day moved to {when}"),
}
_NEW_TIMES = {
    "seminar": N_("hold {number}: new times for the seminar"),
    "followup": N_("hold {number}: new times for the follow-up day"),
}
_NEW_VENUE = {
    "seminar_venue": N_("hold {number}: new venue for the seminar"),
    "followup_venue": N_("hold {number}: new venue for the follow-up day"),
}


def _cohort_changes(number: int, before: CohortFacts, after: CohortFacts) -> list[FactChange]:
    found = []
    for meeting in MEETINGS:
        keys = (f"{meeting}_start", f"{meeting}_end")
        if all(k in before and k in after for k in keys) and any(
            before[k] != after[k] for k in keys
        ):
            found.append(FactChange(number, meeting, before, after))
        venue = f"{meeting}_venue"
        if venue in before and venue in after and before[venue] != after[venue]:
            found.append(FactChange(number, venue, before, after))
    if "deadline" in before and "deadline" in after and before["deadline"] != after["deadline"]:
        found.append(FactChange(number, "deadline", before, after))
    return found


def what_changed(before: Facts | None, after: Facts) -> list[FactChange]:
    """What the letter delivered with ``before`` said that is no longer so, cohort by cohort.

    Cohorts the letter no longer (or did not) speak of are left out; a delivery recorded before
    facts were kept (``before`` is None), or whose facts were edited by hand into something
    that is not a date, tells nothing.
    """
    if not before:
        return []
    found: list[FactChange] = []
    for key in sorted(before, key=lambda k: (len(k), k)):
        if key in after and before[key] != after[key] and key.isdigit():
            try:
                changes = _cohort_changes(int(key), before[key], after[key])
                for change in changes:  # each says itself once here, to fail here if it fails
                    change.letter_line(name_cohort=True)
            except (ValueError, KeyError, TypeError):
                return []
            found += changes
    return found


def letter_lines(changes: Iterable[FactChange], facts: Facts) -> list[str]:
    """The changes as the letter names them (naming the cohort when it speaks of several)."""
    several = len(facts) > 1
    return [change.letter_line(name_cohort=several) for change in changes]


# -- what a save made stale, without rendering ----------------------------------------------------


def changed_cohorts(before: Facts, after: Facts) -> set[str]:
    """The cohorts whose facts differ (by number, as text)."""
    return {key for key, facts in after.items() if key in before and before[key] != facts}


def stale_by_facts(
    deliveries: Iterable[Delivery], now: Facts, cohorts: Collection[str]
) -> list[Delivery]:
    """The latest delivery of each letter to each recipient (sent, or perhaps sent) that states
    something about ``cohorts`` that is no longer so. A delivery recorded before facts were
    kept counts when it is about one of ``cohorts``."""
    latest: dict[tuple[str, str], Delivery] = {}
    for delivery in deliveries:
        if delivery.sent:
            latest[(delivery.letter, delivery.recipient)] = delivery
    stale = []
    for delivery in latest.values():
        if delivery.facts is None:
            about = {str(delivery.cohort)} if delivery.cohort is not None else set()
            if about & set(cohorts):
                stale.append(delivery)
            continue
        if any(
            key in delivery.facts and key in now and delivery.facts[key] != now[key]
            for key in cohorts
        ):
            stale.append(delivery)
    return stale
