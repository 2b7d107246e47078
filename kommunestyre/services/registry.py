"""The register's use cases: validate, apply the rules, save and log, in one transaction each.

The app, the CLI and the importer call these; they hold no state between calls. An edit made
from a screen carries the revision the screen showed, so a record someone else changed in the
meantime is refused with a ConflictError instead of being overwritten.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from kommunestyre.domain import changes, rules
from kommunestyre.domain.capacity import open_offers
from kommunestyre.domain.model import (
    Cohort,
    InvoiceDetails,
    Meeting,
    MunicipalityContact,
    ParticipantDetails,
    Register,
    Speaker,
    Status,
)
from kommunestyre.domain.municipalities import by_code, find_municipality
from kommunestyre.domain.validation import (
    validate_contact,
    validate_invoice,
    validate_participant,
    validate_speaker,
    validate_venue,
)
from kommunestyre.errors import (
    InvalidRecord,
    KommunestyreError,
    RuleError,
    UnknownRecord,
    ValidationError,
)
from kommunestyre.i18n import N_, _, ngettext
from kommunestyre.store.database import Database, Stamp
from kommunestyre.store.repository import Change, RecordKind, Repository

if TYPE_CHECKING:
    from kommunestyre.lists.importer import ImportPlan


@dataclass(frozen=True, slots=True)
class Result:
    """What a use case did, in lines a user can read; ``record_id`` is the new record, if any."""

    message: str
    promotions: tuple[str, ...] = ()
    record_id: int | None = None
    dry_run: bool = False  # nothing was saved: this is what would happen

    def lines(self) -> list[str]:
        return [self.message, *self.promotions]


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The register as read at one moment, with what identifies that version of the file."""

    register: Register
    generation: int
    stamp: Stamp | None
    now: datetime


PlanT = TypeVar("PlanT")


@dataclass(frozen=True)  # no slots: a slotted generic dataclass breaks typing's aliases
class ImportReport(Generic[PlanT]):
    """An import's plan (what each row does, or its problems) and what happened (or would):
    registrations (an ImportPlan), contacts, or the replies to the invitation."""

    plan: PlanT
    outcome: list[str]
    saved: bool = False
    dry_run: bool = False


@dataclass(frozen=True, slots=True)
class Target:
    """Who a command names: one participant, or a municipality's registration as a whole."""

    kind: RecordKind  # "participant" or "directorate"
    id: int
    rev: int
    label: str  # "Tina Kristensen (Kolding)" or "Kolding"


#: What a command may need the person it names to be (the newest record that fits wins).
WANTS: dict[str, frozenset[Status]] = {
    "active": frozenset({Status.ADMITTED, Status.OFFERED, Status.WAITLISTED}),
    "cancelled": frozenset({Status.CANCELLED}),
    "offered": frozenset({Status.OFFERED}),
    "any": frozenset(Status),
}


#: A participant's status in words.
STATUS_WORDS: dict[Status, str] = {
    Status.ADMITTED: N_("admitted"),
    Status.OFFERED: N_("offered a seat"),
    Status.WAITLISTED: N_("on the waiting list"),
    Status.CANCELLED: N_("cancelled"),
    Status.SUBSTITUTED: N_("substituted"),
}

#: Why the newest record of a person does not fit what a command needs, by what it needs.
_NOT_FITTING: dict[str, str] = {
    "cancelled": N_("{person} is {status}, not cancelled"),
    "offered": N_("{person} is {status} and holds no seat offer"),
}


def find_target(register: Register, who: str, want: str = "active") -> Target:
    """``who`` is a participant's e-mail address, or a municipality (name or code, spelt as
    the importer understands them) for its registration as a whole."""
    text = who.strip()
    if "@" in text:
        key = text.casefold()
        people = [p for p in register.participants.values() if p.details.email.casefold() == key]
        if not people:
            raise UnknownRecord(
                _("nobody is registered with the e-mail address {email}").format(email=text)
            )
        fitting = [p for p in people if p.status in WANTS[want]]
        if not fitting:
            current = max(people, key=lambda p: (p.seq, p.id))
            message = _NOT_FITTING.get(want, N_("{person} is {status}"))
            raise RuleError(
                _(message).format(
                    person=rules.participant_label(register, current),
                    status=_(STATUS_WORDS[current.status]),
                )
            )
        person = max(fitting, key=lambda p: (p.status.is_active, p.seq, p.id))
        return Target(
            "participant", person.id, person.rev, rules.participant_label(register, person)
        )
    municipality = find_municipality(text)
    directorate = register.latest_directorate_of_municipality(municipality.code)
    if directorate is None:
        raise UnknownRecord(
            _("{municipality} has never registered").format(municipality=municipality.name)
        )
    return Target("directorate", directorate.id, directorate.rev, municipality.name)


