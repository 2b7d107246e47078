"""Edit a cohort's settings: the 12-12 seminar, the follow-up day, venues, deadline, capacity
and themes. Dates and times are typed the Danish way (24.02.2027, 12.00); each venue part is
checked by the domain's rule (a postcode is four digits). A save whose consequences need a
"yes" first (a deadline in the past) asks before the form closes: "no" keeps it open."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import TextArea

from kommunestyre.clock import local
from kommunestyre.domain.model import Cohort, Meeting, Venue
from kommunestyre.domain.rules import MAX_DIRECTORATES, MAX_PARTICIPANT_CAP, MIN_PARTICIPANT_CAP
from kommunestyre.domain.validation import VENUE_CHECKS, parse_clock, parse_day, parse_whole
from kommunestyre.errors import InvalidRecord, KommunestyreError, ValidationError
from kommunestyre.formats import short_date
from kommunestyre.i18n import _
from kommunestyre.services.registry import CohortSettings
from kommunestyre.tui.modals.confirm import ConfirmModal
from kommunestyre.tui.modals.form_modal import FormModal
from kommunestyre.tui.widgets.form import Check, FormField
from kommunestyre.tui.widgets.plain import Plain, PlainLabel

#: Where the domain's schedule errors are shown in this form.
_ERROR_FIELDS = {
    "seminar.start": "seminar.start_date",
    "seminar.end": "seminar.end_date",
    "followup.start": "followup.date",
    "followup.end": "followup.end_time",
}


def _number(low: int, high: int, field: str) -> Check:
    return partial(parse_whole, field=field, low=low, high=high, what=_("a whole number"))


def _parsing(parse: Callable[[str, str], object], field: str) -> Check:
    """A field's check: the domain's parser, with the field's name for its message."""
    return lambda value: parse(value, field)


def _clock_text(moment: datetime) -> str:
    return f"{moment.hour:02d}.{moment.minute:02d}"


def _venue_check(key: str, field: str) -> Check:
    """The domain's check of one part of a venue (name, address, postcode, town)."""
    check = VENUE_CHECKS[key]
    return lambda value: check(value, field)


#: What to ask before saving these settings (None: nothing to ask); the flow decides.
Question = Callable[[CohortSettings], ConfirmModal | None]


