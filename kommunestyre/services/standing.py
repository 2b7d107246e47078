"""What the ledger adds to the register, without rendering a letter: who was invited (so where
each municipality stands), and which delivered letters a change of a cohort made stale."""

from __future__ import annotations

from datetime import datetime

from kommunestyre.domain.model import Register
from kommunestyre.domain.standing import MunicipalityStanding, standings
from kommunestyre.letters.ledger import invitations, read_ledger
from kommunestyre.letters.notices import Facts, changed_cohorts, programme_facts, stale_by_facts
from kommunestyre.store.repository import Repository


def invited_municipalities(repository: Repository) -> dict[int, datetime]:
    """The municipalities whose contact was sent (or exported) an invitation, and when."""
    return invitations(read_ledger(repository, "invitation"))


def municipality_standings(
    repository: Repository, register: Register
) -> dict[int, MunicipalityStanding]:
    """Where each municipality stands (see :mod:`kommunestyre.domain.standing`)."""
    return standings(register, invited_municipalities(repository))


def stale_after_change(repository: Repository, before: Facts, after: Register) -> int:
    """How many delivered letters state something about a cohort that a change (from
    ``before``, the cohorts' facts, to ``after``) made untrue. Only when a cohort's dates,
    times, venues or deadline changed is the ledger read at all."""
    now = programme_facts(after.programme)
    cohorts = changed_cohorts(before, now)
    if not cohorts:
        return 0
    return len(stale_by_facts(read_ledger(repository), now, cohorts))
