"""Imports beside the registrations sheet (:meth:`Registry.import_registrations`): municipality
contacts from a sheet, and sign-up sheets that come back as replies by mail.

Each has a preview (on a copy of the register, never saved) and an import (one transaction:
all or nothing, one history entry). A report with any problem is returned unsaved.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kommunestyre.i18n import _
from kommunestyre.lists.contacts_import import ContactPlan, apply_contacts, plan_contacts
from kommunestyre.lists.replies import ReplyPlan, plan_people, plan_replies, read_replies
from kommunestyre.lists.sheets import read_sheet
from kommunestyre.services.registry import ImportRejected, ImportReport, Registry

#: What a contacts import and an import of replies report (see ImportReport).
ContactReport = ImportReport[ContactPlan]
ReplyReport = ImportReport[ReplyPlan]
#: A file with problems: nothing was imported (the registrations' refusal, the same report).
ImportRefused = ImportRejected


def import_contacts(
    registry: Registry, path: Path, *, exclude: Sequence[int] = ()
) -> ContactReport:
    """Set the municipality contacts from a sheet: every row, or nothing (then
    :class:`ImportRefused` holds the report)."""
    sheet = read_sheet(path)  # before taking the lock
    with registry.repository.change() as change:
        plan = plan_contacts(change.register, sheet, exclude=exclude)
        if not plan.clean:
            raise ImportRefused(ContactReport(plan, []))
        lines = apply_contacts(change.register, plan)
        if plan.changes:
            summary = _("imported contacts from {file}: {summary}").format(
                file=path.name, summary=plan.summary()
            )
            change.log("import", summary)
    return ContactReport(plan, lines, saved=bool(plan.changes))


def preview_contacts(
    registry: Registry, path: Path, *, exclude: Sequence[int] = ()
) -> ContactReport:
    """What a contacts import would do, on a copy of the register that is never saved."""
    sheet = read_sheet(path)
    register = registry.repository.load()
    plan = plan_contacts(register, sheet, exclude=exclude)
    lines = apply_contacts(register, plan) if plan.clean else []
    return ContactReport(plan, lines, dry_run=True)


def import_replies(
    registry: Registry,
    path: Path,
    *,
    exclude: Sequence[int] = (),
    cohort: int | None = None,
) -> ReplyReport:
    """Import the sheets attached to the replies in an mbox, a folder of .eml files or one
    .eml: every reply that is not left out, or nothing (then :class:`ImportRefused` holds the
    report)."""
    messages, notes = read_replies(path)  # before taking the lock
    with registry.repository.change() as change:
        plan = plan_replies(
            change.register,
            messages,
            change.now,
            source=path.name,
            notes=notes,
            exclude=exclude,
            default_cohort=cohort,
        )
        if not plan.clean:
            raise ImportRefused(ReplyReport(plan, []))
        if plan.changes:
            summary = _("imported the replies in {file}: {summary}").format(
                file=path.name, summary=plan.summary()
            )
            change.log("import", summary, participants=plan_people(plan, change.register))
    return ReplyReport(plan, plan.outcome, saved=bool(plan.changes))


def preview_replies(
    registry: Registry,
    path: Path,
    *,
    exclude: Sequence[int] = (),
    cohort: int | None = None,
) -> ReplyReport:
    """What importing the replies would do, on a copy of the register that is never saved."""
    messages, notes = read_replies(path)
    register = registry.repository.load()
    plan = plan_replies(
        register,
        messages,
        registry.now(),
        source=path.name,
        notes=notes,
        exclude=exclude,
        default_cohort=cohort,
    )
    return ReplyReport(plan, plan.outcome if plan.clean else [], dry_run=True)
