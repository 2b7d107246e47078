"""Where each municipality stands with the programme: one answer, used everywhere.

The Contacts screen, its filter, the contacts list and the invitation's recipients all ask
:func:`standings`. Whether a municipality was *invited* is not in the register but in the
letters' ledger: the caller passes the codes of the municipalities whose contact was sent (or
exported) an invitation.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from kommunestyre.domain.model import Directorate, Register, Status
from kommunestyre.i18n import N_, _


class Standing(StrEnum):
    """The value is a key (the CLI's word for the invitation's status filter)."""

    NOT_INVITED = "not invited"  # not translated: a key (shown through label)
    INVITED = "invited"  # invited, and no answer yet: neither registered nor declined
    REGISTERED = "registered"  # somebody of the registration holds a seat
    OFFERED = "offered"  # a seat offer waits for the municipality's answer
    WAITLISTED = "waitlisted"  # on the waiting list, nobody admitted yet
    CANCELLED = "cancelled"  # the registration was cancelled (free, or late and billable)
    DECLINED = "declined"  # said no thanks (marked on the Contacts screen)

    @property
    def answered(self) -> bool:
        """Has the municipality answered the invitation, one way or the other?"""
        return self not in (Standing.NOT_INVITED, Standing.INVITED)

    @property
    def registered(self) -> bool:
        """A registration that still counts: a seat, a seat offer or a place in the queue."""
        return self in (Standing.REGISTERED, Standing.OFFERED, Standing.WAITLISTED)


#: How a standing reads on screens (through _()); a registration names its cohort.
_LABELS = {
    Standing.NOT_INVITED: N_("not invited"),
    Standing.INVITED: N_("invited, no answer"),
    Standing.REGISTERED: N_("registered, hold {cohort}"),
    Standing.OFFERED: N_("seat offered, hold {cohort}"),
    Standing.WAITLISTED: N_("waiting list, hold {cohort}"),
    Standing.DECLINED: N_("declined"),
}
_CANCELLED_FREE = N_("cancelled (free)")
_CANCELLED_LATE = N_("cancelled late (billable)")


@dataclass(frozen=True, slots=True)
class MunicipalityStanding:
    code: int
    standing: Standing
    #: The registration the standing is about (the current one, else the last cancelled one).
    directorate: Directorate | None = None
    #: A cancelled registration was binding when cancelled: it is billed (a late cancellation).
    billable: bool = False

    @property
    def cohort(self) -> int | None:
        return self.directorate.cohort if self.directorate is not None else None

    @property
    def label(self) -> str:
        """``"registered, hold 2"``, ``"cancelled late (billable)"``, ``"declined"``: in the
        language in use."""
        if self.standing is Standing.CANCELLED:
            text = _CANCELLED_LATE if self.billable else _CANCELLED_FREE
        else:
            text = _LABELS[self.standing]
        return _(text).format(cohort=self.cohort)


def matches_choice(standing: Standing, choice: str) -> bool:
    """Does a municipality that stands so belong to a status filter's ``choice``: "all", "not
    answered" (not invited, or invited without an answer), "registered" (any registration that
    counts: a seat, an offer or the queue), or one standing's own value?"""
    if choice == "all":
        return True
    if choice == "not answered":
        return not standing.answered
    if choice == "registered":
        return standing.registered
    return standing.value == choice


def standings(register: Register, invited: Collection[int]) -> dict[int, MunicipalityStanding]:
    """Every municipality that has a contact or a registration, by code, in one pass.

    A registration that counts wins (admitted > offered > waiting), then a "no thanks", then a
    cancelled registration, then the invitation. A municipality not in the result was neither
    invited nor registered: see :func:`standing_of`.
    """
    best: dict[int, Status] = {}  # directorate id -> its best status
    late: set[int] = set()  # directorates with a billable (late) cancellation
    order = (Status.ADMITTED, Status.OFFERED, Status.WAITLISTED, Status.CANCELLED)
    for p in register.participants.values():
        if p.status is Status.CANCELLED and p.billable_cancellation:
            late.add(p.directorate_id)
        if p.status not in order:
            continue
        current = best.get(p.directorate_id)
        if current is None or order.index(p.status) < order.index(current):
            best[p.directorate_id] = p.status
    # the municipality's registration: the one that counts, else the most recent one
    latest: dict[int, Directorate] = {}
    for d in register.directorates.values():
        found = latest.get(d.municipality_code)
        if found is None or _rank(d, best) > _rank(found, best):
            latest[d.municipality_code] = d
    result: dict[int, MunicipalityStanding] = {}
    for code in {*register.contacts, *latest, *invited}:
        result[code] = _standing(register, code, latest.get(code), best, late, invited)
    return result


def _rank(d: Directorate, best: dict[int, Status]) -> tuple[bool, int, int]:
    return (best.get(d.id, Status.CANCELLED).is_active, d.seq, d.id)


_ACTIVE = {
    Status.ADMITTED: Standing.REGISTERED,
    Status.OFFERED: Standing.OFFERED,
    Status.WAITLISTED: Standing.WAITLISTED,
}


def _standing(
    register: Register,
    code: int,
    directorate: Directorate | None,
    best: dict[int, Status],
    late: set[int],
    invited: Collection[int],
) -> MunicipalityStanding:
    status = best.get(directorate.id) if directorate is not None else None
    if status is not None and status in _ACTIVE:
        return MunicipalityStanding(code, _ACTIVE[status], directorate)
    contact = register.contacts.get(code)
    if contact is not None and contact.declined:
        return MunicipalityStanding(code, Standing.DECLINED, directorate)
    if directorate is not None:
        billable = directorate.id in late
        return MunicipalityStanding(code, Standing.CANCELLED, directorate, billable)
    if code in invited:
        return MunicipalityStanding(code, Standing.INVITED)
    return MunicipalityStanding(code, Standing.NOT_INVITED)


def standing_of(found: dict[int, MunicipalityStanding], code: int) -> MunicipalityStanding:
    """One municipality's standing from :func:`standings` (not invited when it is absent)."""
    return found.get(code) or MunicipalityStanding(code, Standing.NOT_INVITED)
