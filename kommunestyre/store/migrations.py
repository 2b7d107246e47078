"""Upgrades of older database files, one schema version at a time.

``MIGRATIONS[n]`` turns the tables of a schema-``n`` file into schema ``n + 1``, in place. They
run when a file is read; a transaction writes the upgraded file (keeping the old one as backup).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kommunestyre.domain.model import MunicipalityContact
from kommunestyre.domain.municipalities import all_municipalities
from kommunestyre.store import codec

Tables = dict[str, dict[str, Any]]


def empty_contacts() -> dict[str, dict[str, Any]]:
    """One (still empty) contact per municipality."""
    return {
        str(m.code): codec.encode_contact(MunicipalityContact(m.code)) for m in all_municipalities()
    }


def _add_contacts_and_ledger(tables: Tables) -> None:
    """1 -> 2: municipality contacts (who letters go to) and the letters' delivery ledger."""
    tables.setdefault("contacts", empty_contacts())
    tables.setdefault("ledger", {})


def _seat_offers(tables: Tables) -> None:
    """2 -> 3: seat offers and reinstatement. Participants gain ``offered_until``,
    ``offer_key`` and ``cancelled_from``; a directorate's status is no longer stored (it
    follows from its people's); the programme gains ``offer_days`` (7)."""
    for doc in tables.get("participants", {}).values():
        doc.setdefault("offered_until", None)
        doc.setdefault("offer_key", None)
        doc.setdefault("cancelled_from", None)
    for doc in tables.get("directorates", {}).values():
        doc.pop("status", None)
    for doc in tables.get("programme", {}).values():
        doc.setdefault("offer_days", 7)


MIGRATIONS: dict[int, Callable[[Tables], None]] = {1: _add_contacts_and_ledger, 2: _seat_offers}
