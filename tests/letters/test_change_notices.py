"""Change notices: a delivered letter whose cohort changed goes out again as an update that says
so ("Ændret: " and what changed), the ledger names what changed, and a save counts the letters
it made stale without rendering any. Old ledgers (without the facts) still load."""

from __future__ import annotations

import email
import json
from dataclasses import replace
from datetime import timedelta
from email import policy
from pathlib import Path

from kommunestyre.letters.batch import State
from kommunestyre.letters.catalogue import Filters
from kommunestyre.letters.ledger import decode, encode, read_ledger, record
from kommunestyre.letters.notices import programme_facts, what_changed
from kommunestyre.services.letters import LetterService
from kommunestyre.services.registry import Registry
from kommunestyre.services.standing import stale_after_change
from kommunestyre.store.repository import Repository
from tests.test_registry import settings_with

HOLD_4 = {"Aalborg", "Hjørring", "Thisted", "Frederikshavn"}


def send_confirmations(service: LetterService, folder: Path) -> None:
    """Every confirmation exported and then marked as sent (as the coordinator does)."""
    service.export(service.prepare("confirmation"), folder, "eml")
    assert service.mark_sent("confirmation") == 28


def move_seminar(registry: Registry, number: int = 4, days: int = 1) -> None:
    cohort = registry.snapshot().register.cohort(number)
    shift = timedelta(days=days)
    seminar = replace(cohort.seminar, start=cohort.seminar.start + shift)
    seminar = replace(seminar, end=cohort.seminar.end + shift)
    registry.update_cohort(number, cohort.rev, settings_with(registry, number, seminar=seminar))


def test_a_date_change_makes_confirmations_stale_and_the_update_says_what_changed(
    service: LetterService, repository: Repository, tmp_path: Path
) -> None:
    send_confirmations(service, tmp_path / "first")
    registry = Registry(repository)
    before = programme_facts(registry.snapshot().register.programme)
    move_seminar(registry)
    # counted from the ledger's facts, without rendering: the app's notification
    assert stale_after_change(repository, before, registry.snapshot().register) == 4

    batch = service.prepare("confirmation")
    stale = [x for x in batch.letters if x.state is State.STALE]
    assert {x.recipient.label for x in stale} == HOLD_4
    assert batch.count(State.SENT) == 24  # the other cohorts' letters are unchanged
    letter = stale[0]
    assert letter.subject.startswith("Ændret: Bekræftelse: ")
    lines = letter.text.splitlines()
    assert lines[0] == f"Kære {letter.recipient.name}"
    assert lines[2] == "Siden vi skrev tirsdag den 1. december 2026, er der sket ændringer:"
    assert lines[3] == "- 12-12-seminaret er flyttet til torsdag den 7. oktober 2027 kl. 12.00."
    assert "<li>12-12-seminaret er flyttet til torsdag den 7. oktober 2027 kl. 12.00.</li>" in (
        letter.html
    )
    assert [c.summary() for c in letter.changes] == [
        "hold 4: the seminar moved to 07.10.2027 12:00"
    ]

    # the ledger lists the stale letters with what changed
    lines_by_state = {}
    for line in service.ledger():
        lines_by_state.setdefault(line.state, []).append(line)
    assert len(lines_by_state["stale"]) == 4
    assert {c.summary() for line in lines_by_state["stale"] for c in line.changes} == {
        "hold 4: the seminar moved to 07.10.2027 12:00"
    }
    assert all(not line.changes for line in lines_by_state["current"])

    # sent again (resend), the update leaves with "Ændret:"; then the letters are current
    update = service.prepare("confirmation", Filters(cohort=4), resend=True)
    report = service.export(update, tmp_path / "update", "eml")
    subjects = {
        email.message_from_bytes(path.read_bytes(), policy=policy.default)["Subject"]
        for path in report.folder.glob("*.eml")
    }
    assert len(subjects) == 4 and all(s.startswith("Ændret: ") for s in subjects)
    service.mark_sent("confirmation", Filters(cohort=4))
    again = service.prepare("confirmation")
    assert again.count(State.SENT) == 28 and not any(x.changes for x in again.letters)
    assert all(line.state != "stale" for line in service.ledger())


