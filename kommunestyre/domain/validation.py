"""Checks for what people type, each returning the cleaned value or raising ValidationError.

Messages say what is wrong in plain words, so the CLI can print them and a form can show them
next to the field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date, time
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from kommunestyre.domain.model import (
    InvoiceDetails,
    Meeting,
    MunicipalityContact,
    ParticipantDetails,
    Speaker,
    Venue,
)
from kommunestyre.errors import InvalidRecord, ValidationError
from kommunestyre.i18n import N_, _

MAX_TEXT = 200
MAX_NOTE = 2000


def _unsafe(text: str, *, lines: bool = False) -> str | None:
    """What is wrong with the characters of ``text``, if anything.

    Refused everywhere: control characters (C0 and C1; a terminal reads some as commands),
    line and paragraph separators, invisible format characters (bidirectional overrides that
    reverse what is shown, zero-width spaces, soft hyphens; the emoji joiner is fine) and
    broken characters (lone surrogates). ``lines`` allows line breaks (notes).

    The answer reads after a field's name or a quoted value ("'x' contains spaces").
    """
    for char in text:
        if lines and char == "\n":
            continue
        category = unicodedata.category(char)
        if category == "Cs":
            return _("contains a broken character")
        if category in ("Cc", "Zl", "Zp"):
            if char in "\r\n\u2028\u2029" and not lines:
                return _("must be one line")
            return _("contains a control character ({code})").format(code=f"U+{ord(char):04X}")
        if category == "Cf" and char != "\u200d":
            return _("contains an invisible formatting character ({code})").format(
                code=f"U+{ord(char):04X}"
            )
    return None


_LOCAL_PART = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_DOMAIN_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def clean_text(value: str, field: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    """Trim a one-line text (NFC, so "Å" is one letter however it was typed); refuse line
    breaks, control and invisible formatting characters."""
    text = unicodedata.normalize("NFC", (value or "").strip())
    if required and not text:
        raise ValidationError(field, _("must not be empty"))
    problem = _unsafe(text)
    if problem:
        raise ValidationError(field, problem)
    if len(text) > limit:
        raise ValidationError(field, _too_long(len(text), limit))
    return text


def clean_note(value: str, field: str) -> str:
    """A free note: several lines are fine, other control characters are not."""
    text = unicodedata.normalize("NFC", (value or "").strip().replace("\r\n", "\n"))
    problem = _unsafe(text, lines=True)
    if problem:
        raise ValidationError(field, problem)
    if len(text) > MAX_NOTE:
        raise ValidationError(field, _too_long(len(text), MAX_NOTE))
    return text


def _too_long(length: int, limit: int) -> str:
    return _("is too long ({length} characters, at most {limit})").format(
        length=length, limit=limit
    )


def quoted(value: object, limit: int = 60) -> str:
    """A value for an error message: quoted, and cut short if it is long."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 2] + "…" + text[-1]


WHOLE_NUMBER = N_("a whole number")


def parse_whole(
    value: str, field: str, *, low: int = 0, high: int = 999_999_999, what: str = WHOLE_NUMBER
) -> int:
    """A whole number typed as digits 0-9 (not ², １ or ٣), between ``low`` and ``high``.

    ``what`` names the number in an error ("... is not {what}"): English marked ``N_``, or
    already in the language in use; it is translated where it is shown.
    """
    text = (value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(high)):
        raise ValidationError(
            field, _("{value} is not {what}").format(value=quoted(text), what=_(what))
        )
    number = int(text)
    if not low <= number <= high:
        raise ValidationError(
            field,
            _("{number} is not {what} (from {low} to {high})").format(
                number=number, what=_(what), low=low, high=high
            ),
        )
    return number


def require_name(value: str, field: str = "name") -> str:
    return clean_text(value, field, required=True)


