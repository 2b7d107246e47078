"""The quick headcount: per cohort and in total, as text for 80 columns or as JSON."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kommunestyre.domain.attendance import attended, no_shows
from kommunestyre.domain.capacity import Headcount, headcount, open_offers
from kommunestyre.domain.model import CohortStatus, Register
from kommunestyre.domain.municipalities import by_code
from kommunestyre.formats import clock_time, short_date, short_range
from kommunestyre.i18n import N_, _, ngettext, pgettext

#: A cohort's status in words (the JSON keeps the English value).
STATUS_WORDS: dict[CohortStatus, str] = {
    CohortStatus.OPEN: N_("open"),
    CohortStatus.FULL: N_("full"),
    CohortStatus.CLOSED: N_("closed"),
    CohortStatus.HELD: N_("held"),
}


def status_word(status: CohortStatus) -> str:
    """``status`` as the coordinator reads it, in the language in use."""
    return _(STATUS_WORDS[status])


@dataclass(frozen=True, slots=True)
class Totals:
    directorates: int
    max_directorates: int
    participants: int
    max_participants: int
    free_seats: int
    waitlisted_directorates: int
    waitlisted_participants: int
    cohorts_at_risk: int
    offered: int
    billable: int


def select(register: Register, now: datetime, cohort: int | None = None) -> list[Headcount]:
    """All cohorts' headcounts, or the one asked for (an unknown number is an error)."""
    if cohort is not None:
        register.cohort(cohort)
    rows = headcount(register, now)
    return [row for row in rows if cohort is None or row.cohort.number == cohort]


def totals(rows: list[Headcount]) -> Totals:
    return Totals(
        directorates=sum(r.count.directorates for r in rows),
        max_directorates=sum(r.cohort.max_directorates for r in rows),
        participants=sum(r.count.participants for r in rows),
        max_participants=sum(r.cohort.max_participants for r in rows),
        free_seats=sum(r.free_seats for r in rows),
        waitlisted_directorates=sum(r.count.waitlisted_directorates for r in rows),
        waitlisted_participants=sum(r.count.waitlisted_participants for r in rows),
        cohorts_at_risk=sum(1 for r in rows if r.at_risk),
        offered=sum(r.count.offered for r in rows),
        billable=sum(r.count.billable for r in rows),
    )


def as_json(register: Register, rows: list[Headcount], now: datetime) -> dict[str, Any]:
    offers = open_offers(register)

    def one(row: Headcount) -> dict[str, Any]:
        cohort, count = row.cohort, row.count
        return {
            "number": cohort.number,
            "directorates": count.directorates,
            "min_directorates": cohort.min_directorates,
            "max_directorates": cohort.max_directorates,
            "participants": count.participants,
            "max_participants": cohort.max_participants,
            "free_seats": row.free_seats,
            "waitlisted_directorates": count.waitlisted_directorates,
            "waitlisted_participants": count.waitlisted_participants,
            "status": row.status.value,
            "at_risk": row.at_risk,
            "over_cap": row.over_cap,
            "late_cancellations": count.late_cancellations,
            "offers": count.offered,
            "offered_to": [
                {
                    "municipality": by_code(o.directorate.municipality_code).name,
                    "participants": len(o.participants),
                    "answer_by": o.until.isoformat(),
                }
                for o in offers
                if o.cohort == cohort.number
            ],
            "billable": count.billable,
            "attended": dict(attended(register, cohort.number).present),
            "registration_deadline": cohort.registration_deadline.isoformat(),
            "seminar": {
                "start": cohort.seminar.start.isoformat(),
                "end": cohort.seminar.end.isoformat(),
                "town": cohort.seminar.venue.town,
            },
            "followup": {
                "start": cohort.followup.start.isoformat(),
                "end": cohort.followup.end.isoformat(),
                "town": cohort.followup.venue.town,
            },
        }

    total = totals(rows)
    return {
        "as_of": now.isoformat(),
        "cohorts": [one(row) for row in rows],
        "totals": {
            "directorates": total.directorates,
            "max_directorates": total.max_directorates,
            "participants": total.participants,
            "max_participants": total.max_participants,
            "free_seats": total.free_seats,
            "waitlisted_directorates": total.waitlisted_directorates,
            "waitlisted_participants": total.waitlisted_participants,
            "cohorts_at_risk": total.cohorts_at_risk,
            "offers": total.offered,
            "billable": total.billable,
        },
    }


