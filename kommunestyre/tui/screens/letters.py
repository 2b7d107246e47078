"""Letters: choose a letter and its recipients, read every letter before it leaves, see what
the pre-flight found, then export or send in the background, and look in the ledger.

Rendering, export and sending run in thread workers on the app's letter service (which has its
own repository, so a worker never shares the app's record memo). A running export or send can
be cancelled; what had left by then is in the ledger.
"""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import ProgressBar, Select, Static

from kommunestyre.errors import KommunestyreError
from kommunestyre.formats import short_date
from kommunestyre.i18n import N_, _, ngettext
from kommunestyre.letters.batch import state_word
from kommunestyre.letters.calendar import CANCEL
from kommunestyre.letters.catalogue import LETTERS, Filters, letter_kind
from kommunestyre.services.registry import Result, Snapshot
from kommunestyre.tui.html_text import readable
from kommunestyre.tui.modals.confirm import ConfirmModal
from kommunestyre.tui.modals.ledger import CHANNEL_WORDS
from kommunestyre.tui.opener import PrivateFiles, open_file
from kommunestyre.tui.screens.base import BaseScreen
from kommunestyre.tui.widgets.plain import Plain, plain
from kommunestyre.tui.widgets.virtual_table import Column, VirtualTable

if TYPE_CHECKING:
    from kommunestyre.letters.batch import Batch, Letter
    from kommunestyre.letters.delivery import SmtpSettings

#: The recipients' columns (headers in English, marked N_(): VirtualTable shows them through _()).
COLUMNS = [
    Column("state", N_("State"), 8),
    Column("recipient", N_("Recipient")),
    Column("email", N_("E-mail")),
    Column("cohort", N_("Hold"), 4, align_right=True),
    Column("note", N_("Pre-flight"), hide_below=110),
]

#: The row colour of each pre-flight state.
STATE_KIND = {"error": "error", "stale": "warning", "sent": "muted", "skipped": "muted"}


class Job(NamedTuple):
    """An export or send: the selection when it started, and its stop signal."""

    letter: str
    filters: Filters
    skip: tuple[str, ...]
    resend: bool
    stop: threading.Event


def letter_note(letter: Letter) -> str:
    """The pre-flight column: the problem, or when the letter was delivered."""
    if letter.problems:
        return "; ".join(letter.problems)
    if letter.state.value == "skipped":
        return _("skipped on request (x)")
    if letter.delivered is not None:
        d = letter.delivered
        when = f"{short_date(d.at.date())} {d.at:%H:%M}"
        channel = _(CHANNEL_WORDS[d.channel]) if d.channel in CHANNEL_WORDS else d.channel
        if letter.updates and letter.changes:
            changes = "; ".join(change.summary() for change in letter.changes)
            return _("{channel} {when}, changed since: {changes}").format(
                channel=channel, when=when, changes=changes
            )
        if letter.updates:
            return _("{channel} {when}, changed since").format(channel=channel, when=when)
        return f"{channel} {when}"
    return ""


def preview_text(letter: Letter, html: bool) -> Group:
    """One letter as the recipient will get it: the envelope, then the text or the HTML part as
    it reads (headings, lists, tables; never its source)."""
    r = letter.recipient
    out = Text()
    out.append(_("To:"), "bold")
    name, email = r.name or _("(no name)"), r.email or _("no e-mail")
    out.append(f" {name} <{email}>\n")
    out.append(_("Subject:"), "bold")
    out.append(f" {letter.subject}\n")
    if letter.calendar:
        out.append(_("Attachment:"), "bold")
        if letter.calendar[0].method == CANCEL:
            attachment = _("{files} (the meetings' invitations cancelled)")
        else:
            attachment = _("{files} (an invitation per meeting, to accept or decline)")
        files = ", ".join(part.filename for part in letter.calendar)
        out.append(f" {attachment.format(files=files)}\n")
    for sheet in letter.attachments:
        out.append(_("Attachment:"), "bold")
        described = _("{file} (the municipality's own sign-up sheet, to fill in and send back)")
        out.append(f" {described.format(file=sheet.filename)}\n")
    out.append(_("State:"), "bold")
    out.append(f" {state_word(letter.state)}\n", "red" if letter.problems else "")
    for problem in letter.problems:
        out.append(f"  ! {problem}\n", "red")
    if html:
        part = _("HTML as it reads (h switches, o opens it in your browser)")
    else:
        part = _("plain text (h switches)")
    out.append(f"── {part} ──\n", "dim")
    if html:
        return Group(out, readable(letter.html))
    out.append(letter.text)
    return Group(out)