def test_a_new_venue_and_deadline_are_named(
    service: LetterService, repository: Repository, tmp_path: Path
) -> None:
    service.export(service.prepare("invitation"), tmp_path / "invitations", "eml")
    service.mark_sent("invitation")
    registry = Registry(repository)
    cohort = registry.snapshot().register.cohort(3)
    venue = replace(cohort.followup.venue, name="Musikhuset", address="Thomas Jensens Allé 2")
    venue = replace(venue, postcode="8000", town="Aarhus C")
    settings = settings_with(
        registry,
        3,
        followup=replace(cohort.followup, venue=venue),
        registration_deadline=cohort.registration_deadline + timedelta(days=7),
    )
    registry.update_cohort(3, cohort.rev, settings)
    letter = next(x for x in service.prepare("invitation").letters if x.state is State.STALE)
    # the invitation lists every open cohort: the lines name the cohort
    assert "- Nyt mødested for opfølgningsdagen på hold 3: Musikhuset, Thomas Jensens Allé 2, " in (
        letter.text
    )
    assert "- Tilmeldingsfristen for hold 3 er ændret til onsdag den 30. juni 2027." in letter.text
    assert letter.subject.startswith("Ændret: Invitation til ")


def test_times_of_a_one_day_meeting(repository: Repository) -> None:
    register = repository.load()
    before = programme_facts(register.programme)
    cohort = register.cohort(2)
    cohort.followup = replace(cohort.followup, end=cohort.followup.end + timedelta(minutes=30))
    [change] = what_changed(before, programme_facts(register.programme))
    assert change.letter_line() == (
        "Tidspunktet for opfølgningsdagen er nu onsdag den 16. juni 2027 kl. 09.30-16.00."
    )
    assert change.summary() == "hold 2: new times for the follow-up day"
    cohort.followup = replace(
        cohort.followup,
        start=cohort.followup.start + timedelta(days=1),
        end=cohort.followup.end + timedelta(days=1),
    )
    [change] = what_changed(before, programme_facts(register.programme))
    assert change.letter_line(name_cohort=True) == (
        "Tidspunktet for opfølgningsdagen på hold 2 er nu torsdag den 17. juni 2027 "
        "kl. 09.30-16.00."
    )
    cohort.followup = replace(cohort.followup, end=cohort.followup.end - timedelta(minutes=30))
    [change] = what_changed(before, programme_facts(register.programme))
    assert change.letter_line() == (
        "Opfølgningsdagen er flyttet til torsdag den 17. juni 2027 kl. 09.30-15.30."
    )


def test_the_reminder_is_never_a_change_notice(
    service: LetterService, repository: Repository, tmp_path: Path
) -> None:
    service.export(service.prepare("reminder"), tmp_path / "reminders", "eml")
    service.mark_sent("reminder")
    move_seminar(Registry(repository), 1)  # the seat offered is in hold 1
    [letter] = service.prepare("reminder", resend=True).letters
    assert letter.updates and letter.changes  # the screens still say what changed
    assert letter.subject.startswith("Påmindelse: ") and "Siden vi skrev" not in letter.text
    assert "fra torsdag den 25. februar 2027 kl. 12.00" in letter.text


def test_old_ledger_entries_without_facts_load_and_update_in_general_words(
    service: LetterService, repository: Repository, tmp_path: Path
) -> None:
    send_confirmations(service, tmp_path / "first")
    old = [replace(d, facts=None) for d in read_ledger(repository, "confirmation")]
    assert all("facts" not in encode(d) for d in old)  # written as before: no facts key
    record(repository, old)
    # an entry as an older version wrote it: no status, no facts
    doc = {k: v for k, v in encode(old[0]).items() if k != "status"}
    assert decode(json.loads(json.dumps(doc))).facts is None
    # facts edited by hand into nonsense are ignored, not a crash
    assert decode({**encode(old[0]), "facts": ["x"]}).facts is None
    assert decode({**encode(old[0]), "facts": {"4": "x"}}).facts is None

    move_seminar(Registry(repository))
    letter = next(x for x in service.prepare("confirmation").letters if x.state is State.STALE)
    assert letter.subject.startswith("Ændret: ") and not letter.changes
    assert "Siden vi skrev tirsdag den 1. december 2026, er oplysningerne i brevet ændret." in (
        letter.text
    )
    stale = [line for line in service.ledger() if line.state == "stale"]
    assert len(stale) == 4 and not any(line.changes for line in stale)
