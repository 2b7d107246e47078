"""The pre-flight: every problem found before anything is written or sent."""

from __future__ import annotations

from pathlib import Path

import pytest

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
    assert problems["Aarhus"] == ["no e-mail address"]
    assert "one @ is needed" in problems["Odense"][0]
    assert "recipient.name is empty" in problems["København"]
    assert any("line break" in p for p in problems["Frederiksberg"])
    assert any("encoded-word" in p for p in problems["Ballerup"])
    assert any("duplicate recipient" in p for p in problems["Dragør"])
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
    assert kolding.problems == ["invoice.ean is empty"]


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
