"""What a season's ordinary changes did to the figures before, and must never do again: after an
import, a move, a reinstatement and a seat offer, the register, the headcount, the pricing, the
invoice list and the letters agree (each test here failed on the first version)."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from kommunestyre.clock import frozen_clock, local
from kommunestyre.domain.model import InvoiceDetails, ParticipantDetails, Status
from kommunestyre.errors import RuleError
from kommunestyre.letters.catalogue import LETTERS, Filters
from kommunestyre.lists.importer import describe_rows
from kommunestyre.services.letters import LetterService
from kommunestyre.services.registry import Registry
from kommunestyre.services.setup import init_database
from tests.agreement import check_agreement
from tests.conftest import EARLY

EAN = "5798009813640"


class Clock:
    """A clock the test moves on."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(EARLY)


@pytest.fixture
def registry(db_path: Path, clock: Clock) -> Registry:
    return Registry(init_database(db_path, clock=clock))


def director(name: str, email: str, field: str = "kommunaldirektor", **more: str):
    return ParticipantDetails(name=name, title="Direktør", field=field, email=email, **more)


def aarhus(registry: Registry, size: int = 4, cohort: int = 1) -> int:
    fields = ["kommunaldirektor", "born_kultur", "social_sundhed", "teknik_miljo"]
    members = [
        director(
            f"Person {i} Aarhus", f"p{i}@aarhus.dk", fields[i % 4], phone="86 12 34 5" + str(i)
        )
        for i in range(size)
    ]
    result = registry.register_directorate("Aarhus", cohort, members, InvoiceDetails(ean=EAN))
    assert result.record_id is not None
    return result.record_id


def sheet(path: Path, header: list[str], *rows: list[str]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), "utf-8")
    return path


def agree(registry: Registry) -> None:
    snapshot = registry.snapshot()
    check_agreement(snapshot.register, snapshot.now)


# -- 1. an import updates what it fills in, nothing else ----------------------------------------


def test_a_corrections_sheet_changes_only_what_it_fills_in(
    registry: Registry, tmp_path: Path
) -> None:
    did = aarhus(registry)
    before = registry.snapshot().register.members(did)[1].details
    assert before.field == "born_kultur"
    path = sheet(
        tmp_path / "rettelser.csv",
        ["Kommune", "Hold", "Navn", "E-mail", "Kost"],
        ["Aarhus", "1", before.name, before.email, "Vegetar"],
    )
    preview = registry.preview_import(path)
    assert describe_rows(preview.plan) == [
        f"row 2: updates {before.name} <{before.email}> (Aarhus, hold 1); needs: '' → 'Vegetar'"
    ]
    registry.import_registrations(path)
    after = registry.snapshot().register.members(did)[1].details
    assert after == before._replace(needs="Vegetar")  # field, title, phone untouched
    # An empty cell keeps the value too: the same sheet with no diet says nothing new.
    path = sheet(
        tmp_path / "igen.csv",
        ["Kommune", "Hold", "Navn", "Titel", "Fagområde", "E-mail", "Kost"],
        ["Aarhus", "1", before.name, "", "", before.email, ""],
    )
    report = registry.import_registrations(path)
    assert not report.saved and report.plan.count("duplicate") == 1
    assert registry.snapshot().register.members(did)[1].details == after
    agree(registry)


# -- 2. a move puts the person, the seat and the letter in the new cohort -----------------------


def test_one_person_moved_is_listed_counted_billed_and_written_to_in_the_new_cohort(
    registry: Registry,
) -> None:
    did = aarhus(registry)
    moved = registry.snapshot().register.members(did)[3]
    registry.move_participant(moved.id, moved.rev, 2)
    snapshot = registry.snapshot()
    register, now = snapshot.register, snapshot.now
    agree(registry)
    letters = {
        r.cohort: r for r in LETTERS["confirmation"].select(register, now, Filters())
    }  # fmt: skip
    assert [m["name"] for m in letters[2].context["members"]] == [moved.name]
    assert letters[1].context["totals"]["participants"] == 3
    assert letters[2].context["totals"]["participants"] == 1
    assert letters[1].key == f"directorate:{did}" and letters[2].key == f"directorate:{did}:hold2"


