"""Sign-up sheets that come back by mail: the replies in an mbox file, a folder of .eml files
(as Outlook or Thunderbird save them) or one .eml file; the sheets attached to them; and one
report per reply (sender, municipality, what each row would do).

:func:`read_replies` reads the messages and their sheets (no register needed, before any lock);
:func:`plan_replies` checks them reply by reply against a register and carries out the ones
that are clean, so each reply's report sees the ones before it. Run it on a copy to preview,
inside a transaction to import: a report with any problem is never saved.

A reply is flagged (a problem, until it is left out by number) when its sheet is for another
municipality than the sender's address or domain suggests, when the sheet was made for one
municipality and names another, or when a sheet or a municipality arrives a second time. A
reply without a sheet is a note: there is nothing to import from it.

Every limit of an import holds: the file and message sizes, the number of messages and parts,
and each sheet is read by :func:`kommunestyre.lists.sheets.read_sheet_bytes` (zip bombs, huge
sheets, values and not formulas).
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import mailbox
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email.message import Message
from pathlib import Path

from kommunestyre.domain.model import Register
from kommunestyre.domain.municipalities import Municipality, by_code
from kommunestyre.errors import KommunestyreError
from kommunestyre.formats import short_date
from kommunestyre.i18n import _, ngettext
from kommunestyre.lists.importer import ImportPlan, ReportLine, apply_plan, plan_import, row_kinds
from kommunestyre.lists.sheets import (
    MAX_BYTES,
    XLSX_TYPE,
    Sheet,
    SheetError,
    read_sheet_bytes,
    whole,
)

MAX_MAILBOX_BYTES = 512 * 1024 * 1024  # an mbox file: a season of replies is far less
MAX_MESSAGE_BYTES = 4 * MAX_BYTES  # one message, its attachments encoded (base64: 4/3)
MAX_MESSAGES = 5_000
MAX_PARTS = 200  # parts of one message that are looked at
MAX_SHEETS = 20  # sheets attached to one message
SHEET_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".xls", ".ods", ".numbers")
#: Addresses anyone can have: their domain says nothing about a municipality.
OPEN_DOMAINS = frozenset(
    {"gmail.com", "hotmail.com", "hotmail.dk", "outlook.com", "outlook.dk", "live.dk",
     "live.com", "yahoo.com", "yahoo.dk", "icloud.com", "me.com", "mail.dk", "jubii.dk",
     "protonmail.com", "proton.me"}
)  # fmt: skip
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]+")


class MailError(KommunestyreError):
    """The mailbox or folder cannot be read at all."""

    title = SheetError.title


def shown(text: object, most: int = 80) -> str:
    """Text from a message (a name, a subject, a file name) as one tidy line of at most
    ``most`` characters: control and direction characters become spaces."""
    line = " ".join(_CONTROL.sub(" ", str(text)).split())
    return line if len(line) <= most else line[: most - 1] + "…"


# -- reading ------------------------------------------------------------------------------------


@dataclass(slots=True)
class Attachment:
    """A sheet attached to a reply, read (or why it could not be)."""

    filename: str  # as shown (tidied), never used as a path
    sheet: Sheet | None
    error: str = ""
    digest: str = ""  # of the bytes: the same file twice


@dataclass(slots=True)
class Received:
    """One reply as read from the file: who sent it, when, and its sheets."""

    number: int
    sender_name: str = ""
    sender: str = ""  # the address, as written
    subject: str = ""
    sent: str = ""  # the date, 24.02.2027
    attachments: list[Attachment] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str = ""  # the message could not be read


def is_mail_source(path: Path) -> bool:
    """A folder of messages, an .eml or .mbox file, or a file that starts as an mbox does
    (Thunderbird's folders have no ending)."""
    try:
        if path.is_dir():
            return True
        suffix = path.suffix.lower()
        if suffix in (".eml", ".mbox", ".mbx"):
            return True
        if suffix or not path.is_file():
            return False
        with path.open("rb") as file:
            return file.read(5) == b"From "
    except (OSError, ValueError):  # no such file, or a name no file can have
        return False


def read_replies(path: Path) -> tuple[list[Received], list[str]]:
    """The messages in ``path`` (an mbox, a folder of .eml files, or one .eml), numbered in
    their order (a folder: by file name), and notes about the source itself."""
    try:
        if path.is_dir():
            return _read_folder(path)
        size = path.stat().st_size
    except FileNotFoundError:
        raise MailError(_("{path} does not exist").format(path=path)) from None
    except OSError as error:
        raise MailError(f"{path}: {error.strerror}") from None
    if path.suffix.lower() == ".eml":
        if size > MAX_MESSAGE_BYTES:
            raise MailError(_too_big(path.name, size, MAX_MESSAGE_BYTES))
        return [_read_message(1, path.read_bytes())], []
    if size > MAX_MAILBOX_BYTES:
        raise MailError(_too_big(path.name, size, MAX_MAILBOX_BYTES))
    messages = list(_read_mbox(path))
    if not messages:
        raise MailError(_("{file} holds no messages").format(file=path.name))
    return messages, []


def _too_big(name: str, size: int, most: int) -> str:
    return _("{file} is {size} MB; at most {most} MB can be read").format(
        file=name, size=whole(size // 1024 // 1024), most=whole(most // 1024 // 1024)
    )


def _too_many() -> str:
    return _("more than {most} messages; split them up").format(most=whole(MAX_MESSAGES))


def _read_mbox(path: Path) -> Iterator[Received]:
    try:
        box = mailbox.mbox(path, create=False)
        keys = box.keys()
    except (OSError, mailbox.Error) as error:
        raise MailError(
            _("{file} cannot be read as an mbox ({error})").format(file=path.name, error=error)
        ) from None
    if len(keys) > MAX_MESSAGES:
        raise MailError(_too_many())
    try:
        for number, key in enumerate(keys, 1):
            with box.get_file(key) as file:
                data = file.read(MAX_MESSAGE_BYTES + 1)
            if len(data) > MAX_MESSAGE_BYTES:
                yield Received(number, error=_message_too_big())
                continue
            yield _read_message(number, data)
    finally:
        box.close()


def _message_too_big() -> str:
    return _("the message is larger than {most} MB; save its sheet and import that").format(
        most=whole(MAX_MESSAGE_BYTES // 1024 // 1024)
    )


def _read_folder(folder: Path) -> tuple[list[Received], list[str]]:
    files: list[Path] = []
    outlook = 0
    try:
        for entry in folder.iterdir():
            suffix = entry.suffix.lower()
            if suffix == ".msg":
                outlook += 1
            if suffix != ".eml" or not entry.is_file():
                continue
            files.append(entry)
            if len(files) > MAX_MESSAGES:
                raise MailError(_too_many())
    except OSError as error:
        raise MailError(f"{folder}: {error.strerror}") from None
    notes = []
    if outlook:
        notes.append(
            ngettext(
                "{n} .msg file (Outlook's own format) was not read: save it as .eml",
                "{n} .msg files (Outlook's own format) were not read: save them as .eml",
                outlook,
            ).format(n=outlook)
        )
    if not files:
        raise MailError(_("{folder} holds no .eml files").format(folder=folder))
    messages = []
    for number, path in enumerate(sorted(files, key=lambda p: p.name), 1):
        try:
            if path.stat().st_size > MAX_MESSAGE_BYTES:
                messages.append(Received(number, error=_message_too_big()))
                continue
            data = path.read_bytes()
        except OSError as error:
            messages.append(Received(number, error=str(error.strerror or error)))
            continue
        message = _read_message(number, data)
        message.notes.insert(0, _("file {file}").format(file=shown(path.name)))
        messages.append(message)
    return messages, notes


def _read_message(number: int, data: bytes) -> Received:
    """One message: whatever is wrong with it is said in the result, never raised."""
    try:
        parsed = email.message_from_bytes(data, policy=email.policy.default)
        reply = Received(number)
        _read_headers(parsed, reply)
        _read_attachments(parsed, reply)
        return reply
    except Exception as error:  # any message a mail program wrote, or not
        return Received(
            number, error=_("the message cannot be read ({error})").format(error=shown(error))
        )


def _header(message: Message, name: str) -> object:
    try:
        return message.get(name)
    except Exception:  # a header the parser cannot make sense of
        return None


def _read_headers(message: Message, reply: Received) -> None:
    sender = _header(message, "From")
    addresses = getattr(sender, "addresses", ())
    if addresses:
        reply.sender_name = shown(addresses[0].display_name)
        reply.sender = shown(addresses[0].addr_spec, 254)
    elif sender is not None:
        reply.sender = shown(sender, 254)
    reply.subject = shown(_header(message, "Subject") or "")
    date = getattr(_header(message, "Date"), "datetime", None)
    if isinstance(date, datetime):
        reply.sent = short_date(date.date())


def _filename(part: Message) -> str:
    try:
        name = part.get_filename()
    except Exception:  # a broken RFC 2231 or encoded-word name
        name = None
    return str(name or "")


def _is_sheet(name: str, content_type: str) -> bool:
    return name.lower().endswith(SHEET_SUFFIXES) or content_type == XLSX_TYPE


def _read_attachments(message: Message, reply: Received) -> None:
    sheets = 0
    for index, part in enumerate(message.walk()):
        if index >= MAX_PARTS:
            reply.notes.append(
                _("only the first {most} parts of the message were looked at").format(
                    most=MAX_PARTS
                )
            )
            break
        if part.is_multipart():
            continue
        content_type = part.get_content_type()
        raw_name = _filename(part)
        # the base name only, whichever separator the sender's system used
        base = re.split(r"[\\/]", raw_name)[-1]
        if content_type == "application/ms-tnef" or base.lower() == "winmail.dat":
            reply.notes.append(
                _(
                    "Outlook sent the attachments as winmail.dat, which cannot be read: ask "
                    "for the sheet again as an .xlsx file"
                )
            )
            continue
        if not _is_sheet(base, content_type):
            continue
        sheets += 1
        if sheets > MAX_SHEETS:
            reply.error = _("more than {most} sheets attached").format(most=MAX_SHEETS)
            return
        name = shown(base) or _("attachment {n}.xlsx").format(n=sheets)
        if not name.lower().endswith(SHEET_SUFFIXES):
            name += ".xlsx"  # a sheet by its type, with no usable name
        reply.attachments.append(_read_attachment(part, name))


def _read_attachment(part: Message, name: str) -> Attachment:
    encoded = part.get_payload()
    if isinstance(encoded, str) and len(encoded) > MAX_MESSAGE_BYTES:
        return Attachment(name, None, _message_too_big())
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes) or not data:
        return Attachment(name, None, _("the attachment is empty"))
    digest = hashlib.sha256(data).hexdigest()
    try:
        return Attachment(name, read_sheet_bytes(data, name), digest=digest)
    except SheetError as error:
        return Attachment(name, None, str(error), digest)


# -- the report ---------------------------------------------------------------------------------


@dataclass(slots=True)
class SheetReport:
    attachment: Attachment
    plan: ImportPlan | None = None
    municipalities: list[Municipality] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # the sheet as a whole
    notes: list[str] = field(default_factory=list)
    outcome: list[str] = field(default_factory=list)

    @property
    def skipped(self) -> bool:
        """Not a sheet to import (a blank sign-up sheet sent back)."""
        return self.plan is None and not self.problems


@dataclass(slots=True)
class Reply:
    message: Received
    sheets: list[SheetReport] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)  # problems of the reply as a whole
    notes: list[str] = field(default_factory=list)
    excluded: bool = False

    @property
    def number(self) -> int:
        return self.message.number

    def problems(self) -> list[str]:
        if self.excluded:
            return []
        found = list(self.flags)
        for sheet in self.sheets:
            prefix = sheet.attachment.filename
            found += [f"{prefix}: {problem}" for problem in sheet.problems]
            if sheet.plan is not None:
                found += [f"{prefix}: {problem}" for problem in sheet.plan.problems]
        return found

    def heading(self) -> str:
        m = self.message
        who = f"{m.sender_name} <{m.sender}>" if m.sender_name else m.sender or _("(no sender)")
        names = sorted({x.name for s in self.sheets for x in s.municipalities})
        text = _("Reply {number}: {sender}").format(number=m.number, sender=who)
        if m.sent:
            text += f", {m.sent}"
        if m.subject:
            text += f": {m.subject}"
        if names:
            text += " – " + ", ".join(names)
        return text


@dataclass(slots=True)
class ReplyPlan:
    source: str
    replies: list[Reply] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # about the source as a whole
    outcome: list[str] = field(default_factory=list)
    changes: int = 0

    @property
    def problems(self) -> list[str]:
        return [
            _("reply {number}: {problem}").format(number=reply.number, problem=problem)
            for reply in self.replies
            for problem in reply.problems()
        ]

    @property
    def warnings(self) -> list[str]:
        return self.notes

    @property
    def clean(self) -> bool:
        return not self.problems

    @property
    def excluded(self) -> list[int]:
        return [reply.number for reply in self.replies if reply.excluded]

    def plans(self) -> list[ImportPlan]:
        return [
            s.plan
            for reply in self.replies
            if not reply.excluded
            for s in reply.sheets
            if s.plan is not None
        ]

    def count(self, action: str) -> int:
        return sum(plan.count(action) for plan in self.plans())

    def summary(self) -> str:
        replies = len(self.replies)
        parts = [ngettext("{n} reply", "{n} replies", replies).format(n=replies)]
        sheets = len(self.plans())
        parts.append(ngettext("{n} sheet", "{n} sheets", sheets).format(n=sheets))
        rows = sum(plan.row_count for plan in self.plans())
        parts.append(ngettext("{n} row(s)", "{n} row(s)", rows).format(n=rows))
        parts += row_kinds(self.count)
        if n := len(self.excluded):
            parts.append(ngettext("{n} reply left out", "{n} replies left out", n).format(n=n))
        if n := len(self.problems):
            parts.append(ngettext("{n} problem(s)", "{n} problem(s)", n).format(n=n))
        return ", ".join(parts)

    def report_lines(self) -> list[ReportLine]:
        lines: list[ReportLine] = []
        for reply in self.replies:
            lines.append(ReportLine("heading", reply.heading()))
            if reply.excluded:
                lines.append(ReportLine("row", _("left out")))
                continue
            lines += [ReportLine("note", note) for note in reply.notes]
            lines += [ReportLine("problem", flag) for flag in reply.flags]
            for sheet in reply.sheets:
                names = ", ".join(m.name for m in sheet.municipalities)
                title = sheet.attachment.filename + (f": {names}" if names else "")
                lines.append(ReportLine("heading", title, 1))
                lines += [ReportLine("note", note, 1) for note in sheet.notes]
                lines += [ReportLine("problem", problem, 1) for problem in sheet.problems]
                if sheet.plan is not None:
                    lines += sheet.plan.report_lines(1)
        lines += [ReportLine("note", note) for note in self.notes]
        return lines


def _blank(sheet: Sheet) -> bool:
    """A sign-up sheet sent back as it came: nothing filled in (the original, quoted)."""
    return sheet.signup is not None and not sheet.signup.filled


def sender_municipality(register: Register, address: str) -> tuple[Municipality, bool] | None:
    """The municipality a sender belongs to, and whether by the address itself (a contact, a
    participant, an invoice contact) or only by its domain; None if nothing says which."""
    key = address.strip().casefold()
    if "@" not in key:
        return None
    owners: dict[str, set[int]] = {}

    def own(mail: str, code: int) -> None:
        if mail:
            owners.setdefault(mail.strip().casefold(), set()).add(code)

    for code, contact in register.contacts.items():
        own(contact.email, code)
    for directorate in register.directorates.values():
        own(directorate.invoice.contact_email, directorate.municipality_code)
    codes_of = {d.id: d.municipality_code for d in register.directorates.values()}
    for person in register.participants.values():
        if person.status.is_active and person.directorate_id in codes_of:
            own(person.details.email, codes_of[person.directorate_id])
    exact = owners.get(key, set())
    if len(exact) == 1:
        return by_code(next(iter(exact))), True
    domain = key.rpartition("@")[2]
    if not domain or domain in OPEN_DOMAINS or exact:
        return None
    by_domain = {
        code
        for mail, codes in owners.items()
        if mail.rpartition("@")[2] == domain
        for code in codes
    }
    if len(by_domain) == 1:
        return by_code(next(iter(by_domain))), False
    return None


def plan_replies(
    register: Register,
    messages: list[Received],
    now: datetime,
    *,
    source: str,
    notes: Iterable[str] = (),
    exclude: Iterable[int] = (),
    default_cohort: int | None = None,
) -> ReplyPlan:
    """Check each reply in turn and carry out the clean, unflagged ones on ``register`` (a copy
    to preview; the transaction's to import, which is then saved only if the plan is clean)."""
    plan = ReplyPlan(source, notes=list(notes))
    left_out = set(exclude)
    known = {m.number for m in messages}
    for number in sorted(left_out - known):
        plan.notes.append(_("there is no reply {number} to leave out").format(number=number))
    seen_content: dict[str, int] = {}
    seen_municipality: dict[int, int] = {}
    for message in messages:
        reply = Reply(message, notes=list(message.notes), excluded=message.number in left_out)
        plan.replies.append(reply)
        if reply.excluded:
            continue
        if message.error:
            reply.flags.append(message.error)
            continue
        hint = sender_municipality(register, message.sender)
        for attachment in message.attachments:
            sheet = _check_sheet(register, attachment, default_cohort)
            reply.sheets.append(sheet)
            _flag(reply, sheet, hint, seen_content, seen_municipality)
            if sheet.plan is None or not sheet.plan.clean or reply.flags or sheet.problems:
                continue
            try:
                sheet.outcome = apply_plan(register, sheet.plan, now)
            except KommunestyreError as error:
                sheet.problems.append(str(error))
                continue
            plan.changes += sheet.plan.changes
            plan.outcome += [
                _("reply {number}: {line}").format(number=message.number, line=line)
                for line in sheet.outcome
            ]
        if not any(not s.skipped for s in reply.sheets) and not reply.flags:
            reply.notes.append(_("no sign-up sheet attached: nothing to import"))
    return plan


def _check_sheet(register: Register, attachment: Attachment, cohort: int | None) -> SheetReport:
    report = SheetReport(attachment)
    sheet = attachment.sheet
    if sheet is None:
        report.problems.append(attachment.error)
        return report
    if _blank(sheet):
        report.notes.append(_("a sign-up sheet with nothing filled in: left aside"))
        return report
    report.plan = plan_import(register, sheet, default_cohort=cohort)
    codes = {group.municipality.code for group in report.plan.groups}
    if sheet.signup is not None and sheet.signup.named is not None:
        codes.add(sheet.signup.named)
    report.municipalities = [by_code(code) for code in sorted(codes)]
    return report


def _digest(sheet: SheetReport) -> str:
    """The sheet's content (what was read, not its bytes: the same sheet saved twice matches),
    or the bytes of one that could not be read."""
    read = sheet.attachment.sheet
    if read is None:
        return sheet.attachment.digest
    content = repr((read.headers, [cells for _number, cells in read.rows], read.cell_problems))
    return hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest()


def _flag(
    reply: Reply,
    sheet: SheetReport,
    hint: tuple[Municipality, bool] | None,
    seen_content: dict[str, int],
    seen_municipality: dict[int, int],
) -> None:
    if sheet.skipped:
        return
    number = reply.number
    name = sheet.attachment.filename
    digest = _digest(sheet)
    again = digest in seen_content
    if again:
        reply.flags.append(
            _("{file} is the same sheet as in reply {other}: leave one of them out").format(
                file=name, other=seen_content[digest]
            )
        )
    elif digest:
        seen_content[digest] = number
    signup = sheet.attachment.sheet.signup if sheet.attachment.sheet else None
    if signup and signup.made_for and signup.named and signup.made_for != signup.named:
        reply.flags.append(
            _("{file} was made for {made_for} but names {named}").format(
                file=name, made_for=by_code(signup.made_for).name, named=by_code(signup.named).name
            )
        )
    for municipality in sheet.municipalities:
        if hint is not None and municipality.code != hint[0].code:
            sender = reply.message.sender
            if hint[1]:
                text = _("{file} is for {municipality}, but {sender} belongs to {expected}")
            else:
                text = _(
                    "{file} is for {municipality}, but the domain of {sender} belongs to {expected}"
                )
            reply.flags.append(
                text.format(
                    file=name,
                    municipality=municipality.name,
                    sender=sender,
                    expected=hint[0].name,
                )
            )
        other = seen_municipality.get(municipality.code)
        if again:
            continue
        if other is not None:
            reply.flags.append(
                _("{municipality} sent a sheet in reply {other} too: leave one of them out").format(
                    municipality=municipality.name, other=other
                )
            )
        else:
            seen_municipality[municipality.code] = number
    if sheet.municipalities and hint is None and reply.message.sender:
        reply.notes.append(
            _("{sender} is not an address the register knows: check that the sheet is theirs")
            .format(sender=reply.message.sender)
        )  # fmt: skip


def plan_people(plan: ReplyPlan, register: Register) -> list[int]:
    """The people the imported sheets name (so an erasure scrubs the history entry too)."""
    emails = {
        row.details.email.casefold()
        for sheet_plan in plan.plans()
        for group in sheet_plan.groups
        for row in group.rows
    }
    return [p.id for p in register.participants.values() if p.details.email.casefold() in emails]


def describe_replies(plan: ReplyPlan) -> list[str]:
    """The report as plain lines (for a test or a log)."""
    return [("  " * line.depth) + line.text for line in plan.report_lines()]