def validate_email(value: str, field: str = "email", *, required: bool = True) -> str:
    """An e-mail address; the domain is lower-cased, the local part kept as typed."""
    text = (value or "").strip()
    if not text:
        if required:
            raise ValidationError(field, _("an e-mail address is required"))
        return ""
    problem = _unsafe(text)
    if problem or " " in text:
        problem = problem or _("contains spaces")
        raise ValidationError(field, f"{quoted(text)} {problem}")
    if text.count("@") != 1:
        raise ValidationError(
            field,
            _("{value} is not an e-mail address (one @ is needed)").format(value=quoted(text)),
        )
    local, domain = text.split("@")
    if local and not local.isascii():
        raise ValidationError(
            field,
            _(
                "{value}: letters like æ, ø, å before the @ are refused by most mail servers; "
                "ask for the address they use for mail from outside"
            ).format(value=quoted(text)),
        )
    if not local or len(local) > 64 or not _LOCAL_PART.match(local):
        raise ValidationError(
            field, _("{value}: the part before @ is not valid").format(value=quoted(text))
        )
    domain = domain.lower()
    bad_domain = _("{value}: the domain {domain} is not valid").format(
        value=quoted(text), domain=quoted(domain)
    )
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
        round_trip = ascii_domain.encode("ascii").decode("idna")
    except UnicodeError:
        raise ValidationError(field, bad_domain) from None
    if round_trip != domain:
        # Soft hyphens, full-width dots and the like vanish in IDNA: one mailbox, many spellings.
        raise ValidationError(
            field,
            _("{value}: the domain contains invisible or look-alike characters").format(
                value=quoted(text)
            ),
        )
    labels = ascii_domain.split(".")
    if len(labels) < 2 or not all(_DOMAIN_LABEL.match(label) for label in labels):
        raise ValidationError(field, bad_domain)
    if not re.match(r"^([a-z]{2,63}|xn--[a-z0-9-]+)$", labels[-1]):
        raise ValidationError(
            field, _("{value}: the domain must end in a name like .dk").format(value=quoted(text))
        )
    if len(local) + 1 + len(ascii_domain) > 254:
        raise ValidationError(field, _("the address is too long"))
    return f"{local}@{domain}"


def validate_phone(value: str, field: str = "phone", *, required: bool = False) -> str:
    """A Danish phone number: 8 digits, optionally +45 or 0045 first, spaces allowed.

    Returned as ``"12 34 56 78"``.
    """
    text = (value or "").strip()
    if not text:
        if required:
            raise ValidationError(field, _("a phone number is required"))
        return ""
    compact = text.replace(" ", "").replace("\u00a0", "")
    for prefix in ("+45", "0045"):
        if compact.startswith(prefix) and len(compact) == len(prefix) + 8:
            compact = compact[len(prefix) :]
    if not (compact.isascii() and compact.isdigit()) or len(compact) != 8 or compact[0] == "0":
        raise ValidationError(
            field,
            _("{value} is not a Danish phone number (8 digits, optionally +45 first)").format(
                value=quoted(text)
            ),
        )
    return " ".join(compact[i : i + 2] for i in range(0, 8, 2))


