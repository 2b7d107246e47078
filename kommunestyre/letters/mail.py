"""E-mail messages for letters: checked headers, and a builder fast enough for thousands.

Every letter of a batch has the same structure (text and HTML alternatives, and for some a
calendar part per meeting), so that structure is built once with ``EmailMessage`` and
``policy.SMTP``. Each letter then gets its own headers, its own quoted-printable bodies and its
own base64 calendar parts (they name the recipient as the attendee) in the skeleton's places.
The headers are written here rather than by the email package's header parser, which costs
about 150 microseconds a header: ``To`` from an ``Address``, non-ASCII text as RFC 2047
encoded-words. The tests check that every message parses back exactly like one built from
scratch with ``EmailMessage``.
"""

from __future__ import annotations

import binascii
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from kommunestyre.domain.validation import quoted
from kommunestyre.errors import ValidationError
from kommunestyre.i18n import N_, _
from kommunestyre.letters.calendar import CalendarFile

SMTP = policy.SMTP
TEXT_MARK = "KSTEXTPLACEHOLDER"
HTML_MARK = "KSHTMLPLACEHOLDER"
CALENDAR_MARK = "KSCALENDARPLACEHOLDER{index}"

# Line breaks of every kind, other control characters, and RFC 2047 encoded-words typed in by
# hand ("=?utf-8?q?...?=") which a mail client would decode into something else entirely.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_ENCODED_WORD = re.compile(r"=\?[^?\s]*\?[bBqQ]\?", re.ASCII)


#: A header's text: a subject from a coordinator's own template may be long, but the lines of a
#: message must stay under 998 bytes, and no mail program shows more than this.
MAX_HEADER = 250


#: The name and the e-mail address of whom a letter is from or to, as errors name them.
_PARTS: dict[str, tuple[str, str]] = {
    "recipient": (N_("recipient name"), N_("recipient e-mail")),
    "sender": (N_("sender name"), N_("sender e-mail")),
}


def _part(what: str, index: int) -> str:
    parts = _PARTS.get(what)
    return _(parts[index]) if parts else what


def check_header(value: str, what: str) -> str:
    """Refuse a header value that could smuggle in headers, change meaning when decoded, or
    make a line too long for mail; ``what`` names the value in the error (already translated)."""
    if len(value) > MAX_HEADER:
        raise ValidationError(
            what,
            _("is {length} characters long; at most {most}").format(
                length=len(value), most=MAX_HEADER
            ),
        )
    if _UNSAFE.search(value):
        raise ValidationError(what, _("contains a line break or control character"))
    if _ENCODED_WORD.search(value):
        raise ValidationError(what, _("contains an encoded-word (=?...?=), which is not allowed"))
    return value


def ascii_email(email: str, what: str = "recipient") -> str:
    """The address as mail servers and headers need it: a domain with æ, ø, å in its ASCII
    (IDNA) form, ``aase@xn--hje-taastrup-1cb.dk``. A local part with such letters needs a
    server that offers SMTPUTF8, which kommunestyre does not rely on: it is refused."""
    local, _at, domain = email.partition("@")
    if not local.isascii():
        raise ValidationError(
            _part(what, 1),
            _(
                "{email}: letters like æ, ø, å before the @ cannot be sent by most mail servers"
            ).format(email=quoted(email)),
        )
    try:
        return f"{local}@{domain.encode('idna').decode('ascii')}"
    except UnicodeError:
        raise ValidationError(
            _part(what, 1), _("{email}: the domain is not valid").format(email=quoted(email))
        ) from None


def address(name: str, email: str, what: str = "recipient") -> Address:
    """An ``Address`` from checked parts (the domain in ASCII); raises ValidationError naming
    what is wrong."""
    check_header(name, _part(what, 0))
    check_header(email, _part(what, 1))
    local, _at, domain = ascii_email(email, what).partition("@")
    try:
        return Address(display_name=name, username=local, domain=domain)
    except (ValueError, IndexError) as error:
        raise ValidationError(
            _part(what, 1),
            _("{email} cannot be used: {reason}").format(email=quoted(email), reason=error),
        ) from None


_ATOMS = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]*", re.ASCII)


def _encoded_words(text: str, size: int = 40) -> list[str]:
    """RFC 2047 base64 encoded-words of at most ``size`` bytes of UTF-8 each.

    Spaces stay inside the words: decoders drop the whitespace between adjacent encoded-words.
    """
    words, chunk = [], b""
    for char in text:
        encoded = char.encode("utf-8")
        if len(chunk) + len(encoded) > size:
            words.append(chunk)
            chunk = b""
        chunk += encoded
    words.append(chunk)
    return [f"=?utf-8?b?{binascii.b2a_base64(w, newline=False).decode()}?=" for w in words]


