"""Where each municipality stands (one answer for the Contacts screen, the contacts list and the
letters), the invitation's availability and default recipients, and the reminder: to the
municipalities invited that have not answered, before the deadlines, and to whoever holds a
seat offer, before its answer-by date."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from kommunestyre.clock import frozen_clock, local
from kommunestyre.domain.capacity import open_offers
from kommunestyre.domain.municipalities import find_municipality
from kommunestyre.domain.standing import Standing, standing_of, standings
from kommunestyre.letters.catalogue import LETTERS, Filters
from kommunestyre.letters.ledger import invitations, read_ledger
from kommunestyre.lists.listings import Selection
from kommunestyre.services.letters import LetterService
from kommunestyre.services.lists import build_listing
from kommunestyre.services.registry import Registry
from kommunestyre.store.database import Database
from kommunestyre.store.repository import Repository
from tests.conftest import EARLY, person

#: Every demo municipality that has not registered and not declined: 98 - 30 - 2.
NOT_ANSWERED = 66


def at(demo_db: Path, moment: datetime) -> tuple[Repository, LetterService]:
    repository = Repository(Database(demo_db), clock=frozen_clock(moment))
    return repository, LetterService(repository)


def code(name: str) -> int:
    return find_municipality(name).code


def invite(service: LetterService, folder: Path) -> None:
    service.export(service.prepare("invitation"), folder, "eml")


# -- standing -------------------------------------------------------------------------------------


def test_each_municipality_stands_in_one_place(repository: Repository, tmp_path: Path) -> None:
    """Every case: not invited, invited, registered, waiting, offered, cancelled free and late,
    declined (which wins over a cancellation; a registration that counts wins over both)."""
    registry = Registry(repository)
    service = LetterService(repository)
    invite(service, tmp_path / "invitations")
    register = repository.load()
    invited = invitations(read_ledger(repository))
    assert len(invited) == NOT_ANSWERED
    found = standings(register, invited)

    def of(name: str):
        return standing_of(found, code(name))

    assert of("Kolding").standing is Standing.REGISTERED and of("Kolding").cohort == 1
    assert of("Nyborg").standing is Standing.WAITLISTED  # hold 1 is full
    assert of("Læsø").standing is Standing.DECLINED
    assert of("Ringsted").standing is Standing.INVITED
    assert of("Ringsted").label == "invited, no answer"
    assert of("Kolding").label == "registered, hold 1"
    assert of("Nyborg").label == "waiting list, hold 1"

    # a registration cancelled before the deadline is free; after it, billed
    herning = register.directorate_of_municipality(code("Herning"))
    aalborg = register.directorate_of_municipality(code("Aalborg"))
    assert herning is not None and aalborg is not None
    registry.cancel_directorate(herning.id, herning.rev)
    late_clock = local(datetime(2027, 9, 10, 9, 0))  # hold 4's deadline has passed
    late = Registry(Repository(repository.database, clock=frozen_clock(late_clock)))
    late.cancel_directorate(aalborg.id, aalborg.rev)
    # a municipality never invited, registered and then said no thanks: declined wins
    registry.register_directorate("Ærø", 2, [person()], register.directorate(1).invoice)
    aeroe = repository.load().directorate_of_municipality(code("Ærø"))
    assert aeroe is not None
    registry.cancel_directorate(aeroe.id, aeroe.rev)
    contact = repository.load().contact(code("Ærø"))
    registry.edit_contact(code("Ærø"), contact.rev, replace(contact, declined=True))

    register = repository.load()
    found = standings(register, invitations(read_ledger(repository)))
    assert of("Herning").standing is Standing.CANCELLED and not of("Herning").billable
    assert of("Herning").label == "cancelled (free)" and of("Herning").cohort == 2
    assert of("Aalborg").standing is Standing.CANCELLED and of("Aalborg").billable
    assert of("Aalborg").label == "cancelled late (billable)"
    assert of("Ærø").standing is Standing.DECLINED
    assert of("Gribskov").standing is Standing.INVITED

    # the contacts list says the same, in the list's Danish
    listing = build_listing(repository, "contacts", Selection())
    status = {row[0]: row[4] for row in listing.rows}
    assert status["Herning"] == "afmeldt (gratis), hold 2"
    assert status["Aalborg"] == "afmeldt sent (faktureres), hold 4"
    assert status["Nyborg"] == "på venteliste, hold 1"
    assert status["Ærø"] == "takket nej"
    assert status["Gribskov"] == "inviteret, intet svar"


def test_a_seat_offer_to_a_whole_directorate(repository: Repository) -> None:
    """A directorate waiting as a group is offered seats after the deadline: it stands offered."""
    late = Registry(
        Repository(repository.database, clock=frozen_clock(local(datetime(2027, 1, 20, 9, 0))))
    )
    register = repository.load()
    # hold 1 has room for one more directorate: Nyborg (4 people, waiting first) gets offers
    kolding = register.directorate_of_municipality(code("Kolding"))
    assert kolding is not None
    late.cancel_directorate(kolding.id, kolding.rev)
    register = late.snapshot().register
    offers = [o for o in open_offers(register) if o.whole_directorate]
    assert offers, "a group offer"
    found = standings(register, ())
    offered = standing_of(found, offers[0].directorate.municipality_code)
    assert offered.standing is Standing.OFFERED and offered.label == "seat offered, hold 1"


# -- the invitation ---------------------------------------------------------------------------


def test_the_invitation_shows_availability_when_written(service: LetterService) -> None:
    batch = service.prepare("invitation")
    letter = batch.letters[0]
    # hold 1 is full (its waiting list is open); the others have room
    assert "Hold 1: fra onsdag den 24. februar 2027" in letter.text
    # under its cohort, indented as the lines before it, and a blank line before the next
    assert (
        "13. januar 2027.\n    Holdet er fuldt: en tilmelding kommer på venteliste.\n\nHold 2"
        in (letter.text)
    )
    assert "<td>fuldt – venteliste</td>" in letter.html
    rooms = [c for c in letter.recipient.context["cohorts"] if not c["full"]]
    assert [c["number"] for c in rooms] == [2, 3, 4]
    for cohort in rooms:
        seats = f"{cohort['free_seats']} ledige pladser"
        assert f"\n    {seats}.\n" in letter.text and f"<td>{seats}</td>" in letter.html


def test_the_invitation_goes_to_those_who_have_not_answered(
    service: LetterService, repository: Repository, tmp_path: Path
) -> None:
    labels = {x.recipient.label for x in service.prepare("invitation").letters}
    assert len(labels) == NOT_ANSWERED
    assert not {"Kolding", "Nyborg", "Læsø", "Fanø"} & labels  # registered, waiting, declined
    invite(service, tmp_path / "first")
    # invited without an answer: still the default (a second invitation is the coordinator's
    # choice: the ledger marks them delivered)
    assert len(service.prepare("invitation").letters) == NOT_ANSWERED
    assert len(service.prepare("invitation", Filters(status="not invited")).letters) == 0
    assert len(service.prepare("invitation", Filters(status="invited")).letters) == NOT_ANSWERED
    registry = Registry(repository)
    herning = repository.load().directorate_of_municipality(code("Herning"))
    assert herning is not None
    registry.cancel_directorate(herning.id, herning.rev)
    cancelled = service.prepare("invitation", Filters(status="cancelled")).letters
    assert [x.recipient.label for x in cancelled] == ["Herning"]
    assert "Herning" not in {x.recipient.label for x in service.prepare("invitation").letters}


# -- the reminder -------------------------------------------------------------------------------


def test_reminders_go_to_the_invited_without_an_answer_and_to_open_offers(
    demo_db: Path, tmp_path: Path
) -> None:
    repository, service = at(demo_db, EARLY)
    # nobody invited yet: only the seat offer is reminded of
    [offer] = open_offers(repository.load())
    before = service.prepare("reminder").letters
    assert [x.recipient.key for x in before] == [f"participant:{offer.participants[0].id}"]
    letter = before[0]
    assert letter.subject == (
        "Påmindelse: din plads på hold 1 af Kommunestyret 2030 – svar senest 25.01.2027"
    )
    assert "Pladsen er din til og med mandag den 25. januar 2027." in letter.text

    invite(service, tmp_path / "invitations")
    registry = Registry(repository)
    registry.register_directorate(
        "Ringsted", 2, [person()], repository.load().directorate(1).invoice
    )
    contact = repository.load().contact(code("Gribskov"))
    registry.edit_contact(code("Gribskov"), contact.rev, replace(contact, declined=True))

    invited = service.prepare("reminder", Filters(status="invited")).letters
    labels = {x.recipient.label for x in invited}
    assert len(labels) == NOT_ANSWERED - 2 and not {"Ringsted", "Gribskov"} & labels
    letter = invited[0]
    assert letter.subject == (
        "Påmindelse: invitation til Kommunestyret 2030, tilmeldingsfrist 13.01.2027"
    )
    assert (
        "Vi sendte jer en invitation til Kommunestyret 2030 tirsdag den 1. december 2026, men "
        "har endnu ikke hørt fra jer." in letter.text
    )
    assert "Holdet er fuldt: en tilmelding kommer på venteliste." in letter.text  # hold 1
    assert len(service.prepare("reminder").letters) == NOT_ANSWERED - 2 + 1  # and the offer

    # after hold 1's deadline it is no longer offered; the offer stands until its answer-by date
    repository, service = at(demo_db, local(datetime(2027, 1, 20, 9, 0)))
    invited = service.prepare("reminder", Filters(status="invited")).letters
    assert len(invited) == NOT_ANSWERED - 2
    assert [c["number"] for c in invited[0].recipient.context["cohorts"]] == [2, 3, 4]
    assert len(service.prepare("reminder", Filters(cohort=1, status="invited")).letters) == 0
    assert len(service.prepare("reminder", Filters(status="offered")).letters) == 1

    # past the answer-by date and every deadline: no reminder at all
    repository, service = at(demo_db, offer.until + timedelta(minutes=1))
    assert service.prepare("reminder", Filters(status="offered")).letters == []
    repository, service = at(demo_db, local(datetime(2027, 9, 2, 9, 0)))
    assert service.prepare("reminder").letters == []


def test_the_reminder_is_in_the_catalogue() -> None:
    kind = LETTERS["reminder"]
    assert kind.title == "Reminder" and kind.statuses[0] == "all" and not kind.notices
