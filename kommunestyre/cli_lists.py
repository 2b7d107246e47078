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
    from kommunestyre.services.registry import ImportReport

IMPORT_PROBLEMS = 3
LIST_KINDS = ("participants", "networks", "invoices", "contacts")


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
    importing.add_argument("file", nargs="?", help=_("the sheet (.csv or .xlsx)"))
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
        "--template",
        metavar="FILE",
        help=_("write an empty sign-up sheet (.xlsx or .csv) with the expected columns"),
    )
    importing.set_defaults(handler=_import)

    export = commands.add_parser(
        "export",
        parents=[db_option],
        help=_("write a list: participants, networks, invoices or contacts"),
    )
    export.add_argument("list", choices=LIST_KINDS, help=_("which list"))
    export.add_argument(
        "--out", required=True, metavar="FILE", help=_("FILE.csv, FILE.xlsx or FILE.md")
    )
    export.add_argument("--cohort", type=cohort_number, metavar="N", help=_("only hold N"))
    export.add_argument("--field", metavar="KEY", help=_("only this professional field"))
    export.add_argument(
        "--comma",
        action="store_true",
        help=_("CSV with commas and decimal points (default: ;)"),
    )
    export.set_defaults(handler=_export)


def print_report(report: ImportReport) -> None:
    from kommunestyre.lists.importer import describe_rows

    plan = report.plan
    for line in describe_rows(plan):
        print(f"  {line}")
    for warning in plan.warnings:
        print("  " + _("note: {warning}").format(warning=warning))
    for problem in plan.problems:
        print("  " + _("problem: {problem}").format(problem=problem))
    if report.outcome:
        print(_("Would result in:") if report.dry_run else _("Result:"))
        for line in report.outcome:
            print(f"  {line}")
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


def _export(args: argparse.Namespace, ctx: Context) -> int:
    from kommunestyre.lists.listings import Selection
    from kommunestyre.services.lists import export_list
    from kommunestyre.services.setup import open_repository

    repository = open_repository(ctx.location(args), clock=ctx.clock)
    path = Path(args.out).expanduser()
    listing = export_list(
        repository, args.list, path, Selection(args.cohort, args.field), comma=args.comma
    )
    n = len(listing.rows)
    print(
        ngettext(
            "Wrote {n} row(s) of {list} to {path}.", "Wrote {n} row(s) of {list} to {path}.", n
        ).format(n=n, list=args.list, path=path)
    )
    return 0