def _fold_words(name: str, words: list[str]) -> bytes:
    """``Name: w1 w2 ...`` with lines of at most 78 characters, continued with a space."""
    lines, line = [], f"{name}:"
    for word in words:
        if len(line) + 1 + len(word) > 78 and line != f"{name}:":
            lines.append(line)
            line = ""
        line = f"{line} {word}"
    lines.append(line)
    return ("\r\n".join(lines) + "\r\n").encode("ascii")


def text_header(name: str, value: str) -> bytes:
    """An unstructured header (Subject): ASCII folded at spaces, anything else encoded."""
    if value.isascii():
        return _fold_words(name, value.split(" "))
    return _fold_words(name, _encoded_words(value))


def address_header(name: str, to: Address) -> bytes:
    """``To: Display Name <user@domain>``, the name quoted or encoded as it needs."""
    display = to.display_name
    if not display:
        return _fold_words(name, [to.addr_spec])
    if display.isascii() and _ATOMS.fullmatch(display):
        words = display.split(" ")
    elif display.isascii():
        escaped = display.replace("\\", "\\\\").replace('"', '\\"')
        words = [f'"{escaped}"']
    else:
        # 45 bytes (most names) make one word of 72 characters, which every parser reads back
        # exactly; Python's own parser wrongly puts a space between several.
        words = _encoded_words(display, 45)
    return _fold_words(name, [*words, f"<{to.addr_spec}>"])


def _qp(text: str) -> bytes:
    """Quoted-printable with CRLF line ends and a final line break, as ``set_content`` does."""
    text = text.replace("\r\n", "\n")
    if not text.endswith("\n"):
        text += "\n"
    data = text.encode("utf-8")
    return binascii.b2a_qp(data, istext=True).replace(b"\n", b"\r\n")


