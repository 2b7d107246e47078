"""Dates, times and money as a coordinator reads them: Danish, or English with ``--lang en``.

Written out here rather than through a locale library: the rules are few, they must be exact
("14.900 kr.", "18.625,00 kr.", "tirsdag den 8. november 2022", "kl. 12.00"), and the CLI's
quick commands should not pay for importing a locale database.

Each function speaks the interface's language (:func:`kommunestyre.i18n.language`) unless told
``language=``: letters and lists are Danish documents and always ask for "da".
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from kommunestyre import i18n

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
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _danish(language: str | None) -> bool:
    return (language or i18n.language()) == "da"


def weekday(day: date, language: str | None = None) -> str:
    """``onsdag`` / ``Wednesday``"""
    return (WEEKDAYS if _danish(language) else WEEKDAYS_EN)[day.weekday()]


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


def long_date(day: date, language: str | None = None) -> str:
    """``onsdag den 24. februar 2027`` / ``Wednesday 24 February 2027``"""
    if _danish(language):
        return f"{WEEKDAYS[day.weekday()]} den {day.day}. {MONTHS[day.month - 1]} {day.year}"
    return f"{WEEKDAYS_EN[day.weekday()]} {day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def day_month(day: date, language: str | None = None) -> str:
    """``24. februar`` / ``24 February``"""
    if _danish(language):
        return f"{day.day}. {MONTHS[day.month - 1]}"
    return f"{day.day} {MONTHS_EN[day.month - 1]}"


def clock_time(moment: datetime, language: str | None = None) -> str:
    """``kl. 12.00`` / ``12:00``"""
    if _danish(language):
        return f"kl. {moment.hour:02d}.{moment.minute:02d}"
    return f"{moment.hour:02d}:{moment.minute:02d}"


def long_moment(moment: datetime, language: str | None = None) -> str:
    """``onsdag den 24. februar 2027 kl. 12.00`` / ``Wednesday 24 February 2027 at 12:00``"""
    day = long_date(moment.date(), language)
    if _danish(language):
        return f"{day} {clock_time(moment, language)}"
    return f"{day} at {clock_time(moment, language)}"


def _group_thousands(digits: str, separator: str) -> str:
    groups: list[str] = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return separator.join(groups)


def money(amount: Decimal | int, *, decimals: bool = True, language: str | None = None) -> str:
    """``18.625,00 kr.`` / ``DKK 18,625.00``; with ``decimals=False`` and a whole amount,
    ``14.900 kr.`` / ``DKK 14,900``.

    Rounded half up to øre; a whole amount asked for without decimals keeps none.
    """
    danish = _danish(language)
    value = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    whole, _, fraction = f"{abs(value):.2f}".partition(".")
    text = _group_thousands(whole, "." if danish else ",")
    if decimals or fraction != "00":
        text = f"{text}{',' if danish else '.'}{fraction}"
    return f"{sign}{text} kr." if danish else f"DKK {sign}{text}"


def percent(rate: Decimal, language: str | None = None) -> str:
    """``25 %`` / ``25%`` for a rate of 0.25."""
    value = (rate * 100).normalize()
    if _danish(language):
        return f"{value:f}".replace(".", ",") + " %"
    return f"{value:f}%"
