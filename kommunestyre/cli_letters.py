"""``kommunestyre letters ...``: list, preview, export and send letters, and read the ledger.

Imported only when a letters command runs (it brings Jinja2 and the email package).
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from kommunestyre.cli_register import cohort_number
from kommunestyre.letters import PASSWORD_ENV  # a constant: loads nothing else

if TYPE_CHECKING:
    from kommunestyre.cli import Context
    from kommunestyre.letters.batch import Batch
    from kommunestyre.services.letters import LetterService

PREFLIGHT_FAILED = 3
SOME_FAILED = 4
STOPPED = 130  # stopped by ctrl+c or a signal, cleanly


def add_commands(commands: argparse._SubParsersAction, db_option: argparse.ArgumentParser) -> None:
    letters = commands.add_parser("letters", help="preview, check, export and send letters")
    verbs = letters.add_subparsers(dest="verb", metavar="VERB", required=True)

    common = argparse.ArgumentParser(add_help=False, parents=[db_option])
    common.add_argument("--templates", metavar="DIR", help="your own templates (override by name)")

    selection = argparse.ArgumentParser(add_help=False, parents=[common])
    selection.add_argument(
        "letter", help="invitation, confirmation, waitlist, practical or followup"
    )
    selection.add_argument(
        "--cohort", type=cohort_number, metavar="N", help="only recipients in hold N"
    )
    selection.add_argument("--field", metavar="KEY", help="only participants of this field")
    selection.add_argument("--status", help="which recipients (see `letters list`)")
    selection.add_argument(
        "--skip", action="append", default=[], metavar="EMAIL", help="leave this recipient out"
    )
    selection.add_argument(
        "--resend", action="store_true", help="include letters already delivered (updates)"
    )

    verbs.add_parser("list", parents=[common], help="the letters and who they go to").set_defaults(
        handler=_list
    )
    preview = verbs.add_parser("preview", parents=[selection], help="show a letter as rendered")
    preview.add_argument("--to", metavar="EMAIL", help="the letter for this recipient")
    preview.add_argument("--html", action="store_true", help="show the HTML body")
    preview.set_defaults(handler=_preview)

    exporter = verbs.add_parser("export", parents=[selection], help="write .eml files or an mbox")
    exporter.add_argument("--format", choices=("eml", "mbox"), required=True)
    exporter.add_argument("--out", metavar="DIR", required=True, help="a new or empty folder")
    exporter.set_defaults(handler=_export)

    sender = verbs.add_parser(
        "send", parents=[selection], help="send over SMTP (dry run unless --send)"
    )
    sender.add_argument("--smtp-host", required=True)
    sender.add_argument("--smtp-port", type=int)
    sender.add_argument("--security", choices=("starttls", "ssl", "none"), default="starttls")
    sender.add_argument("--smtp-user", help=f"log in as this user; password from ${PASSWORD_ENV}")
    sender.add_argument("--smtp-ca", metavar="FILE", help="also trust this CA certificate")
    sender.add_argument("--rate", type=float, metavar="N", help="at most N messages a minute")
    sender.add_argument("--send", action="store_true", help="really send (default: dry run)")
    sender.set_defaults(handler=_send)

    marker = verbs.add_parser(
        "mark-sent",
        parents=[selection],
        help="record exported letters as sent (after sending them from your mail program)",
    )
    marker.set_defaults(handler=_mark_sent)

    verbs.add_parser(
        "ledger", parents=[common], help="what was exported and sent, and what is stale"
    ).set_defaults(handler=_ledger)


def _service(args: argparse.Namespace, ctx: Context) -> LetterService:
    from kommunestyre.services.letters import LetterService
    from kommunestyre.services.setup import open_repository

    templates = Path(args.templates).expanduser() if args.templates else None
    return LetterService(open_repository(ctx.location(args), clock=ctx.clock), templates)


def _batch(args: argparse.Namespace, service: LetterService) -> Batch:
    from kommunestyre.letters.catalogue import Filters, letter_kind

    kind = letter_kind(args.letter)
    if args.status is not None and args.status not in kind.statuses:
        from kommunestyre.errors import ValidationError

        choices = ", ".join(repr(s) for s in kind.statuses)
        raise ValidationError("--status", f"{args.status!r} is not one of {choices}")
    filters = Filters(cohort=args.cohort, field=args.field, status=args.status)
    workers = min(4, os.cpu_count() or 1)  # the command line has no threads: forking is safe
    return service.prepare(
        args.letter, filters, skip=tuple(args.skip), resend=args.resend, workers=workers
    )


def _report(batch: Batch) -> None:
    """The pre-flight: a line per problem and per stale letter; the rest as counts."""
    from kommunestyre.letters.batch import State

    for letter in batch.letters:
        r = letter.recipient
        if letter.state is State.ERROR:
            for problem in letter.problems:
                print(f"  problem  {r.label} <{r.email or '-'}>: {problem}")
        elif letter.state is State.STALE:
            print(f"  STALE    {r.label} <{r.email}>: changed since it was sent; --resend updates")
    if batch.count(State.SENT):
        print(f"  {batch.count(State.SENT)} already sent and unchanged (--resend repeats them)")
    if batch.count(State.EXPORTED):
        print(
            f"  {batch.count(State.EXPORTED)} exported before but not marked as sent: they go "
            "out again (letters mark-sent records drafts you sent yourself)"
        )
    if batch.count(State.SKIPPED):
        print(f"  {batch.count(State.SKIPPED)} skipped on request")
    print(f"Pre-flight, {batch.kind.key}: {batch.summary()}.")


def _stop_if_unclean(batch: Batch) -> None:
    if not batch.clean:
        from kommunestyre.errors import KommunestyreError

        error = KommunestyreError(
            f"pre-flight failed for {len(batch.errors)} recipient(s); nothing was written or "
            "sent (correct them, or leave them out with --skip EMAIL)"
        )
        error.title = "Pre-flight"
        error.exit_code = PREFLIGHT_FAILED
        raise error


def _list(args: argparse.Namespace, ctx: Context) -> int:
    from kommunestyre.letters.catalogue import LETTERS, Filters

    service = _service(args, ctx)
    print(f"{'Letter':<13} {'Goes to':<30} {'Now':>4}  Statuses")
    for kind in LETTERS.values():
        batch = service.prepare(kind.key, Filters())
        calendar = " +.ics" if kind.calendar else ""
        statuses = ", ".join(kind.statuses)
        print(f"{kind.key:<13} {kind.audience + calendar:<30} {len(batch.letters):>4}  {statuses}")
    where = service.own_templates or "the built-in templates"
    print(f"\nTemplates: {where}. Preview one with: kommunestyre letters preview LETTER")
    return 0


def _preview(args: argparse.Namespace, ctx: Context) -> int:
    from kommunestyre.errors import UnknownRecord

    batch = _batch(args, _service(args, ctx))
    letters = batch.letters
    if args.to:
        letters = [
            letter
            for letter in letters
            if args.to.casefold() in (letter.recipient.email.casefold(), letter.recipient.key)
        ]
        if not letters:
            raise UnknownRecord(f"{args.to} is not among the recipients of this letter")
    if not letters:
        print("No recipients match.")
        return 0
    letter = letters[0]
    r = letter.recipient
    print(f"To: {r.name} <{r.email}>   ({r.label}, {len(batch.letters)} recipient(s) in all)")
    print(f"Subject: {letter.subject}")
    if letter.calendar:
        print(f"Attachment: {letter.calendar.filename}")
    print()
    print(letter.html if args.html else letter.text)
    _report(batch)
    return 0 if batch.clean else PREFLIGHT_FAILED


def _export(args: argparse.Namespace, ctx: Context) -> int:
    service = _service(args, ctx)
    batch = _batch(args, service)
    _report(batch)
    _stop_if_unclean(batch)
    if not batch.outgoing:
        print("Nothing to export: every letter was sent already (use --resend to repeat).")
        return 0
    report = service.export(batch, Path(args.out).expanduser(), args.format)
    print(
        f"Exported {len(report.deliveries)} letter(s) to {report.folder} as drafts (manifest.csv "
        "lists them). Once you have sent them from your mail program: "
        f"kommunestyre letters mark-sent {batch.kind.key}"
    )
    return 0


def _mark_sent(args: argparse.Namespace, ctx: Context) -> int:
    from kommunestyre.letters.catalogue import Filters

    service = _service(args, ctx)
    filters = Filters(cohort=args.cohort, field=args.field, status=args.status)
    marked = service.mark_sent(args.letter, filters, skip=tuple(args.skip))
    if not marked:
        print("Nothing to mark: no exported letter is waiting to be marked as sent.")
    else:
        print(f"Marked {marked} exported '{args.letter}' letter(s) as sent.")
    return 0


def _password(args: argparse.Namespace, ctx: Context) -> str | None:
    if not args.smtp_user:
        return None
    if ctx.environ.get(PASSWORD_ENV):
        return ctx.environ[PASSWORD_ENV]
    if sys.stdin.isatty():
        return getpass.getpass(f"Password for {args.smtp_user} at {args.smtp_host}: ")
    from kommunestyre.errors import ValidationError

    raise ValidationError("password", f"set {PASSWORD_ENV} or run in a terminal to be asked")


def _send(args: argparse.Namespace, ctx: Context) -> int:
    from kommunestyre.letters.delivery import SmtpSettings

    settings = SmtpSettings(
        host=args.smtp_host,
        port=args.smtp_port,
        security=args.security,
        user=args.smtp_user,
        ca_file=Path(args.smtp_ca) if args.smtp_ca else None,
        per_minute=args.rate,
    ).checked()
    service = _service(args, ctx)
    batch = _batch(args, service)
    _report(batch)
    _stop_if_unclean(batch)
    if not batch.outgoing:
        print("Nothing to send: every letter was sent already (use --resend to repeat).")
        return 0
    if not args.send:
        print(
            f"Dry run: {len(batch.outgoing)} letter(s) would be sent via {settings.address}. "
            "Add --send to send them."
        )
        return 0
    password = _password(args, ctx)
    with stop_requests() as stop:
        report = service.send(batch, settings, password, cancelled=stop.is_set)
    for item, reason in report.failed:
        r = item.letter.recipient
        print(f"  failed   {r.label} <{r.email}>: {reason}")
    for item, reason in report.uncertain:
        r = item.letter.recipient
        print(
            f"  UNSURE   {r.label} <{r.email}>: {reason}; it may have arrived (--resend sends it)"
        )
    print(f"Sent via {settings.address}: {report.summary()}.")
    if report.cancelled:
        print(
            "Stopped on request: every letter sent so far is in the ledger; run again for the rest."
        )
        return STOPPED
    return SOME_FAILED if report.failed or report.uncertain else 0


@contextmanager
def stop_requests() -> Iterator[threading.Event]:
    """ctrl+c, SIGTERM and SIGHUP (the terminal closing) ask a send to stop after the message
    in hand, which is then in the ledger: a rerun sends exactly the rest. A second ctrl+c stops
    at once."""
    stop = threading.Event()
    signals = [s for s in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, s)]
    previous = {name: signal.getsignal(getattr(signal, name)) for name in signals}

    from kommunestyre.letters.delivery import HANDING_OVER

    def say(text: str) -> None:  # never raises: the terminal may be gone (SIGHUP)
        with contextlib.suppress(OSError):
            os.write(2, f"\n{text}\n".encode())

    def asked(number: int, frame: object) -> None:
        if stop.is_set() and number == signal.SIGINT:
            if not HANDING_OVER.is_set():
                raise KeyboardInterrupt
            say("Finishing the letter in hand (it is being recorded)…")
            return
        stop.set()
        say("Stopping after the letter being sent…")

    for name in signals:
        signal.signal(getattr(signal, name), asked)
    try:
        yield stop
    finally:
        for name, handler in previous.items():
            signal.signal(getattr(signal, name), handler)


def _ledger(args: argparse.Namespace, ctx: Context) -> int:
    lines = _service(args, ctx).ledger()
    if not lines:
        print("No letters have been delivered yet.")
        return 0
    print(f"{'When':<16} {'Letter':<13} {'How':<7} {'Status':<9} {'State':<10} Recipient")
    for line in lines:
        d = line.delivery
        who = d.email or "(erased)"
        print(
            f"{d.at:%d.%m.%Y %H:%M} {d.letter:<13} {d.channel:<7} {d.status:<9} "
            f"{line.state:<10} {who}"
        )
    stale = sum(1 for line in lines if line.state == "stale")
    if stale:
        print(f"\n{stale} letter(s) are stale: the data behind them changed. Resend with --resend.")
    return 0
