"""The coordinators' workbench: a thin client of the registry service.

The app holds one snapshot of the register; screens draw from it. Every change goes through
:meth:`KommunestyreApp.apply`, which saves at once, reloads, and tells the user what happened
(including promotions from waiting lists). A timer notices when another process has written
the database and reloads.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.markup import escape
from textual.notifications import SeverityLevel
from textual.screen import Screen

from kommunestyre.errors import ConflictError, KommunestyreError
from kommunestyre.i18n import N_, _, ngettext
from kommunestyre.letters.notices import Facts, programme_facts
from kommunestyre.services.registry import Registry, Result, Snapshot
from kommunestyre.tui.flows import Flows
from kommunestyre.tui.language import translate_bindings
from kommunestyre.tui.modals.help import HelpScreen
from kommunestyre.tui.screens.base import (
    SCREEN_LABELS,
    SCREENS,
    BaseScreen,
    key_label,
    offered_keys,
)
from kommunestyre.tui.screens.cohort import CohortScreen
from kommunestyre.tui.screens.contacts import ContactsScreen
from kommunestyre.tui.screens.history import HistoryScreen
from kommunestyre.tui.screens.letters import LettersScreen
from kommunestyre.tui.screens.networks import NetworksScreen
from kommunestyre.tui.screens.overview import OverviewScreen
from kommunestyre.tui.screens.pricing import PricingScreen
from kommunestyre.tui.screens.register import RegisterScreen
from kommunestyre.tui.widgets.plain import printable

if TYPE_CHECKING:
    from kommunestyre.services.letters import LetterService

ErrorHandler = Callable[[KommunestyreError], None]


def letter_service_beside(registry: Registry) -> LetterService:
    """The default letter service: its own repository on the registry's database (its workers
    run in threads and must not share the app's record memo)."""
    from kommunestyre.services.letters import LetterService
    from kommunestyre.services.setup import separate_repository

    return LetterService(separate_repository(registry.repository))


