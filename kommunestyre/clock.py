"""Time in one place: Europe/Copenhagen, and a clock that tests can freeze.

Everything that depends on "now" (cohort status, whether a cancellation is binding) takes a
:data:`Clock` instead of reading the system time itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pendulum

from kommunestyre.i18n import _

TIMEZONE = "Europe/Copenhagen"

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return pendulum.now(TIMEZONE)


def frozen_clock(at: datetime) -> Clock:
    """A clock that always says ``at`` (for tests and for the demo's fixed story)."""
    moment = local(at)
    return lambda: moment


_ZONE = pendulum.timezone(TIMEZONE)


def local(moment: datetime) -> pendulum.DateTime:
    """``moment`` in Copenhagen time; a naive value is taken to be Copenhagen time already.

    Built directly rather than through ``pendulum.instance(...).in_timezone(...)``: every
    stored meeting and timestamp passes through here when a database is read, and this is six
    times faster (2 µs instead of 13 µs) for the same value.
    """
    if moment.tzinfo is None:
        return pendulum.instance(moment, tz=TIMEZONE)
    x = moment.astimezone(_ZONE)
    return pendulum.DateTime(
        x.year, x.month, x.day, x.hour, x.minute, x.second, x.microsecond, tzinfo=_ZONE, fold=x.fold
    )


#: ``KOMMUNESTYRE_NOW=2027-01-20T10:00`` runs the command line and the app as if it were that
#: moment (Copenhagen time): for demonstrations, training and tests. Changes made meanwhile
#: are recorded at that moment.
NOW_ENV = "KOMMUNESTYRE_NOW"


def clock_from(text: str) -> Clock:
    """The clock :data:`NOW_ENV` asks for; a value that is not a moment is an error."""
    from kommunestyre.errors import ValidationError

    try:
        return frozen_clock(datetime.fromisoformat(text.strip()))
    except ValueError:
        raise ValidationError(
            NOW_ENV,
            _("{text} is not a moment (write it like 2027-01-20T10:00)").format(text=repr(text)),
        ) from None