def ean_check_digit(first_twelve: str) -> int:
    """GS1 check digit: weights 3, 1, 3, 1, ... from the right, then up to the next ten."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(first_twelve)))
    return (10 - total % 10) % 10


#: A number as Excel shows it in scientific notation (5,798E+12, 5.798E+12, 5,798E12): what a
#: 13-digit EAN becomes when a CSV is opened in Excel and saved again. Its digits are lost.
_EXCEL_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)?[eE]\+?[0-9]+")


def validate_ean(value: str, field: str = "ean", *, required: bool = False) -> str:
    """An EAN/GLN location number: 13 digits with a valid check digit."""
    text = (value or "").strip().replace(" ", "")
    if not text:
        if required:
            raise ValidationError(field, _("an EAN number is required for the invoice"))
        return ""
    if _EXCEL_NUMBER.fullmatch(text):
        raise ValidationError(
            field,
            _(
                "the EAN was turned into a number by Excel ({value}); type it as text, "
                "or use the .xlsx"
            ).format(value=value.strip()),
        )
    if not (text.isascii() and text.isdigit()) or len(text) != 13:
        raise ValidationError(
            field, _("{value} is not an EAN number (13 digits)").format(value=quoted(value.strip()))
        )
    expected = ean_check_digit(text[:12])
    if int(text[12]) != expected:
        raise ValidationError(
            field,
            _("{value} has a wrong check digit (the last digit should be {digit})").format(
                value=text, digit=expected
            ),
        )
    return text


def ean_warnings(ean: str) -> list[str]:
    """Things worth a second look that are not errors."""
    if ean and not ean.startswith("5798"):
        return [
            _("{ean} does not start with 5798, as public-sector EAN numbers usually do").format(
                ean=ean
            )
        ]
    return []


def validate_cvr(value: str, field: str = "cvr", *, required: bool = False) -> str:
    """A CVR number: 8 digits, not starting with 0, weighted sum divisible by 11."""
    text = (value or "").strip().replace(" ", "")
    if text.upper().startswith("DK"):
        text = text[2:]
        if not text:
            raise ValidationError(field, _("the CVR number is missing after DK"))
    if not text:
        if required:
            raise ValidationError(field, _("a CVR number is required"))
        return ""
    if not (text.isascii() and text.isdigit()) or len(text) != 8 or text[0] == "0":
        raise ValidationError(
            field, _("{value} is not a CVR number (8 digits)").format(value=quoted(value.strip()))
        )
    weights = (2, 7, 6, 5, 4, 3, 2, 1)
    if sum(int(d) * w for d, w in zip(text, weights, strict=True)) % 11:
        raise ValidationError(
            field, _("{value} is not a valid CVR number (check digit)").format(value=text)
        )
    return text


def parse_amount(value: object, field: str) -> Decimal:
    """An amount of money: an integer or a decimal written as text, never a float."""
    if isinstance(value, (bool, float)):
        raise ValidationError(
            field, _('write the amount as a whole number or in quotes, e.g. "14900"')
        )
    if isinstance(value, str) and re.fullmatch(r"\s*\d{1,3}(\.\d{3})+\s*", value):
        raise ValidationError(
            field,
            _("{value} looks like a Danish thousands separator; write {number}").format(
                value=quoted(value), number=value.replace(".", "")
            ),
        )
    try:
        amount = Decimal(str(value).strip().replace(" ", ""))
    except InvalidOperation:
        raise ValidationError(
            field, _("{value} is not a number").format(value=quoted(value))
        ) from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError(
            field, _("{value} is not a positive amount").format(value=quoted(value))
        )
    return amount


def _collect(checks: Iterable[tuple[str, Callable[[], object]]]) -> dict[str, Any]:
    """Run every check, keep every failure: a form wants all its errors at once."""
    values: dict[str, Any] = {}
    problems: list[ValidationError] = []
    for name, check in checks:
        try:
            values[name] = check()
        except ValidationError as error:
            problems.append(error)
    if problems:
        raise InvalidRecord(problems)
    return values


def validate_participant(
    details: ParticipantDetails, field_keys: Iterable[str]
) -> ParticipantDetails:
    """A participant's details, cleaned; every wrong field reported at once."""
    known = list(field_keys)

    def check_field(key: str, name: str) -> str:
        if key not in known:
            raise ValidationError(
                name,
                _("unknown field {key} (known: {known})").format(
                    key=quoted(key), known=", ".join(known)
                ),
            )
        return key

    def check_extra() -> tuple[str, ...]:
        return tuple(check_field(k, "extra_fields") for k in dict.fromkeys(details.extra_fields))

    values = _collect(
        [
            ("name", lambda: require_name(details.name)),
            ("title", lambda: clean_text(details.title, "title")),
            ("field", lambda: check_field(details.field, "field")),
            ("email", lambda: validate_email(details.email)),
            ("phone", lambda: validate_phone(details.phone)),
            ("needs", lambda: clean_note(details.needs, "needs")),
            ("notes", lambda: clean_note(details.notes, "notes")),
            ("extra_fields", check_extra),
        ]
    )
    return ParticipantDetails(**values)


def validate_invoice(invoice: InvoiceDetails) -> InvoiceDetails:
    """Invoice details, cleaned; an EAN is optional here (a letter may insist on it)."""
    values = _collect(
        [
            ("ean", lambda: validate_ean(invoice.ean)),
            ("cvr", lambda: validate_cvr(invoice.cvr)),
            ("reference", lambda: clean_text(invoice.reference, "reference")),
            ("contact_name", lambda: clean_text(invoice.contact_name, "contact_name")),
            (
                "contact_email",
                lambda: validate_email(invoice.contact_email, "contact_email", required=False),
            ),
        ]
    )
    return InvoiceDetails(**values)


def parse_day(value: str, field: str) -> date:
    """A date as a Dane types it: ``24.02.2027``, ``24-02-2027`` or ISO ``2027-02-24``."""
    text = (value or "").strip()
    match = re.fullmatch(r"(\d{1,2})[.\-/](\d{1,2})[.\-/](\d{4})", text, re.ASCII)
    try:
        if match:
            return date(int(match[3]), int(match[2]), int(match[1]))
        if not text.isascii():
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            field, _("{value} is not a date (write it like 24.02.2027)").format(value=quoted(text))
        ) from None


def parse_clock(value: str, field: str) -> time:
    """A time of day: ``12.00``, ``12:00`` or ``9.30``."""
    text = (value or "").strip()
    match = re.fullmatch(r"(\d{1,2})[.:](\d{2})", text, re.ASCII)
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return time(int(match[1]), int(match[2]))
    raise ValidationError(
        field, _("{value} is not a time of day (write it like 12.00)").format(value=quoted(text))
    )


