"""Time in one place: Europe/Copenhagen, and a clock that tests can freeze.

Everything that depends on "now" (cohort status, whether a cancellation is binding) takes a
:data:`Clock` instead of reading the system time itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pendulum

TIMEZONE = "Europe/Copenhagen"

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return pendulum.now(TIMEZONE)


def frozen_clock(at: datetime) -> Clock:
    """A clock that always says ``at`` (for tests and for the demo's fixed story)."""
    moment = local(at)
    return lambda: moment


def local(moment: datetime) -> pendulum.DateTime:
    """``moment`` in Copenhagen time; a naive value is taken to be Copenhagen time already."""
    if moment.tzinfo is None:
        return pendulum.instance(moment, tz=TIMEZONE)
    return pendulum.instance(moment).in_timezone(TIMEZONE)
