"""Paths as a coordinator types them into a form: ``~`` expanded, and every way the system can
refuse a name (a user that does not exist in ``~name``, a NUL, a name too long, a folder one
may not read) a reason at the field, never an exception that ends the app."""

from __future__ import annotations

from pathlib import Path

from kommunestyre.errors import ValidationError
from kommunestyre.i18n import _


def typed_path(value: str, field: str) -> Path:
    """``value`` as a path, ``~`` expanded; a ValidationError on ``field`` if it cannot be one."""
    text = value.strip()
    if "\x00" in text:
        raise ValidationError(field, _("a path cannot hold the character NUL"))
    try:
        return Path(text).expanduser()
    except RuntimeError:  # ~name of a user that does not exist
        raise ValidationError(
            field, _("{path}: there is no such home folder").format(path=text)
        ) from None


def is_file(path: Path) -> bool:
    """Is ``path`` a file one may open? False for every name the system refuses."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def is_folder(path: Path) -> bool:
    """Is ``path`` a folder? False for every name the system refuses."""
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False
