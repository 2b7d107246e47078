from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from kommunestyre.clock import local
from kommunestyre.formats import (
    clock_time,
    long_date,
    long_moment,
    money,
    short_date,
    short_range,
)


def test_danish_dates(danish: None) -> None:
    assert long_date(date(2022, 11, 8)) == "tirsdag den 8. november 2022"
    assert long_moment(local(datetime(2022, 11, 8, 12))) == "tirsdag den 8. november 2022 kl. 12.00"
    assert clock_time(local(datetime(2027, 4, 21, 9, 30))) == "kl. 09.30"
    assert short_date(date(2027, 2, 4)) == "04.02.2027"


def test_ranges() -> None:
    assert short_range(date(2027, 2, 24), date(2027, 2, 25)) == "24.-25.02.2027"
    assert short_range(date(2027, 4, 30), date(2027, 5, 1)) == "30.04.-01.05.2027"
    assert short_range(date(2026, 12, 31), date(2027, 1, 1)) == "31.12.2026-01.01.2027"
    assert short_range(date(2027, 1, 1), date(2027, 1, 1)) == "01.01.2027"


def test_money(danish: None) -> None:
    assert money(14900, decimals=False) == "14.900 kr."
    assert money(18625) == "18.625,00 kr."
    assert money(0) == "0,00 kr."
    assert money(999, decimals=False) == "999 kr."


def test_english_follows_the_interface_and_danish_can_be_asked_for() -> None:
    moment = local(datetime(2027, 3, 3, 12, 0))
    assert long_moment(moment) == "Wednesday 3 March 2027 at 12:00"
    assert money(Decimal("18625")) == "DKK 18,625.00"
    assert money(14900, decimals=False) == "DKK 14,900"
    assert money(-5, decimals=False) == "DKK -5"
    assert long_moment(moment, "da") == "onsdag den 3. marts 2027 kl. 12.00"
    assert money(14900, decimals=False, language="da") == "14.900 kr."
