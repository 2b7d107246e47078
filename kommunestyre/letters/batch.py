"""Render a whole batch of letters and check every one before anything is written or sent.

The pre-flight reports, per recipient: template errors (naming the missing variable), required
values that are empty, unusable addresses, unsafe header text, duplicate recipients, and what the
ledger says (already delivered, or delivered and since changed: stale).
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import re
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from jinja2 import Template, TemplateError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from kommunestyre.domain.model import Programme, Register
from kommunestyre.domain.validation import validate_email
from kommunestyre.errors import ValidationError
from kommunestyre.i18n import N_, _, ngettext
from kommunestyre.letters.calendar import CANCEL, CalendarFile, Invitations
from kommunestyre.letters.catalogue import Filters, LetterKind, Recipient, calendars_sent, value_at
from kommunestyre.letters.environment import TooCostly, render_bounded
from kommunestyre.letters.ledger import Delivery, invitations
from kommunestyre.letters.mail import Attachment, address, check_header
from kommunestyre.letters.notices import (
    CHANGED_PREFIX,
    FactChange,
    letter_cohorts,
    letter_facts,
    letter_lines,
    programme_facts,
    what_changed,
)
from kommunestyre.store.storage import gc_paused


class State(StrEnum):
    READY = "ready"
    EXPORTED = "exported"  # written to a file before, never marked as sent: goes out again
    ERROR = "error"
    SENT = "sent"  # sent before, unchanged: skipped unless resending
    STALE = "stale"  # sent before, but the data behind it changed: resend to update
    SKIPPED = "skipped"  # left out on purpose


#: Each state in words (``State.value`` is the CLI's and the ledger's English word).
STATE_WORDS: dict[State, str] = {
    State.READY: N_("ready"),
    State.EXPORTED: N_("exported"),
    State.ERROR: N_("error"),
    State.SENT: N_("sent"),
    State.STALE: N_("stale"),
    State.SKIPPED: N_("skipped"),
}


def state_word(state: State) -> str:
    """``state`` as the coordinator reads it, in the language in use."""
    return _(STATE_WORDS[state])


@dataclass(slots=True)
class Letter:
    """One rendered letter and what the pre-flight found."""

    recipient: Recipient
    subject: str = ""
    text: str = ""
    html: str = ""
    calendar: tuple[CalendarFile, ...] = ()  # one part per meeting (see letters.calendar)
    attachments: tuple[Attachment, ...] = ()  # files it carries (an invitation's sheet)
    content_hash: str = ""
    problems: list[str] = field(default_factory=list)
    state: State = State.READY
    delivered: Delivery | None = None
    #: What the letter says about its cohorts (recorded in the ledger with it).
    facts: dict[str, dict[str, str]] = field(default_factory=dict)
    #: An update of a letter delivered before (stale): what changed since, per its facts.
    changes: list[FactChange] = field(default_factory=list)
    #: The letter sent before whose content differs from this one's: this is its update.
    replaces: Delivery | None = None

    @property
    def updates(self) -> bool:
        """It updates a letter sent before: its subject begins "Ændret: "."""
        return self.replaces is not None

    @property
    def goes_out(self) -> bool:
        return self.state is State.READY or self.state is State.EXPORTED


@dataclass(slots=True)
class Batch:
    kind: LetterKind
    letters: list[Letter]
    made_at: datetime
    programme: Programme

    @property
    def errors(self) -> list[Letter]:
        return [letter for letter in self.letters if letter.state is State.ERROR]

    @property
    def clean(self) -> bool:
        """Nothing may go out while any recipient has a problem (skip them explicitly)."""
        return not self.errors

    @property
    def outgoing(self) -> list[Letter]:
        return [letter for letter in self.letters if letter.goes_out]

    def count(self, state: State) -> int:
        return sum(1 for letter in self.letters if letter.state is state)

    def summary(self) -> str:
        count = len(self.letters)
        parts = [ngettext("{n} recipient(s)", "{n} recipient(s)", count).format(n=count)]
        parts += [f"{self.count(s)} {state_word(s)}" for s in State if self.count(s)]
        return ", ".join(parts)


_BLANK_LINES = re.compile(r"\n{3,}")


def _tidy(text: str) -> str:
    """Template whitespace aside, at most one blank line in a row, and one final newline."""
    return _BLANK_LINES.sub("\n\n", text.strip()) + "\n"


def _template_line(error: BaseException) -> str:
    """Where in a template the error happened: Jinja maps the failing frame to the template's
    file and line in the traceback it re-raises."""
    name = getattr(error, "name", None) or getattr(error, "filename", None)
    line = getattr(error, "lineno", None)
    if not (name and line):
        for frame in reversed(traceback.extract_tb(error.__traceback__)):
            if frame.filename.endswith((".txt", ".html")):
                name, line = Path(frame.filename).name, frame.lineno
                break
    if not (name and line):
        return ""
    return " " + _("({template}, line {line})").format(template=name, line=line)


def template_problem(error: BaseException) -> str:
    """One line for the pre-flight: what went wrong in which template, and where."""
    where = _template_line(error)
    if isinstance(error, UndefinedError):  # names the variable: "'x' is undefined"
        return _("template error{where}: {detail}").format(where=where, detail=error.message)
    if isinstance(error, TooCostly):
        return _("template stopped{where}: {detail}").format(where=where, detail=error)
    if isinstance(error, SecurityError):
        return _("template refused by the sandbox{where}: {detail}").format(
            where=where, detail=error
        )
    if isinstance(error, RecursionError):
        return _(
            "template error{where}: it calls itself without end (a macro, or extends itself)"
        ).format(where=where)
    if isinstance(error, MemoryError):
        return _("template error{where}: it needs more memory than there is").format(where=where)
    detail = str(error) or type(error).__name__
    return _("template error{where}: {detail}").format(where=where, detail=detail[:200])


class Renderer:
    """Renders one kind of letter with the templates of one environment."""

    def __init__(self, environment: ImmutableSandboxedEnvironment, kind: LetterKind) -> None:
        self.kind = kind
        self.templates: dict[str, Template] = {}
        self.load_error: str | None = None
        try:
            for part, name in (
                ("subject", f"{kind.key}.subject.txt"),
                ("text", f"{kind.key}.txt"),
                ("html", f"{kind.key}.html"),
            ):
                self.templates[part] = environment.get_template(name)
        except (TemplateError, RecursionError) as error:
            self.load_error = template_problem(error)

    def render(self, letter: Letter, context: dict[str, object] | None = None) -> None:
        """Render ``letter`` (with ``context`` instead of its recipient's, if given)."""
        if self.load_error:
            letter.problems.append(self.load_error)
            return
        if context is None:
            context = letter.recipient.context
        try:
            subject = render_bounded(self.templates["subject"], context)
            letter.subject = " ".join(subject.split())
            letter.text = _tidy(render_bounded(self.templates["text"], context))
            letter.html = render_bounded(self.templates["html"], context).strip() + "\n"
        except Exception as error:  # a coordinator's template can raise anything
            letter.problems.append(template_problem(error))


# -- rendering on several cores ------------------------------------------------------------------
# A forked worker inherits the compiled templates and every recipient's context, so nothing but
# the finished strings crosses between processes. Only for callers without threads (the CLI): a
# fork of a threaded process (the app) could inherit a held lock.

PARALLEL_FROM = 400  # below this, starting a worker costs more than it saves
_job: tuple[Renderer, list[Letter]] | None = None


def _render_slice(bounds: tuple[int, int]) -> list[tuple[str, str, str, list[str]]]:
    assert _job is not None
    renderer, letters = _job
    done = []
    with gc_paused():  # a collection would touch every inherited object (copy-on-write)
        for letter in letters[bounds[0] : bounds[1]]:
            renderer.render(letter)
            done.append((letter.subject, letter.text, letter.html, letter.problems))
    return done


def _forked(bounds: tuple[int, int]) -> tuple[int, int]:
    """Render ``bounds`` in a child process; returns its pid and the pipe to read from."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: render, send the strings, leave without any cleanup
        status = 1
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as pipe:
                pickle.dump(_render_slice(bounds), pipe, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return pid, read_end


def render_all(renderer: Renderer, letters: list[Letter], workers: int = 1) -> None:
    """Render every letter; with ``workers`` > 1, large batches are split across processes.

    A child that fails for any reason is not trusted: its share is rendered here instead.
    """
    global _job
    if workers <= 1 or len(letters) < PARALLEL_FROM or not hasattr(os, "fork"):
        for letter in letters:
            renderer.render(letter)
        return
    size = -(-len(letters) // workers)
    bounds = [(start, min(start + size, len(letters))) for start in range(0, len(letters), size)]
    _job = (renderer, letters)
    gc.freeze()  # what exists now is shared with the children, and never collected by them
    try:
        children = [(b, *_forked(b)) for b in bounds[1:]]
        _render_slice(bounds[0])
        for (start, end), pid, read_end in children:
            with os.fdopen(read_end, "rb") as pipe:
                data = pipe.read()
            _pid, status = os.waitpid(pid, 0)
            if status != 0 or not data:
                for letter in letters[start:end]:
                    renderer.render(letter)
                continue
            for letter, (subject, text, html, problems) in zip(
                letters[start:end], pickle.loads(data), strict=True
            ):
                letter.subject, letter.text, letter.html = subject, text, html
                letter.problems.extend(problems)
    finally:
        _job = None
        gc.unfreeze()


# -- the pre-flight's words: who, what, and where to correct it -----------------------------------
# The coordinator reads these, not the templates' variable names: "no EAN number for Vejle
# Kommune (invoice): fix it on the Cohort screen (i)". The keys are those of the screens' forms.

FIX_CONTACT = N_("fix it on the Contacts screen (e)")
FIX_PARTICIPANT = N_("fix it on the Register screen (e)")
FIX_INVOICE = N_("fix it on the Cohort screen (i)")


def _fixed(problem: str, fix: str) -> str:
    """A problem and where to correct it, as one line."""
    return _("{problem}: {fix}").format(problem=problem, fix=_(fix))


def _where_to_fix(recipient: Recipient) -> str:
    """The form that corrects the recipient's name and e-mail address."""
    return FIX_CONTACT if recipient.source == "contact" else FIX_PARTICIPANT


def _shows_well(text: str) -> bool:
    """Can ``text`` (a name) be quoted in a problem? Not when it is what is wrong."""
    try:
        check_header(text, "")
    except ValidationError:
        return False
    return bool(text.strip())


def who(recipient: Recipient, *, with_name: bool = True) -> str:
    """The recipient as the pre-flight names them: "Tina Kristensen (Kolding Kommune)",
    "Mette Hansen (contact, Aarhus Kommune)", or "Aarhus Kommune (contact)" without a name."""
    municipality = recipient.municipality or recipient.label
    name = recipient.name.strip() if with_name and _shows_well(recipient.name) else ""
    if recipient.source == "contact":
        if name:
            return _("{name} (contact, {municipality})").format(
                name=name, municipality=municipality
            )
        return _("{municipality} (contact)").format(municipality=municipality)
    if name:
        return _("{name} ({municipality})").format(name=name, municipality=municipality)
    return _("{municipality} (participant)").format(municipality=municipality)


def _missing(recipient: Recipient, path: str) -> str:
    """A required value that is empty, in the coordinator's words."""
    if path == "recipient.name":
        problem = _("no name for {who}").format(who=who(recipient, with_name=False))
        return _fixed(problem, _where_to_fix(recipient))
    if path == "invoice.ean":
        municipality = recipient.municipality or recipient.label
        problem = _("no EAN number for {municipality} (invoice)").format(municipality=municipality)
        return _fixed(problem, FIX_INVOICE)
    return _("{value} is empty").format(value=path)  # a value no form edits


def _check(letter: Letter, kind: LetterKind) -> None:
    recipient = letter.recipient
    fix = _where_to_fix(recipient)
    for path in kind.requires:
        value = value_at(recipient.context, path)
        if value is None or (isinstance(value, str) and not value.strip()):
            letter.problems.append(_missing(recipient, path))
    name_ok = True
    try:
        check_header(recipient.name, "")
    except ValidationError as error:
        name_ok = False
        problem = _("the name of {who} cannot be used: {reason}").format(
            who=who(recipient, with_name=False), reason=error.message
        )
        letter.problems.append(_fixed(problem, fix))
    if not recipient.email:
        problem = _("no e-mail address for {who}").format(who=who(recipient))
        letter.problems.append(_fixed(problem, fix))
    else:
        try:
            validate_email(recipient.email)
            if name_ok:  # else the name's problem is reported already
                address(recipient.name, recipient.email)
        except ValidationError as error:
            problem = _("the e-mail address of {who} cannot be used: {reason}").format(
                who=who(recipient), reason=error.message
            )
            letter.problems.append(_fixed(problem, fix))
    if letter.subject:
        try:
            check_header(letter.subject, _("subject"))
        except ValidationError as error:
            problem = _("the subject cannot be used: {reason}").format(reason=error.message)
            template = _("fix the template {template}").format(template=f"{kind.key}.subject.txt")
            letter.problems.append(_("{problem}: {fix}").format(problem=problem, fix=template))


def _hash(letter: Letter, calendar_text: str) -> str:
    digest = hashlib.sha256()
    for part in (letter.recipient.email, letter.subject, letter.text, letter.html, calendar_text):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    for attachment in letter.attachments:  # none: the hash of letters before attachments
        digest.update(f"{attachment.filename}\0{attachment.key}\0".encode())
    return digest.hexdigest()


#: Files a kind of letter carries per recipient, made by the layer that prepares the batch
#: (the letters cannot import the lists that write an invitation's sign-up sheet).
Attach = Callable[[Recipient], tuple[Attachment, ...]]


def prepare(
    environment: ImmutableSandboxedEnvironment,
    kind: LetterKind,
    register: Register,
    now: datetime,
    ledger: Iterable[Delivery],
    *,
    filters: Filters | None = None,
    skip: Iterable[str] = (),
    resend: bool = False,
    workers: int = 1,
    attach: Attach | None = None,
) -> Batch:
    """Render the letter for every recipient the filters select, and check the whole batch.

    ``skip`` holds e-mail addresses or recipient keys to leave out; ``resend`` sends letters
    the ledger says were delivered already (the way to send an update of a stale letter);
    ``workers`` > 1 renders a large batch on several cores (see :func:`render_all`);
    ``attach`` gives each letter its files (part of its content).
    """
    ledger = list(ledger)
    chosen = replace(
        filters or Filters(),
        invited=invitations(ledger),
        # who was invited to which hold's meetings: the cancellation cancels those invitations
        calendars=calendars_sent(ledger) if kind.method == CANCEL else frozenset(),
    )
    recipients = kind.select(register, now, chosen)
    renderer = Renderer(environment, kind)
    facts_now = programme_facts(register.programme)
    latest: dict[str, Delivery] = {}  # the last sent (or perhaps sent) per recipient
    exported: dict[str, Delivery] = {}  # the last written to a file, if never sent since
    for delivery in ledger:
        if delivery.letter != kind.key:
            continue
        if delivery.sent:
            latest[delivery.recipient] = delivery
            exported.pop(delivery.recipient, None)
        else:
            exported[delivery.recipient] = delivery
    # A cancellation sent after a letter with invitations took those meetings out of the
    # recipient's calendar: if they attend again (reinstated, moved back), the letter is due.
    cancelled_at: dict[tuple[str, int | None], datetime] = {}
    if kind.calendar and kind.method != CANCEL:
        for delivery in ledger:
            if delivery.letter == "cancellation" and delivery.sent:  # not translated: a key
                cancelled_at[(delivery.email.casefold(), delivery.cohort)] = delivery.at
    # Each meeting's calendar is written once; each letter gets its recipient as the attendee.
    calendars = Invitations(register.programme, now, kind.method) if kind.calendar else None
    skipped = {s.casefold() for s in skip}
    # The same address twice is a mistake (two municipalities with one contact), unless the
    # letters are about different cohorts (a municipality with people in two of them).
    seen: dict[tuple[str, int | None], str] = {}
    letters = [Letter(recipient) for recipient in recipients]
    for letter in letters:
        r = letter.recipient
        if r.key.casefold() in skipped or r.email.casefold() in skipped:
            letter.state = State.SKIPPED
    render_all(renderer, [x for x in letters if x.state is not State.SKIPPED], workers)
    for letter in letters:
        if letter.state is State.SKIPPED:
            continue
        recipient = letter.recipient
        calendar_text = ""
        if calendars is not None and recipient.cohort is not None:
            cohort = register.cohort(recipient.cohort)
            letter.calendar = calendars.parts(
                cohort, recipient.meetings, recipient.name, recipient.email
            )
            calendar_text = calendars.key(cohort, recipient.meetings)
        _check(letter, kind)
        email = recipient.email.casefold()
        if email and (email, recipient.cohort) in seen:
            problem = _(
                "duplicate recipient: {who} has the same e-mail address ({email}) as {other}"
            ).format(
                who=who(recipient), email=recipient.email, other=seen[(email, recipient.cohort)]
            )
            letter.problems.append(_fixed(problem, _where_to_fix(recipient)))
        elif email:
            seen[(email, recipient.cohort)] = who(recipient)
        if letter.problems:
            letter.state = State.ERROR
            continue
        if attach is not None:
            letter.attachments = attach(recipient)
        letter.content_hash = _hash(letter, calendar_text)
        letter.facts = letter_facts(facts_now, letter_cohorts(recipient.cohort, recipient.context))
        if kind.method == CANCEL:  # it cancels events by UID: their dates and venues do not
            letter.facts = {}  # matter to it (nor to its content hash: see Invitations.key)
        delivered = latest.get(recipient.key)
        draft = exported.get(recipient.key)  # written to a file since the last one sent
        voided = cancelled_at.get((recipient.email.casefold(), recipient.cohort))
        if voided is not None:
            delivered = delivered if delivered is None or delivered.at > voided else None
            draft = draft if draft is None or draft.at > voided else None
        if delivered is not None and delivered.content_hash != letter.content_hash:
            letter.replaces = delivered
        waiting = draft is not None and (
            delivered is None
            # an update written to a file and not yet sent (not the content sent already)
            or (
                draft.content_hash == letter.content_hash
                and draft.content_hash != delivered.content_hash
            )
        )
        if draft is not None and waiting:
            # a draft never marked as sent (an update of a stale letter, too): it goes out again
            letter.delivered = draft
            letter.state = State.EXPORTED
        elif delivered is not None:
            letter.delivered = delivered
            if not resend:
                letter.state = State.STALE if letter.updates else State.SENT
        if letter.updates:
            _announce_changes(renderer, letter, kind)
    return Batch(kind, letters, now, register.programme)


def _announce_changes(renderer: Renderer, letter: Letter, kind: LetterKind) -> None:
    """A stale letter (its content today differs from what was delivered) goes out again as an
    update: its subject begins "Ændret: " and its first lines name what changed (the templates
    show ``changes`` and ``replaces``, the day of the letter it replaces).

    The content hash stays that of the letter itself: once the update is delivered, the letter
    is current again.
    """
    delivered = letter.replaces
    assert delivered is not None
    letter.changes = what_changed(delivered.facts, letter.facts)
    if not kind.notices:
        return
    context = {
        **letter.recipient.context,
        "changes": letter_lines(letter.changes, letter.facts),
        "replaces": delivered.at,
    }
    renderer.render(letter, context)
    if letter.problems:  # a template of the coordinator's own that fails with the notice
        letter.state = State.ERROR
        return
    letter.subject = CHANGED_PREFIX + letter.subject
