"""Typed errors with a human title.

Every error a coordinator can cause (bad input, a missing or damaged database, a rule that says
no) is a :class:`KommunestyreError`. The CLI prints it on one line and exits non-zero; the TUI
shows it and keeps running. Anything else is a bug and is allowed to surface as one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kommunestyre.i18n import N_, _, pgettext


class KommunestyreError(Exception):
    """Base class: ``title`` names the kind of problem, ``message`` says what to do about it.

    ``title`` is written in English (marked ``N_``) and read in the language in use: a class's
    title, or one an instance was given, is translated where it is read.
    """

    title = N_("Error")
    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message

    if not TYPE_CHECKING:  # hidden from mypy, which keeps checking attribute names

        def __getattribute__(self, name: str) -> Any:
            value = super().__getattribute__(name)
            return _(value) if name == "title" and isinstance(value, str) else value


def field_label(field: str) -> str:
    """What a field key is called where a coordinator reads it ("ean" reads "EAN-nummer").

    The English text is the key itself (the command line and the tests read it as before);
    a key that is not known (a command-line option, an environment variable) is shown as it is.
    """
    parts = field.split(".")
    if len(parts) == 3 and parts[0] == "members" and parts[1].isdigit():
        return pgettext("field", "members.{n}.{field}").format(
            n=parts[1], field=field_label(parts[2])
        )
    if len(parts) == 3 and parts[1] == "venue" and parts[0] in ("seminar", "followup"):
        where = (
            pgettext("field", "seminar.venue.{field}")
            if parts[0] == "seminar"
            else pgettext("field", "followup.venue.{field}")
        )
        return where.format(field=field_label(parts[2]))
    return _field_labels().get(field, field)


def _field_labels() -> dict[str, str]:
    """The known field keys, in the language in use."""
    return {
        "name": pgettext("field", "name"),
        "title": pgettext("field", "title"),
        "field": pgettext("field", "field"),
        "extra_fields": pgettext("field", "extra_fields"),
        "email": pgettext("field", "email"),
        "phone": pgettext("field", "phone"),
        "needs": pgettext("field", "needs"),
        "notes": pgettext("field", "notes"),
        "organisation": pgettext("field", "organisation"),
        "topic": pgettext("field", "topic"),
        "address": pgettext("field", "address"),
        "postcode": pgettext("field", "postcode"),
        "town": pgettext("field", "town"),
        "ean": pgettext("field", "ean"),
        "cvr": pgettext("field", "cvr"),
        "reference": pgettext("field", "reference"),
        "contact_name": pgettext("field", "contact_name"),
        "contact_email": pgettext("field", "contact_email"),
        "municipality": pgettext("field", "municipality"),
        "cohort": pgettext("field", "cohort"),
        "registration_deadline": pgettext("field", "registration_deadline"),
        "seminar.start": pgettext("field", "seminar.start"),
        "seminar.end": pgettext("field", "seminar.end"),
        "followup.start": pgettext("field", "followup.start"),
        "followup.end": pgettext("field", "followup.end"),
        "min_directorates": pgettext("field", "min_directorates"),
        "max_directorates": pgettext("field", "max_directorates"),
        "max_participants": pgettext("field", "max_participants"),
        "file": pgettext("field", "file"),
        "out": pgettext("field", "out"),
        "folder": pgettext("field", "folder"),
        "format": pgettext("field", "format"),
        "list": pgettext("field", "list"),
        "exclude": pgettext("field", "exclude"),
        "rate": pgettext("field", "rate"),
        "port": pgettext("field", "port"),
        "user": pgettext("field", "user"),
        "password": pgettext("field", "password"),
    }


class ValidationError(KommunestyreError):
    """A value a person typed is not acceptable; ``field`` names the input it came from."""

    title = N_("Invalid value")

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field  # the internal key: a form finds its input by it

    def __str__(self) -> str:
        return f"{field_label(self.field)}: {self.message}" if self.field else self.message


class DefinitionError(KommunestyreError):
    """A programme definition file in ``cohorts/`` is wrong; names the file and the key."""

    title = N_("Programme definition")

    def __init__(self, file: str, key: str, message: str) -> None:
        self.file = file
        self.key = key
        where = f"{file}: {key}" if key else file
        super().__init__(f"{where}: {message}")


class RuleError(KommunestyreError):
    """The programme's rules forbid the change (a double registration, a held cohort, ...)."""

    title = N_("Not allowed")


class NotConfirmed(KommunestyreError):
    """A change that asks first could not ask (no terminal) and was not told --yes."""

    title = N_("Not confirmed")


class UnknownRecord(KommunestyreError):
    """A cohort, directorate or participant that does not exist was asked for."""

    title = N_("Not found")


class DatabaseError(KommunestyreError):
    """Base for problems with the database file itself."""

    title = N_("Database")


class DatabaseNotFound(DatabaseError):
    title = N_("Database not found")


class DatabaseExists(DatabaseError):
    title = N_("Database exists")


class CorruptDatabase(DatabaseError):
    title = N_("Damaged database")


class DatabaseBusy(DatabaseError):
    title = N_("Database busy")


class ConflictError(DatabaseError):
    """A save was based on data that someone else has changed in the meantime."""

    title = N_("Changed by someone else")


class InvalidRecord(KommunestyreError):
    """Several fields of one record are wrong at once; a form marks each of them."""

    title = N_("Invalid values")

    def __init__(self, problems: list[ValidationError]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems))

    def for_field(self, field: str) -> str | None:
        for problem in self.problems:
            if problem.field == field:
                return problem.message
        return None