class ImportRejected(KommunestyreError):
    """The file has problems: nothing was imported. The report says which rows and why."""

    title = N_("Nothing imported")

    def __init__(self, report: ImportReport[Any]) -> None:
        self.report = report
        count = len(report.plan.problems)
        super().__init__(
            ngettext(
                "{n} problem(s) in the file; nothing was imported",
                "{n} problem(s) in the file; nothing was imported",
                count,
            ).format(n=count)
        )


@dataclass(frozen=True, slots=True)
class CohortSettings:
    """Everything the cohort form edits, except speakers (see :meth:`Registry.set_speakers`)."""

    seminar: Meeting
    followup: Meeting
    registration_deadline: date
    min_directorates: int
    max_directorates: int
    max_participants: int
    themes: tuple[str, ...] = ()


def _result(
    outcome: rules.Outcome, record_id: int | None = None, *, dry_run: bool = False
) -> Result:
    return Result(
        outcome.summary, tuple(str(p) for p in outcome.promotions), record_id, dry_run=dry_run
    )


def _member_ids(register: Register, directorate_id: int) -> list[int]:
    return [p.id for p in register.members(directorate_id)]


def _offer_ids(register: Register, participant_id: int) -> list[int]:
    return [p.id for p in rules.offer_of(register, participant_id).participants]


def _promoted_ids(outcome: rules.Outcome) -> list[int]:
    return [pid for promotion in outcome.promotions for pid in promotion.participant_ids]


def _invoice_key(directorate_id: int) -> str:
    return f"invoice:{directorate_id}"  # not translated: a key in the history entry


def _contact_key(code: int) -> str:
    return f"contact:{code}"  # not translated: a key in the history entry


def _contact_data(register: Register) -> dict[str, tuple[str, str]]:
    """The name and address of every invoice contact and municipality contact, by the key the
    history entries about them carry."""
    data = {
        _invoice_key(d.id): (d.invoice.contact_name, d.invoice.contact_email)
        for d in register.directorates.values()
    }
    for code, contact in register.contacts.items():
        data[_contact_key(code)] = (contact.name, contact.email)
    return data


def _copy_cohort(cohort: Cohort) -> Cohort:
    """The cohort's settings as they are now (a rule replaces its meetings and lists; it does
    not change them in place)."""
    return dataclasses.replace(cohort, speakers=list(cohort.speakers), themes=list(cohort.themes))


