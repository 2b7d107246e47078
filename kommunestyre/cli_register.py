"""``kommunestyre move | cancel | reinstate | substitute | accept | decline | erase | attend``:
every change to the register, scriptable, through the same service as the app.

``WHO`` is a participant's e-mail address, or a municipality (name or code) for its whole
registration. ``--dry-run`` does everything under the lock on the current data, prints what
would happen, and saves nothing. Standard library only at import time.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from kommunestyre.i18n import N_, _

if TYPE_CHECKING:
    from kommunestyre.cli import Context
    from kommunestyre.services.registry import Registry, Result, Target

WHO_HELP = N_(
    "a participant's e-mail address, or a municipality (name or code) for its directorate"
)


def add_commands(commands: argparse._SubParsersAction, db_option: argparse.ArgumentParser) -> None:
    def command(
        name: str, help_text: str, handler: Handler, *, ask: bool = False
    ) -> argparse.ArgumentParser:
        parser = commands.add_parser(
            name, parents=[db_option], help=help_text, description=help_text
        )
        parser.add_argument("who", metavar="WHO", help=_(WHO_HELP))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("say exactly what would happen; save nothing")
        )
        if ask:
            parser.add_argument("--yes", action="store_true", help=_("do not ask first"))
        parser.set_defaults(handler=handler)
        return parser

    move = command("move", _("move a participant or a directorate to another cohort"), _move)
    move.add_argument(
        "--to", type=cohort_number, required=True, metavar="N", help=_("the cohort (hold) number")
    )
    command(
        "cancel",
        _("cancel a registration (says whether it is free or binding)"),
        _cancel,
        ask=True,
    )
    command("reinstate", _("undo a cancellation: the seat back if there is room"), _reinstate)
    substitute = command(
        "substitute", _("a named substitute takes over a participant's seat"), _substitute
    )
    substitute.add_argument("--name", required=True, help=_("the substitute's name"))
    substitute.add_argument("--email", required=True, help=_("the substitute's e-mail address"))
    substitute.add_argument("--title", default=None, help=_("job title (default: the original's)"))
    substitute.add_argument("--phone", default="", help=_("phone number"))
    command("accept", _("take up a seat offer (binding from then on)"), _accept)
    command("decline", _("decline a seat offer (free): it goes to the next"), _decline)
    command("erase", _("erase a person's personal data for good (GDPR)"), _erase, ask=True)
    attend = command(
        "attend", _("check a person (or a municipality's people) in at a meeting"), _attend
    )
    attend.add_argument(
        "--meeting", required=True, choices=("seminar", "followup"), help=_("which meeting")
    )
    mark = attend.add_mutually_exclusive_group()
    mark.add_argument(
        "--absent", action="store_true", help=_("mark absent (a no-show stays billable)")
    )
    mark.add_argument("--undo", action="store_true", help=_("forget the mark (not recorded)"))
    attend.add_argument(
        "--cohort",
        type=cohort_number,
        metavar="N",
        help=_("for a municipality with people in more than one cohort: the cohort"),
    )


Handler = Callable[[argparse.Namespace, "Context"], int]


def cohort_number(text: str) -> int:
    """``--to N``, ``--cohort N``: digits 0-9, from 1 (never a traceback on "²" or a huge one)."""
    if not (text.isascii() and text.isdigit()) or len(text) > 3 or int(text) < 1:
        shown = text if len(text) <= 12 else text[:12] + "…"
        raise argparse.ArgumentTypeError(
            _("{text} is not a cohort number (1, 2, ...)").format(text=repr(shown))
        )
    return int(text)


def _registry(ctx: Context, args: argparse.Namespace) -> Registry:
    from kommunestyre.services.registry import Registry
    from kommunestyre.services.setup import open_repository

    return Registry(open_repository(ctx.location(args), clock=ctx.clock))


def _target(registry: Registry, who: str, want: str = "active") -> Target:
    from kommunestyre.services.registry import find_target

    return find_target(registry.snapshot().register, who, want)


def _report(result: Result) -> int:
    if result.dry_run:
        print(_("Dry run, nothing saved. This would happen:"))
        for line in result.lines():
            print(f"  {line}")
    else:
        for line in result.lines():
            print(line)
    return 0


#: Answers that mean yes, in either language (a script's "y" works in Danish too).
YES = ("y", "yes", "j", "ja")


def _confirm(args: argparse.Namespace, question: str) -> bool:
    """Ask on the terminal unless --yes or --dry-run; never guess when nobody can answer."""
    from kommunestyre.errors import NotConfirmed

    if args.yes or args.dry_run:
        return True
    if not sys.stdin.isatty():
        raise NotConfirmed(
            _('no terminal to ask "{question}"; add --yes to go ahead').format(question=question)
        )
    # "[y/N]" reads "[j/N]" in Danish; y, yes, j and ja are all yes, in either language
    answer = input(_("{question} [y/N] ").format(question=question)).strip().casefold()
    if answer in YES:
        return True
    print(_("Nothing was changed."))
    return False


def _move(args: argparse.Namespace, ctx: Context) -> int:
    registry = _registry(ctx, args)
    target = _target(registry, args.who)
    if target.kind == "participant":
        result = registry.move_participant(target.id, target.rev, args.to, dry_run=args.dry_run)
    else:
        result = registry.move_directorate(target.id, target.rev, args.to, dry_run=args.dry_run)
    return _report(result)


def _cancel(args: argparse.Namespace, ctx: Context) -> int:
    registry = _registry(ctx, args)
    target = _target(registry, args.who)
    if target.kind == "participant":
        terms = registry.cancellation_terms(target.id)
        what = _("Cancel {name}?").format(name=target.label)
    else:
        terms = registry.directorate_cancellation_terms(target.id)
        what = _("Cancel the whole directorate of {municipality}?").format(
            municipality=target.label
        )
    print(_("This cancellation is {explanation}.").format(explanation=terms.explanation))
    if not _confirm(args, what):
        return 1
    if target.kind == "participant":
        result = registry.cancel_participant(target.id, target.rev, dry_run=args.dry_run)
    else:
        result = registry.cancel_directorate(target.id, target.rev, dry_run=args.dry_run)
    return _report(result)


def _reinstate(args: argparse.Namespace, ctx: Context) -> int:
    registry = _registry(ctx, args)
    target = _target(registry, args.who, "cancelled")
    if target.kind == "participant":
        result = registry.reinstate_participant(target.id, target.rev, dry_run=args.dry_run)
    else:
        result = registry.reinstate_directorate(target.id, target.rev, dry_run=args.dry_run)
    return _report(result)


def _substitute(args: argparse.Namespace, ctx: Context) -> int:
    from kommunestyre.domain.model import ParticipantDetails
    from kommunestyre.errors import ValidationError

    registry = _registry(ctx, args)
    target = _target(registry, args.who)
    if target.kind != "participant":
        raise ValidationError("WHO", _("name the person to replace by their e-mail address"))
    original = registry.snapshot().register.participant(target.id).details
    details = ParticipantDetails(
        name=args.name,
        title=original.title if args.title is None else args.title,
        field=original.field,
        email=args.email,
        phone=args.phone,
    )
    return _report(registry.substitute(target.id, target.rev, details, dry_run=args.dry_run))


def _answer(args: argparse.Namespace, ctx: Context, *, accept: bool) -> int:
    """A person answers their seat offer; a municipality answers every offer it holds."""
    registry = _registry(ctx, args)
    target = _target(registry, args.who, "offered")
    if target.kind == "directorate":
        result = registry.answer_offers(target.id, target.rev, accept=accept, dry_run=args.dry_run)
    elif accept:
        result = registry.accept_offer(target.id, target.rev, dry_run=args.dry_run)
    else:
        result = registry.decline_offer(target.id, target.rev, dry_run=args.dry_run)
    return _report(result)


def _accept(args: argparse.Namespace, ctx: Context) -> int:
    return _answer(args, ctx, accept=True)


def _decline(args: argparse.Namespace, ctx: Context) -> int:
    return _answer(args, ctx, accept=False)


def _erase(args: argparse.Namespace, ctx: Context) -> int:
    registry = _registry(ctx, args)
    target = _target(registry, args.who, "any")
    print(
        _(
            "Erasing removes the personal data from the register, the history and the backups; "
            "a seat already on the invoice stays as an anonymous line. It cannot be undone."
        )
    )
    if not _confirm(args, _("Erase {name} for good?").format(name=target.label)):
        return 1
    if target.kind == "participant":
        result = registry.erase_participant(target.id, target.rev, dry_run=args.dry_run)
    else:
        result = registry.erase_directorate(target.id, target.rev, dry_run=args.dry_run)
    return _report(result)


def _attend(args: argparse.Namespace, ctx: Context) -> int:
    registry = _registry(ctx, args)
    target = _target(registry, args.who)
    present = None if args.undo else not args.absent
    if target.kind == "participant":
        result = registry.attend(target.id, target.rev, args.meeting, present, dry_run=args.dry_run)
    else:
        result = registry.attend_directorate(
            target.id, target.rev, args.meeting, present, cohort=args.cohort, dry_run=args.dry_run
        )
    return _report(result)
