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
from kommunestyre.i18n import N_, _
from kommunestyre.letters import PASSWORD_ENV
from kommunestyre.letters.delivery import DeliveryError, SmtpSettings, check_target
from kommunestyre.tui.modals.form_modal import FormModal
from kommunestyre.tui.modals.pickers import BROWSE_BINDING, ChooseFolder, browse, browse_button
from kommunestyre.tui.typed_paths import typed_path
from kommunestyre.tui.widgets.form import FormField, SelectField
from kommunestyre.tui.widgets.plain import Plain

#: The choices' words (English, marked N_: shown through _()) and their values.
FORMATS = [(N_(".eml: a file per letter"), "eml"), (N_("mbox: one mailbox file"), "mbox")]
SECURITY_OPTIONS = [
    (N_("STARTTLS (port 587)"), "starttls"),
    (N_("SSL/TLS (port 465)"), "ssl"),
    (N_("None (port 25, no password)"), "none"),
]


def _choices(options: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(_(label), value) for label, value in options]


def _folder(value: str) -> Path:
    if not value.strip():
        raise ValidationError("folder", _("name a folder to export into"))
    try:
        return check_target(typed_path(value, "folder"))
    except DeliveryError as error:
        raise ValidationError("folder", error.message) from None


def _port(value: str) -> int | None:
    if not value.strip():
        return None
    try:  # digits 0-9 only: "²" is a digit to str.isdigit() but not to int()
        return parse_whole(value, "port", low=1, high=65535)
    except ValidationError:
        raise ValidationError(
            "port", _("a number from 1 to 65535, or empty for the usual port")
        ) from None


def _rate(value: str) -> float | None:
    if not value.strip():
        return None
    try:
        rate = float(value.replace(",", "."))
    except ValueError:
        raise ValidationError("rate", _("letters per minute, e.g. 30, or empty")) from None
    if not math.isfinite(rate) or rate <= 0:
        raise ValidationError("rate", _("must be more than 0 letters per minute"))
    return rate


class ExportForm(FormModal[tuple[str, Path]]):
    """Returns (format, folder)."""

    FORM_ID = "export-form"
    SAVE_LABEL = N_("Export")
    BINDINGS = [BROWSE_BINDING]

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
            yield SelectField(_("Format"), "format", _choices(FORMATS), self.fmt)
            yield FormField(_("Folder"), "folder", str(self.folder), check=_folder)
            yield Plain(
                _(
                    "A new or empty folder; a manifest.csv lists every letter. What is exported "
                    "counts as delivered."
                ),
                classes="note",
            )
            yield from self.compose_buttons(browse_button())

    def action_browse(self) -> None:
        """Choose where the letters go: an empty folder is used as it is; in any other a new
        folder is made, named as the one suggested."""
        leaf = self.folder.name

        def into(folder: Path) -> Path:
            try:
                empty = not any(folder.iterdir())
            except OSError:  # unreadable: the export names the problem when it gets there
                empty = False
            return folder if empty else folder / leaf

        browse(self.query_one("#field-folder", FormField), ChooseFolder, into)

    def values(self) -> dict[str, str]:
        return {"folder": self.query_one("#field-folder", FormField).value}

    def result(self) -> tuple[str, Path]:
        return str(self.query_one(SelectField).value), _folder(self.values()["folder"])


class SendForm(FormModal[tuple[SmtpSettings, str | None]]):
    """Returns the checked SMTP settings and the password (None without a user)."""

    FORM_ID = "send-form"
    SAVE_LABEL = N_("Send")

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
                _("SMTP server"),
                "host",
                s.host,
                check=_required("host", _("the server's name, e.g. smtp.kl.dk")),
                placeholder="smtp.example.dk",  # not translated: an example host name
            )
            yield FormField(
                _("Port"),
                "port",
                str(s.port or ""),
                check=_port,
                placeholder=_("empty: the usual"),
            )
            yield SelectField(_("Security"), "security", _choices(SECURITY_OPTIONS), s.security)
            yield FormField(_("User"), "user", s.user or "", placeholder=_("empty: no login"))
            yield FormField(
                _("Password"),
                "password",
                "",
                password=True,
                placeholder=_("empty: ${variable}").format(variable=PASSWORD_ENV)
                if from_env
                else _("never stored"),
            )
            yield FormField(_("Letters/minute"), "rate", _number(s.per_minute), check=_rate)
            yield Plain(
                _("Certificates are always checked. One failed letter does not stop the rest."),
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
            raise ValidationError(
                "password",
                _("type the password (or set ${variable})").format(variable=PASSWORD_ENV),
            )
        return settings, password


def _required(field: str, hint: str) -> Callable[[str], None]:
    """A check that refuses an empty value with ``hint``."""

    def check(value: str) -> None:
        if not value.strip():
            raise ValidationError(field, hint)

    return check


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"
