"""Typed errors with a human title.

Every error a coordinator can cause (bad input, a missing or damaged database, a rule that says
no) is a :class:`KommunestyreError`. The CLI prints it on one line and exits non-zero; the TUI
shows it and keeps running. Anything else is a bug and is allowed to surface as one.
"""

from __future__ import annotations


class KommunestyreError(Exception):
    """Base class: ``title`` names the kind of problem, ``message`` says what to do about it."""

    title = "Error"
    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(KommunestyreError):
    """A value a person typed is not acceptable; ``field`` names the input it came from."""

    title = "Invalid value"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class DefinitionError(KommunestyreError):
    """A programme definition file in ``cohorts/`` is wrong; names the file and the key."""

    title = "Programme definition"

    def __init__(self, file: str, key: str, message: str) -> None:
        self.file = file
        self.key = key
        where = f"{file}: {key}" if key else file
        super().__init__(f"{where}: {message}")


class RuleError(KommunestyreError):
    """The programme's rules forbid the change (a double registration, a held cohort, ...)."""

    title = "Not allowed"


class NotConfirmed(KommunestyreError):
    """A change that asks first could not ask (no terminal) and was not told --yes."""

    title = "Not confirmed"


class UnknownRecord(KommunestyreError):
    """A cohort, directorate or participant that does not exist was asked for."""

    title = "Not found"


class DatabaseError(KommunestyreError):
    """Base for problems with the database file itself."""

    title = "Database"


class DatabaseNotFound(DatabaseError):
    title = "Database not found"


class DatabaseExists(DatabaseError):
    title = "Database exists"


class CorruptDatabase(DatabaseError):
    title = "Damaged database"


class DatabaseBusy(DatabaseError):
    title = "Database busy"


class ConflictError(DatabaseError):
    """A save was based on data that someone else has changed in the meantime."""

    title = "Changed by someone else"


class InvalidRecord(KommunestyreError):
    """Several fields of one record are wrong at once; a form marks each of them."""

    title = "Invalid values"

    def __init__(self, problems: list[ValidationError]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems))

    def for_field(self, field: str) -> str | None:
        for problem in self.problems:
            if problem.field == field:
                return problem.message
        return None
