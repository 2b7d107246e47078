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
from kommunestyre.formats import short_date
from kommunestyre.i18n import N_, _, ngettext, pgettext
from kommunestyre.letters import PASSWORD_ENV  # a constant: loads nothing else

if TYPE_CHECKING:
    from kommunestyre.cli import Context
    from kommunestyre.letters.batch import Batch
    from kommunestyre.services.letters import LetterService

PREFLIGHT_FAILED = 3
SOME_FAILED = 4
STOPPED = 130  # stopped by ctrl+c or a signal, cleanly

#: The ledger's values in words (the values themselves are keys; eml, mbox and smtp read the
#: same in both languages).
LEDGER_WORDS = {
    "current": N_("current"),
    "stale": N_("stale"),
    "superseded": N_("superseded"),
    "gone": N_("gone"),
    "marked": N_("marked"),
    "exported": N_("exported"),
    "sent": N_("sent"),
    "uncertain": N_("uncertain"),
}


def _word(key: str) -> str:
    return _(LEDGER_WORDS[key]) if key in LEDGER_WORDS else key


def add_commands(commands: argparse._SubParsersAction, db_option: argparse.ArgumentParser) -> None:
    letters = commands.add_parser("letters", help=_("preview, check, export and send letters"))
    verbs = letters.add_subparsers(dest="verb", metavar="VERB", required=True)

    common = argparse.ArgumentParser(add_help=False, parents=[db_option])
    common.add_argument(
        "--templates", metavar="DIR", help=_("your own templates (override by name)")
    )

    selection = argparse.ArgumentParser(add_help=False, parents=[common])
    selection.add_argument(
        "letter",
        help=_("which letter: invitation, confirmation, cancellation, ... (see `letters list`)"),
    )
    selection.add_argument(
        "--cohort", type=cohort_number, metavar="N", help=_("only recipients in hold N")
    )
    selection.add_argument("--field", metavar="KEY", help=_("only participants of this field"))
    selection.add_argument("--status", help=_("which recipients (see `letters list`)"))
    selection.add_argument(
        "--skip", action="append", default=[], metavar="EMAIL", help=_("leave this recipient out")
    )
    selection.add_argument(
        "--resend", action="store_true", help=_("include letters already delivered (updates)")
    )

    verbs.add_parser(
        "list", parents=[common], help=_("the letters and who they go to")
    ).set_defaults(handler=_list)
    preview = verbs.add_parser("preview", parents=[selection], help=_("show a letter as rendered"))
    preview.add_argument("--to", metavar="EMAIL", help=_("the letter for this recipient"))
    preview.add_argument("--html", action="store_true", help=_("show the HTML body"))
    preview.set_defaults(handler=_preview)

    exporter = verbs.add_parser(
        "export", parents=[selection], help=_("write .eml files or an mbox")
    )
    exporter.add_argument("--format", choices=("eml", "mbox"), required=True)
    exporter.add_argument("--out", metavar="DIR", required=True, help=_("a new or empty folder"))
    exporter.set_defaults(handler=_export)

    sender = verbs.add_parser(
        "send", parents=[selection], help=_("send over SMTP (dry run unless --send)")
    )
    sender.add_argument("--smtp-host", required=True)
    sender.add_argument("--smtp-port", type=int)
    sender.add_argument("--security", choices=("starttls", "ssl", "none"), default="starttls")
    sender.add_argument(
        "--smtp-user",
        help=_("log in as this user; password from ${variable}").format(variable=PASSWORD_ENV),
    )
    sender.add_argument("--smtp-ca", metavar="FILE", help=_("also trust this CA certificate"))
    sender.add_argument("--rate", type=float, metavar="N", help=_("at most N messages a minute"))
    sender.add_argument("--send", action="store_true", help=_("really send (default: dry run)"))
    sender.set_defaults(handler=_send)

    marker = verbs.add_parser(
        "mark-sent",
        parents=[selection],
        help=_("record exported letters as sent (after sending them from your mail program)"),
    )
    marker.set_defaults(handler=_mark_sent)

    verbs.add_parser(
        "ledger", parents=[common], help=_("what was exported and sent, and what is stale")
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
        raise ValidationError(
            "--status",
            _("{status} is not one of {choices}").format(status=repr(args.status), choices=choices),
        )
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
                print(
                    "  "
                    + _("problem  {who} <{email}>: {problem}").format(
                        who=r.label, email=r.email or "-", problem=problem
                    )
                )
        elif letter.state is State.STALE:
            print(
                "  "
                + _("STALE    {who} <{email}>: changed since it was sent; --resend updates").format(
                    who=r.label, email=r.email
                )
            )
    if n := batch.count(State.SENT):
        print(
            "  "
            + ngettext(
                "{n} already sent and unchanged (--resend repeats them)",
                "{n} already sent and unchanged (--resend repeats them)",
                n,
            ).format(n=n)
        )
    if n := batch.count(State.EXPORTED):
        print(
            "  "
            + ngettext(
                "{n} exported before but not marked as sent: they go out again "
                "(letters mark-sent records drafts you sent yourself)",
                "{n} exported before but not marked as sent: they go out again "
                "(letters mark-sent records drafts you sent yourself)",
                n,
            ).format(n=n)
        )
    if n := batch.count(State.SKIPPED):
        print("  " + ngettext("{n} skipped on request", "{n} skipped on request", n).format(n=n))
    print(
        _("Pre-flight, {letter}: {summary}.").format(letter=batch.kind.key, summary=batch.summary())
    )


def _stop_if_unclean(batch: Batch) -> None:
    if not batch.clean:
        from kommunestyre.errors import KommunestyreError

        n = len(batch.errors)
        error = KommunestyreError(
            ngettext(
                "pre-flight failed for {n} recipient(s); nothing was written or sent "
                "(correct them, or leave them out with --skip EMAIL)",
                "pre-flight failed for {n} recipient(s); nothing was written or sent "
                "(correct them, or leave them out with --skip EMAIL)",
                n,
            ).format(n=n)
        )
        error.title = N_("Pre-flight")
        error.exit_code = PREFLIGHT_FAILED
        raise error


def _list(args: argparse.Namespace, ctx: Context) -> int:
    from kommunestyre.letters.catalogue import LETTERS, Filters

    service = _service(args, ctx)
    audiences = {
        key: kind.audience + (" +.ics" if kind.calendar else "") for key, kind in LETTERS.items()
    }
    width = max(30, *(len(audience) for audience in audiences.values()))
    letter, goes_to, now, statuses = _("Letter"), _("Goes to"), _("Now"), _("Statuses")
    print(f"{letter:<13} {goes_to:<{width}} {now:>4}  {statuses}")
    for key, kind in LETTERS.items():
        count = len(service.prepare(kind.key, Filters()).letters)
        print(f"{key:<13} {audiences[key]:<{width}} {count:>4}  {', '.join(kind.statuses)}")
    where = service.own_templates or _("the built-in templates")
    print()
    print(
        _("Templates: {where}. Preview one with: kommunestyre letters preview LETTER").format(
            where=where
        )
    )
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
            raise UnknownRecord(
                _("{email} is not among the recipients of this letter").format(email=args.to)
            )
    if not letters:
        print(_("No recipients match."))
        return 0
    letter = letters[0]
    r = letter.recipient
    n = len(batch.letters)
    print(
        ngettext(
            "To: {name} <{email}>   ({who}, {n} recipient(s) in all)",
            "To: {name} <{email}>   ({who}, {n} recipient(s) in all)",
            n,
        ).format(name=r.name, email=r.email, who=r.label, n=n)
    )
    print(_("Subject: {subject}").format(subject=letter.subject))
    if letter.calendar:
        files = ", ".join(part.filename for part in letter.calendar)
        print(_("Attachment: {file}").format(file=files))
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
        print(_("Nothing to export: every letter was sent already (use --resend to repeat)."))
        return 0
    report = service.export(batch, Path(args.out).expanduser(), args.format)
    n = len(report.deliveries)
    print(
        ngettext(
            "Exported {n} letter(s) to {folder} as drafts (manifest.csv lists them). Once you "
            "have sent them from your mail program: kommunestyre letters mark-sent {letter}",
            "Exported {n} letter(s) to {folder} as drafts (manifest.csv lists them). Once you "
            "have sent them from your mail program: kommunestyre letters mark-sent {letter}",
            n,
        ).format(n=n, folder=report.folder, letter=batch.kind.key)
    )
    return 0


def _mark_sent(args: argparse.Namespace, ctx: Context) -> int:
    from kommunestyre.letters.catalogue import Filters

    service = _service(args, ctx)
    filters = Filters(cohort=args.cohort, field=args.field, status=args.status)
    marked = service.mark_sent(args.letter, filters, skip=tuple(args.skip))
    if not marked:
        print(_("Nothing to mark: no exported letter is waiting to be marked as sent."))
    else:
        print(
            ngettext(
                "Marked {n} exported '{letter}' letter(s) as sent.",
                "Marked {n} exported '{letter}' letter(s) as sent.",
                marked,
            ).format(n=marked, letter=args.letter)
        )
    return 0


def _password(args: argparse.Namespace, ctx: Context) -> str | None:
    if not args.smtp_user:
        return None
    if ctx.environ.get(PASSWORD_ENV):
        return ctx.environ[PASSWORD_ENV]
    if sys.stdin.isatty():
        return getpass.getpass(
            _("Password for {user} at {host}: ").format(user=args.smtp_user, host=args.smtp_host)
        )
    from kommunestyre.errors import ValidationError

    raise ValidationError(
        "password",
        _("set {variable} or run in a terminal to be asked").format(variable=PASSWORD_ENV),
    )


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
        print(_("Nothing to send: every letter was sent already (use --resend to repeat)."))
        return 0
    if not args.send:
        n = len(batch.outgoing)
        print(
            ngettext(
                "Dry run: {n} letter(s) would be sent via {server}. Add --send to send them.",
                "Dry run: {n} letter(s) would be sent via {server}. Add --send to send them.",
                n,
            ).format(n=n, server=settings.address)
        )
        return 0
    password = _password(args, ctx)
    with stop_requests() as stop:
        report = service.send(batch, settings, password, cancelled=stop.is_set)
    for item, reason in report.failed:
        r = item.letter.recipient
        print(
            "  "
            + _("failed   {who} <{email}>: {reason}").format(
                who=r.label, email=r.email, reason=reason
            )
        )
    for item, reason in report.uncertain:
        r = item.letter.recipient
        print(
            "  "
            + _(
                "UNSURE   {who} <{email}>: {reason}; it may have arrived (--resend sends it)"
            ).format(who=r.label, email=r.email, reason=reason)
        )
    print(
        _("Sent via {server}: {summary}.").format(server=settings.address, summary=report.summary())
    )
    if report.cancelled:
        print(
            _(
                "Stopped on request: every letter sent so far is in the ledger; "
                "run again for the rest."
            )
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
            say(_("Finishing the letter in hand (it is being recorded)…"))
            return
        stop.set()
        say(_("Stopping after the letter being sent…"))

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
        print(_("No letters have been delivered yet."))
        return 0
    when, letter, how = _("When"), _("Letter"), pgettext("ledger column", "How")
    status, state, recipient = _("Status"), _("State"), _("Recipient")
    print(f"{when:<16} {letter:<13} {how:<7} {status:<9} {state:<10} {recipient}")
    for line in lines:
        d = line.delivery
        who = d.email or _("(erased)")
        print(
            f"{short_date(d.at.date())} {d.at:%H:%M} {d.letter:<13} {_word(d.channel):<7} "
            f"{_word(d.status):<9} {_word(line.state):<10} {who}"
        )
    stale = sum(1 for line in lines if line.state == "stale")
    if stale:
        print()
        print(
            ngettext(
                "{n} letter(s) are stale: the data behind them changed. Resend with --resend.",
                "{n} letter(s) are stale: the data behind them changed. Resend with --resend.",
                stale,
            ).format(n=stale)
        )
    return 0
