"""Letters as one service for the CLI and the app: prepare (render + pre-flight), export, send,
and the ledger with stale letters marked."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from kommunestyre.domain.model import Register
from kommunestyre.errors import KommunestyreError, ValidationError
from kommunestyre.i18n import N_, _, ngettext
from kommunestyre.letters.batch import Attach, Batch, State, prepare
from kommunestyre.letters.catalogue import LETTERS, Filters, Recipient, letter_kind
from kommunestyre.letters.delivery import (
    Cancelled,
    ExportReport,
    Progress,
    SendReport,
    SmtpSettings,
    build_messages,
    export,
    send,
)
from kommunestyre.letters.ledger import SENT, Delivery, load_for_letter, read_ledger, record
from kommunestyre.letters.mail import Attachment, ascii_email
from kommunestyre.letters.notices import FactChange, what_changed
from kommunestyre.store.repository import Repository

TEMPLATES_ENV = "KOMMUNESTYRE_TEMPLATES"


@dataclass(frozen=True, slots=True)
class LedgerLine:
    delivery: Delivery
    state: str  # "current", "stale" (the data behind it changed) or "gone" (no longer applies)
    #: A stale letter: what it said about its cohorts that is no longer so (when it is known).
    changes: tuple[FactChange, ...] = ()


def sign_up_sheets(register: Register, now: datetime) -> Attach:
    """An invitation carries its municipality's own sign-up sheet (kommunestyre.lists.signup),
    filled in and mailed back by the municipality, and imported from the reply."""
    from kommunestyre.lists.signup import XLSX_TYPE, signup_filename, signup_key, signup_sheet

    def attach(recipient: Recipient) -> tuple[Attachment, ...]:
        kind, _colon, code = recipient.key.partition(":")
        if kind != "contact" or not code.isdigit():  # not translated: a recipient key
            return ()
        number = int(code)
        return (
            Attachment(
                signup_filename(number),
                XLSX_TYPE,
                signup_key(register, number, now),
                lambda: signup_sheet(register, number, now),
            ),
        )

    return attach


class LetterService:
    def __init__(self, repository: Repository, own_templates: Path | None = None) -> None:
        self.repository = repository
        if own_templates is None and os.environ.get(TEMPLATES_ENV):
            own_templates = Path(os.environ[TEMPLATES_ENV]).expanduser()
        self.own_templates = own_templates
        self._environment = None

    @property
    def environment(self):
        if self._environment is None:
            from kommunestyre.letters.environment import make_environment

            self._environment = make_environment(self.own_templates)
        return self._environment

    def prepare(
        self,
        letter: str,
        filters: Filters | None = None,
        *,
        skip: tuple[str, ...] = (),
        resend: bool = False,
        workers: int = 1,
    ) -> Batch:
        kind = letter_kind(letter)
        filters = filters or Filters()
        if filters.status is not None and filters.status not in kind.statuses:
            choices = ", ".join(repr(s) for s in kind.statuses)
            raise ValidationError(
                "status",
                _("{status} is not a choice for {letter} (choose {choices})").format(
                    status=repr(filters.status), letter=kind.key, choices=choices
                ),
            )
        register, ledger = load_for_letter(self.repository, kind.key)
        now = self.repository.clock()
        return prepare(
            self.environment,
            kind,
            register,
            now,
            ledger,
            filters=filters,
            skip=skip,
            resend=resend,
            workers=workers,
            attach=sign_up_sheets(register, now) if kind.key == "invitation" else None,
        )

    def _record(self, batch: Batch, deliveries: list[Delivery], target: Path) -> None:
        count = len(deliveries)
        summary = ngettext(
            "{n} '{letter}' letter(s) exported to {target}",
            "{n} '{letter}' letter(s) exported to {target}",
            count,
        ).format(n=count, letter=batch.kind.key, target=target)
        record(self.repository, deliveries, summary)

    def export(
        self,
        batch: Batch,
        target: Path,
        fmt: str,
        *,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> ExportReport:
        outgoing = build_messages(batch, batch.programme)
        report = export(batch, outgoing, target, fmt, progress=progress, cancelled=cancelled)
        try:
            self._record(batch, report.deliveries, target)
        except BaseException:
            # The files and their ledger entries go together: no entry, no files.
            shutil.rmtree(report.folder, ignore_errors=True)
            raise
        return report

    def send(
        self,
        batch: Batch,
        settings: SmtpSettings,
        password: str | None,
        *,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> SendReport:
        """Send over SMTP; each message is in the ledger the moment the server accepts it."""
        programme = batch.programme
        outgoing = build_messages(batch, programme)
        report = send(
            batch,
            outgoing,
            settings.checked(),
            password,
            ascii_email(programme.coordinator.email, "sender"),
            record=lambda deliveries: record(self.repository, deliveries),
            progress=progress,
            cancelled=cancelled,
        )
        if report.sent or report.uncertain:  # one history line for the run; the ledger has all
            self.repository.log_line(
                "letters",
                f"'{batch.kind.key}' via {settings.address}: {report.summary()}",
            )
        return report

    def mark_sent(
        self, letter: str, filters: Filters | None = None, *, skip: tuple[str, ...] = ()
    ) -> int:
        """The coordinator sent the exported drafts from their own mail program: record them
        as sent (as exported, so a change since makes them stale). Returns how many."""
        batch = self.prepare(letter, filters, skip=skip)
        marked = [
            replace(
                x.delivered, channel="marked", status=SENT, at=self.repository.clock(),
                where=_("marked as sent by the coordinator"),
            )
            for x in batch.letters
            if x.state is State.EXPORTED and x.delivered is not None
        ]  # fmt: skip
        if marked:
            summary = ngettext(
                "{n} '{letter}' letter(s) marked as sent",
                "{n} '{letter}' letter(s) marked as sent",
                len(marked),
            ).format(n=len(marked), letter=letter)
            record(self.repository, marked, summary)
        return len(marked)

    def ledger(self) -> list[LedgerLine]:
        """Every delivery, newest first, marked stale when today's letter would differ."""
        deliveries = read_ledger(self.repository)
        current: dict[tuple[str, str], str] = {}
        facts: dict[tuple[str, str], dict[str, dict[str, str]]] = {}
        for key in {d.letter for d in deliveries}:
            kind = LETTERS.get(key)
            if kind is None:
                continue
            for status in kind.statuses:
                batch = self.prepare(key, Filters(status=status), resend=True)
                for letter in batch.letters:
                    if letter.state is not State.ERROR:
                        current[(key, letter.recipient.key)] = letter.content_hash
                        facts[(key, letter.recipient.key)] = letter.facts
        latest: dict[tuple[str, str], Delivery] = {}
        for d in deliveries:
            latest[(d.letter, d.recipient)] = d
        lines = []
        for d in reversed(deliveries):
            now = current.get((d.letter, d.recipient))
            if latest[(d.letter, d.recipient)] is not d:
                state = "superseded"
            elif now is None:
                state = "gone"
            else:
                state = "current" if now == d.content_hash else "stale"
            changes: tuple[FactChange, ...] = ()
            if state == "stale":
                changes = tuple(what_changed(d.facts, facts[(d.letter, d.recipient)]))
            lines.append(LedgerLine(d, state, changes))
        return lines


class PreflightFailed(KommunestyreError):
    title = N_("Pre-flight")
