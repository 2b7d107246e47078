"""The ``kommunestyre`` command.

Only the standard library is imported at module level: every command imports what it needs
when it runs, so ``kommunestyre headcount`` never loads Textual or Jinja2.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from kommunestyre import __version__, i18n
from kommunestyre.i18n import _
from kommunestyre.terminal import PrintableStream

if TYPE_CHECKING:
    from kommunestyre.clock import Clock
    from kommunestyre.locations import DatabaseLocation

Handler = Callable[[argparse.Namespace, "Context"], int]

#: The exit code after an unexpected error (a bug), as sysexits' EX_SOFTWARE.
UNEXPECTED = 70


class Context:
    """What every command may need, injected so tests can replace it."""

    def __init__(self, clock: Clock | None, environ: Mapping[str, str]) -> None:
        self._clock = clock
        self.environ = environ

    @property
    def clock(self) -> Clock:
        if self._clock is None:
            from kommunestyre.clock import NOW_ENV, clock_from, system_clock

            moment = self.environ.get(NOW_ENV)
            self._clock = clock_from(moment) if moment else system_clock
        return self._clock

    def location(self, args: argparse.Namespace) -> DatabaseLocation:
        from kommunestyre.locations import resolve

        return resolve(getattr(args, "db", None), self.environ)


def _cmd_init(args: argparse.Namespace, ctx: Context) -> int:
    from pathlib import Path

    from kommunestyre.services.setup import init_database

    location = ctx.location(args)
    definition = Path(args.cohorts) if args.cohorts else None
    init_database(location.path, force=args.force, definition=definition, clock=ctx.clock)
    print(_("Created {path} from the programme definition.").format(path=location.path))
    return 0


def _cmd_demo(args: argparse.Namespace, ctx: Context) -> int:
    from kommunestyre.services.demo import create_demo

    location = ctx.location(args)
    create_demo(location.path, force=args.force, clock=ctx.clock)
    print(_("Created the demonstration database {path}.").format(path=location.path))
    if location.explicit:
        print(_("Try: kommunestyre headcount --db {path}").format(path=location.path))
    else:
        print(_("Try: kommunestyre headcount"))
    return 0


def _cmd_headcount(args: argparse.Namespace, ctx: Context) -> int:
    from kommunestyre.services import headcount
    from kommunestyre.services.setup import open_repository

    repository = open_repository(ctx.location(args), clock=ctx.clock)
    register = repository.load()
    now = ctx.clock()
    rows = headcount.select(register, now, args.cohort)
    if args.json:
        import json

        print(json.dumps(headcount.as_json(register, rows, now), ensure_ascii=False, indent=2))
    elif args.cohort is not None:
        print(headcount.detail_text(register, rows[0]))
    else:
        print(headcount.as_text(register, rows, now))
    return 0


def _cmd_app(args: argparse.Namespace, ctx: Context) -> int:
    from kommunestyre.services.registry import Registry
    from kommunestyre.services.setup import open_repository

    registry = Registry(open_repository(ctx.location(args), clock=ctx.clock))
    snapshot = registry.snapshot()  # a damaged database is reported before the screen changes
    from kommunestyre.tui.app import KommunestyreApp  # loaded only for the app

    # Modules and the loaded register live as long as the app. Moving them out of the cyclic
    # collector's sight saves it rescanning tens of thousands of objects during start-up
    # (a fifth of the start with 10,000 participants); reference counting still frees them.
    gc.freeze()
    KommunestyreApp(registry, snapshot=snapshot).run()
    return 0


def _cohort_number(text: str) -> int:
    from kommunestyre.cli_register import cohort_number  # stdlib only at import time

    return cohort_number(text)


def _add_language(parser: argparse.ArgumentParser, default: object = None) -> None:
    parser.add_argument(
        "--lang",
        choices=i18n.LANGUAGES,
        default=default,
        help=_("the interface's language (default: $KOMMUNESTYRE_LANG, else the programme's)"),
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kommunestyre",
        description=_(
            "The coordinators' workbench for Kommunestyret 2030. "
            "Without a command it opens the app."
        ),
        epilog=_(
            "The database is --db PATH, else $KOMMUNESTYRE_DB, else the user data folder "
            "(created from the programme definition on first use)."
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"kommunestyre {__version__}",
        help=_("show program's version number and exit"),
    )
    parser.add_argument("--db", metavar="PATH", help=_("the database file"))
    _add_language(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    # Each command also accepts --db after its name; SUPPRESS keeps it from hiding the global one.
    db_option = argparse.ArgumentParser(add_help=False)
    db_option.add_argument(
        "--db", metavar="PATH", default=argparse.SUPPRESS, help=_("the database file")
    )
    _add_language(db_option, argparse.SUPPRESS)

    init = commands.add_parser(
        "init", parents=[db_option], help=_("create a database from the programme definition")
    )
    init.add_argument("--force", action="store_true", help=_("replace an existing database"))
    init.add_argument(
        "--cohorts",
        metavar="DIR",
        help=_("a programme definition folder (default: the shipped one)"),
    )
    init.set_defaults(handler=_cmd_init)

    demo = commands.add_parser(
        "demo",
        parents=[db_option],
        help=_("create a demonstration database with fictional people"),
    )
    demo.add_argument("--force", action="store_true", help=_("replace an existing database"))
    demo.set_defaults(handler=_cmd_demo)

    count = commands.add_parser(
        "headcount",
        parents=[db_option],
        help=_("directorates, participants and free seats per cohort"),
    )
    count.add_argument(
        "--cohort", type=_cohort_number, metavar="N", help=_("only hold N, in detail")
    )
    count.add_argument("--json", action="store_true", help=_("print the figures as JSON"))
    count.set_defaults(handler=_cmd_headcount)

    from kommunestyre import cli_letters, cli_lists, cli_register  # stdlib only at import time

    cli_register.add_commands(commands, db_option)
    cli_lists.add_commands(commands, db_option)
    cli_letters.add_commands(commands, db_option)
    from kommunestyre import cli_invoices  # stdlib only at import time

    cli_invoices.add_commands(commands, db_option)
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    clock: Clock | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    saved = sys.stdout, sys.stderr  # names, notes and paths are printed as data, never obeyed
    sys.stdout, sys.stderr = PrintableStream(saved[0]), PrintableStream(saved[1])
    try:
        arguments = sys.argv[1:] if argv is None else list(argv)
        environ = os.environ if environ is None else environ
        i18n.choose(_language_flag(arguments), environ)
        argparse._ = i18n._  # type: ignore[attr-defined]  # argparse's own words, translated
        argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]
        parser = build_parser()
        for argument in arguments:
            if "\x00" in argument or any("\ud800" <= c <= "\udfff" for c in argument):
                shown = argument.encode("unicode_escape", "backslashreplace").decode()[:60]
                parser.error(
                    _(
                        "the argument {argument} contains a character no file or name can hold"
                    ).format(argument=repr(shown))
                )
        args = parser.parse_args(arguments)
        ctx = Context(clock, environ)
        return _run_guarded(getattr(args, "handler", _cmd_app), args, ctx)
    finally:
        sys.stdout, sys.stderr = saved


def _language_flag(arguments: list[str]) -> str | None:
    """``--lang`` wherever it stands (it must be known before the help is built)."""
    for i, argument in enumerate(arguments):
        if argument == "--":
            break
        if argument == "--lang" and i + 1 < len(arguments):
            return arguments[i + 1]
        if argument.startswith("--lang="):
            return argument.split("=", 1)[1]
    return None


def _run_guarded(handler: Handler, args: argparse.Namespace, ctx: Context) -> int:
    """Runs one command: every failure becomes one line on stderr and an exit code."""
    from kommunestyre.errors import KommunestyreError

    try:
        return handler(args, ctx)
    except KommunestyreError as error:
        line = f"kommunestyre: {error.title.lower()}: {error}"  # not translated: layout only
        print(line, file=sys.stderr)
        return error.exit_code
    except BrokenPipeError:  # the reader (say, `| head`) has gone: stop quietly
        sys.stderr.close()
        return 0
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        line = f"kommunestyre: {where}{error.strerror or error}"  # not translated: the system's
        print(line, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a bug: one line and a report, never a traceback
        from kommunestyre.crash import one_line

        print(
            one_line(error, f"kommunestyre {getattr(args, 'command', None) or 'app'}"),
            file=sys.stderr,
        )
        return UNEXPECTED


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
