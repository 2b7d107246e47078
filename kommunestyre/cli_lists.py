"""``kommunestyre import`` (registrations from a sheet) and ``kommunestyre export`` (lists).

Standard library only at import time; openpyxl is loaded only for an .xlsx file.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from kommunestyre.cli_register import cohort_number
from kommunestyre.i18n import _, ngettext

if TYPE_CHECKING:
    from kommunestyre.cli import Context
    from kommunestyre.lists.importer import Report
    from kommunestyre.services.registry import Registry


IMPORT_PROBLEMS = 3
LIST_KINDS = (
    "participants", "networks", "invoices", "contacts", "rooms", "diets", "badges", "signin",
)  # fmt: skip


def _row_numbers(text: str) -> list[int]:
    parts = [part for part in text.replace(" ", "").split(",") if part]
    if not all(p.isascii() and p.isdigit() and len(p) <= 7 for p in parts):
        shown = text if len(text) <= 30 else text[:30] + "…"
        raise argparse.ArgumentTypeError(
            _("{text}: row numbers separated by commas").format(text=repr(shown))
        )
    return [int(part) for part in parts]


def add_commands(commands: argparse._SubParsersAction, db_option: argparse.ArgumentParser) -> None:
    importing = commands.add_parser(
        "import",
        parents=[db_option],
        help=_("import registrations from a CSV or XLSX sheet (all rows or none)"),
        description=_(
            "Rows are grouped by municipality into directorates and admitted in row order. "
            "Nothing is saved unless every row is valid; --dry-run only reports."
        ),
    )
    importing.add_argument(
        "file",
        nargs="?",
        help=_(
            "the sheet (.csv or .xlsx); or replies by mail with sign-up sheets attached: an "
            "mbox file, a folder of .eml files, or one .eml file"
        ),
    )
    importing.add_argument(
        "--contacts",
        action="store_true",
        help=_("the sheet holds municipality contacts (kommune, navn, titel, e-mail, noter)"),
    )
    importing.add_argument(
        "--cohort",
        type=cohort_number,
        metavar="N",
        help=_("hold N for rows without a hold column"),
    )
    importing.add_argument("--dry-run", action="store_true", help=_("report, save nothing"))
    importing.add_argument(
        "--exclude-rows",
        type=_row_numbers,
        default=[],
        metavar="ROWS",
        help=_("leave these rows out, e.g. 5,9"),
    )
    importing.add_argument(
        "--exclude-replies",
        type=_row_numbers,
        default=[],
        metavar="REPLIES",
        help=_("replies by mail: leave these replies out, by their number in the report, e.g. 2,5"),
    )
    importing.add_argument(
        "--template",
        metavar="FILE",
        help=_("write an empty sign-up sheet (.xlsx or .csv) with the expected columns"),
    )
    importing.set_defaults(handler=_import)

    export = commands.add_parser(
        "export",
        parents=[db_option],
        help=_(
            "write a list: participants, networks, invoices, contacts, rooms, diets, badges or "
            "signin (sign-in sheet)"
        ),
        description=_(
            "The file name decides the format: .csv, .xlsx, .md or .pdf (print-ready A4: "
            "badges in a grid, a sign-in sheet with a line per participant, other lists as "
            "a table)."
        ),
    )
    export.add_argument("list", choices=LIST_KINDS, help=_("which list"))
    export.add_argument(
        "--out", required=True, metavar="FILE", help=_("FILE.csv, FILE.xlsx, FILE.md or FILE.pdf")
    )
    export.add_argument("--cohort", type=cohort_number, metavar="N", help=_("only hold N"))
    export.add_argument("--field", metavar="KEY", help=_("only this professional field"))
    export.add_argument(
        "--meeting",
        choices=("seminar", "followup"),
        help=_("signin: the meeting (default: seminar); diets: only this meeting"),
    )
    export.add_argument(
        "--comma",
        action="store_true",
        help=_("CSV with commas and decimal points (default: ;)"),
    )
    export.set_defaults(handler=_export)


def print_report(report: Report) -> None:
    plan = report.plan
    for line in plan.report_lines():
        indent = "  " * line.depth
        if line.kind == "heading":
            print(f"{indent}{line.text}")
        elif line.kind == "note":
            print(f"{indent}  " + _("note: {warning}").format(warning=line.text))
        elif line.kind == "problem":
            print(f"{indent}  " + _("problem: {problem}").format(problem=line.text))
        else:
            print(f"{indent}  {line.text}")
    if report.outcome:
        print(_("Would result in:") if report.dry_run else _("Result:"))
        for outcome in report.outcome:
            print(f"  {outcome}")
    print(_("Import: {summary}.").format(summary=plan.summary()))


def _write_template(path: Path) -> int:
    from kommunestyre.lists.importer import TEMPLATE_HEADERS
    from kommunestyre.lists.listings import Listing
    from kommunestyre.lists.writers import write_listing

    write_listing(Listing("template", "Tilmelding", TEMPLATE_HEADERS, []), path)
    print(_("Wrote an empty sign-up sheet to {path}.").format(path=path))
    return 0


def _import(args: argparse.Namespace, ctx: Context) -> int:
    from kommunestyre.errors import ValidationError
    from kommunestyre.services.registry import ImportRejected, Registry
    from kommunestyre.services.setup import open_repository

    if args.template:
        return _write_template(Path(args.template).expanduser())
    if not args.file:
        raise ValidationError("file", _("name the sheet to import (or --template FILE)"))
    registry = Registry(open_repository(ctx.location(args), clock=ctx.clock))
    path = Path(args.file).expanduser()
    if args.contacts:
        return _import_contacts(args, registry, path)
    from kommunestyre.lists.replies import is_mail_source

    if is_mail_source(path):
        return _import_replies(args, registry, path)
    if args.exclude_replies:
        raise ValidationError(
            "exclude_replies",
            _("--exclude-replies is for replies by mail (an mbox file or a folder of .eml files)"),
        )
    options = {"cohort": args.cohort, "exclude": args.exclude_rows}
    if args.dry_run:
        report = registry.preview_import(path, **options)
        print_report(report)
        if not report.plan.clean:
            print(
                _(
                    "Nothing would be imported: correct the rows, or leave them out with "
                    "--exclude-rows."
                )
            )
            return IMPORT_PROBLEMS
        print(_("Dry run: nothing was saved."))
        return 0
    try:
        report = registry.import_registrations(path, **options)
    except ImportRejected as rejected:
        print_report(rejected.report)
        print(_("Nothing was imported: correct the rows, or leave them out with --exclude-rows."))
        return IMPORT_PROBLEMS
    print_report(report)
    print(_("Saved.") if report.saved else _("Nothing new: every row is registered already."))
    return 0


def _import_contacts(args: argparse.Namespace, registry: Registry, path: Path) -> int:
    from kommunestyre.errors import ValidationError
    from kommunestyre.services.imports import ImportRefused, import_contacts, preview_contacts

    if args.cohort is not None or args.exclude_replies:
        raise ValidationError(
            "contacts", _("--contacts takes neither --cohort nor --exclude-replies")
        )
    try:
        if args.dry_run:
            report: Report = preview_contacts(registry, path, exclude=args.exclude_rows)
        else:
            report = import_contacts(registry, path, exclude=args.exclude_rows)
    except ImportRefused as refused:
        report = refused.report
    print_report(report)
    if not report.plan.clean:
        print(
            _("Nothing would be imported: correct the rows, or leave them out with --exclude-rows.")
            if args.dry_run
            else _("Nothing was imported: correct the rows, or leave them out with --exclude-rows.")
        )
        return IMPORT_PROBLEMS
    if args.dry_run:
        print(_("Dry run: nothing was saved."))
    else:
        print(
            _("Saved.") if report.saved else _("Nothing new: every contact is as the sheet says.")
        )
    return 0


def _import_replies(args: argparse.Namespace, registry: Registry, path: Path) -> int:
    from kommunestyre.errors import ValidationError
    from kommunestyre.services.imports import ImportRefused, import_replies, preview_replies

    if args.exclude_rows:
        raise ValidationError(
            "exclude_rows",
            _(
                "replies by mail are left out whole: use --exclude-replies with the reply's "
                "number (or save the sheet and import it on its own)"
            ),
        )
    options = {"exclude": args.exclude_replies, "cohort": args.cohort}
    try:
        if args.dry_run:
            report: Report = preview_replies(registry, path, **options)
        else:
            report = import_replies(registry, path, **options)
    except ImportRefused as refused:
        report = refused.report
    print_report(report)
    if not report.plan.clean:
        print(
            _(
                "Nothing would be imported: correct the sheets, or leave replies out with "
                "--exclude-replies."
            )
            if args.dry_run
            else _(
                "Nothing was imported: correct the sheets, or leave replies out with "
                "--exclude-replies."
            )
        )
        return IMPORT_PROBLEMS
    if args.dry_run:
        print(_("Dry run: nothing was saved."))
    else:
        print(_("Saved.") if report.saved else _("Nothing new: every row is registered already."))
    return 0


def _export(args: argparse.Namespace, ctx: Context) -> int:
    from kommunestyre.lists.listings import Selection
    from kommunestyre.services.lists import export_list
    from kommunestyre.services.setup import open_repository

    repository = open_repository(ctx.location(args), clock=ctx.clock)
    path = Path(args.out).expanduser()
    listing = export_list(
        repository,
        args.list,
        path,
        Selection(args.cohort, args.field, args.meeting),
        comma=args.comma,
    )
    n = len(listing.rows)
    print(
        ngettext(
            "Wrote {n} row(s) of {list} to {path}.", "Wrote {n} row(s) of {list} to {path}.", n
        ).format(n=n, list=args.list, path=path)
    )
    return 0
