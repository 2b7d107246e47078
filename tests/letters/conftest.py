from __future__ import annotations

from pathlib import Path

import pytest

from kommunestyre.clock import frozen_clock
from kommunestyre.services.letters import LetterService
from kommunestyre.store.database import Database
from kommunestyre.store.repository import Repository
from tests.conftest import EARLY


@pytest.fixture
def repository(demo_db: Path) -> Repository:
    return Repository(Database(demo_db), clock=frozen_clock(EARLY))


@pytest.fixture
def service(repository: Repository) -> LetterService:
    return LetterService(repository)