def _people(admitted: int, offered: int, cap: int) -> str:
    """``39/40``, or ``39+1/40`` while a seat is offered."""
    return f"{admitted}+{offered}/{cap}" if offered else f"{admitted}/{cap}"


_ROW = "{hold:>4}  {dates:<17}  {town:<11.11} {dirs:>9} {people:>9} {free:>5} {wait:>8}  {status}"


def warnings(row: Headcount) -> list[str]:
    """What deserves the coordinator's attention, one short line each."""
    cohort, count = row.cohort, row.count
    found = []
    if count.offered:
        found.append(
            ngettext(
                "{n} seat(s) offered: held until answered, not yet billed",
                "{n} seat(s) offered: held until answered, not yet billed",
                count.offered,
            ).format(n=count.offered)
        )
    if row.at_risk:
        found.append(
            ngettext(
                "at risk: {n} directorate(s), at least {minimum} are needed",
                "at risk: {n} directorate(s), at least {minimum} are needed",
                count.directorates,
            ).format(n=count.directorates, minimum=cohort.min_directorates)
        )
    if row.over_cap:
        found.append(
            _(
                "over the cap: {seats} seats taken, cap {cap}; "
                "{directorates} directorates, at most {most}"
            ).format(
                seats=count.held,
                cap=cohort.max_participants,
                directorates=count.directorates,
                most=cohort.max_directorates,
            )
        )
    if row.deadline_soon:
        found.append(
            _("registration deadline {date}").format(date=short_date(cohort.registration_deadline))
        )
    return found


def as_text(register: Register, rows: list[Headcount], now: datetime) -> str:
    """A table that fits 80 columns: one line for the seminar, one for the follow-up day."""
    lines = [
        _("{programme}: headcount {date} {time}").format(
            programme=register.programme.name, date=short_date(now.date()), time=clock_time(now)
        ),
        "",
        _ROW.format(
            hold=_("Hold"),
            dates=_("Seminar/follow-up"),
            town=_("Town"),
            dirs=_("Dir.(min)"),
            people=_("People"),
            free=_("Free"),
            wait=_("Waiting"),
            status=_("Status"),
        ),
    ]
    for row in rows:
        cohort, count = row.cohort, row.count
        lines.append(
            _ROW.format(
                hold=cohort.number,
                dates=short_range(cohort.seminar.start.date(), cohort.seminar.end.date()),
                town=cohort.seminar.venue.town,
                dirs=f"{count.directorates}/{cohort.max_directorates} ({cohort.min_directorates})",
                people=_people(count.participants, count.offered, cohort.max_participants),
                free=row.free_seats,
                wait=f"{count.waitlisted_directorates} / {count.waitlisted_participants}",
                status=status_word(row.status),
            )
        )
        second = _ROW.format(
            hold="",
            dates=short_date(cohort.followup.start.date()),
            town=cohort.followup.venue.town,
            dirs="",
            people="",
            free="",
            wait="",
            # a column of 8 characters, at the edge of 80: "i risiko" does not fit
            status=pgettext("headcount column", "at risk") if row.at_risk else "",
        )
        lines.append(second.rstrip())
    if len(rows) > 1:
        total = totals(rows)
        lines.append(
            _ROW.format(
                hold=_("All"),
                dates="",
                town="",
                dirs=f"{total.directorates}/{total.max_directorates}",
                people=_people(total.participants, total.offered, total.max_participants),
                free=total.free_seats,
                wait=f"{total.waitlisted_directorates} / {total.waitlisted_participants}",
                status="",
            ).rstrip()
        )
    lines += [
        "",
        _("People: admitted (+ offered, held for an answer) / cap. Free: seats left."),
        _("Waiting: directorates / people on the waiting list."),
    ]
    notes = [
        _("! Hold {number} – {warning}").format(number=r.cohort.number, warning=text)
        for r in rows
        for text in warnings(r)
    ]
    if notes:
        lines += ["", *notes]
    checked_in = [line for r in rows for line in attendance_lines(register, r.cohort.number)]
    if checked_in:
        lines += ["", *checked_in]
    return "\n".join(lines)


