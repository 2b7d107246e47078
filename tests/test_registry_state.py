"""The registry as a state machine: random sequences of a season's changes, through the same
service the app and the CLI use, on a real database file, with the domain's promises checked
after every step (see the invariants in :mod:`kommunestyre.domain.rules`).

A refused change must change nothing; whatever is done, the register, the headcount, the
pricing, the invoice list and the confirmation letters must agree.

The suite runs a fixed, derandomised set of examples (the same on every machine and every run).
For a longer, random hunt: ``SEASON_PROFILE=hunt pytest tests/test_registry_state.py`` (see
``benchmarks/README.md``).
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import hypothesis.strategies as st
from hypothesis import HealthCheck, event, settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from kommunestyre.clock import local
from kommunestyre.domain.capacity import count_cohorts, fits, waiting_list
from kommunestyre.domain.model import InvoiceDetails, ParticipantDetails, Register, Status
from kommunestyre.errors import KommunestyreError
from kommunestyre.services import invoicing
from kommunestyre.services.registry import CohortSettings, Registry
from kommunestyre.services.setup import init_database
from tests.agreement import billable_amounts, check_agreement, invoiced

TOWNS = ["Aarhus", "Odense", "Vejle", "Kolding", "Randers", "Viborg", "Horsens", "Silkeborg"]
FIELDS = ["kommunaldirektor", "born_kultur", "social_sundhed", "teknik_miljo", "andet"]
COHORTS = (1, 2)
START = local(datetime(2027, 1, 2, 10))  # eleven days before hold 1's deadline

settings.register_profile(
    "suite",
    max_examples=100,
    stateful_step_count=40,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
settings.register_profile(
    "hunt",
    max_examples=300,
    stateful_step_count=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


class Season(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        # In memory where the system has a tmpfs: the same atomic writes, without waiting for
        # the disk (thousands of them per run).
        shm = Path("/dev/shm")
        where = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
        self.folder = Path(tempfile.mkdtemp(prefix="season-", dir=where))
        self.clock = Clock()
        self.registry = Registry(init_database(self.folder / "season.json", clock=self.clock))
        self.serial = 0
        self.previous: dict[int, tuple[int, int]] = {}
        #: per cohort, what the pricing said at its last invoice run (what must be invoiced)
        self.at_last_run: dict[int, dict] = {}

    def teardown(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- helpers ---------------------------------------------------------------------------

    @property
    def register(self) -> Register:
        return self.registry.snapshot().register

    def person(self, field: str) -> ParticipantDetails:
        self.serial += 1
        n = self.serial
        return ParticipantDetails(
            name=f"Person {n}", title="Direktør", field=field, email=f"p{n}@season.example"
        )

    def attempt(self, change) -> bool:  # type: ignore[no-untyped-def]
        """Run a change (True if done); a refusal must leave the file exactly as it was."""
        path = self.registry.database.path
        before = path.read_bytes()
        try:
            result = change()
        except KommunestyreError as error:
            event(f"refused: {type(error).__name__}")
            assert path.read_bytes() == before, "a refused change wrote to the database"
            return False
        message = getattr(result, "message", "")
        event("done" + (" with an offer" if "offered a seat" in str(result) else ""))
        if "reinstated" in message:
            event("reinstated")
        return True

    def pick(self, data: st.DataObject, items: list, label: str):  # type: ignore[no-untyped-def]
        return data.draw(st.sampled_from(items), label=label) if items else None

    # -- the season ----------------------------------------------------------------------

    @initialize(places=st.integers(2, 4), cap=st.integers(30, 40), places2=st.integers(2, 4))
    def small_cohorts(self, places: int, cap: int, places2: int) -> None:
        """Few places, so the limits, the waiting lists and the offers come into play."""
        for number, limit in ((1, places), (2, places2)):
            cohort = self.register.cohort(number)
            self.registry.update_cohort(
                number,
                cohort.rev,
                CohortSettings(
                    cohort.seminar, cohort.followup, cohort.registration_deadline,
                    1, limit, cap, tuple(cohort.themes),
                ),
            )  # fmt: skip

    @rule(town=st.sampled_from(TOWNS), cohort=st.sampled_from(COHORTS), size=st.integers(1, 14),
          fields=st.lists(st.sampled_from(FIELDS), min_size=14, max_size=14))  # fmt: skip
    def register_directorate(self, town: str, cohort: int, size: int, fields: list[str]) -> None:
        members = [self.person(fields[i]) for i in range(size)]
        self.attempt(
            lambda: self.registry.register_directorate(
                town, cohort, members, InvoiceDetails(ean="5798009813640", reference="PO-1")
            )
        )

    @rule(data=st.data(), field=st.sampled_from(FIELDS), elsewhere=st.booleans())
    def add_member(self, data: st.DataObject, field: str, elsewhere: bool) -> None:
        directorate = self.pick(data, list(self.register.directorates.values()), "directorate")
        if directorate is None:
            return
        cohort = 3 - directorate.cohort if elsewhere else None
        details = self.person(field)
        self.attempt(lambda: self.registry.add_participant(directorate.id, details, cohort))

    @rule(data=st.data(), new_rows=st.integers(0, 3), updates=st.integers(0, 3),
          diet=st.sampled_from(["", "Vegetar", "Glutenfri"]))  # fmt: skip
    def import_sheet(self, data: st.DataObject, new_rows: int, updates: int, diet: str) -> None:
        """A sheet with new people and partial corrections (no field column: it must stay)."""
        register = self.register
        rows = []
        directorates = list(register.registrations().values())
        for _ in range(new_rows):
            if directorates and data.draw(st.booleans(), label="to a registered one"):
                d = data.draw(st.sampled_from(directorates), label="directorate")
                town = next(t for t in TOWNS if self._code(t) == d.municipality_code)
                cohort = d.cohort
            else:
                town = data.draw(st.sampled_from(TOWNS), label="town")
                cohort = data.draw(st.sampled_from(COHORTS), label="cohort")
            p = self.person("andet")
            rows.append([town, str(cohort), p.name, p.email, diet, "5798009813640", "PO-1"])
        active = [p for p in register.participants.values() if p.status.is_active]
        for _ in range(updates):
            if not active:
                break
            p = data.draw(st.sampled_from(active), label="corrected")
            d = register.directorates[p.directorate_id]
            town = next(t for t in TOWNS if self._code(t) == d.municipality_code)
            rows.append([town, str(d.cohort), p.name, p.details.email, diet, "", ""])
        if not rows:
            return
        path = self.folder / f"sheet-{self.serial}.csv"
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(["Kommune", "Hold", "Navn", "E-mail", "Kost", "EAN", "Reference"])
        writer.writerows(rows)
        path.write_text(buffer.getvalue(), "utf-8")
        fields_before = {p.id: p.details.field for p in register.participants.values()}
        self.attempt(lambda: self.registry.import_registrations(path))
        after = self.register.participants
        assert all(
            after[pid].details.field == f for pid, f in fields_before.items() if pid in after
        )

    def _code(self, town: str) -> int:
        from kommunestyre.domain.municipalities import find_municipality

        return find_municipality(town).code

    @rule(data=st.data(), to=st.sampled_from(COHORTS))
    def move_person(self, data: st.DataObject, to: int) -> None:
        people = [p for p in self.register.participants.values() if p.status.is_active]
        p = self.pick(data, people, "person")
        if p is not None:
            self.attempt(lambda: self.registry.move_participant(p.id, p.rev, to))

    @rule(data=st.data(), to=st.sampled_from(COHORTS))
    def move_directorate(self, data: st.DataObject, to: int) -> None:
        d = self.pick(data, list(self.register.registrations().values()), "directorate")
        if d is not None:
            self.attempt(lambda: self.registry.move_directorate(d.id, d.rev, to))

    @rule(data=st.data())
    def cancel_person(self, data: st.DataObject) -> None:
        people = [p for p in self.register.participants.values() if p.status.is_active]
        p = self.pick(data, people, "person")
        if p is not None:
            self.attempt(lambda: self.registry.cancel_participant(p.id, p.rev))

    @rule(data=st.data())
    def cancel_directorate(self, data: st.DataObject) -> None:
        d = self.pick(data, list(self.register.registrations().values()), "directorate")
        if d is not None:
            self.attempt(lambda: self.registry.cancel_directorate(d.id, d.rev))

    @rule(data=st.data())
    def reinstate_person(self, data: st.DataObject) -> None:
        people = [
            p for p in self.register.participants.values() if p.status is Status.CANCELLED
        ]  # fmt: skip
        p = self.pick(data, people, "person")
        if p is not None:
            self.attempt(lambda: self.registry.reinstate_participant(p.id, p.rev))

    @rule(data=st.data())
    def reinstate_directorate(self, data: st.DataObject) -> None:
        register = self.register
        withdrawn = [d for d in register.directorates.values() if not register.is_registered(d.id)]
        d = self.pick(data, withdrawn, "directorate")
        if d is not None:
            self.attempt(lambda: self.registry.reinstate_directorate(d.id, d.rev))

    @rule(data=st.data(), field=st.sampled_from(FIELDS))
    def substitute(self, data: st.DataObject, field: str) -> None:
        people = [p for p in self.register.participants.values() if p.status.is_active]
        p = self.pick(data, people, "person")
        if p is not None:
            details = self.person(field)
            self.attempt(lambda: self.registry.substitute(p.id, p.rev, details))

    @rule(data=st.data(), accept=st.booleans())
    def answer_offer(self, data: st.DataObject, accept: bool) -> None:
        offered = [p for p in self.register.participants.values() if p.status is Status.OFFERED]
        p = self.pick(data, offered, "offered")
        if p is None:
            return
        answer = self.registry.accept_offer if accept else self.registry.decline_offer
        self.attempt(lambda: answer(p.id, p.rev))

    @rule(data=st.data())
    def erase(self, data: st.DataObject) -> None:
        people = [p for p in self.register.participants.values() if p.name != "(erased)"]
        p = self.pick(data, people, "person")
        if p is not None:
            self.attempt(lambda: self.registry.erase_participant(p.id, p.rev))
            assert p.details.email not in self.registry.database.path.read_text("utf-8")

    @rule(cohort=st.sampled_from(COHORTS), places=st.integers(1, 6), cap=st.integers(30, 40),
          deadline_shift=st.integers(-15, 15))  # fmt: skip
    def change_cohort(self, cohort: int, places: int, cap: int, deadline_shift: int) -> None:
        """New limits (raised or lowered) and a deadline moved around today."""
        c = self.register.cohort(cohort)
        deadline = (self.clock.now + timedelta(days=deadline_shift)).date()
        settings_ = CohortSettings(c.seminar, c.followup, deadline, 1, places, cap, tuple(c.themes))
        self.attempt(lambda: self.registry.update_cohort(cohort, c.rev, settings_))

    @rule(cohort=st.sampled_from(COHORTS))
    def invoice_run(self, cohort: int) -> None:
        """Invoices, credit notes and supplementary invoices for what changed since the last
        run; refused (changing nothing) while a municipality lacks its invoice details."""
        if self.attempt(lambda: invoicing.run(self.registry, cohort)):
            register = self.register
            self.at_last_run[cohort] = billable_amounts(register, cohort)
            event("invoiced" if register.invoices else "invoice run with nothing to invoice")
            if any(d.kind.value == "credit_note" for d in register.invoices.values()):
                event("a credit note")

    @rule(days=st.integers(0, 12), hours=st.integers(0, 23))
    def time_passes(self, days: int, hours: int) -> None:
        self.clock.now += timedelta(days=days, hours=hours)

    # -- what must hold after every step -------------------------------------------------------

    @invariant()
    def one_truth(self) -> None:
        snapshot = self.registry.snapshot()
        register, now = snapshot.register, snapshot.now
        check_agreement(register, now)
        # invoices − credit notes = what the pricing said at each cohort's last run
        for number in COHORTS:
            assert invoiced(register, number) == self.at_last_run.get(number, {}), number

        emails: set[str] = set()
        towns: set[int] = set()
        for p in register.participants.values():
            assert (p.status is Status.OFFERED) == (p.offered_until is not None), p
            assert (p.status is Status.OFFERED) == (p.offer_key is not None), p
            assert (p.status is Status.CANCELLED) == (p.cancelled_at is not None), p
            assert not p.billable_cancellation or p.status is Status.CANCELLED, p
            if p.status.is_active and p.details.email:
                key = p.details.email.casefold()
                assert key not in emails, f"{key} holds two registrations"
                emails.add(key)
        for code in [d.municipality_code for d in register.directorates.values()
                     if register.is_registered(d.id)]:  # fmt: skip
            assert code not in towns, f"municipality {code} registered twice"
            towns.add(code)

        if any(p.status is Status.OFFERED for p in register.participants.values()):
            event("a seat offer is open")
        counts = count_cohorts(register)
        for cohort in register.programme.cohorts:
            count = counts[cohort.number]
            # caps: only a lowered cap leaves a cohort above it, and it never grows while above
            was_held, was_places = self.previous.get(cohort.number, (0, 0))
            if count.held > cohort.max_participants:
                assert count.held <= was_held, f"hold {cohort.number} grew past its cap"
            if count.directorates > cohort.max_directorates:
                assert count.directorates <= was_places, f"hold {cohort.number} past its places"
            self.previous[cohort.number] = (count.held, count.directorates)
            # queue: registration order, and nobody waits while they would fit
            queue = waiting_list(register, cohort.number)
            assert [e.seq for e in queue] == sorted(e.seq for e in queue)
            if not cohort.is_held(now):
                assert not any(fits(cohort, count, e) for e in queue), (
                    f"hold {cohort.number}: someone waits who fits"
                )
            for entry in queue:  # a group waits only where it has no place yet
                if entry.whole_directorate:
                    assert not any(
                        p.status.holds_seat
                        for p in register.members(entry.directorate.id)
                        if p.cohort == cohort.number
                    )


Season.TestCase.settings = settings.get_profile(os.environ.get("SEASON_PROFILE", "suite"))
TestSeason = Season.TestCase
