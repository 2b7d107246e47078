"""The pre-flight: every problem found before anything is written or sent."""

from __future__ import annotations

from pathlib import Path

import pytest

from kommunestyre.domain.municipalities import by_code
from kommunestyre.errors import ValidationError
from kommunestyre.letters.batch import State
from kommunestyre.letters.catalogue import Filters
from kommunestyre.letters.delivery import DeliveryError
from kommunestyre.services.letters import LetterService
from kommunestyre.store.repository import Repository


def tamper(repository: Repository, edit) -> None:
    """Put data the forms would refuse straight into the register."""
    with repository.change() as change:
        edit(change.register)


def test_missing_and_invalid_values_are_reported(
    repository: Repository, service: LetterService, tmp_path: Path
) -> None:
    def edit(register) -> None:
        register.contact(751).email = ""
        register.contact(461).email = "no-at-sign"
        register.contact(101).name = ""
        register.contact(147).name = "Evil\r\nBcc: all@x.dk"
        register.contact(151).name = "=?utf-8?q?trick?="
        register.contact(153).email = register.contact(155).email

    tamper(repository, edit)
    batch = service.prepare("invitation", Filters(status="all"))
    problems = {x.recipient.label: x.problems for x in batch.errors}
    # Each says who, what, and where to correct it, in the coordinator's words.
    [aarhus] = problems["Aarhus"]
    name = repository.load().contact(751).name
    assert aarhus == (
        f"no e-mail address for {name} (contact, Aarhus Kommune): fix it on the Contacts screen (e)"
    )
    assert problems["Odense"][0].startswith("the e-mail address of ")
    assert "one @ is needed" in problems["Odense"][0]
    assert problems["København"] == [
        "no name for Københavns Kommune (contact): fix it on the Contacts screen (e)"
    ]
    assert any(
        p.startswith("the name of Frederiksberg Kommune (contact) cannot be used")
        and "line break" in p
        for p in problems["Frederiksberg"]
    )
    assert not any("Evil" in p for p in problems["Frederiksberg"])  # not quoted when unsafe
    assert any("encoded-word" in p for p in problems["Ballerup"])
    assert any("duplicate recipient" in p for p in problems["Dragør"])
    assert all(
        p.endswith("fix it on the Contacts screen (e)") for ps in problems.values() for p in ps
    )
    assert not any("recipient." in p for ps in problems.values() for p in ps)  # no template jargon
    assert not batch.clean

    target = tmp_path / "out"
    with pytest.raises(DeliveryError, match="pre-flight found problems"):
        service.export(batch, target, "eml")
    assert not target.exists()

    skip = tuple(x.recipient.email or x.recipient.key for x in batch.errors)
    batch = service.prepare("invitation", Filters(status="all"), skip=skip)
    # Skipping the duplicated address leaves out both municipalities that share it.
    assert batch.clean and batch.count(State.SKIPPED) == len(skip) + 1
    report = service.export(batch, target, "eml")
    assert len(report.deliveries) == 98 - len(skip) - 1


def test_confirmation_needs_an_ean(repository: Repository, service: LetterService) -> None:
    def edit(register) -> None:
        for d in register.directorates.values():
            if d.municipality_code == 621:
                d.invoice = d.invoice._replace(ean="")

    tamper(repository, edit)
    [kolding] = service.prepare("confirmation").errors
    assert kolding.problems == [
        "no EAN number for Kolding Kommune (invoice): fix it on the Cohort screen (i)"
    ]


def test_a_participant_is_named_with_the_screen_that_corrects_them(
    repository: Repository, service: LetterService
) -> None:
    def edit(register) -> None:
        person = next(p for p in register.participants.values() if p.cohort == 3)
        person.details = person.details._replace(email="")

    tamper(repository, edit)
    [letter] = service.prepare("practical").errors
    register = repository.load()
    person = register.participant(int(letter.recipient.key.split(":")[1]))
    town = by_code(register.directorate(person.directorate_id).municipality_code).official_name
    assert letter.problems == [
        f"no e-mail address for {person.name} ({town}): fix it on the Register screen (e)"
    ]


def test_filters(service: LetterService) -> None:
    assert {
        x.recipient.cohort for x in service.prepare("practical", Filters(cohort=3)).letters
    } == {3}
    techies = service.prepare("practical", Filters(field="beskaeftigelse")).letters
    assert techies and all("Teknik" in x.recipient.context["recipient"]["title"] for x in techies)
    assert len(service.prepare("invitation", Filters(status="registered")).letters) == 30
    assert len(service.prepare("invitation", Filters(status="declined")).letters) == 2
    with pytest.raises(ValidationError, match="'waitlisted' is not a choice"):
        service.prepare("practical", Filters(status="waitlisted"))  # never to waiting people
