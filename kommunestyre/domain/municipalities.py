"""Denmark's 98 municipalities, and a look-up that forgives how people spell them.

Coordinators type "Århus", "Lyngby-Tårbæk", "høje taastrup", "Københavns Kommune" or a code like
"0751"; all of them must land on the right municipality, and nothing else may.
"""

from __future__ import annotations

import csv
import difflib
import re
from datetime import date
from functools import cache
from importlib import resources

from kommunestyre.domain.model import Municipality
from kommunestyre.errors import ValidationError
from kommunestyre.i18n import _

#: Region Hovedstaden and Region Sjælland merge into Region Østdanmark on 1 January 2027.
REGION_MERGER_DATE = date(2027, 1, 1)
_MERGED_REGIONS = {"Hovedstaden", "Sjælland"}
_MERGED_NAME = "Østdanmark"

_SUFFIXES = re.compile(r"\b(regionskommune|kommune)\b")
_FOLDS = (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("é", "e"), ("ü", "u"), ("ö", "oe"), ("ä", "ae"))


def region_on(municipality: Municipality, day: date) -> str:
    """The municipality's region on ``day``, knowing the 2027 merger."""
    if municipality.region in _MERGED_REGIONS and day >= REGION_MERGER_DATE:
        return f"Region {_MERGED_NAME}"
    return f"Region {municipality.region}"


@cache
def all_municipalities() -> tuple[Municipality, ...]:
    """The 98 municipalities in code order (read once from the packaged CSV)."""
    text = resources.files("kommunestyre.domain").joinpath("municipalities.csv").read_text("utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    rows = csv.DictReader(lines)
    return tuple(
        Municipality(
            code=int(row["code"]),
            name=row["name"],
            official_name=row["official_name"],
            region=row["region"],
        )
        for row in rows
    )


def spelling_key(text: str) -> str:
    """A loose key: case, spaces, hyphens, "Kommune" and æ/ø/å versus ae/oe/aa/o/a ignored."""
    text = _SUFFIXES.sub("", text.casefold())
    for letter, spelled in _FOLDS:
        text = text.replace(letter, spelled)
    text = re.sub(r"[^a-z0-9]", "", text)
    # "aa", "ae", "oe" are also typed as plain "a" and "o" ("Kobenhavn", "Arhus").
    return text.replace("aa", "a").replace("ae", "a").replace("oe", "o")


@cache
def _index() -> dict[str, Municipality]:
    index: dict[str, Municipality] = {}
    for municipality in all_municipalities():
        for spelling in (municipality.name, municipality.official_name):
            index[spelling_key(spelling)] = municipality
    # Genitive forms ("Nordfyns" / "Nordfyn", "Vesthimmerlands" / "Vesthimmerland"), never
    # shadowing a real name.
    for key, municipality in list(index.items()):
        index.setdefault(key[:-1] if key.endswith("s") else key + "s", municipality)
    return index


def by_code(code: int) -> Municipality:
    for municipality in all_municipalities():
        if municipality.code == code:
            return municipality
    raise ValidationError(
        "municipality", _("there is no municipality with code {code}").format(code=f"{code:03d}")
    )


def find_municipality(text: str | int) -> Municipality:
    """The municipality meant by a name, an official name or a code; a clear error otherwise."""
    if isinstance(text, int):
        return by_code(text)
    cleaned = text.strip()
    if not cleaned:
        raise ValidationError("municipality", _("a municipality is required"))
    if cleaned.isascii() and cleaned.isdigit():
        if len(cleaned) > 4:  # "0751" is Aarhus too
            raise ValidationError(
                "municipality",
                _("{text}… is not a municipality code").format(text=repr(cleaned[:12])),
            )
        return by_code(int(cleaned))
    found = _index().get(spelling_key(cleaned))
    if found is not None:
        return found
    names = [m.name for m in all_municipalities()]
    close = difflib.get_close_matches(cleaned.title(), names, n=3, cutoff=0.6)
    shown = repr(cleaned) if len(cleaned) <= 40 else repr(cleaned[:37]) + "…"
    if close:
        message = _("{text} is not a Danish municipality (did you mean {names}?)").format(
            text=shown, names=", ".join(close)
        )
    else:
        message = _("{text} is not a Danish municipality").format(text=shown)
    raise ValidationError("municipality", message)