@dataclass(frozen=True, slots=True)
class Skeleton:
    head: bytes  # MIME-Version and Content-Type of the whole message
    before_text: bytes
    between: bytes
    after_html: bytes  # up to the first calendar part's body, or to the end
    after_calendars: tuple[bytes, ...] = ()  # what follows each calendar part's body


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file a letter carries (an invitation's sign-up sheet). Its bytes are made only when
    the letter is built for export or sending (``make``); ``key`` says what they are made of,
    for the letter's content hash."""

    filename: str
    mime_type: str  # "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    key: str
    make: Callable[[], bytes]

    @property
    def content(self) -> bytes:
        return self.make()


def _add_parts(
    message: EmailMessage,
    text: str,
    html: str,
    calendar: Sequence[CalendarFile],
    attachments: Sequence[Attachment] = (),
) -> None:
    """Plain text and HTML as alternatives, and a ``text/calendar`` part per meeting.

    The first meeting is the third alternative, without a file name: the invitation Outlook
    and Gmail show with accept and decline (Outlook looks for it only in a message's first
    part, and never in an attachment: MS-STANOICAL 2.2.168 and 2.2.175). The others follow as
    attached invitations (``.ics``, the same method), which open with accept and decline.
    """
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    for index, part in enumerate(calendar):
        params = {"method": part.method, "charset": "utf-8"}
        if index == 0:
            message.add_alternative(
                part.content, maintype="text", subtype="calendar", params=params
            )
        else:
            message.add_attachment(
                part.content,
                maintype="text",
                subtype="calendar",
                filename=part.filename,
                params=params,
            )
    for attachment in attachments:
        maintype, _slash, subtype = attachment.mime_type.partition("/")
        message.add_attachment(
            attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename
        )


#: ``method="REQUEST"; charset="utf-8"`` as the email package quotes it, and as mail programs
#: are used to seeing it: ``text/calendar; method=REQUEST; charset=utf-8``.
_QUOTED_CALENDAR = re.compile(rb'text/calendar; method="([A-Z]+)"; charset="utf-8"')


def _base64(data: bytes) -> bytes:
    """Base64 in lines of 76 characters, CRLF between them (the last line's end follows)."""
    encoded = binascii.b2a_base64(data, newline=False)
    return b"\r\n".join([encoded[i : i + 76] for i in range(0, len(encoded), 76)])


def _skeleton(shape: Sequence[tuple[str, str]]) -> Skeleton:
    """The message for calendar parts of ``shape`` (file name, method), bodies left out."""
    marks = [CALENDAR_MARK.format(index=i).encode() for i in range(len(shape))]
    calendar = [
        CalendarFile(name, mark, method) for (name, method), mark in zip(shape, marks, strict=True)
    ]
    message = EmailMessage(policy=SMTP)
    _add_parts(message, TEXT_MARK + "\n", HTML_MARK + "\n", calendar)
    for part in message.walk():
        if part.is_multipart():
            part.set_boundary(f"=_ks_{secrets.token_hex(8)}")
    data = _QUOTED_CALENDAR.sub(
        rb"text/calendar; method=\1; charset=utf-8", message.as_bytes(policy=SMTP)
    )
    head, _, body = data.partition(b"\r\n\r\n")
    before_text, _, rest = body.partition(TEXT_MARK.encode() + b"\r\n")
    between, _, rest = rest.partition(HTML_MARK.encode() + b"\r\n")
    pieces = []
    for mark in marks:
        piece, found, rest = rest.partition(_base64(mark))
        if not found:  # the email package wrote it otherwise: a bug here, not in the data
            raise RuntimeError("a calendar part is missing from the skeleton")  # not translated
        pieces.append(piece)
    pieces.append(rest)
    return Skeleton(head + b"\r\n", before_text, between, pieces[0], tuple(pieces[1:]))


class MessageFactory:
    """Builds the messages of one batch; shared parts are made once per cohort."""

    def __init__(self, sender: Address, domain: str) -> None:
        self.sender = sender
        self.sender_line = SMTP.header_factory("From", sender).fold(policy=SMTP).encode("ascii")
        self.domain = domain
        self._skeletons: dict[tuple[tuple[str, str], ...], Skeleton] = {}
        self._heads: dict[bytes, bytes] = {}  # a calendar part's shared head, encoded
        self._tails: dict[tuple[bytes, int], bytes] = {}  # its shared tail, encoded
        self._subjects: dict[str, bytes] = {}
        self._dates: dict[datetime, bytes] = {}
        self._token = secrets.token_hex(6)
        self._count = 0

    def skeleton(self, calendar: Sequence[CalendarFile]) -> Skeleton:
        """The structure for letters with these calendar parts (their bodies differ)."""
        shape = tuple([(part.filename, part.method) for part in calendar])
        found = self._skeletons.get(shape)
        if found is None:
            found = self._skeletons[shape] = _skeleton(shape)
        return found

    def _calendar(self, part: CalendarFile) -> bytes:
        """A calendar part's body in base64, its shared head and tail encoded once a batch.

        Base64 turns every 3 bytes into 4 characters, so the head is cut at a multiple of 3,
        and the letter's own bytes are made a multiple of 3 with the first bytes of the tail;
        each piece is then encoded on its own lines (which may be shorter than 76).
        """
        head, tail = part.head, part.tail
        cut = len(head) - len(head) % 3
        before = self._heads.get(head)  # a dict hashes these bytes once: the same object
        if before is None:
            before = self._heads[head] = _base64(head[:cut])
        own = head[cut:] + part.line
        take = -len(own) % 3
        after = self._tails.get((tail, take))
        if after is None:
            after = self._tails[(tail, take)] = _base64(tail[take:])
        pieces = [before, _base64(own + tail[:take]), after]
        return b"\r\n".join([piece for piece in pieces if piece])

    def _date(self, when: datetime) -> bytes:
        line = self._dates.get(when)
        if line is None:  # a batch is made at one moment: one Date for all its letters
            line = self._dates[when] = f"Date: {format_datetime(when)}\r\n".encode("ascii")
        return line

    def message_id(self) -> str:
        self._count += 1
        return f"<{self._token}.{self._count}@{self.domain}>"

    def build(
        self,
        to: Address,
        subject: str,
        text: str,
        html: str,
        calendar: Sequence[CalendarFile],
        when: datetime,
        message_id: str,
        attachments: Sequence[Attachment] = (),
    ) -> bytes:
        if attachments:  # few letters (an invitation per municipality): built as a whole
            check_header(subject, _("subject"))
            message = reference_message(
                self.sender, to, subject, text, html, calendar, when, message_id, attachments
            )
            return message.as_bytes(policy=SMTP)
        parts = self.skeleton(calendar)
        subject_line = self._subjects.get(subject)
        if subject_line is None:  # many letters of a batch share their subject
            check_header(subject, _("subject"))
            subject_line = self._subjects[subject] = text_header("Subject", subject)
        return b"".join(
            (
                self.sender_line,
                address_header("To", to),
                subject_line,
                self._date(when),
                f"Message-ID: {message_id}\r\n".encode("ascii"),
                parts.head,
                b"\r\n",
                parts.before_text,
                _qp(text),
                parts.between,
                _qp(html),
                parts.after_html,
                *[
                    piece
                    for part, after in zip(calendar, parts.after_calendars, strict=True)
                    for piece in (self._calendar(part), after)
                ],
            )
        )


def reference_message(
    sender: Address,
    to: Address,
    subject: str,
    text: str,
    html: str,
    calendar: Sequence[CalendarFile],
    when: datetime,
    message_id: str,
    attachments: Sequence[Attachment] = (),
) -> EmailMessage:
    """The same letter built naively, message by message: the yardstick the tests compare with
    (and the builder of the few letters with attachments)."""
    message = EmailMessage(policy=SMTP)
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(when)
    message["Message-ID"] = message_id
    _add_parts(message, text, html, calendar, attachments)
    return message