class KommunestyreApp(App[None]):
    TITLE = "kommunestyre"
    CSS_PATH = "app.tcss"
    MODES = {
        "overview": OverviewScreen,
        "register": RegisterScreen,
        "cohort": CohortScreen,
        "networks": NetworksScreen,
        "pricing": PricingScreen,
        "letters": LettersScreen,
        "contacts": ContactsScreen,
        "history": HistoryScreen,
    }
    BINDINGS = [
        *(
            Binding(key, f"switch_mode('{mode}')", label, show=False, id=f"screen.{mode}")
            for mode, key, label in SCREENS
        ),
        Binding(
            "a",
            "add_directorate",
            N_("Add directorate"),
            id="app.add_directorate",
            tooltip=N_("Register a municipality's directorate"),
        ),
        Binding(
            "f1",
            "help",
            N_("Help"),
            id="app.help",
            tooltip=N_("Every key, and what each screen is for"),
        ),
        Binding(
            "ctrl+r",
            "reload",
            N_("Reload"),
            show=False,
            id="app.reload",
            tooltip=N_("Read the database again"),
        ),
        Binding("ctrl+q", "quit", N_("Quit"), id="app.quit", priority=True),
        Binding(
            "ctrl+p",
            "command_palette",
            N_("palette"),
            show=False,
            priority=True,
            tooltip=N_("Open the command palette"),
        ),
    ]

    def __init__(
        self,
        registry: Registry,
        *,
        letters: Callable[[], LetterService] | None = None,
        snapshot: Snapshot | None = None,
        poll_seconds: float = 2.0,
    ) -> None:
        translate_bindings()  # the keys in the language in use, before any widget reads them
        super().__init__()
        self.registry = registry
        self.poll_seconds = poll_seconds
        self.snapshot: Snapshot = snapshot or registry.snapshot()
        self.current_cohort = self.snapshot.register.programme.cohorts[0].number
        #: The folder last chosen or written into (a picker opens there; see pickers.py).
        self.last_folder: Path | None = None
        self.flows = Flows(self)
        self._letter_service = letters or partial(letter_service_beside, registry)
        self._letters: LetterService | None = None
        #: The stop signals of running exports and sends (the letters screen adds and removes).
        self.running_jobs: set[threading.Event] = set()
        self._signals: list[int] = []

    def on_mount(self) -> None:
        self.switch_mode("overview")
        self.set_interval(self.poll_seconds, self.check_for_changes)
        loop = asyncio.get_running_loop()
        for name in ("SIGTERM", "SIGHUP"):  # a kill, or the terminal window closing
            number = getattr(signal, name, None)
            if number is not None:
                # Windows' event loop has no signal handlers (it raises NotImplementedError),
                # nor has a loop outside the main thread: there, closing the window ends the
                # process as the system does, and ctrl+c still stops a job (see letters).
                with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                    loop.add_signal_handler(number, self.stop_and_exit)
                    self._signals.append(number)

    def on_unmount(self) -> None:
        loop = asyncio.get_running_loop()
        for number in self._signals:
            loop.remove_signal_handler(number)
        self._signals.clear()

    def stop_and_exit(self) -> None:
        """SIGTERM or SIGHUP: like pressing `c`, a running export or send stops after the letter
        in hand (which is then in the ledger); then the app ends."""
        for job in self.running_jobs:
            job.set()
        self.run_worker(self._exit_after_jobs(), group="exit", exclusive=True)

    async def _exit_after_jobs(self) -> None:
        running = [w for w in self.workers if w.group == "delivery"]
        await self.workers.wait_for_complete(running)
        self.exit()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification is plain text: it quotes names, notes and file names."""
        super().notify(
            printable(message), title=title, severity=severity, timeout=timeout, markup=False
        )

    def _handle_exception(self, error: Exception) -> None:
        """A bug: the app stops with one line and a crash report without personal data, never
        a traceback with its values (names and addresses) on the terminal."""
        from kommunestyre.crash import one_line

        self._return_code = 1
        if self._exception is None:  # a Pilot test sees the error itself
            self._exception = error
            self._exception_event.set()
        screen = getattr(self.screen, "MODE", type(self.screen).__name__)
        self.exit(
            return_code=1, message=one_line(error, _("the app, {screen}").format(screen=screen))
        )

    # -- data ----------------------------------------------------------------------------------

    def reload(self) -> None:
        self.snapshot = self.registry.snapshot()
        for screen in self.screen_stack:
            if isinstance(screen, BaseScreen):
                screen.refresh_if_stale()

    def show_record(self, kind: str, record_id: int) -> None:
        """Put the current screen's cursor and focus on a record a change just made."""
        if isinstance(self.screen, BaseScreen):
            self.screen.show_record(kind, record_id)

    def check_for_changes(self) -> None:
        """Reload when someone else (another coordinator, a CLI import) wrote the database."""
        try:
            changed = self.registry.has_changed(self.snapshot)
            if changed:
                self.reload()
        except KommunestyreError as error:
            self.notify(str(error), title=error.title, severity="error")
            return
        if changed:
            self.notify(_("The register was changed elsewhere; showing the latest."), timeout=4)

    def apply(
        self, action: Callable[[], Result], on_error: ErrorHandler | None = None
    ) -> Result | None:
        """Run one change, save it, reload, and say what happened.

        A stale save is refused and the data reloaded; then it, like any other error, goes to
        ``on_error`` (a form reopens with what was typed and the reason) or is shown here. The
        app keeps running.
        """
        before = programme_facts(self.snapshot.register.programme)
        try:
            result = action()
        except ConflictError as error:
            self.bell()
            self.reload()
            if on_error is not None:
                on_error(error)
            else:
                self.notify(str(error), title=error.title, severity="error", timeout=8)
            return None
        except KommunestyreError as error:
            self.bell()
            if on_error is not None:
                on_error(error)
            else:
                self.notify(str(error), title=error.title, severity="error", timeout=8)
            return None
        except OSError as error:
            self.bell()
            self.notify(
                f"{error.filename or ''} {error.strerror or error}",
                title=_("File error"),
                severity="error",
            )
            return None
        self.reload()
        self.notify(result.message, title=_("Saved"))
        for line in result.promotions:
            self.notify(line, title=_("Promoted from the waiting list"), timeout=8)
        self._tell_stale_letters(before)
        return result

    def _tell_stale_letters(self, before: Facts) -> None:
        """A change of a cohort's dates, times, venues or deadline makes the letters that
        stated them stale: say how many. Counted from the facts the ledger keeps with each
        letter (no letter is rendered); the ledger is read only when a cohort's facts changed."""
        from kommunestyre.services.standing import stale_after_change

        try:
            count = stale_after_change(self.registry.repository, before, self.snapshot.register)
        except KommunestyreError as error:
            self.notify(str(error), title=error.title, severity="error")
            return
        if count:
            self.notify(
                ngettext(
                    "{n} letter is now out of date – see Letters (7)",
                    "{n} letters are now out of date – see Letters (7)",
                    count,
                ).format(n=count),
                title=_("Letters"),
                severity="warning",
                timeout=10,
            )

    @property
    def letters(self) -> LetterService:
        """The letter service, made on first use (it loads Jinja2 and the mail modules)."""
        if self._letters is None:
            self._letters = self._letter_service()
        return self._letters

    # -- actions -------------------------------------------------------------------------------

    def open_cohort(self, number: int) -> None:
        """Show one cohort on the cohort screen (which redraws itself when it resumes)."""
        self.current_cohort = number
        self.switch_mode("cohort")

    def action_add_directorate(self) -> None:
        self.flows.add_directorate()

    def action_reload(self) -> None:
        self.reload()
        self.notify(_("Reloaded."))

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self))

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(
                CommandPalette(placeholder=_("Search for commands…"), id="--command-palette")
            )

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette offers what F1 lists: the app's keys (every screen among them) and the
        keys of the screen you are on, read from the same bindings (``offered_keys``), in the
        coordinator's words (searching "venteliste" finds the waiting-list action), and
        Textual's own commands that no key of ours already covers. The palette reads a
        command's help as markup: a key such as ``[`` is escaped."""
        app_keys = offered_keys(self)
        covered = [getattr(self, f"action_{binding.action}", None) for binding in app_keys]
        for command in super().get_system_commands(screen):
            if command.callback not in covered:
                yield command._replace(title=_(command.title), help=_(command.help))
        for binding in app_keys:
            key = key_label(binding)
            if binding.id and binding.id.startswith("screen."):
                title = _("Go to {screen}").format(screen=binding.description)
                where = _("Screen {key}").format(key=key)
            else:
                title, where = binding.description, binding.tooltip or key
            yield SystemCommand(title, escape(where), partial(self.run_action, binding.action))
        if isinstance(screen, BaseScreen):
            for binding in offered_keys(screen):
                where = binding.tooltip or _("{screen} screen ({key})").format(
                    screen=_(SCREEN_LABELS[screen.MODE]), key=key_label(binding)
                )
                yield SystemCommand(
                    binding.description, escape(where), partial(screen.run_action, binding.action)
                )
