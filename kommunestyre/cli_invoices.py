"""``kommunestyre invoices run | list | mark-sent | mark-paid``: the invoice run and the
invoices' status, through the same service as the app. Standard library only at import time.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from kommunestyre.i18n import _

if TYPE_CHECKING:
    from kommunestyre.cli import Context
    from kommunestyre.services.registry import Registry


def _invoice_number(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or len(text) > 12:
        shown = text if len(text) <= 12 else text[:12] + "…"
        raise argparse.ArgumentTypeError(
            _("{text} is not an invoice number").format(text=repr(shown))
        )
    return int(text)


def add_commands(commands: argparse._SubParsersAction, db_option: argparse.ArgumentParser) -> None:
    from kommunestyre.cli_register import cohort_number

    text = _("the invoice run: invoices and credit notes, and whether they are sent and paid")
    invoices = commands.add_parser("invoices", parents=[db_option], help=text, description=text)
    actions = invoices.add_subparsers(dest="action", metavar="ACTION", required=True)

    text = _(
        "invoice a cohort: one invoice per municipality with billable seats, and credit notes "
        "or supplementary invoices for what changed since the last run"
    )
    run = actions.add_parser("run", parents=[db_option], help=text, description=text)
    run.add_argument(
        "--cohort", type=cohort_number, required=True, metavar="N", help=_("the cohort (hold)")
    )
    run.add_argument(
        "--dry-run", action="store_true", help=_("say exactly what would happen; save nothing")
    )
    run.set_defaults(handler=_run)

    text = _("every invoice and credit note with its amounts and status")
    listing = actions.add_parser("list", parents=[db_option], help=text, description=text)
    listing.add_argument("--json", action="store_true", help=_("print them as JSON"))
    listing.set_defaults(handler=_list)

    for name, help_text, status in (
        ("mark-sent", _("record that an invoice was sent"), "sent"),
        ("mark-paid", _("record that an invoice was paid"), "paid"),
    ):
        mark = actions.add_parser(name, parents=[db_option], help=help_text, description=help_text)
        mark.add_argument("number", metavar="NUMBER", type=_invoice_number, help=_("its number"))
        mark.set_defaults(handler=_mark, status=status)


def _registry(ctx: Context, args: argparse.Namespace) -> Registry:
    from kommunestyre.services.registry import Registry
    from kommunestyre.services.setup import open_repository

    return Registry(open_repository(ctx.location(args), clock=ctx.clock))


def _run(args: argparse.Namespace, ctx: Context) -> int:
    from kommunestyre.services import invoicing

    result = invoicing.run(_registry(ctx, args), args.cohort, dry_run=args.dry_run)
    if args.dry_run:
        print(_("Dry run, nothing saved. This would happen:"))
    for line in result.lines():
        print(line)
    return 0


def _list(args: argparse.Namespace, ctx: Context) -> int:
    from kommunestyre.services import invoicing

    register = _registry(ctx, args).repository.load()
    if args.json:
        import json

        print(json.dumps(invoicing.as_json(register), ensure_ascii=False, indent=2))
    else:
        print(invoicing.as_text(register))
    return 0


def _mark(args: argparse.Namespace, ctx: Context) -> int:
    from kommunestyre.domain.invoicing import InvoiceStatus
    from kommunestyre.services import invoicing

    document = invoicing.mark(_registry(ctx, args), args.number, InvoiceStatus(args.status))
    print(invoicing.describe(document) + ": " + document.status.label)
    return 0