class CohortForm(FormModal[CohortSettings]):
    FORM_ID = "cohort-form"

    def __init__(
        self,
        cohort: Cohort,
        *,
        error: KommunestyreError | None = None,
        typed: dict[str, str] | None = None,
        ask: Question | None = None,
    ) -> None:
        super().__init__(error=error)
        self.cohort = cohort
        self.typed = typed or {}
        self.ask = ask
        self.last_typed: dict[str, str] = {}

    def _value(self, name: str, default: str) -> str:
        return self.typed.get(name, default)

    def _venue_fields(self, prefix: str, venue: Venue) -> ComposeResult:
        for key, label in (
            ("name", _("Venue")),
            ("address", _("Address")),
            ("postcode", _("Postcode")),
            ("town", _("Town")),
        ):
            name = f"{prefix}.venue.{key}"
            yield FormField(
                label, name, self._value(name, getattr(venue, key)), check=_venue_check(key, name)
            )

    def compose(self) -> ComposeResult:
        c = self.cohort
        s, f = c.seminar, c.followup
        with VerticalScroll(classes="dialog wide", id=self.FORM_ID):  # not translated: CSS classes
            yield Plain(
                _("Hold {cohort}: settings").format(cohort=c.number), classes="dialog-title"
            )
            yield Plain(_("12-12 seminar"), classes="section-title")
            for name, label, value, check in (
                ("seminar.start_date", _("Starts on"), short_date(s.start.date()), parse_day),
                ("seminar.start_time", _("at"), _clock_text(s.start), parse_clock),
                ("seminar.end_date", _("Ends on"), short_date(s.end.date()), parse_day),
                ("seminar.end_time", _("at"), _clock_text(s.end), parse_clock),
            ):
                yield FormField(label, name, self._value(name, value), check=_parsing(check, name))
            yield from self._venue_fields("seminar", s.venue)
            yield Plain(_("Follow-up day"), classes="section-title")
            for name, label, value, check in (
                ("followup.date", _("Date"), short_date(f.start.date()), parse_day),
                ("followup.start_time", _("From"), _clock_text(f.start), parse_clock),
                ("followup.end_time", _("To"), _clock_text(f.end), parse_clock),
            ):
                yield FormField(label, name, self._value(name, value), check=_parsing(check, name))
            yield from self._venue_fields("followup", f.venue)
            yield Plain(_("Registration and capacity"), classes="section-title")
            deadline = short_date(c.registration_deadline)
            yield FormField(
                _("Deadline"),
                "registration_deadline",
                self._value("registration_deadline", deadline),
                check=lambda v: parse_day(v, "registration_deadline"),
            )
            for name, label, value, number in (
                (
                    "min_directorates",
                    _("Min. directorates"),
                    str(c.min_directorates),
                    _number(1, MAX_DIRECTORATES, "min_directorates"),
                ),
                (
                    "max_directorates",
                    _("Max. directorates"),
                    str(c.max_directorates),
                    _number(1, MAX_DIRECTORATES, "max_directorates"),
                ),
                (
                    "max_participants",
                    _("Max. people"),
                    str(c.max_participants),
                    _number(MIN_PARTICIPANT_CAP, MAX_PARTICIPANT_CAP, "max_participants"),
                ),
            ):
                yield FormField(label, name, self._value(name, value), check=number)
            yield PlainLabel(_("Themes, one per line"), classes="sub-label")
            yield TextArea(self._value("themes", "\n".join(c.themes)), id="themes", compact=True)
            yield from self.compose_buttons()

    def show_error(self, error: KommunestyreError) -> None:
        """The domain names the schedule's parts (seminar.end); the form has date and time."""
        problems = error.problems if isinstance(error, InvalidRecord) else [error]
        moved = [
            ValidationError(
                _ERROR_FIELDS.get(getattr(p, "field", ""), getattr(p, "field", "")), p.message
            )
            for p in problems
        ]
        super().show_error(InvalidRecord(moved))

    def action_save(self) -> None:
        """Save, after a "yes" when the flow has something to ask about these settings; a "no"
        keeps the form open with the typing, the focus on the deadline."""
        if self.ask is not None:
            if not self.fields_valid():
                return
            question = self.ask(self.result())
            if question is not None:
                self.app.push_screen(question, self._answered)
                return
        super().action_save()

    def _answered(self, yes: bool | None) -> None:
        if yes:
            super().action_save()
        else:
            self.query_one("#input-registration_deadline").focus()

    def typed_values(self) -> dict[str, str]:
        values = self.values()
        values["themes"] = self.query_one("#themes", TextArea).text
        return values

    def result(self) -> CohortSettings:
        v = self.last_typed = self.typed_values()

        def moment(day: str, clock: str) -> datetime:
            return local(datetime.combine(parse_day(v[day], day), parse_clock(v[clock], clock)))

        def venue(prefix: str) -> Venue:
            return Venue(
                *(v[f"{prefix}.venue.{k}"] for k in ("name", "address", "postcode", "town"))
            )

        return CohortSettings(
            seminar=Meeting(
                moment("seminar.start_date", "seminar.start_time"),
                moment("seminar.end_date", "seminar.end_time"),
                venue("seminar"),
            ),
            followup=Meeting(
                moment("followup.date", "followup.start_time"),
                moment("followup.date", "followup.end_time"),
                venue("followup"),
            ),
            registration_deadline=parse_day(v["registration_deadline"], "registration_deadline"),
            min_directorates=parse_whole(v["min_directorates"], "min_directorates"),
            max_directorates=parse_whole(v["max_directorates"], "max_directorates"),
            max_participants=parse_whole(v["max_participants"], "max_participants"),
            themes=tuple(line.strip() for line in v["themes"].splitlines() if line.strip()),
        )
