"""Every edit's history entry says what changed, old → new; and an erasure still leaves no
trace of the person in those lines (nor of an invoice or municipality contact it empties)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path

import pytest

from kommunestyre.clock import frozen_clock
from kommunestyre.domain.model import InvoiceDetails, ParticipantDetails, Role, Speaker
from kommunestyre.services.registry import Registry
from kommunestyre.services.setup import init_database
from kommunestyre.store.repository import ERASED_SUMMARY
from tests.conftest import EARLY, person
from tests.test_erasure import traces
from tests.test_registry import settings_with

NAME = "Søren Ærø-Åberg"
EMAIL = "soeren.aeroe@aarhus.dk"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "db"
    path.mkdir()
    return path


@pytest.fixture
def registry(folder: Path) -> Registry:
    return Registry(init_database(folder / "programme.json", clock=frozen_clock(EARLY)))


def summaries(registry: Registry) -> list[str]:
    return [e.summary for e in registry.repository.history()]


def latest(registry: Registry) -> str:
    return registry.repository.history(1)[0].summary


def register(registry: Registry, municipality: str, *members: ParticipantDetails) -> int:
    result = registry.register_directorate(
        municipality, 1, list(members), InvoiceDetails(ean="5798009813640")
    )
    assert result.record_id is not None
    return result.record_id


def test_every_kind_of_edit_says_old_and_new(registry: Registry) -> None:
    anne = ParticipantDetails("Anne Hansen", "Direktør", "kommunaldirektor", "anne@aarhus.dk")
    directorate_id = register(registry, "Aarhus", anne)
    register_ = registry.snapshot().register
    [participant] = register_.members(directorate_id)

    result = registry.edit_participant(
        participant.id, participant.rev, anne._replace(title="Kommunaldirektør", phone="12345678")
    )
    assert result.message == "details of Anne Hansen (Aarhus) updated"  # the notice stays short
    assert latest(registry) == (
        "details of Anne Hansen (Aarhus) updated: "
        "title Direktør → Kommunaldirektør; phone — → 12 34 56 78"
    )

    directorate = registry.snapshot().register.directorate(directorate_id)
    invoice = directorate.invoice._replace(reference="PO-7", contact_name="Ole Bogholder")
    registry.edit_invoice(directorate_id, directorate.rev, invoice)
    assert latest(registry) == (
        "invoice details of Aarhus updated: reference — → PO-7; invoice contact — → Ole Bogholder"
    )

    contact = registry.snapshot().register.contact(751)
    registry.edit_contact(
        751, contact.rev, dataclasses.replace(contact, name="Michael Hansen", declined=True)
    )
    assert latest(registry).startswith("Aarhus marked as declined: name ")
    assert latest(registry).endswith(" → Michael Hansen")

    cohort = registry.snapshot().register.cohort(1)
    day = cohort.registration_deadline
    venue = dataclasses.replace(cohort.seminar.venue, postcode="7100", town="Vejle")
    registry.update_cohort(
        1,
        cohort.rev,
        settings_with(
            registry,
            1,
            registration_deadline=day + timedelta(days=7),
            seminar=dataclasses.replace(cohort.seminar, venue=venue),
        ),
    )
    old_place = f"{cohort.seminar.venue.postcode} {cohort.seminar.venue.town}"
    assert latest(registry) == (
        f"settings of hold 1 updated: seminar venue {old_place} → 7100 Vejle; "
        f"deadline {day:%d.%m.%Y} → {day + timedelta(days=7):%d.%m.%Y}"
    )

    cohort = registry.snapshot().register.cohort(1)
    speakers = [Speaker("Ida Ny", "Chef", "DR", Role.MODERATOR), *cohort.speakers]
    registry.set_speakers(1, cohort.rev, speakers)
    assert latest(registry) == (
        "speakers and moderators of hold 1 updated: moderator added: Ida Ny"
    )

    cohort = registry.snapshot().register.cohort(1)
    registry.update_cohort(1, cohort.rev, settings_with(registry, 1))
    assert latest(registry) == "settings of hold 1 updated (nothing changed)"


def test_erasure_leaves_no_trace_in_the_old_and_new_lines(registry: Registry, folder: Path) -> None:
    typo = "Søren Aerø Aaberg"
    directorate_id = register(
        registry,
        "Aarhus",
        ParticipantDetails(typo, "Kommunaldirektør", "kommunaldirektor", EMAIL),
        person(),
    )
    kolding_id = register(registry, "Kolding", person())
    soeren = registry.snapshot().register.members(directorate_id)[0]
    # his name corrected: the entry holds the old spelling, and is about him
    registry.edit_participant(soeren.id, soeren.rev, soeren.details._replace(name=NAME))
    # he was the invoice contact once, then no longer: only the text names him
    directorate = registry.snapshot().register.directorate(directorate_id)
    registry.edit_invoice(
        directorate_id,
        directorate.rev,
        directorate.invoice._replace(contact_name=NAME, contact_email=EMAIL),
    )
    directorate = registry.snapshot().register.directorate(directorate_id)
    registry.edit_invoice(
        directorate_id,
        directorate.rev,
        directorate.invoice._replace(contact_name="Bogholderiet", contact_email="faktura@a.dk"),
    )
    # the municipality's contact is him; a later note names nobody, and goes with the contact
    contact = registry.snapshot().register.contact(751)
    registry.edit_contact(
        751, contact.rev, dataclasses.replace(contact, name=NAME.upper(), email=EMAIL)
    )
    contact = registry.snapshot().register.contact(751)
    registry.edit_contact(751, contact.rev, dataclasses.replace(contact, notes="Ring efter 10"))
    # somebody else's lines stay
    kolding = registry.snapshot().register.directorate(kolding_id)
    registry.edit_invoice(
        kolding_id, kolding.rev, kolding.invoice._replace(contact_name="Ole Hansen")
    )
    assert traces(folder, NAME, EMAIL, typo, "Ring efter 10")

    soeren = registry.snapshot().register.participant(soeren.id)
    registry.erase_participant(soeren.id, soeren.rev)

    assert traces(folder, NAME, EMAIL, typo, "Ring efter 10") == []
    assert sum(s == ERASED_SUMMARY for s in summaries(registry)) >= 5
    assert any("invoice contact — → Ole Hansen" in s for s in summaries(registry))
    assert registry.snapshot().register.contact(751).name == ""


def test_erasing_a_municipality_forgets_its_invoice_contact_in_the_history(
    registry: Registry, folder: Path
) -> None:
    directorate_id = register(registry, "Vejle", person(), person())
    directorate = registry.snapshot().register.directorate(directorate_id)
    contact = "Bente Bogholder-Skov"
    registry.edit_invoice(
        directorate_id,
        directorate.rev,
        directorate.invoice._replace(contact_name=contact, contact_email="bente@vejle.dk"),
    )
    assert traces(folder, contact)

    directorate = registry.snapshot().register.directorate(directorate_id)
    registry.erase_directorate(directorate_id, directorate.rev)

    assert traces(folder, contact, "bente@vejle.dk") == []