def test_a_move_that_does_not_fit_is_refused_and_changes_nothing(
    registry: Registry, db_path: Path
) -> None:
    towns = ["Kolding", "Vejle", "Fredericia", "Middelfart", "Haderslev", "Aabenraa",
             "Sønderborg", "Esbjerg", "Odense", "Svendborg"]  # fmt: skip
    for n, town in enumerate(towns):
        registry.register_directorate(
            town, 2, [director(f"D {n}", f"d{n}@{n}.dk")], InvoiceDetails()
        )
    did = aarhus(registry)
    person = registry.snapshot().register.members(did)[0]
    before = db_path.read_bytes()
    with pytest.raises(RuleError, match="no directorate place left"):
        registry.move_participant(person.id, person.rev, 2)
    assert db_path.read_bytes() == before


# -- 3. a mistaken cancellation is undone and billed once ---------------------------------------


def test_a_reinstated_late_cancellation_is_billed_once(registry: Registry, clock: Clock) -> None:
    did = aarhus(registry)
    clock.now = local(datetime(2027, 1, 20, 10))  # hold 1's deadline was 13.01.2027
    person = registry.snapshot().register.members(did)[0]
    assert "binding, billable" in registry.cancel_participant(person.id, person.rev).message
    agree(registry)
    person = registry.snapshot().register.participant(person.id)
    result = registry.reinstate_participant(person.id, person.rev)
    assert result.message.endswith("reinstated: admitted to hold 1")
    register = registry.snapshot().register
    assert register.participant(person.id).status is Status.ADMITTED
    [letter] = LETTERS["confirmation"].select(register, clock.now, Filters())
    assert letter.context["totals"]["participants"] == 4
    assert letter.context["late_cancellations"] == []
    agree(registry)


# -- 4. after the deadline a freed seat is offered, not imposed ---------------------------------


def test_an_accepted_offer_shows_the_same_figures_everywhere(
    registry: Registry, clock: Clock
) -> None:
    towns = ["Kolding", "Vejle", "Fredericia", "Middelfart", "Haderslev", "Aabenraa",
             "Sønderborg", "Esbjerg", "Odense", "Svendborg"]  # fmt: skip
    for n, town in enumerate(towns):
        registry.register_directorate(
            town, 1, [director(f"D {n} {m}", f"d{n}.{m}@{n}.dk") for m in range(4)],
            InvoiceDetails(ean=EAN),
        )  # fmt: skip
    waiting = aarhus(registry, size=2)  # hold 1 is full: waits
    clock.now = local(datetime(2027, 1, 20, 10))
    kolding = registry.snapshot().register.directorate_of_municipality(621)
    assert kolding is not None
    result = registry.cancel_directorate(kolding.id, kolding.rev)
    assert result.promotions == ("Aarhus offered a seat in hold 1 (answer by 27.01.2027)",)
    agree(registry)
    register = registry.snapshot().register
    assert [r.label for r in LETTERS["offer"].select(register, clock.now, Filters())] == ["Aarhus"]
    first = register.members(waiting)[0]
    registry.accept_offer(first.id, first.rev)
    agree(registry)
    register = registry.snapshot().register
    assert {p.status for p in register.members(waiting)} == {Status.ADMITTED}


# -- 5. letters say only what is true -------------------------------------------------------------


@pytest.fixture
def service(demo_db: Path) -> LetterService:
    from kommunestyre.store.database import Database
    from kommunestyre.store.repository import Repository

    return LetterService(Repository(Database(demo_db), clock=frozen_clock(EARLY)))


