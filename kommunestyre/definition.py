"""Read the programme definition (``cohorts/*.toml``) into a :class:`Programme`.

The files are meant to be edited by hand, so every mistake is reported with the file, the key
and what is wrong: a misspelt key is an error, not silently ignored.
"""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from kommunestyre.clock import local
from kommunestyre.domain.model import (
    Cohort,
    Contact,
    Meeting,
    ProfessionalField,
    Programme,
    Role,
    Speaker,
    Venue,
)
from kommunestyre.domain.rules import validate_capacity
from kommunestyre.domain.validation import (
    VENUE_CHECKS,
    parse_amount,
    validate_email,
    validate_phone,
    validate_schedule,
)
from kommunestyre.errors import DefinitionError, ValidationError
from kommunestyre.i18n import _

PROGRAMME_FILE = "programme.toml"
COHORT_PATTERN = "hold-*.toml"


class _Section:
    """One TOML table, remembering which keys were read so leftovers can be reported."""

    def __init__(self, file: str, prefix: str, data: dict[str, Any]) -> None:
        self.file = file
        self.prefix = prefix
        self.data = data
        self.used: set[str] = set()

    def where(self, key: str) -> str:
        return f"{self.prefix}.{key}" if self.prefix else key

    def fail(self, key: str, message: str) -> DefinitionError:
        return DefinitionError(self.file, self.where(key), message)

    def _get(self, key: str, required: bool) -> Any:
        self.used.add(key)
        if key not in self.data:
            if required:
                raise self.fail(key, _("is missing"))
            return None
        return self.data[key]

    def text(self, key: str, *, required: bool = True, default: str = "") -> str:
        value = self._get(key, required)
        if value is None:
            return default
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(
                key, _("must be a non-empty text in quotes (got {value})").format(value=repr(value))
            )
        return value.strip()

    def integer(self, key: str, default: int | None = None) -> int:
        value = self._get(key, default is None)
        if value is None and default is not None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(
                key, _("must be a whole number (got {value})").format(value=repr(value))
            )
        return value

    def amount(self, key: str) -> Decimal:
        value = self._get(key, True)
        try:
            return parse_amount(value, key)
        except ValidationError as error:
            raise self.fail(key, error.message) from None

    def moment(self, key: str) -> datetime:
        value = self._get(key, True)
        if not isinstance(value, datetime):
            raise self.fail(
                key,
                _("must be a date and time like 2027-02-24T12:00:00 (got {value})").format(
                    value=repr(value)
                ),
            )
        return local(value)

    def day(self, key: str) -> date:
        value = self._get(key, True)
        if isinstance(value, datetime) or not isinstance(value, date):
            raise self.fail(
                key, _("must be a date like 2027-01-13 (got {value})").format(value=repr(value))
            )
        return value

    def texts(self, key: str, *, required: bool = True) -> list[str]:
        value = self._get(key, required)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(key, _("must be a list of texts in quotes"))
        return [v.strip() for v in value]

    def section(self, key: str, *, required: bool = True) -> _Section:
        value = self._get(key, required)
        if value is None:
            return _Section(self.file, self.where(key), {})
        if not isinstance(value, dict):
            raise self.fail(key, _("must be a table ([{key}])").format(key=self.where(key)))
        return _Section(self.file, self.where(key), value)

    def sections(self, key: str, *, required: bool = True) -> list[_Section]:
        value = self._get(key, required)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(
                key, _("must be a list of tables ([[{key}]])").format(key=self.where(key))
            )
        return [_Section(self.file, f"{self.where(key)}[{i}]", v) for i, v in enumerate(value, 1)]

    def finish(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise self.fail(unknown[0], _("is not a known setting (misspelt?)"))


def _read_toml(path: Path) -> _Section:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise DefinitionError(
            path.name, "", _("is not valid TOML: {error}").format(error=error)
        ) from None
    except UnicodeDecodeError:
        raise DefinitionError(path.name, "", _("is not UTF-8 text (save it as UTF-8)")) from None
    except OSError as error:
        raise DefinitionError(
            str(path), "", _("cannot be read: {reason}").format(reason=error.strerror)
        ) from None
    return _Section(path.name, "", data)


def _venue(section: _Section) -> Venue:
    """A venue, each part checked by the domain's rule (a postcode is four digits)."""

    def checked(key: str) -> str:
        try:
            return VENUE_CHECKS[key](section.text(key), key)
        except ValidationError as error:
            raise section.fail(key, error.message) from None

    venue = Venue(**{key: checked(key) for key in VENUE_CHECKS})
    section.finish()
    return venue


def _meeting(section: _Section) -> Meeting:
    meeting = Meeting(
        section.moment("start"), section.moment("end"), _venue(section.section("venue"))
    )
    section.finish()
    return meeting


def _speaker(section: _Section) -> Speaker:
    role_text = section.text("role", required=False, default=Role.SPEAKER.value)
    try:
        role = Role(role_text)
    except ValueError:
        raise section.fail(
            "role",
            _("must be 'speaker' or 'moderator' (got {value})").format(value=repr(role_text)),
        ) from None
    speaker = Speaker(
        name=section.text("name"),
        title=section.text("title", required=False),
        organisation=section.text("organisation", required=False),
        role=role,
        topic=section.text("topic", required=False),
    )
    section.finish()
    return speaker


def load_cohort(path: Path) -> Cohort:
    """One ``hold-N.toml`` file."""
    top = _read_toml(path)
    number = top.integer("number")
    if number < 1:
        raise top.fail("number", _("must be 1 or more (got {value})").format(value=number))
    capacity = top.section("capacity")
    limits = {
        key: capacity.integer(key, default)
        for key, default in (
            ("min_directorates", 5),
            ("max_directorates", 10),
            ("max_participants", 40),
        )
    }
    try:
        validate_capacity(**limits)
    except ValidationError as error:
        raise capacity.fail(error.field, error.message) from None
    capacity.finish()
    seminar = _meeting(top.section("seminar"))
    followup = _meeting(top.section("followup"))
    deadline = top.day("registration_deadline")
    try:
        validate_schedule(seminar, followup, deadline)
    except ValidationError as error:
        raise top.fail(error.field, error.message) from None
    cohort = Cohort(
        number=number,
        seminar=seminar,
        followup=followup,
        registration_deadline=deadline,
        speakers=[_speaker(s) for s in top.sections("speakers", required=False)],
        themes=top.texts("themes", required=False),
        **limits,
    )
    top.finish()
    return cohort


def _fields(top: _Section) -> list[ProfessionalField]:
    fields: list[ProfessionalField] = []
    for section in top.sections("fields"):
        key = section.text("key")
        if not key.isidentifier() or not key.isascii() or key != key.lower():
            raise section.fail(
                "key",
                _("must be lower-case letters, digits and _ (got {value})").format(value=repr(key)),
            )
        if any(f.key == key for f in fields):
            raise section.fail("key", _("{key} is defined twice").format(key=repr(key)))
        fields.append(
            ProfessionalField(
                key, section.text("label"), section.text("association", required=False)
            )
        )
        section.finish()
    if not any(f.key == "andet" for f in fields):
        raise top.fail("fields", _("must include the catch-all field with key 'andet'"))
    return fields


def _coordinator(section: _Section) -> Contact:
    def checked(key: str, check: Any) -> str:
        try:
            return check(section.text(key), key)
        except ValidationError as error:
            raise section.fail(key, error.message) from None

    contact = Contact(
        name=section.text("name"),
        title=section.text("title", required=False),
        organisation=section.text("organisation", required=False),
        email=checked("email", validate_email),
        phone=checked("phone", validate_phone),
    )
    section.finish()
    return contact


def load_programme(folder: Path) -> Programme:
    """The whole definition: ``programme.toml`` and every ``hold-N.toml`` beside it."""
    if not (folder / PROGRAMME_FILE).is_file():
        raise DefinitionError(str(folder), PROGRAMME_FILE, _("is missing from the folder"))
    top = _read_toml(folder / PROGRAMME_FILE)
    price = top.section("price")
    registration = top.section("registration", required=False)
    offer_days = registration.integer("offer_days", 7)
    if not 1 <= offer_days <= 60:
        raise registration.fail(
            "offer_days", _("must be 1 to 60 days (got {value})").format(value=offer_days)
        )
    registration.finish()
    invoicing = top.section("invoicing", required=False)
    first_number = invoicing.integer("first_number", 1)
    due_days = invoicing.integer("due_days", 30)
    if first_number < 1:
        raise invoicing.fail(
            "first_number", _("must be 1 or more (got {value})").format(value=first_number)
        )
    if not 0 <= due_days <= 365:
        raise invoicing.fail(
            "due_days", _("must be 0 to 365 days (got {value})").format(value=due_days)
        )
    invoicing.finish()
    language = top.text("language", required=False) or "da"
    if language not in ("da", "en"):
        raise top.fail(
            "language", _('must be "da" or "en" (got {value})').format(value=repr(language))
        )
    evaluation_url = top.text("evaluation_url", required=False)
    if evaluation_url and (
        not evaluation_url.startswith(("https://", "http://"))
        or any(c.isspace() for c in evaluation_url)
    ):
        raise top.fail(
            "evaluation_url",
            _("must be a web address starting with https:// (got {value})").format(
                value=repr(evaluation_url)
            ),
        )
    vat_percent = price.amount("vat_percent")
    if vat_percent > 100:
        raise price.fail(
            "vat_percent", _("must be a percentage (got {value})").format(value=vat_percent)
        )
    programme = Programme(
        name=top.text("name"),
        subtitle=top.text("subtitle", required=False),
        organisers=top.texts("organisers"),
        price_excl_vat=price.amount("per_participant_excl_vat"),
        vat_rate=vat_percent / 100,
        price_includes=price.texts("includes"),
        price_excludes=price.texts("excludes", required=False),
        invoice_weeks_before=price.integer("invoice_weeks_before", 4),
        coordinator=_coordinator(top.section("coordinator")),
        fields=_fields(top),
        cohorts=[],
        offer_days=offer_days,
        language=language,
        invoice_first_number=first_number,
        invoice_due_days=due_days,
        evaluation_url=evaluation_url,
    )
    price.finish()
    top.finish()

    paths = sorted(folder.glob(COHORT_PATTERN))
    if not paths:
        raise DefinitionError(str(folder), COHORT_PATTERN, _("no cohort files found"))
    for path in paths:
        cohort = load_cohort(path)
        if any(c.number == cohort.number for c in programme.cohorts):
            raise DefinitionError(
                path.name,
                "number",
                _("hold {number} is defined twice").format(number=cohort.number),
            )
        programme.cohorts.append(cohort)
    programme.cohorts.sort(key=lambda c: c.number)
    return programme
