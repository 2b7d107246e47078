"""Shared fixtures: the shipped programme, a frozen clock, and quick ways to register people."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from kommunestyre import i18n
from kommunestyre.clock import frozen_clock, local
from kommunestyre.definition import load_programme
from kommunestyre.domain import rules
from kommunestyre.domain.model import (
    Directorate,
    InvoiceDetails,
    ParticipantDetails,
    Programme,
    Register,
)
from kommunestyre.domain.municipalities import find_municipality
from kommunestyre.resources import cohorts_dir

#: Well before every deadline of the shipped example programme.
EARLY = local(datetime(2026, 12, 1, 10, 0))


#: The suite speaks English unless a test asks for Danish (the `danish` fixture, or
#: KOMMUNESTYRE_LANG=da for a subprocess): its assertions read like the source text.
os.environ[i18n.ENVIRONMENT] = "en"
#: An environment for main() with nothing set but the suite's language.
ENGLISH = {i18n.ENVIRONMENT: "en"}


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    i18n.use("en")
    yield
    i18n.use("en")


@pytest.fixture
def danish() -> None:
    """This test speaks Danish (as a coordinator's app does by default)."""
    i18n.use("da")


@pytest.fixture(autouse=True)
def _stable_user(monkeypatch: pytest.MonkeyPatch) -> None:
    """History records the OS user; tests (and snapshots) see the same one everywhere."""
    monkeypatch.setenv("LOGNAME", "koordinator")


@pytest.fixture
def programme() -> Programme:
    return load_programme(cohorts_dir())


@pytest.fixture
def register(programme: Programme) -> Register:
    return Register(programme=programme)


@pytest.fixture
def now() -> datetime:
    return EARLY


_counter = iter(range(1, 10**9))


def person(
    name: str | None = None, field: str = "kommunaldirektor", **extra: str
) -> ParticipantDetails:
    n = next(_counter)
    name = name or f"Person {n}"
    email = extra.pop("email", f"person{n}@kommune.example")
    return ParticipantDetails(name=name, title="Direktør", field=field, email=email, **extra)


def register_team(
    register: Register, municipality: str, cohort: int, size: int, at: datetime = EARLY
) -> Directorate:
    members = [person() for _ in range(size)]
    directorate, _ = rules.register_directorate(
        register, find_municipality(municipality), cohort, members, InvoiceDetails(), at
    )
    return directorate


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "programme.json"


@pytest.fixture
def demo_db(tmp_path: Path) -> Iterator[Path]:
    from kommunestyre.services.demo import create_demo

    path = tmp_path / "demo.json"
    create_demo(path, clock=frozen_clock(EARLY))
    yield path
