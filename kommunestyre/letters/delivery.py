"""Getting letters out: files (.eml or mbox, with a manifest) or SMTP.

Exports are written into a staging folder beside the target and renamed into place at the end,
so an interrupted export leaves no half-written folder. Files are private (0600): they hold
personal data. SMTP always verifies certificates; a password is only ever sent over TLS.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import threading
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kommunestyre.atomic import private_folder
from kommunestyre.domain.model import Programme
from kommunestyre.domain.validation import quoted
from kommunestyre.errors import KommunestyreError, ValidationError
from kommunestyre.i18n import N_, _, ngettext
from kommunestyre.letters.batch import Batch, Letter
from kommunestyre.letters.ledger import EXPORTED, SENT, UNCERTAIN, Delivery
from kommunestyre.letters.mail import MessageFactory, address
from kommunestyre.spreadsheet import csv_bytes

if TYPE_CHECKING:
    import smtplib

Progress = Callable[[int, int], None]  # done, total
Cancelled = Callable[[], bool]


class DeliveryError(KommunestyreError):
    title = N_("Delivery")


@dataclass(frozen=True, slots=True)
class Outgoing:
    letter: Letter
    message: bytes
    message_id: str
    to: str  # the recipient's address as SMTP needs it (the domain in ASCII)


def build_messages(batch: Batch, programme: Programme) -> list[Outgoing]:
    """The messages of a clean batch; refuses a batch whose pre-flight found problems."""
    if not batch.clean:
        failed = len(batch.errors)
        raise DeliveryError(
            ngettext(
                "the pre-flight found problems for {n} recipient(s); correct them or skip those "
                "recipients",
                "the pre-flight found problems for {n} recipient(s); correct them or skip those "
                "recipients",
                failed,
            ).format(n=failed)
        )
    coordinator = programme.coordinator
    sender = address(coordinator.name, coordinator.email, "sender")
    factory = MessageFactory(sender, coordinator.email.partition("@")[2])
    outgoing = []
    for letter in batch.outgoing:
        recipient = letter.recipient
        message_id = factory.message_id()
        to = address(recipient.name, recipient.email)
        message = factory.build(
            to,
            letter.subject,
            letter.text,
            letter.html,
            letter.calendar,
            batch.made_at,
            message_id,
            letter.attachments,
        )
        outgoing.append(Outgoing(letter, message, message_id, to.addr_spec))
    return outgoing


def deliveries(
    batch: Batch, items: list[Outgoing], channel: str, where: list[str], status: str = SENT
) -> list[Delivery]:
    return [
        Delivery(
            letter=batch.kind.key,
            recipient=item.letter.recipient.key,
            email=item.letter.recipient.email,
            cohort=item.letter.recipient.cohort,
            content_hash=item.letter.content_hash,
            channel=channel,
            at=batch.made_at,
            message_id=item.message_id,
            where=place,
            status=status,
            facts=item.letter.facts,
        )
        for item, place in zip(items, where, strict=True)
    ]


# -- files ----------------------------------------------------------------------------------------


def safe_name(text: str, limit: int = 40) -> str:
    """ASCII letters, digits and hyphens only: a file name every system and mail client takes."""
    folded = text.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    folded = folded.replace("Æ", "Ae").replace("Ø", "Oe").replace("Å", "Aa")
    ascii_text = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()[:limit] or "x"


@dataclass(slots=True)
class ExportReport:
    folder: Path
    files: list[Path] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)


def check_target(target: Path) -> Path:
    """An export goes into a new or empty folder, never over earlier files."""
    try:
        taken = target.exists() and (not target.is_dir() or any(target.iterdir()))
    except OSError as error:  # a name too long, a folder not readable, ...
        raise DeliveryError(f"{quoted(str(target))}: {error.strerror or error}") from None
    if taken:
        raise DeliveryError(
            _("{folder} already exists and is not empty; choose a new folder").format(folder=target)
        )
    return target


def _staging(target: Path) -> Path:
    check_target(target)
    private_folder(target.parent)
    staging = target.with_name(f".{target.name}.partial-{secrets.token_hex(4)}")
    staging.mkdir(mode=0o700)
    return staging


def _private_write(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _manifest(rows: Sequence[tuple[str, ...]]) -> bytes:
    """The list of exported letters, as the lists are written (text never a formula)."""
    # not translated: manifest.csv's columns are a file format, the same in every language
    headers = ("recipient", "email", "letter", "cohort", "file", "message_id")
    return csv_bytes(headers, rows, delimiter=",")


#: Outlook opens a message file with this header as a draft, ready to send.
UNSENT = b"X-Unsent: 1\r\n"


def export(
    batch: Batch,
    outgoing: list[Outgoing],
    target: Path,
    fmt: str,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ExportReport:
    """Write the letters to ``target`` (a new or empty folder): ``.eml`` files or one mbox,
    as drafts. Everything is written into a hidden folder beside it and renamed into place at
    the end: a failure or a cancel leaves nothing."""
    if fmt not in ("eml", "mbox"):
        raise ValidationError("format", _("{value}: choose eml or mbox").format(value=quoted(fmt)))
    staging = _staging(target)
    try:
        names: list[str] = []
        rows = []
        if fmt == "eml":
            for number, item in enumerate(outgoing, 1):
                if cancelled and cancelled():
                    raise DeliveryError(_("export cancelled; nothing was written"))
                r = item.letter.recipient
                hold = f"-hold{r.cohort}" if r.cohort else ""
                name = f"{number:04d}-{batch.kind.key}{hold}-{safe_name(r.label)}.eml"
                _private_write(staging / name, UNSENT + item.message)
                names.append(name)
                if progress:
                    progress(number, len(outgoing))
        else:
            import mailbox

            box = mailbox.mbox(staging / "letters.mbox", create=True)
            box.lock()
            try:
                for number, item in enumerate(outgoing, 1):
                    if cancelled and cancelled():
                        raise DeliveryError(_("export cancelled; nothing was written"))
                    box.add(UNSENT + item.message)
                    names.append("letters.mbox")
                    if progress:
                        progress(number, len(outgoing))
                box.flush()
            finally:
                box.unlock()
                box.close()
            os.chmod(staging / "letters.mbox", 0o600)
        for item, name in zip(outgoing, names, strict=True):
            r = item.letter.recipient
            rows.append(
                (r.label, r.email, batch.kind.key, str(r.cohort or ""), name, item.message_id)
            )
        _private_write(staging / "manifest.csv", _manifest(rows))
        if target.exists():
            target.rmdir()
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    files = [target / name for name in dict.fromkeys(names)]
    places = [str(target / n) for n in names]
    return ExportReport(target, files, deliveries(batch, outgoing, fmt, places, EXPORTED))


# -- SMTP -----------------------------------------------------------------------------------------

SECURITY = ("starttls", "ssl", "none")
DEFAULT_PORT = {"starttls": 587, "ssl": 465, "none": 25}


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str
    port: int | None = None
    security: str = "starttls"
    user: str | None = None
    ca_file: Path | None = None  # trust this CA as well (a company's own); never less checking
    timeout: float = 30.0
    per_minute: float | None = None  # rate limit

    def checked(self) -> SmtpSettings:
        if not self.host:
            raise ValidationError("smtp-host", _("an SMTP server is needed"))
        if self.security not in SECURITY:
            raise ValidationError(
                "security",
                _("{value}: choose starttls, ssl or none").format(value=quoted(self.security)),
            )
        if self.user and self.security == "none":
            raise ValidationError(
                "security", _("a password is never sent over an unencrypted connection")
            )
        if self.per_minute is not None and self.per_minute <= 0:
            raise ValidationError("rate", _("must be a positive number of messages per minute"))
        return self

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port or DEFAULT_PORT[self.security]}"


@dataclass(slots=True)
class SendReport:
    sent: list[Outgoing] = field(default_factory=list)
    failed: list[tuple[Outgoing, str]] = field(default_factory=list)
    uncertain: list[tuple[Outgoing, str]] = field(default_factory=list)
    not_attempted: int = 0
    cancelled: bool = False

    def summary(self) -> str:
        """What happened, in words: "3 sent, 1 failed" (a list of counts, joined by commas)."""
        parts = [
            ngettext("{n} sent", "{n} sent", len(self.sent)).format(n=len(self.sent)),
            ngettext("{n} failed", "{n} failed", len(self.failed)).format(n=len(self.failed)),
        ]
        if self.uncertain:
            uncertain = len(self.uncertain)
            parts.append(
                ngettext(
                    "{n} uncertain (the connection dropped while sending)",
                    "{n} uncertain (the connection dropped while sending)",
                    uncertain,
                ).format(n=uncertain)
            )
        if self.not_attempted:
            parts.append(
                ngettext("{n} not attempted", "{n} not attempted", self.not_attempted).format(
                    n=self.not_attempted
                )
            )
        text = ", ".join(parts)
        return text + " " + _("(cancelled)") if self.cancelled else text


def _connect(settings: SmtpSettings, password: str | None) -> smtplib.SMTP:
    import smtplib  # here, not at the top: it loads ssl, which exports do not need
    import ssl

    context = ssl.create_default_context(cafile=str(settings.ca_file) if settings.ca_file else None)
    port = settings.port or DEFAULT_PORT[settings.security]
    try:
        if settings.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host, port, timeout=settings.timeout, context=context
            )
        else:
            smtp = smtplib.SMTP(settings.host, port, timeout=settings.timeout)
            smtp.ehlo()
            if settings.security == "starttls":
                smtp.starttls(context=context)  # refuses a server that does not offer it
                smtp.ehlo()
        if settings.user:
            smtp.login(settings.user, password or "")
    except smtplib.SMTPNotSupportedError:
        raise DeliveryError(
            _("{server} does not offer STARTTLS; nothing was sent (and no password)").format(
                server=settings.address
            )
        ) from None
    except ssl.SSLError as error:
        raise DeliveryError(
            _("TLS with {server} failed: {reason}").format(
                server=settings.address, reason=error.reason or error
            )
        ) from None
    except smtplib.SMTPAuthenticationError:
        raise DeliveryError(
            _("{server} refused the user name or password").format(server=settings.address)
        ) from None
    except (OSError, smtplib.SMTPException) as error:
        raise DeliveryError(
            _("cannot connect to {server}: {error}").format(server=settings.address, error=error)
        ) from None
    return smtp


def _pause(seconds: float, cancelled: Cancelled | None) -> None:
    """Wait between messages (the rate limit), but stop waiting at once when cancelled."""
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        if cancelled and cancelled():
            return
        time.sleep(min(left, 0.05))


def _deliver(smtp: smtplib.SMTP, sender: str, item: Outgoing) -> None:
    """Hand one message over: the envelope (MAIL, RCPT), then the message (DATA).

    The steps are taken one by one so a failure says how far it got: before DATA the
    message certainly did not arrive (raises :class:`_BeforeData`); a failure during DATA is
    :class:`_DuringData`, and the message may have arrived. A reply refusing a step (a 4xx or
    5xx code) is definite: it is raised as it is, and the message did not arrive.
    """
    import smtplib

    # smtplib's errors are OSErrors too: a server's refusal is told apart from a lost line.
    refused = (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused)
    try:
        smtp.ehlo_or_helo_if_needed()
        code, reply = smtp.mail(sender)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, reply, sender)
        code, reply = smtp.rcpt(item.to)
        if code not in (250, 251):
            raise smtplib.SMTPRecipientsRefused({item.to: (code, reply)})
    except refused:
        _reset(smtp)  # end the refused transaction: the next letter starts a new one
        raise
    except (smtplib.SMTPServerDisconnected, OSError) as error:
        raise _BeforeData(error) from error
    try:
        code, reply = smtp.data(item.message)
    except refused:  # DATA itself refused (say, 451 or 554): nothing was handed over
        _reset(smtp)
        raise
    except (smtplib.SMTPServerDisconnected, OSError) as error:
        raise _DuringData(error) from error
    if code != 250:
        _reset(smtp)
        raise smtplib.SMTPDataError(code, reply)


def _reset(smtp: smtplib.SMTP) -> None:
    import smtplib

    with contextlib.suppress(smtplib.SMTPException, OSError):
        smtp.rset()


#: Set from the moment a message is handed to the server until its ledger entry is written.
#: A request to stop at once (the command line's second ctrl+c) waits while it is set: cut in
#: there, and a letter the server accepted would be sent again by the next run.
HANDING_OVER = threading.Event()


class _BeforeData(Exception):
    """The connection failed before the message was handed over: safe to try again."""


class _DuringData(Exception):
    """The connection failed while the message was handed over: it may have arrived."""


def send(
    batch: Batch,
    outgoing: list[Outgoing],
    settings: SmtpSettings,
    password: str | None,
    sender: str,
    *,
    record: Callable[[list[Delivery]], None],
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> SendReport:
    """Send each message, and record each in the ledger the moment the server has accepted
    it, before the next one is sent: stopped at any moment, a rerun sends exactly what had not
    been sent. A message refused by the server is reported and the rest go on.

    A connection lost before a message is handed over is opened again once and the message
    sent; one lost while it was being handed over is never sent again by itself: it may have
    arrived, and it is recorded as *uncertain* (``--resend`` sends it anyway).
    """
    import smtplib

    settings.checked()
    report = SendReport()
    smtp = _connect(settings, password)
    gap = 60.0 / settings.per_minute if settings.per_minute else 0.0

    def note(item: Outgoing, status: str) -> None:
        record(deliveries(batch, [item], "smtp", [settings.address], status))

    try:
        for number, item in enumerate(outgoing, 1):
            if cancelled and cancelled():
                report.cancelled = True
                report.not_attempted = len(outgoing) - number + 1
                break
            started = time.monotonic()
            HANDING_OVER.set()
            try:
                try:
                    _deliver(smtp, sender, item)
                except _BeforeData:
                    smtp = _connect(settings, password)  # one new connection, then give up
                    _deliver(smtp, sender, item)
            except _DuringData as error:
                note(item, UNCERTAIN)
                report.uncertain.append((item, str(error.__cause__ or error)))
                with contextlib.suppress(smtplib.SMTPException, OSError):
                    smtp.close()
                smtp = _connect(settings, password)
            except smtplib.SMTPRecipientsRefused as error:
                reasons = "; ".join(
                    f"{c} {m.decode(errors='replace')}" for c, m in error.recipients.values()
                )
                report.failed.append((item, reasons))
            except smtplib.SMTPResponseException as error:
                reply = error.smtp_error
                text = reply.decode(errors="replace") if isinstance(reply, bytes) else reply
                report.failed.append((item, f"{error.smtp_code} {text}"))
            except (smtplib.SMTPException, OSError, _BeforeData) as error:
                report.failed.append((item, str(error.__cause__ or error)))
            else:
                note(item, SENT)  # before anything else can happen: exactly once
                report.sent.append(item)
            finally:
                HANDING_OVER.clear()
            if progress:
                progress(number, len(outgoing))
            if gap and number < len(outgoing):
                _pause(gap - (time.monotonic() - started), cancelled)
    finally:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            smtp.quit()
    return report