class Registry:
    """Use cases on one repository."""

    def __init__(self, repository: Repository) -> None:
        self.repository = repository

    @property
    def database(self) -> Database:
        return self.repository.database

    def now(self) -> datetime:
        return self.repository.clock()

    def snapshot(self) -> Snapshot:
        stamp = self.database.stamp()
        register, generation = self.repository.load_with_generation()
        return Snapshot(register, generation, stamp, self.now())

    def has_changed(self, snapshot: Snapshot) -> bool:
        """Has anyone written the database since ``snapshot`` was read?"""
        return self.database.stamp() != snapshot.stamp

    @contextmanager
    def _change(self, *, dry_run: bool = False, forget: bool = False) -> Iterator[Change]:
        with self.repository.change(dry_run=dry_run, forget=forget) as change:
            yield change

    def _fields(self, change: Change) -> list[str]:
        return [f.key for f in change.register.programme.fields]

    # -- registrations -------------------------------------------------------------------------

    def register_directorate(
        self,
        municipality: str,
        cohort: int,
        members: Sequence[ParticipantDetails],
        invoice: InvoiceDetails,
    ) -> Result:
        found = find_municipality(municipality)
        clean_invoice = validate_invoice(invoice)
        with self._change() as change:
            fields = self._fields(change)
            clean = []
            for index, details in enumerate(members, 1):
                try:
                    clean.append(validate_participant(details, fields))
                except InvalidRecord as error:
                    raise InvalidRecord(
                        [
                            ValidationError(f"members.{index}.{p.field}", p.message)
                            for p in error.problems
                        ]
                    ) from None
            directorate, outcome = rules.register_directorate(
                change.register, found, cohort, clean, clean_invoice, change.now
            )
            members_ids = [p.id for p in change.register.members(directorate.id)]
            change.log(
                "register", outcome.summary, directorates=[directorate.id], participants=members_ids
            )
        return _result(outcome, directorate.id)

    def add_participant(
        self, directorate_id: int, details: ParticipantDetails, cohort: int | None = None
    ) -> Result:
        with self._change() as change:
            clean = validate_participant(details, self._fields(change))
            participant, outcome = rules.add_participant(
                change.register, directorate_id, clean, change.now, cohort_number=cohort
            )
            change.log(
                "add", outcome.summary, participants=[participant.id], directorates=[directorate_id]
            )
        return _result(outcome, participant.id)

    def edit_participant(
        self, participant_id: int, rev: int, details: ParticipantDetails
    ) -> Result:
        with self._change() as change:
            change.expect("participant", participant_id, rev)
            clean = validate_participant(details, self._fields(change))
            before = change.register.participant(participant_id).details
            outcome = rules.edit_participant(change.register, participant_id, clean)
            what = changes.participant_changes(change.register.programme, before, clean)
            change.log("edit", changes.entry(outcome.summary, what), participants=[participant_id])
        return _result(outcome, participant_id)

    def edit_invoice(self, directorate_id: int, rev: int, invoice: InvoiceDetails) -> Result:
        clean = validate_invoice(invoice)
        with self._change() as change:
            change.expect("directorate", directorate_id, rev)
            before = change.register.directorate(directorate_id).invoice
            outcome = rules.edit_invoice(change.register, directorate_id, clean)
            change.log(
                "invoice",
                changes.entry(outcome.summary, changes.invoice_changes(before, clean)),
                directorates=[directorate_id],
                about=[_invoice_key(directorate_id)],
            )
        return _result(outcome, directorate_id)

    # -- moves, cancellations, substitutions, offers, reinstatements ---------------------------
    # Each takes the revision of the record as the caller saw it, and ``dry_run``: do it all
    # under the lock on the current data, say what happened, and write nothing.

    def _act(
        self,
        action: str,
        kind: RecordKind,
        record_id: int,
        rev: int,
        rule: Callable[[Register, datetime], rules.Outcome],
        *,
        dry_run: bool,
        involved: Callable[[Register], Iterable[int]] = lambda register: (),
    ) -> Result:
        with self._change(dry_run=dry_run) as change:
            change.expect(kind, record_id, rev)
            people = list(involved(change.register))
            outcome = rule(change.register, change.now)
            directorates = [record_id] if kind == "directorate" else []
            if kind == "participant":
                people.append(record_id)
            change.log(
                action,
                "; ".join(outcome.lines()),
                participants=[*people, *_promoted_ids(outcome)],
                directorates=directorates,
            )
        return _result(outcome, record_id, dry_run=dry_run)

    def move_participant(
        self, participant_id: int, rev: int, cohort: int, *, dry_run: bool = False
    ) -> Result:
        return self._act(
            "move", "participant", participant_id, rev,
            lambda register, now: rules.move_participant(register, participant_id, cohort, now),
            dry_run=dry_run,
        )  # fmt: skip

    def move_directorate(
        self,
        directorate_id: int,
        rev: int,
        cohort: int,
        *,
        source: int | None = None,
        dry_run: bool = False,
    ) -> Result:
        """Move a directorate's people in ``source`` (default: its own cohort) to ``cohort``."""
        return self._act(
            "move", "directorate", directorate_id, rev,
            lambda register, now: rules.move_directorate(
                register, directorate_id, cohort, now, source=source
            ),
            dry_run=dry_run, involved=lambda register: _member_ids(register, directorate_id),
        )  # fmt: skip

    def cancellation_terms(self, participant_id: int) -> rules.CancellationTerms:
        register = self.repository.load()
        return rules.cancellation_terms(register, participant_id, self.now())

    def directorate_cancellation_terms(self, directorate_id: int) -> rules.CancellationTerms:
        register = self.repository.load()
        return rules.directorate_cancellation_terms(register, directorate_id, self.now())

    def cancel_participant(self, participant_id: int, rev: int, *, dry_run: bool = False) -> Result:
        return self._act(
            "cancel", "participant", participant_id, rev,
            lambda register, now: rules.cancel_participant(register, participant_id, now),
            dry_run=dry_run,
        )  # fmt: skip

    def cancel_directorate(self, directorate_id: int, rev: int, *, dry_run: bool = False) -> Result:
        return self._act(
            "cancel", "directorate", directorate_id, rev,
            lambda register, now: rules.cancel_directorate(register, directorate_id, now),
            dry_run=dry_run, involved=lambda register: _member_ids(register, directorate_id),
        )  # fmt: skip

    def reinstate_participant(
        self, participant_id: int, rev: int, *, dry_run: bool = False
    ) -> Result:
        return self._act(
            "reinstate", "participant", participant_id, rev,
            lambda register, now: rules.reinstate_participant(register, participant_id, now),
            dry_run=dry_run,
        )  # fmt: skip

    def reinstate_directorate(
        self, directorate_id: int, rev: int, *, dry_run: bool = False
    ) -> Result:
        return self._act(
            "reinstate", "directorate", directorate_id, rev,
            lambda register, now: rules.reinstate_directorate(register, directorate_id, now),
            dry_run=dry_run, involved=lambda register: _member_ids(register, directorate_id),
        )  # fmt: skip

    def accept_offer(self, participant_id: int, rev: int, *, dry_run: bool = False) -> Result:
        return self._act(
            "offer", "participant", participant_id, rev,
            lambda register, now: rules.accept_offer(register, participant_id, now),
            dry_run=dry_run, involved=lambda register: _offer_ids(register, participant_id),
        )  # fmt: skip

    def decline_offer(self, participant_id: int, rev: int, *, dry_run: bool = False) -> Result:
        return self._act(
            "offer", "participant", participant_id, rev,
            lambda register, now: rules.decline_offer(register, participant_id, now),
            dry_run=dry_run, involved=lambda register: _offer_ids(register, participant_id),
        )  # fmt: skip

    def answer_offers(
        self,
        directorate_id: int,
        rev: int,
        *,
        accept: bool,
        cohort: int | None = None,
        dry_run: bool = False,
    ) -> Result:
        """A municipality answers every seat offer it holds (in one cohort, or in all)."""

        def answer(register: Register, now: datetime) -> rules.Outcome:
            offers = [
                o
                for o in open_offers(register, cohort)
                if o.directorate.id == directorate_id
            ]  # fmt: skip
            if not offers:
                name = rules.municipality_name(register, register.directorate(directorate_id))
                raise RuleError(_("{municipality} holds no seat offer").format(municipality=name))
            rule = rules.accept_offer if accept else rules.decline_offer
            outcomes = [rule(register, o.participants[0].id, now) for o in offers]
            return rules.Outcome(
                "; ".join(o.summary for o in outcomes),
                promotions=[p for o in outcomes for p in o.promotions],
            )

        return self._act(
            "offer", "directorate", directorate_id, rev, answer, dry_run=dry_run,
            involved=lambda register: _member_ids(register, directorate_id),
        )  # fmt: skip

    def substitute(
        self, participant_id: int, rev: int, details: ParticipantDetails, *, dry_run: bool = False
    ) -> Result:
        with self._change(dry_run=dry_run) as change:
            change.expect("participant", participant_id, rev)
            clean = validate_participant(details, self._fields(change))
            replacement, outcome = rules.substitute(
                change.register, participant_id, clean, change.now
            )
            change.log("substitute", outcome.summary, participants=[participant_id, replacement.id])
        return _result(outcome, replacement.id, dry_run=dry_run)

    def admit_waiting(self, participant_id: int, rev: int) -> Result:
        with self._change() as change:
            change.expect("participant", participant_id, rev)
            outcome = rules.admit_waiting(change.register, participant_id, change.now)
            change.log("promote", outcome.summary, participants=[participant_id])
        return _result(outcome, participant_id)

    def erase_participant(self, participant_id: int, rev: int, *, dry_run: bool = False) -> Result:
        """GDPR erasure of a person: every record with their e-mail address leaves the register
        (or stays as an anonymous invoice line), the history's text and the backups."""
        with self._change(dry_run=dry_run, forget=True) as change:
            change.expect("participant", participant_id, rev)
            outcome = self._erase(change, rules.records_of(change.register, participant_id))
        return _result(outcome, dry_run=dry_run)

    def erase_directorate(self, directorate_id: int, rev: int, *, dry_run: bool = False) -> Result:
        """GDPR erasure of everybody a municipality ever registered (its invoice contacts too)."""
        with self._change(dry_run=dry_run, forget=True) as change:
            change.expect("directorate", directorate_id, rev)
            register = change.register
            before = _contact_data(register)
            code = register.directorate(directorate_id).municipality_code
            for directorate in register.directorates.values():
                if directorate.municipality_code == code:
                    directorate.invoice = directorate.invoice._replace(
                        contact_name="", contact_email=""
                    )
            outcome = self._erase(
                change, rules.records_of_municipality(register, code), before=before
            )
            outcome.summary = f"{by_code(code).name}: {outcome.summary}"
        return _result(outcome, directorate_id, dry_run=dry_run)

    def _erase(
        self,
        change: Change,
        participant_ids: Sequence[int],
        *,
        before: dict[str, tuple[str, str]] | None = None,
    ) -> rules.Outcome:
        """Erase the people and forget them in the history: the entries about them or naming
        them, and the entries about an invoice contact or a municipality contact the erasure
        empties (``before``: the contacts as they were, if the caller emptied some already)."""
        register = change.register
        before = _contact_data(register) if before is None else before
        for pid in participant_ids:
            details = register.participant(pid).details
            name = "" if details.name == rules.ERASED_NAME else details.name
            change.forget_in_history(pid, details.email, name)
        outcome = rules.erase_people(register, participant_ids, change.now)
        after = _contact_data(register)
        for key, (name, email) in before.items():
            if after.get(key) != (name, email):
                change.forget_about(key)
                change.forget_mentions(name, email)
        outcome.summary = _("{summary} (and the backups that held it)").format(
            summary=outcome.summary
        )
        change.log("erase", "; ".join(outcome.lines()), participants=_promoted_ids(outcome))
        return outcome

    # -- check-in ------------------------------------------------------------------------------

    def attend(
        self,
        participant_id: int,
        rev: int,
        meeting: str,
        present: bool | None,
        *,
        dry_run: bool = False,
    ) -> Result:
        """Check a person in at a meeting (True), mark them absent (False) or undo (None)."""
        from kommunestyre.domain import attendance

        return self._act(
            "attend", "participant", participant_id, rev,
            lambda register, now: attendance.mark(register, participant_id, meeting, present, now),
            dry_run=dry_run,
        )  # fmt: skip

    def attend_directorate(
        self,
        directorate_id: int,
        rev: int,
        meeting: str,
        present: bool | None,
        *,
        cohort: int | None = None,
        dry_run: bool = False,
    ) -> Result:
        """Check in every person with a seat of a municipality's registration."""
        from kommunestyre.domain import attendance

        with self._change(dry_run=dry_run) as change:
            change.expect("directorate", directorate_id, rev)
            people, outcome = attendance.mark_directorate(
                change.register, directorate_id, meeting, present, change.now, cohort
            )
            change.log(
                "attend", outcome.summary, participants=people, directorates=[directorate_id]
            )
        return _result(outcome, directorate_id, dry_run=dry_run)

    # -- municipality contacts -------------------------------------------------------------------

    def edit_contact(self, code: int, rev: int, contact: MunicipalityContact) -> Result:
        clean = validate_contact(contact)
        with self._change() as change:
            change.expect("contact", code, rev)
            current = change.register.contact(code)
            before = dataclasses.replace(current)
            town = by_code(code).name
            if current.declined != clean.declined and clean.declined:
                summary = _("{municipality} marked as declined").format(municipality=town)
            elif current.declined != clean.declined:
                summary = _("{municipality} marked as not declined").format(municipality=town)
            else:
                summary = _("contact of {municipality} updated").format(municipality=town)
            current.name, current.title, current.email = clean.name, clean.title, clean.email
            current.declined, current.notes = clean.declined, clean.notes
            what = changes.contact_changes(before, current)
            change.log("contact", changes.entry(summary, what), about=[_contact_key(code)])
        return Result(summary, record_id=code)

    # -- cohorts -------------------------------------------------------------------------------

    def update_cohort(self, number: int, rev: int, settings: CohortSettings) -> Result:
        """New settings for a cohort; both venues are checked (a postcode is four digits) and
        every wrong part of either is reported at once."""
        meetings: dict[str, Meeting] = {}
        problems: list[ValidationError] = []
        for part, meeting in (("seminar", settings.seminar), ("followup", settings.followup)):
            try:
                venue = validate_venue(meeting.venue, f"{part}.venue")
            except InvalidRecord as error:
                problems.extend(error.problems)
            else:
                meetings[part] = Meeting(meeting.start, meeting.end, venue)
        if problems:
            raise InvalidRecord(problems)
        seminar, followup = meetings["seminar"], meetings["followup"]
        with self._change() as change:
            change.expect("cohort", number, rev)
            before = _copy_cohort(change.register.cohort(number))
            outcome = rules.update_cohort(
                change.register,
                number,
                seminar=seminar,
                followup=followup,
                registration_deadline=settings.registration_deadline,
                min_directorates=settings.min_directorates,
                max_directorates=settings.max_directorates,
                max_participants=settings.max_participants,
                themes=settings.themes,
                now=change.now,
            )
            what = changes.cohort_changes(before, change.register.cohort(number))
            change.log(
                "cohort",
                "; ".join([changes.entry(outcome.summary, what), *outcome.lines()[1:]]),
                participants=_promoted_ids(outcome),
            )
        return _result(outcome, number)

    def set_speakers(self, number: int, rev: int, speakers: Sequence[Speaker]) -> Result:
        clean = [validate_speaker(s) for s in speakers]
        with self._change() as change:
            change.expect("cohort", number, rev)
            before = list(change.register.cohort(number).speakers)
            outcome = rules.set_speakers(change.register, number, clean)
            what = changes.speaker_changes(before, clean)
            change.log("cohort", changes.entry(outcome.summary, what))
        return _result(outcome, number)

    # -- import ----------------------------------------------------------------------------------

    def import_registrations(
        self, path: Path, *, cohort: int | None = None, exclude: Sequence[int] = ()
    ) -> ImportReport[ImportPlan]:
        """Import a sheet of registrations in one transaction: every row, or nothing."""
        from kommunestyre.lists.importer import apply_plan, plan_import
        from kommunestyre.lists.sheets import read_sheet

        sheet = read_sheet(path)  # before taking the lock
        with self._change() as change:
            plan = plan_import(change.register, sheet, default_cohort=cohort, exclude=exclude)
            if not plan.clean:
                raise ImportRejected(ImportReport(plan, []))
            lines = apply_plan(change.register, plan, change.now)
            if plan.changes:
                # the people of the sheet are named, so an erasure scrubs this entry too
                emails = {r.details.email.casefold() for g in plan.groups for r in g.rows}
                people = [
                    p.id
                    for p in change.register.participants.values()
                    if p.details.email.casefold() in emails
                ]
                summary = _("imported {file}: {summary}").format(
                    file=path.name, summary=plan.summary()
                )
                change.log("import", summary, participants=people)
        return ImportReport(plan, lines, saved=bool(plan.changes))

    def preview_import(
        self, path: Path, *, cohort: int | None = None, exclude: Sequence[int] = ()
    ) -> ImportReport[ImportPlan]:
        """What an import would do, tried on a copy of the register that is never saved."""
        from kommunestyre.lists.importer import Problem, apply_plan, plan_import
        from kommunestyre.lists.sheets import read_sheet

        sheet = read_sheet(path)
        register = self.repository.load()
        plan = plan_import(register, sheet, default_cohort=cohort, exclude=exclude)
        lines: list[str] = []
        if plan.clean:
            try:
                lines = apply_plan(register, plan, self.now())
            except KommunestyreError as error:
                plan.problems.append(Problem(None, "", str(error)))
                lines = []
        return ImportReport(plan, lines, dry_run=True)
