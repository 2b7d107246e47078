"""A realistic demonstration database, built through the real rules.

Fictional directors from real municipalities fill the four cohorts: hold 1 is full with two
directorates waiting, hold 4 has too few directorates and is at risk, and the story includes a
free and a binding cancellation, a seat offered from the waiting list (after hold 1's deadline,
with a week to answer) and a substitution. Every
timestamp is derived from the cohorts' own dates and every name from a seeded generator, so the
result is the same whatever day it is built.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path

from kommunestyre.clock import Clock, local, system_clock
from kommunestyre.domain import rules
from kommunestyre.domain.model import InvoiceDetails, ParticipantDetails, Register
from kommunestyre.domain.municipalities import all_municipalities, find_municipality
from kommunestyre.domain.validation import ean_check_digit
from kommunestyre.services.setup import init_database
from kommunestyre.store.repository import Change

#: Municipalities per cohort and each directorate's size, in registration order. Hold 1 gets
#: ten directorates of 40 people in all, then two more that land on its waiting list.
PLAN: dict[int, list[tuple[str, int]]] = {
    1: [
        ("Kolding", 5),
        ("Vejle", 4),
        ("Fredericia", 4),
        ("Middelfart", 4),
        ("Haderslev", 4),
        ("Aabenraa", 4),
        ("Sønderborg", 4),
        ("Esbjerg", 4),
        ("Odense", 4),
        ("Svendborg", 3),
        ("Nyborg", 4),
        ("Assens", 3),
    ],
    2: [
        ("Aarhus", 4),
        ("Silkeborg", 4),
        ("Randers", 4),
        ("Horsens", 4),
        ("Skanderborg", 4),
        ("Viborg", 4),
        ("Herning", 3),
        ("Holstebro", 3),
    ],
    3: [
        ("Roskilde", 4),
        ("Køge", 4),
        ("Holbæk", 4),
        ("Slagelse", 4),
        ("Næstved", 4),
        ("Gentofte", 4),
    ],
    4: [("Aalborg", 4), ("Hjørring", 4), ("Thisted", 3), ("Frederikshavn", 3)],
}

FIRST_NAMES = (
    "Anne",
    "Mette",
    "Hanne",
    "Susanne",
    "Lene",
    "Camilla",
    "Louise",
    "Maria",
    "Helle",
    "Tina",
    "Jens",
    "Peter",
    "Lars",
    "Henrik",
    "Søren",
    "Thomas",
    "Martin",
    "Anders",
    "Rasmus",
    "Niels",
    "Birgitte",
    "Charlotte",
    "Rikke",
    "Pia",
    "Jesper",
    "Morten",
    "Kasper",
    "Michael",
    "Bo",
    "Ole",
)
LAST_NAMES = (
    "Jensen",
    "Nielsen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Møller",
    "Poulsen",
    "Johansen",
    "Knudsen",
    "Mortensen",
    "Østergaard",
    "Dahl",
    "Lund",
    "Holm",
    "Bak",
)
#: The roles of a directorate in order: the municipal director first.
ROLES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("kommunaldirektor", "Kommunaldirektør", ()),
    ("born_kultur", "Direktør for Børn, Unge og Kultur", ()),  # not translated: Danish data
    ("social_sundhed", "Direktør for Social, Sundhed og Ældre", ()),  # not translated: data
    (
        "teknik_miljo",
        "Direktør for Teknik, Miljø og Beskæftigelse",  # not translated: Danish data
        ("beskaeftigelse",),
    ),
    ("okonomi_stab", "Direktør for Økonomi og Personale", ()),  # not translated: Danish data
)
#: What the fictional people need (Danish data, as a coordinator would type it).
NEEDS = (
    "", "", "", "", "", "Vegetar",
    "Glutenfri kost", "Laktosefri kost", "Niveaufri adgang",  # not translated: Danish data
)  # fmt: skip


def _ascii(text: str) -> str:
    text = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().replace(" ", "")


def _person(rng: random.Random, slug: str, role: int, used: set[str]) -> ParticipantDetails:
    field, title, extra = ROLES[role]
    while True:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        email = f"{_ascii(first)}.{_ascii(last)}@{slug}.kommune.example"
        if email not in used:
            used.add(email)
            break
    phone = (
        f"{rng.randint(20, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
    )
    return ParticipantDetails(
        name=f"{first} {last}",
        title=title,
        field=field,
        email=email,
        phone=phone,
        needs=rng.choice(NEEDS),
        extra_fields=extra,
    )


def _invoice(rng: random.Random, code: int, slug: str) -> InvoiceDetails:
    first_twelve = f"5798{rng.randint(0, 99_999_999):08d}"
    return InvoiceDetails(
        ean=first_twelve + str(ean_check_digit(first_twelve)),
        reference=f"KS2030-{code:03d}",
        contact_name="Bogholderiet",
        contact_email=f"faktura@{slug}.kommune.example",
    )


def populate(change: Change) -> None:
    """Tell the demo's story in one change, logging each step at its own fixed time."""
    register: Register = change.register
    rng = random.Random(2030)
    used: set[str] = set()

    def at(cohort: int, days_before_deadline: float) -> datetime:
        deadline = register.cohort(cohort).registration_deadline
        moment = datetime(deadline.year, deadline.month, deadline.day, 10, 0)
        return local(moment - timedelta(days=days_before_deadline))

    def log(
        moment: datetime,
        action: str,
        summary: str,
        participants: Iterable[int] = (),
        directorates: Iterable[int] = (),
    ) -> None:
        change.now = moment
        change.log(action, summary, participants=participants, directorates=directorates)

    for number, plan in PLAN.items():
        for index, (name, size) in enumerate(plan):
            municipality = find_municipality(name)
            slug = _ascii(municipality.name)
            members = [_person(rng, slug, role, used) for role in range(size)]
            moment = at(number, 60 - index * 3)
            directorate, outcome = rules.register_directorate(
                register,
                municipality,
                number,
                members,
                _invoice(rng, municipality.code, slug),
                moment,
            )
            ids = [p.id for p in register.members(directorate.id)]
            log(
                moment, "register", outcome.summary, directorates=[directorate.id], participants=ids
            )

    # Hold 1 is full: one more person for Kolding waits on their own.
    kolding = register.directorate_of_municipality(find_municipality("Kolding").code)
    assert kolding is not None
    extra = _person(rng, "kolding", 4, used)
    moment = at(1, 20)
    newcomer, outcome = rules.add_participant(register, kolding.id, extra, moment)
    log(moment, "add", outcome.summary, participants=[newcomer.id], directorates=[kolding.id])

    def first_member(municipality: str, role: int) -> int:
        directorate = register.directorate_of_municipality(find_municipality(municipality).code)
        assert directorate is not None
        return register.members(directorate.id)[role].id

    # A free cancellation in hold 2, well before its deadline.
    pid = first_member("Herning", 2)
    moment = at(2, 30)
    outcome = rules.cancel_participant(register, pid, moment)
    log(moment, "cancel", outcome.summary, participants=[pid])

    # A binding cancellation in hold 1 after its deadline: the seat is offered to the Kolding
    # newcomer, the first on the waiting list who fits, with a week to answer.
    pid = first_member("Vejle", 3)
    moment = at(1, -5)
    outcome = rules.cancel_participant(register, pid, moment)
    promoted = [i for p in outcome.promotions for i in p.participant_ids]
    log(moment, "cancel", "; ".join(outcome.lines()), participants=[pid, *promoted])

    _contacts(register, rng)

    # A substitution in hold 3.
    pid = first_member("Roskilde", 1)
    substitute = _person(rng, "roskilde", 1, used)
    moment = at(3, 10)
    replacement, outcome = rules.substitute(register, pid, substitute, moment)
    log(moment, "substitute", outcome.summary, participants=[pid, replacement.id])


#: Municipalities that have said no thanks in the demo's story.
DECLINED = ("Læsø", "Fanø")


def _contacts(register: Register, rng: random.Random) -> None:
    """A contact for all 98: a registered municipality's own director, others invented."""
    for municipality in all_municipalities():
        contact = register.contact(municipality.code)
        directorate = register.directorate_of_municipality(municipality.code)
        director = (
            next(
                (
                    p
                    for p in register.members(directorate.id)
                    if p.details.field == register.programme.lead_field
                ),
                None,
            )
            if directorate
            else None
        )
        if director is not None:
            contact.name, contact.email = director.name, director.details.email
        else:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            contact.name = f"{first} {last}"
            contact.email = f"kommunaldirektoer@{_ascii(municipality.name)}.kommune.example"
        contact.title = "Kommunaldirektør"
        contact.declined = municipality.name in DECLINED


def create_demo(path: Path, *, force: bool = False, clock: Clock = system_clock) -> None:
    """Write the demo database to ``path`` (refusing to replace a file without ``force``)."""
    repository = init_database(path, force=force, clock=clock)
    with repository.change() as change:
        populate(change)
