"""The Jinja2 environment for letters: sandboxed, strict, HTML-escaped only in HTML, with the
Danish filters, and a coordinator's own templates folder in front of the built-in one."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.sandbox import ImmutableSandboxedEnvironment

from kommunestyre.errors import KommunestyreError
from kommunestyre.formats import clock_time, long_date, long_moment, money, short_date
from kommunestyre.resources import templates_dir


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def periode(meeting: dict[str, Any]) -> str:
    """A meeting's time span: one day, or from one moment to another."""
    start, end = meeting["start"], meeting["end"]
    if start.date() == end.date():
        return f"{long_date(start.date())} {clock_time(start)}-{end:%H.%M}"
    return f"fra {long_moment(start)} til {long_moment(end)}"


def antal(count: int, one: str, many: str) -> str:
    """``{{ n | antal("deltager", "deltagere") }}``: "1 deltager", "4 deltagere"."""
    return f"{count} {one if count == 1 else many}"


FILTERS = {
    "dato": lambda value: long_date(_day(value)),
    "kort_dato": lambda value: short_date(_day(value)),
    "kl": clock_time,
    "tidspunkt": long_moment,
    "periode": periode,
    "kr": lambda amount: money(Decimal(amount), decimals=False),
    "kr_ore": lambda amount: money(Decimal(amount), decimals=True),
    "antal": antal,
}


class TemplatesNotFound(KommunestyreError):
    title = "Templates"


class LetterEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox, with a shortcut for the plain dicts our letters are given.

    ``cohort.venue`` on a dict makes Jinja try the attribute first, fail with an exception and
    then read the key: the sandbox returns the key's value unchecked in that case anyway, so for
    a dict that has the key we read it directly. Everything else takes the sandbox's own path.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def make_environment(own_templates: Path | None = None) -> ImmutableSandboxedEnvironment:
    """Templates from ``own_templates`` (if given) override the built-in ones by name."""
    folders = []
    if own_templates is not None:
        if not own_templates.is_dir():
            raise TemplatesNotFound(f"{own_templates} is not a folder of letter templates")
        folders.append(FileSystemLoader(own_templates))
    folders.append(FileSystemLoader(templates_dir()))
    environment = LetterEnvironment(
        loader=ChoiceLoader(folders),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    environment.filters.update(FILTERS)
    return environment
