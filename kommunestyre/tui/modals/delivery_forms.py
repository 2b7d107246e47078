"""Where letters go: a folder to export into, or an SMTP server to send through.

The password is typed here (or read from the environment) and handed straight to the send; it is
never stored."""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Vertical

from kommunestyre.domain.validation import parse_whole
from kommunestyre.errors import KommunestyreError, ValidationError
from kommunestyre.letters import PASSWORD_ENV
from kommunestyre.letters.delivery import DeliveryError, SmtpSettings, check_target
from kommunestyre.tui.modals.form_modal import FormModal
from kommunestyre.tui.widgets.form import FormField, SelectField
from kommunestyre.tui.widgets.plain import Plain

FORMATS = [(".eml: a file per letter", "eml"), ("mbox: one mailbox file", "mbox")]
SECURITY_OPTIONS = [
    ("STARTTLS (port 587)", "starttls"),
    ("SSL/TLS (port 465)", "ssl"),
    ("None (port 25, no password)", "none"),
]


def _folder(value: str) -> Path:
    if not value.strip():
        raise ValidationError("folder", "name a folder to export into")
    try:
        return check_target(Path(value.strip()).expanduser())
    except DeliveryError as error:
        raise ValidationError("folder", error.message) from None


def _port(value: str) -> int | None:
    if not value.strip():
        return None
    try:  # digits 0-9 only: "²" is a digit to str.isdigit() but not to int()
        return parse_whole(value, "port", low=1, high=65535)
    except ValidationError:
        raise ValidationError(
            "port", "a number from 1 to 65535, or empty for the usual port"
        ) from None


def _rate(value: str) -> float | None:
    if not value.strip():
        return None
    try:
        rate = float(value.replace(",", "."))
    except ValueError:
        raise ValidationError("rate", "letters per minute, e.g. 30, or empty") from None
    if not math.isfinite(rate) or rate <= 0:
        raise ValidationError("rate", "must be more than 0 letters per minute")
    return rate


class ExportForm(FormModal[tuple[str, Path]]):
    """Returns (format, folder)."""

    FORM_ID = "export-form"
    SAVE_LABEL = "Export"

    def __init__(
        self,
        heading: str,
        folder: Path,
        fmt: str = "eml",
        *,
        error: KommunestyreError | None = None,
    ) -> None:
        super().__init__(error=error)
        self.heading = heading
        self.folder = folder
        self.fmt = fmt

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id=self.FORM_ID):
            yield Plain(self.heading, classes="dialog-title")
            yield SelectField("Format", "format", FORMATS, self.fmt)
            yield FormField("Folder", "folder", str(self.folder), check=_folder)
            yield Plain(
                "A new or empty folder; a manifest.csv lists every letter. What is exported "
                "counts as delivered.",
                classes="note",
            )
            yield from self.compose_buttons()

    def values(self) -> dict[str, str]:
        return {"folder": self.query_one("#field-folder", FormField).value}

    def result(self) -> tuple[str, Path]:
        return str(self.query_one(SelectField).value), _folder(self.values()["folder"])


class SendForm(FormModal[tuple[SmtpSettings, str | None]]):
    """Returns the checked SMTP settings and the password (None without a user)."""

    FORM_ID = "send-form"
    SAVE_LABEL = "Send"

    def __init__(
        self,
        heading: str,
        settings: SmtpSettings | None = None,
        *,
        error: KommunestyreError | None = None,
    ) -> None:
        super().__init__(error=error)
        self.heading = heading
        self.settings = settings or SmtpSettings(host="")

    def compose(self) -> ComposeResult:
        s = self.settings
        from_env = bool(os.environ.get(PASSWORD_ENV))
        with Vertical(classes="dialog", id=self.FORM_ID):
            yield Plain(self.heading, classes="dialog-title")
            yield FormField(
                "SMTP server",
                "host",
                s.host,
                check=_required("host", "the server's name, e.g. smtp.kl.dk"),
                placeholder="smtp.example.dk",
            )
            yield FormField(
                "Port", "port", str(s.port or ""), check=_port, placeholder="empty: the usual"
            )
            yield SelectField("Security", "security", SECURITY_OPTIONS, s.security)
            yield FormField("User", "user", s.user or "", placeholder="empty: no login")
            yield FormField(
                "Password",
                "password",
                "",
                password=True,
                placeholder=f"empty: ${PASSWORD_ENV}" if from_env else "never stored",
            )
            yield FormField("Letters/minute", "rate", _number(s.per_minute), check=_rate)
            yield Plain(
                "Certificates are always checked. One failed letter does not stop the rest.",
                classes="note",
            )
            yield from self.compose_buttons()

    def action_save(self) -> None:
        if not self.fields_valid():
            return
        try:
            result = self.result()
        except ValidationError as error:
            self.app.bell()
            self.show_error(error)
            return
        self.dismiss(result)

    def result(self) -> tuple[SmtpSettings, str | None]:
        v = self.values()
        user = v["user"].strip() or None
        settings = SmtpSettings(
            host=v["host"].strip(),
            port=_port(v["port"]),
            security=str(self.query_one(SelectField).value),
            user=user,
            per_minute=_rate(v["rate"]),
        ).checked()
        if user is None:
            return settings, None
        password = v["password"] or os.environ.get(PASSWORD_ENV, "")
        if not password:
            raise ValidationError("password", f"type the password (or set ${PASSWORD_ENV})")
        return settings, password


def _required(field: str, hint: str) -> Callable[[str], None]:
    """A check that refuses an empty value with ``hint``."""

    def check(value: str) -> None:
        if not value.strip():
            raise ValidationError(field, hint)

    return check


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"
