"""Findings of the review of issue 11, each pinned: an invitation's sheet never makes it stale
by itself, a letter sent once is not sent again after an export with --resend, erasure reaches
the cancellation's ledger entries, a reinstated person gets their invitations again, and a
hand-edited ledger cannot stop the letters."""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path

from kommunestyre.clock import frozen_clock
from kommunestyre.domain.model import Status
from kommunestyre.letters.batch import State
from kommunestyre.letters.catalogue import Filters
from kommunestyre.lists.signup import signup_sheet
from kommunestyre.services.letters import LetterService
from kommunestyre.services.registry import Registry, find_target
from kommunestyre.services.setup import init_database
from kommunestyre.store.database import Database
from kommunestyre.store.repository import Repository
from tests.conftest import EARLY
from tests.test_erasure import traces


def services(path: Path) -> tuple[Registry, LetterService]:
    repository = Repository(Database(path), clock=frozen_clock(EARLY))
    return Registry(repository), LetterService(repository)


def test_a_sign_up_sheet_is_the_same_bytes_whenever_it_is_made(demo_db: Path, monkeypatch) -> None:
    register = Repository(Database(demo_db)).load()
    first = signup_sheet(register, 751, EARLY)
    later = time.localtime(time.time() + 86_400 * 400)  # the temporary files' time, a year on
    monkeypatch.setattr(zipfile.time, "localtime", lambda *_args: later)
    assert signup_sheet(register, 751, EARLY) == first


def test_sent_invitations_stay_current(demo_db: Path, tmp_path: Path) -> None:
    _registry, letters = services(demo_db)
    letters.export(letters.prepare("invitation"), tmp_path / "inv", "eml")
    letters.mark_sent("invitation", Filters())
    again = letters.prepare("invitation", Filters(status="all"))
    sent = [x for x in again.letters if x.delivered is not None]
    assert sent and {x.state for x in sent} == {State.SENT}


def test_a_letter_sent_and_then_exported_again_is_not_due(demo_db: Path, tmp_path: Path) -> None:
    _registry, letters = services(demo_db)
    letters.export(letters.prepare("confirmation"), tmp_path / "a", "eml")
    letters.mark_sent("confirmation", Filters())
    letters.export(letters.prepare("confirmation", resend=True), tmp_path / "b", "eml")
    states = {x.state for x in letters.prepare("confirmation").letters}
    assert states == {State.SENT}  # a copy written to a file is not a letter still to send


def test_a_reinstated_person_gets_their_invitations_again(demo_db: Path, tmp_path: Path) -> None:
    registry, letters = services(demo_db)
    letters.export(letters.prepare("practical", Filters(cohort=1)), tmp_path / "p", "eml")
    letters.mark_sent("practical", Filters(cohort=1))
    register = registry.snapshot().register
    person = next(
        p for p in register.participants.values() if p.cohort == 1 and p.status is Status.ADMITTED
    )
    registry.cancel_participant(person.id, person.rev)
    letters.export(letters.prepare("cancellation"), tmp_path / "c", "eml")
    letters.mark_sent("cancellation", Filters())
    person = registry.snapshot().register.participant(person.id)
    registry.reinstate_participant(person.id, person.rev)
    batch = letters.prepare("practical", Filters(cohort=1))
    mine = next(x for x in batch.letters if x.recipient.key == f"participant:{person.id}")
    assert mine.state is State.READY  # the cancellation took the meetings out of the calendar
    others = [x for x in batch.letters if x is not mine]
    assert {x.state for x in others} == {State.SENT}


def test_erasure_reaches_the_cancellation_sent_to_an_old_address(tmp_path: Path) -> None:
    name, email = "Søren Ærø-Åberg", "soeren.aeroe@aarhus.dk"
    folder = tmp_path / "db"
    folder.mkdir()
    registry = Registry(init_database(folder / "p.json", clock=frozen_clock(EARLY)))
    sheet = tmp_path / "s.csv"
    sheet.write_text(
        "Kommune;Hold;Navn;Titel;Fagområde;E-mail\n"
        f"Aarhus;1;{name};Kommunaldirektør;kommunaldirektor;{email}\n"
        "Aarhus;1;Anden Person;Direktør;andet;anden@aarhus.dk\n",
        "utf-8",
    )
    registry.import_registrations(sheet)
    letters = LetterService(registry.repository)
    person = find_target(registry.snapshot().register, email, "any")
    registry.cancel_participant(person.id, person.rev)
    letters.export(letters.prepare("cancellation"), tmp_path / "out", "eml")
    p = registry.snapshot().register.participant(person.id)
    registry.edit_participant(p.id, p.rev, p.details._replace(email="ny@aarhus.dk"))
    p = registry.snapshot().register.participant(person.id)
    registry.erase_participant(p.id, p.rev)
    assert traces(folder, name, email) == []


def test_a_hand_edited_ledger_fact_does_not_stop_the_letters(demo_db: Path, tmp_path: Path) -> None:
    registry, letters = services(demo_db)
    letters.export(letters.prepare("confirmation"), tmp_path / "a", "eml")
    letters.mark_sent("confirmation", Filters())
    data = json.loads(demo_db.read_text("utf-8"))
    for entry in data["ledger"].values():
        for facts in (entry.get("facts") or {}).values():
            facts["seminar_start"] = "garbage"
    demo_db.write_text(json.dumps(data), "utf-8")
    cohort = registry.snapshot().register.cohort(1)
    from tests.test_registry import settings_with

    later = cohort.seminar.__class__(
        start=cohort.seminar.start.replace(hour=13),
        end=cohort.seminar.end,
        venue=cohort.seminar.venue,
    )
    registry.update_cohort(1, cohort.rev, settings_with(registry, 1, seminar=later))
    batch = letters.prepare("confirmation", resend=True)
    assert batch.letters and all(x.state is not State.ERROR for x in batch.letters)
    assert any(x.subject.startswith("Ændret: ") for x in batch.letters)  # an update, still
    assert letters.ledger()  # the ledger reads, too
