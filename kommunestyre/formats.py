"""Danish formats for dates, times and money.

Written out here rather than through a locale library: the rules are few, they must be exact
("14.900 kr.", "18.625,00 kr.", "tirsdag den 8. november 2022", "kl. 12.00"), and the CLI's
quick commands should not pay for importing a locale database.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)


def short_date(day: date) -> str:
    """``24.02.2027``"""
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


def short_range(start: date, end: date) -> str:
    """``24.-25.02.2027``, ``30.04.-01.05.2027``, ``31.12.2026-01.01.2027``."""
    if start == end:
        return short_date(start)
    if start.year != end.year:
        return f"{short_date(start)}-{short_date(end)}"
    if start.month != end.month:
        return f"{start.day:02d}.{start.month:02d}.-{short_date(end)}"
    return f"{start.day:02d}.-{short_date(end)}"


def long_date(day: date) -> str:
    """``onsdag den 24. februar 2027``"""
    return f"{WEEKDAYS[day.weekday()]} den {day.day}. {MONTHS[day.month - 1]} {day.year}"


def day_month(day: date) -> str:
    """``24. februar``"""
    return f"{day.day}. {MONTHS[day.month - 1]}"


def clock_time(moment: datetime) -> str:
    """``kl. 12.00``"""
    return f"kl. {moment.hour:02d}.{moment.minute:02d}"


def long_moment(moment: datetime) -> str:
    """``onsdag den 24. februar 2027 kl. 12.00``"""
    return f"{long_date(moment.date())} {clock_time(moment)}"


def _group_thousands(digits: str) -> str:
    groups: list[str] = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return ".".join(groups)


def money(amount: Decimal | int, *, decimals: bool = True) -> str:
    """``18.625,00 kr.``; with ``decimals=False`` and a whole amount, ``14.900 kr.``.

    Rounded half up to øre; a whole amount asked for without decimals keeps none.
    """
    value = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    whole, _, fraction = f"{abs(value):.2f}".partition(".")
    text = _group_thousands(whole)
    if decimals or fraction != "00":
        text = f"{text},{fraction}"
    return f"{sign}{text} kr."


def percent(rate: Decimal) -> str:
    """``25 %`` for a rate of 0.25."""
    value = (rate * 100).normalize()
    text = f"{value:f}".replace(".", ",")
    return f"{text} %"