class LettersScreen(BaseScreen):
    MODE = "letters"
    PURPOSE = N_(
        "Letters: choose a letter and its recipients (hold, field, status), step through every "
        "letter as it will be sent, and see the pre-flight (missing values, bad addresses, "
        "duplicates, letters already sent or stale). Export or send only when it is clean; "
        "skip a recipient on purpose with x. The ledger lists what left, stale letters marked."
    )
    BINDINGS = [
        Binding(
            "e",
            "export",
            N_("Export"),
            id="letters.export",
            tooltip=N_("Export .eml files or mbox"),
        ),
        Binding(
            "m", "send", N_("Send"), id="letters.send", tooltip=N_("Send by SMTP (asks first)")
        ),
        Binding(
            "x",
            "skip",
            N_("Skip"),
            id="letters.skip",
            tooltip=N_("Leave the recipient out, or back"),
        ),
        Binding(
            "r",
            "resend",
            N_("Resend"),
            id="letters.resend",
            tooltip=N_("Include letters already delivered (to send an update of a stale one)"),
        ),
        Binding(
            "k",
            "mark_sent",
            N_("Mark sent"),
            id="letters.mark_sent",
            tooltip=N_(
                "Record exported drafts as sent (after sending them from your mail program)"
            ),
        ),
        Binding(
            "h",
            "toggle_html",
            N_("Text/HTML"),
            id="letters.html",
            tooltip=N_("Switch between the plain text and the HTML as it reads"),
        ),
        Binding(
            "o",
            "open_letter",
            N_("Open in browser"),
            id="letters.open",
            show=False,
            tooltip=N_("Open the letter's HTML in your browser"),
        ),
        Binding("n", "step(1)", N_("Next"), show=False),
        Binding("p", "step(-1)", N_("Previous"), show=False),
        Binding(
            "l", "ledger", N_("Ledger"), id="letters.ledger", tooltip=N_("What left, stale marked")
        ),
        Binding(
            "c", "cancel_job", N_("Stop"), id="letters.cancel", tooltip=N_("Stop the running job")
        ),
        # The app's `a` works here too; its footer has no room for it (F1 lists it).
        Binding("a", "app.add_directorate", N_("Add directorate"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.prepared: Batch | None = None
        self.skip: set[str] = set()
        self.resend = False
        self.show_html = False
        self.job: threading.Event | None = None  # set when the running job should stop
        self.smtp: SmtpSettings | None = None  # the last settings used, for this session
        self.opened = PrivateFiles()  # letters opened in the browser; removed on quitting

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="filters"):
            yield Select(
                [(k.title, k.key) for k in LETTERS.values()],
                value=next(iter(LETTERS)),
                allow_blank=False,
                id="letter",
                compact=True,
            )
            yield Select(
                [(_("All cohorts"), 0)],
                value=0,
                allow_blank=False,
                id="letter-cohort",
                compact=True,
            )
            yield Select(
                [(_("All fields"), "")],
                value="",
                allow_blank=False,
                id="letter-field",
                compact=True,
            )
            yield Select([("", "")], value="", allow_blank=False, id="letter-status", compact=True)
        yield Plain(id="preflight", classes="status-line")
        with Horizontal(id="letter-body"):
            yield VirtualTable(COLUMNS, id="recipients")
            with VerticalScroll(id="preview"):
                yield Plain(id="preview-text")
        with Horizontal(id="job"):
            yield Plain(id="job-label")
            yield ProgressBar(id="job-progress", show_eta=False)

    def on_mount(self) -> None:
        programme = self.kapp.snapshot.register.programme
        self.query_one("#letter-cohort", Select).set_options(
            [
                (_("All cohorts"), 0),
                *(
                    (_("Hold {number}").format(number=c.number), c.number)
                    for c in programme.cohorts
                ),
            ]
        )
        self.query_one("#letter-field", Select).set_options(
            [(_("All fields"), ""), *((plain(f.label), f.key) for f in programme.fields)]
        )
        self._set_statuses()
        self.query_one("#job").display = False
        self.table.focus()

    @property
    def table(self) -> VirtualTable:
        return self.query_one(VirtualTable)

    # -- choosing ----------------------------------------------------------------------------------

    def _set_statuses(self) -> None:
        kind = letter_kind(str(self.query_one("#letter", Select).value))
        status = self.query_one("#letter-status", Select)
        status.set_options(
            [(_("Recipients: {status}").format(status=_(s)), s) for s in kind.statuses]
        )
        status.value = kind.statuses[0]

    @on(Select.Changed, "#letter")
    def letter_changed(self) -> None:
        self.skip.clear()
        self.resend = False
        self._set_statuses()
        self.refresh_batch()

    @on(Select.Changed, "#letter-cohort, #letter-field, #letter-status")
    def filters_changed(self) -> None:
        self.refresh_batch()

    def selection(self) -> tuple[str, Filters]:
        cohort = self.query_one("#letter-cohort", Select).value
        field = self.query_one("#letter-field", Select).value
        status = self.query_one("#letter-status", Select).value
        return str(self.query_one("#letter", Select).value), Filters(
            cohort=cohort if isinstance(cohort, int) and cohort else None,
            field=str(field) or None,
            status=str(status) or None,
        )

    def show(self, snapshot: Snapshot) -> None:
        self.refresh_batch()

    def refresh_batch(self) -> None:
        """Render and check the chosen letters again (in a worker; the newest request wins)."""
        letter, filters = self.selection()
        self.query_one("#preflight", Static).update(_("Checking…"))
        self._prepare(letter, filters, tuple(sorted(self.skip)), self.resend)

    @work(thread=True, exclusive=True, group="prepare")
    def _prepare(self, letter: str, filters: Filters, skip: tuple[str, ...], resend: bool) -> None:
        try:
            batch = self.kapp.letters.prepare(letter, filters, skip=skip, resend=resend)
        except KommunestyreError as error:
            self.app.call_from_thread(self._prepare_failed, error)
            return
        self.app.call_from_thread(self.show_batch, batch)

    def _prepare_failed(self, error: KommunestyreError) -> None:
        self.prepared = None
        self.table.set_rows([], [])
        self.query_one("#preflight", Static).update(
            Text(_("Cannot prepare: {error}").format(error=error), "red")
        )
        self.notify(str(error), title=error.title, severity="error")

    def show_batch(self, batch: Batch) -> None:
        self.prepared = batch
        keys, rows, kinds = [], [], []
        for letter in batch.letters:
            r = letter.recipient
            keys.append(r.key)
            rows.append(
                (
                    state_word(letter.state),
                    r.label,
                    r.email,
                    str(r.cohort or ""),
                    letter_note(letter),
                )
            )
            kinds.append(STATE_KIND.get(letter.state.value, ""))
        cursor = self.table.cursor_key
        self.table.set_rows(keys, rows, kinds)
        if cursor in keys:
            self.table.move_cursor_to(cursor)
        self._show_preflight()
        self.show_preview()

    def _show_preflight(self) -> None:
        batch = self.prepared
        if batch is None:
            return
        line = Text(f"{batch.kind.title}: {batch.summary()}. ")
        if not batch.letters:
            line.append(_("No recipients match."), "yellow")
        elif not batch.clean:
            failed = len(batch.errors)
            line.append(
                ngettext(
                    "Pre-flight failed for {n}: fix them or skip them (x).",
                    "Pre-flight failed for {n}: fix them or skip them (x).",
                    failed,
                ).format(n=failed),
                "red",
            )
            if batch.kind.key == "invitation":
                line.append(" " + _("Contacts (8) holds who invitations go to."))
        elif batch.outgoing:
            ready = len(batch.outgoing)
            line.append(
                ngettext(
                    "Clean: {n} ready to export or send.",
                    "Clean: {n} ready to export or send.",
                    ready,
                ).format(n=ready),
                "green",
            )
            from kommunestyre.letters.batch import State  # loaded with the batch already

            drafts = batch.count(State.EXPORTED)
            if drafts:
                line.append(
                    " "
                    + ngettext(
                        "{n} of them exported before, not marked as sent (k).",
                        "{n} of them exported before, not marked as sent (k).",
                        drafts,
                    ).format(n=drafts)
                )
        elif stale := sum(1 for x in batch.letters if x.state.value == "stale"):
            line.append(
                ngettext(
                    "{n} changed since it was sent: r sends the update ('Ændret:').",
                    "{n} changed since they were sent: r sends the updates ('Ændret:').",
                    stale,
                ).format(n=stale),
                "yellow",
            )
        else:
            line.append(_("Nothing left to send (r includes letters already delivered)."))
        if self.resend:
            line.append("  " + _("Resend is on."), "bold")
        self.query_one("#preflight", Static).update(line)

    # -- the letter under the cursor ---------------------------------------------------------------

    def current(self) -> Letter | None:
        if self.prepared is None:
            return None
        key = self.table.cursor_key
        return next((x for x in self.prepared.letters if x.recipient.key == key), None)

    @on(VirtualTable.RowHighlighted)
    def show_preview(self) -> None:
        letter = self.current()
        text = self.query_one("#preview-text", Static)
        if letter is None:
            text.update("")
            return
        if letter.state.value == "skipped":
            text.update(
                Text(
                    _("{recipient} is skipped; x takes them back.").format(
                        recipient=letter.recipient.label
                    )
                )
            )
            return
        text.update(preview_text(letter, self.show_html))
        self.query_one("#preview", VerticalScroll).scroll_home(animate=False)

    def action_step(self, step: int) -> None:
        self.table.action_cursor(step)

    def action_toggle_html(self) -> None:
        self.show_html = not self.show_html
        self.show_preview()

    def action_open_letter(self) -> None:
        """The letter under the cursor in the browser: its HTML written into a private folder
        that is removed when the app quits."""
        from kommunestyre.letters.delivery import safe_name

        letter = self.current()
        if letter is None:
            self.app.bell()
            return
        name = f"{safe_name(letter.recipient.label) or 'brev'}.html"  # not translated: a name
        try:
            path = self.opened.write(name, letter.html)
        except OSError as error:
            self.notify(str(error), title=_("File error"), severity="error")
            return
        if open_file(path):
            self.notify(_("Opening in your browser: {path}").format(path=path), timeout=4)
        else:
            self.notify(
                _(
                    "No browser can be started from this terminal. The letter is at {path} "
                    "until you quit."
                ).format(path=path),
                timeout=10,
            )

    def on_unmount(self) -> None:
        self.opened.remove()

    def action_skip(self) -> None:
        letter = self.current()
        if letter is None:
            self.app.bell()
            return
        key = letter.recipient.key
        if key in self.skip:
            self.skip.discard(key)
        else:
            self.skip.add(key)
        self.refresh_batch()

    def action_resend(self) -> None:
        self.resend = not self.resend
        self.notify(
            _("Resend on: letters delivered before go out again.")
            if self.resend
            else _("Resend off: letters delivered before are left out."),
            timeout=3,
        )
        self.refresh_batch()

    def action_ledger(self) -> None:
        self._load_ledger()

    def action_mark_sent(self) -> None:
        """The exported drafts of this selection were sent from the coordinator's mail program."""
        from kommunestyre.letters.batch import State

        batch = self.prepared
        drafts = batch.count(State.EXPORTED) if batch is not None else 0
        if batch is None or not drafts:
            self.notify(_("No exported letter here is waiting to be marked as sent."), timeout=4)
            return
        letter, filters = self.selection()

        skip = tuple(sorted(self.skip))

        def mark() -> Result:
            marked = self.kapp.letters.mark_sent(letter, filters, skip=skip)
            return Result(
                ngettext(
                    "Marked {n} letter(s) as sent.", "Marked {n} letter(s) as sent.", marked
                ).format(n=marked)
            )

        def answered(yes: bool | None) -> None:
            if yes:
                self.kapp.apply(mark)

        text = ngettext(
            "Record {n} exported '{letter}' letter(s) as sent?\nDo this once you have sent the "
            "drafts from your mail program: they will not go out again.",
            "Record {n} exported '{letter}' letter(s) as sent?\nDo this once you have sent the "
            "drafts from your mail program: they will not go out again.",
            drafts,
        ).format(n=drafts, letter=letter)
        mark_as_sent = _("Mark as sent")
        self.app.push_screen(ConfirmModal(mark_as_sent, text, yes=mark_as_sent), answered)

    @work(thread=True, exclusive=True, group="ledger")
    def _load_ledger(self) -> None:
        from kommunestyre.tui.modals.ledger import LedgerScreen

        try:
            lines = self.kapp.letters.ledger()
        except KommunestyreError as error:
            self.app.call_from_thread(self.notify, str(error), title=error.title, severity="error")
            return
        self.app.call_from_thread(self.app.push_screen, LedgerScreen(lines))

    # -- export and send ---------------------------------------------------------------------------

    def _ready(self) -> Batch | None:
        """The batch, if it may go out now; else say why."""
        batch = self.prepared
        if self.job is not None:
            self.notify(_("A job is running; wait for it or stop it (c)."), severity="warning")
        elif batch is None:
            self.notify(_("The letters are still being prepared."), severity="warning")
        elif not batch.clean:
            failed = len(batch.errors)
            self.notify(
                ngettext(
                    "The pre-flight found problems for {n} recipient(s). Fix the data, or skip "
                    "those recipients with x.",
                    "The pre-flight found problems for {n} recipient(s). Fix the data, or skip "
                    "those recipients with x.",
                    failed,
                ).format(n=failed),
                title=_("Nothing leaves"),
                severity="error",
            )
        elif not batch.outgoing:
            self.notify(_("Nothing to send: press r to include letters already delivered."))
        else:
            return batch
        self.app.bell()
        return None

    def action_export(self) -> None:
        from kommunestyre.tui.modals.delivery_forms import ExportForm
        from kommunestyre.tui.modals.pickers import remember

        batch = self._ready()
        if batch is None:
            return
        stamp = datetime.now().strftime("%Y-%m-%d-%H%M")
        leaf = f"{batch.kind.key}-{stamp}"
        last = self.kapp.last_folder
        folder = last / leaf if last else Path.home() / "kommunestyre-breve" / leaf
        count = len(batch.outgoing)
        heading = ngettext(
            "Export {n} letter(s): {letter}", "Export {n} letter(s): {letter}", count
        ).format(n=count, letter=batch.kind.title)

        def chosen(choice: tuple[str, Path] | None) -> None:
            if choice is not None:
                remember(self.app, choice[1].parent)
                self._export(choice[0], choice[1], self._start(_("Exporting… (c stops)")))

        self.app.push_screen(ExportForm(heading, folder), chosen)

    def action_send(self) -> None:
        from kommunestyre.tui.modals.delivery_forms import SendForm

        batch = self._ready()
        if batch is None:
            return
        count = len(batch.outgoing)

        def chosen(choice: tuple[SmtpSettings, str | None] | None) -> None:
            if choice is None:
                return
            settings, password = choice
            self.smtp = settings
            if settings.user:
                text = ngettext(
                    "'{letter}' goes to {n} recipient(s) via {server} ({security}) as {user}. "
                    "Sent letters cannot be called back.",
                    "'{letter}' goes to {n} recipient(s) via {server} ({security}) as {user}. "
                    "Sent letters cannot be called back.",
                    count,
                )
            else:
                text = ngettext(
                    "'{letter}' goes to {n} recipient(s) via {server} ({security}). "
                    "Sent letters cannot be called back.",
                    "'{letter}' goes to {n} recipient(s) via {server} ({security}). "
                    "Sent letters cannot be called back.",
                    count,
                )
            confirm = ConfirmModal(
                ngettext("Send {n} letter(s)?", "Send {n} letter(s)?", count).format(n=count),
                text.format(
                    letter=batch.kind.title,
                    n=count,
                    server=settings.address,
                    security=settings.security,
                    user=settings.user,
                ),
                yes=_("Send"),
            )

            def answered(yes: bool | None) -> None:
                if yes:
                    self._send(settings, password, self._start(_("Sending… (c stops)")))

            self.app.push_screen(confirm, answered)

        heading = ngettext(
            "Send {n} letter(s) by e-mail", "Send {n} letter(s) by e-mail", count
        ).format(n=count)
        self.app.push_screen(SendForm(heading, self.smtp), chosen)

    def _start(self, label: str) -> Job:
        """Show the progress bar under ``label``; the job carries the selection as it is now."""
        self.job = threading.Event()
        self.refresh_bindings()  # c (stop) appears
        self.kapp.running_jobs.add(self.job)  # a SIGTERM or SIGHUP stops it too
        self.query_one("#job").display = True
        self.query_one("#job-label", Static).update(f"{label} ")
        self.query_one(ProgressBar).update(total=None, progress=0)
        letter, filters = self.selection()
        return Job(letter, filters, tuple(sorted(self.skip)), self.resend, self.job)

    def _fresh_batch(self, job: Job) -> Batch:
        """The selection prepared again right before it leaves, in case the data changed."""
        batch = self.kapp.letters.prepare(job.letter, job.filters, skip=job.skip, resend=job.resend)
        if not batch.clean:
            raise KommunestyreError(
                _("the data changed and the pre-flight now finds problems; nothing left")
            )
        return batch

    def _progress(self, done: int, total: int) -> None:
        """Called from the worker: the bar moves in steps of 1 %, not per letter."""
        if done == total or done % max(1, total // 100) == 0:
            bar = self.query_one(ProgressBar)
            self.app.call_from_thread(bar.update, total=total, progress=done)

    @work(thread=True, exclusive=True, group="delivery")
    def _export(self, fmt: str, folder: Path, job: Job) -> None:
        try:
            batch = self._fresh_batch(job)
            report = self.kapp.letters.export(
                batch, folder, fmt, progress=self._progress, cancelled=job.stop.is_set
            )
        except KommunestyreError as error:
            self.app.call_from_thread(self._finished, str(error), "error")
            return
        except OSError as error:
            self.app.call_from_thread(self._finished, f"{folder}: {error.strerror}", "error")
            return
        exported = len(report.deliveries)
        self.app.call_from_thread(
            self._finished,
            ngettext(
                "Exported {n} letter(s) to {folder} as drafts (manifest.csv lists them). Once "
                "sent from your mail program, k marks them as sent.",
                "Exported {n} letter(s) to {folder} as drafts (manifest.csv lists them). Once "
                "sent from your mail program, k marks them as sent.",
                exported,
            ).format(n=exported, folder=report.folder),
            "information",
        )

    @work(thread=True, exclusive=True, group="delivery")
    def _send(self, settings: SmtpSettings, password: str | None, job: Job) -> None:
        try:
            batch = self._fresh_batch(job)
            report = self.kapp.letters.send(
                batch, settings, password, progress=self._progress, cancelled=job.stop.is_set
            )
        except KommunestyreError as error:
            self.app.call_from_thread(self._finished, str(error), "error")
            return
        lines = [f"{report.summary()}."]
        for item, reason in report.failed[:5]:
            lines.append(f"{item.letter.recipient.label}: {reason}")
        if len(report.failed) > 5:
            more = len(report.failed) - 5
            lines.append(
                ngettext(
                    "… and {n} more (see the ledger for what left)",
                    "… and {n} more (see the ledger for what left)",
                    more,
                ).format(n=more)
            )
        for item, reason in report.uncertain[:5]:
            lines.append(
                _(
                    "{recipient}: {reason}; it may have arrived (not sent again unless you "
                    "resend it)"
                ).format(recipient=item.letter.recipient.label, reason=reason)
            )
        severity = (
            "error"
            if report.failed
            else "warning"
            if report.cancelled or report.uncertain
            else "information"
        )
        self.app.call_from_thread(self._finished, "\n".join(lines), severity)

    def _finished(self, message: str, severity: str) -> None:
        if self.job is not None:
            self.kapp.running_jobs.discard(self.job)
        self.job = None
        self.refresh_bindings()
        self.query_one("#job").display = False
        title = _("Letters") if severity != "error" else _("Letters: not done")
        self.notify(message, title=title, severity=severity, timeout=10)  # type: ignore[arg-type]
        self.kapp.reload()  # the ledger changed: this screen prepares again, showing what left

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`c` (stop) is in the footer only while an export or a send runs."""
        if action == "cancel_job":
            return self.job is not None
        return True

    def action_cancel_job(self) -> None:
        if self.job is None:
            return
        self.job.set()
        self.query_one("#job-label", Static).update(_("Stopping after the current letter…") + " ")