def validate_schedule(seminar: Meeting, followup: Meeting, deadline: date) -> None:
    """A cohort's dates in the order they must come: deadline, seminar, follow-up day."""
    if seminar.end <= seminar.start:
        raise ValidationError("seminar.end", _("must be after the start"))
    if followup.end <= followup.start:
        raise ValidationError("followup.end", _("must be after the start"))
    if followup.start < seminar.end:
        raise ValidationError("followup.start", _("must be after the seminar has ended"))
    if deadline >= seminar.start.date():
        raise ValidationError("registration_deadline", _("must be before the seminar starts"))


#: Danish postcodes (PostNord): 1000 (København K) to 9990 (Skagen) for addresses, and
#: 0800-0999 for special ones (0800 Høje Taastrup, 0900 København C and other business
#: postcodes). Four digits always, so the special ones keep their leading zero.
POSTCODE_LOW = 800
POSTCODE_HIGH = 9990


def validate_postcode(value: str, field: str = "postcode") -> str:
    """A Danish postcode: four digits 0-9 (not ², １ or ٣), from 0800 to 9990."""
    text = clean_text(value, field, required=True)
    if re.fullmatch(r"\d{4}\s+\S.*", text, re.ASCII):
        raise ValidationError(
            field,
            _("{value}: write only the postcode here, and the town in its own field").format(
                value=quoted(text)
            ),
        )
    if not (len(text) == 4 and text.isascii() and text.isdigit()):
        raise ValidationError(
            field,
            _("{value} is not a Danish postcode (4 digits, like 7100)").format(value=quoted(text)),
        )
    if not POSTCODE_LOW <= int(text) <= POSTCODE_HIGH:
        raise ValidationError(
            field,
            _("{value} is not a Danish postcode (they run from 0800 to 9990)").format(
                value=quoted(text)
            ),
        )
    return text


def validate_address(value: str, field: str = "address") -> str:
    """A street address: required, and more than a bare number (the street's name with it)."""
    text = clean_text(value, field, required=True)
    if not any(char.isalpha() for char in text):
        raise ValidationError(
            field,
            _("{value} is not an address (write the street too, like Vingsted Skovvej 2)").format(
                value=quoted(text)
            ),
        )
    return text


def validate_town(value: str, field: str = "town") -> str:
    """A town's name: required, with letters in it, and without the postcode in front."""
    text = clean_text(value, field, required=True)
    if re.match(r"\d{4}\s", text, re.ASCII):
        raise ValidationError(
            field,
            _("{value}: write the postcode in its own field, and only the town here").format(
                value=quoted(text)
            ),
        )
    if not any(char.isalpha() for char in text):
        raise ValidationError(
            field, _("{value} is not the name of a town").format(value=quoted(text))
        )
    return text


#: The check of each part of a venue (the key is the Venue attribute).
VENUE_CHECKS: dict[str, Callable[[str, str], str]] = {
    "name": require_name,
    "address": validate_address,
    "postcode": validate_postcode,
    "town": validate_town,
}


def validate_venue(venue: Venue, prefix: str) -> Venue:
    """A venue, cleaned; every wrong part reported at once, named ``{prefix}.{key}``."""
    values = _collect(
        [
            (key, partial(check, getattr(venue, key), f"{prefix}.{key}"))
            for key, check in VENUE_CHECKS.items()
        ]
    )
    return Venue(**values)


def validate_speaker(speaker: Speaker) -> Speaker:
    values = _collect(
        [
            ("name", lambda: require_name(speaker.name)),
            ("title", lambda: clean_text(speaker.title, "title")),
            ("organisation", lambda: clean_text(speaker.organisation, "organisation")),
            ("topic", lambda: clean_text(speaker.topic, "topic")),
        ]
    )
    return Speaker(role=speaker.role, **values)


def validate_contact(contact: MunicipalityContact) -> MunicipalityContact:
    """A municipality contact, cleaned; every field may be empty until letters need it."""
    values = _collect(
        [
            ("name", lambda: clean_text(contact.name, "name")),
            ("title", lambda: clean_text(contact.title, "title")),
            ("email", lambda: validate_email(contact.email, required=False)),
            ("notes", lambda: clean_note(contact.notes, "notes")),
        ]
    )
    return MunicipalityContact(
        contact.municipality_code, declined=contact.declined, rev=contact.rev, **values
    )