def test_practical_and_followup_letters_go_only_to_seated_people_when_true(
    service: LetterService, demo_db: Path
) -> None:
    from kommunestyre.store.database import Database
    from kommunestyre.store.repository import Repository

    register = Repository(Database(demo_db)).load()
    waiting = {f"participant:{p.id}" for p in register.participants.values()
               if p.status is not Status.ADMITTED}  # fmt: skip
    practical = service.prepare("practical").letters
    assert practical and not waiting & {x.recipient.key for x in practical}
    assert service.prepare("followup").letters == []  # no seminar has taken place yet
    later = LetterService(
        Repository(Database(demo_db), clock=frozen_clock(local(datetime(2027, 3, 1, 9))))
    )
    followup = later.prepare("followup").letters
    assert {x.recipient.cohort for x in followup} == {1}  # only hold 1 has had its seminar
    assert {x.recipient.cohort for x in later.prepare("practical").letters} == {2, 3, 4}


def test_the_confirmation_names_the_late_cancellation_it_bills(service: LetterService) -> None:
    [vejle] = [x for x in service.prepare("confirmation").letters if x.recipient.label == "Vejle"]
    assert "For 4 deltagere i alt 74.500,00 kr. inkl. moms" in vejle.text
    assert "heraf 1 sen afmelding" in vejle.text
    section = vejle.text.split("AFMELDT EFTER FRISTEN (FAKTURERES)")[1].split("PRIS")[0]
    assert section.count("- ") == 1


def test_one_participant_is_one_deltager(registry: Registry) -> None:
    aarhus(registry, size=1)
    service = LetterService(registry.repository)
    [letter] = service.prepare("confirmation").letters
    assert "For 1 deltager i alt 18.625,00 kr." in letter.text
    assert "1 deltagere" not in letter.text + letter.html


def test_the_invitation_shows_a_full_cohort_as_full(service: LetterService) -> None:
    letter = service.prepare("invitation").letters[0]
    hold1 = letter.text.split("Hold 1:")[1].split("Hold 2:")[0]
    assert "Holdet er fuldt: en tilmelding kommer på venteliste." in hold1
    hold2 = letter.text.split("Hold 2:")[1].split("Hold 3:")[0]
    assert "11 ledige pladser" in hold2
    assert "fuldt – venteliste" in letter.html


# -- 6. one query for each rule ---------------------------------------------------------------


def test_the_register_screen_and_the_waitlist_letter_give_the_same_places(
    service: LetterService, demo_db: Path
) -> None:
    from kommunestyre.store.database import Database
    from kommunestyre.store.repository import Repository
    from kommunestyre.tui.screens.register import build_rows

    register = Repository(Database(demo_db), clock=frozen_clock(EARLY)).load()
    shown = {row.cells[3]: row.cells[5] for row in build_rows(register)
             if row.cells[5].startswith("waiting")}  # fmt: skip
    letters = {x.recipient.label: x.recipient.context["place"]
               for x in service.prepare("waitlist").letters}  # fmt: skip
    assert letters == {"Nyborg": 1, "Assens": 2}
    assert {town: f"waiting #{place}" for town, place in letters.items()} == shown


def test_the_demo_agrees_with_itself(demo_db: Path) -> None:
    from kommunestyre.store.database import Database
    from kommunestyre.store.repository import Repository

    for day in (EARLY, local(datetime(2027, 1, 20)), local(datetime(2027, 3, 1))):
        register = Repository(Database(demo_db), clock=frozen_clock(day)).load()
        check_agreement(register, day)
    assert timedelta(0) < local(datetime(2027, 3, 1)) - EARLY


def test_a_municipality_that_registers_again_gets_one_line_and_one_letter_per_cohort(
    registry: Registry, clock: Clock
) -> None:
    """Found by the stateful test: a late cancellation of an earlier registration and the new
    registration's seats are one invoice line (and one confirmation) for the municipality."""
    first = aarhus(registry, size=2)
    clock.now = local(datetime(2027, 1, 20, 10))  # after hold 1's deadline
    d = registry.snapshot().register.directorate(first)
    registry.cancel_directorate(d.id, d.rev)  # binding: both seats stay billable
    registry.register_directorate(
        "Aarhus", 1, [director("Ny Direktør", "ny@aarhus.dk")], InvoiceDetails(ean=EAN)
    )
    agree(registry)
    register = registry.snapshot().register
    [letter] = LETTERS["confirmation"].select(register, clock.now, Filters())
    assert len(letter.context["late_cancellations"]) == 2
    assert letter.context["totals"]["participants"] == 3