def attendance_lines(register: Register, number: int) -> list[str]:
    """The check-in of a cohort, present / expected, when anything was recorded (else none);
    the no-shows are named: they hold a paid seat and stay billable."""
    counts = attended(register, number)
    if not counts.any_recorded:
        return []
    lines = [
        _("Hold {number} attendance: seminar {seminar}, follow-up day {followup} present").format(
            number=number, seminar=counts.shown("seminar"), followup=counts.shown("followup")
        )
    ]
    for meeting, label in (("seminar", _("seminar")), ("followup", _("follow-up day"))):
        absent = no_shows(register, number, meeting)
        if absent:
            lines.append(
                ngettext(
                    "  {n} no-show at the {meeting}, still billable: {names}",
                    "  {n} no-shows at the {meeting}, still billable: {names}",
                    len(absent),
                ).format(n=len(absent), meeting=label, names=", ".join(p.name for p in absent))
            )
    return lines


def detail_text(register: Register, row: Headcount) -> str:
    """Everything about one cohort's numbers and dates, for ``headcount --cohort N``."""
    cohort, count = row.cohort, row.count

    def line(label: str, text: str) -> str:
        return f"  {label:<15}{text}"

    def meeting(label: str, start: datetime, end: datetime, place: str) -> list[str]:
        ends = (
            f"{end:%H.%M}"
            if end.date() == start.date()
            else f"{short_date(end.date())} {end:%H.%M}"
        )
        return [line(label, f"{short_date(start.date())} {start:%H.%M} - {ends}"), line("", place)]

    lines = [
        _("{programme}, hold {number}: {status}").format(
            programme=register.programme.name,
            number=cohort.number,
            status=status_word(row.status),
        ),
        "",
    ]
    lines += meeting(
        _("12-12 seminar"),
        cohort.seminar.start,
        cohort.seminar.end,
        cohort.seminar.venue.one_line(),
    )
    lines += meeting(
        _("Follow-up day"),
        cohort.followup.start,
        cohort.followup.end,
        cohort.followup.venue.one_line(),
    )
    lines += [
        line(
            _("Deadline"),
            _("{date} (registrations are binding after this day)").format(
                date=short_date(cohort.registration_deadline)
            ),
        ),
        line(
            _("Directorates"),
            _("{n} of {most} (minimum {minimum})").format(
                n=count.directorates, most=cohort.max_directorates, minimum=cohort.min_directorates
            ),
        ),
        line(
            _("Participants"),
            ngettext(
                "{n} of {most}, {free} free seat(s)",
                "{n} of {most}, {free} free seat(s)",
                row.free_seats,
            ).format(n=count.participants, most=cohort.max_participants, free=row.free_seats),
        ),
        line(
            _("Waiting list"),
            ngettext(
                "{n} directorate(s), {people} people",
                "{n} directorate(s), {people} people",
                count.waitlisted_directorates,
            ).format(n=count.waitlisted_directorates, people=count.waitlisted_participants),
        ),
        line(
            _("Offered"),
            ngettext(
                "{n} seat(s) held for an answer",
                "{n} seat(s) held for an answer",
                count.offered,
            ).format(n=count.offered),
        ),
        line(_("Late cancel."), _("{n} (billable)").format(n=count.late_cancellations)),
        line(
            _("Billable"),
            ngettext(
                "{n} seat(s): admitted + late cancellations",
                "{n} seat(s): admitted + late cancellations",
                count.billable,
            ).format(n=count.billable),
        ),
    ]
    notes = warnings(row)
    if notes:
        lines += ["", *(f"! {note}" for note in notes)]
    return "\n".join(lines)
