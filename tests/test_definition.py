"""The programme definition files: the shipped ones load, and mistakes are named precisely."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from kommunestyre.definition import load_programme
from kommunestyre.domain.model import Role
from kommunestyre.errors import DefinitionError
from kommunestyre.resources import cohorts_dir


def test_shipped_definition(tmp_path: Path) -> None:
    programme = load_programme(cohorts_dir())
    assert programme.name == "Kommunestyret 2030"
    assert programme.price_excl_vat == Decimal(14900)
    assert programme.vat_rate == Decimal("0.25")
    assert "transport" in programme.price_excludes
    assert [c.number for c in programme.cohorts] == [1, 2, 3, 4]
    assert {f.key for f in programme.fields} >= {"kommunaldirektor", "born_kultur", "andet"}
    for cohort in programme.cohorts:
        seminar = cohort.seminar
        assert (seminar.start.hour, seminar.end.hour) == (12, 12)
        assert (seminar.end - seminar.start).days == 1
        assert seminar.start.tzinfo is not None
        assert cohort.followup.start > seminar.end
        assert cohort.registration_deadline < seminar.start.date()
        assert (cohort.min_directorates, cohort.max_directorates, cohort.max_participants) == (
            5,
            10,
            40,
        )
        assert {s.role for s in cohort.speakers} == {Role.SPEAKER, Role.MODERATOR}
        assert cohort.themes
    for path in cohorts_dir().glob("*.toml"):
        assert "EXAMPLE DATA" in path.read_text("utf-8")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "cohorts"
    shutil.copytree(cohorts_dir(), target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "hold-2.toml",
            "end = 2027-04-29T12:00:00",
            "end = 2027-04-28T11:00:00",
            "hold-2.toml: seminar.end: must be after the start",
        ),
        (
            "hold-3.toml",
            "start = 2027-10-27T09:30:00",
            "start = 2027-08-01T09:30:00",
            "hold-3.toml: followup.start: must be after the seminar has ended",
        ),
        (
            "hold-1.toml",
            "min_directorates = 5",
            "min_directorates = 11",
            "hold-1.toml: capacity.min_directorates",
        ),
        (
            "hold-1.toml",
            "max_participants = 40",
            "max_participants = 60",
            "hold-1.toml: capacity.max_participants: must be between 30 and 40",
        ),
        (
            "programme.toml",
            "per_participant_excl_vat = 14900",
            'per_participant_excl_vat = "fjorten"',
            "programme.toml: price.per_participant_excl_vat: 'fjorten' is not a number",
        ),
        (
            "programme.toml",
            "per_participant_excl_vat = 14900",
            "per_participant_excl_vat = 14900.0",
            "price.per_participant_excl_vat: write the amount as a whole number",
        ),
        (
            "programme.toml",
            'key = "teknik_miljo"',
            'key = "Teknik Miljø"',
            "programme.toml: fields[4].key: must be lower-case",
        ),
        (
            "programme.toml",
            'key = "teknik_miljo"',
            'key = "born_kultur"',
            "fields[4].key: 'born_kultur' is defined twice",
        ),
        (
            "hold-4.toml",
            "registration_deadline = 2027-09-01",
            "registration_dedline = 2027-09-01",
            "hold-4.toml: registration_deadline: is missing",
        ),
        (
            "hold-4.toml",
            "themes = [",
            'temaer = "x"\nthemes = [',
            "hold-4.toml: temaer: is not a known setting",
        ),
        (
            "hold-1.toml",
            'role = "moderator"',
            'role = "host"',
            "hold-1.toml: speakers[2].role: must be 'speaker' or 'moderator'",
        ),
        (
            "hold-1.toml",
            "start = 2027-02-24T12:00:00",
            'start = "24.02.2027 12:00"',
            "hold-1.toml: seminar.start: must be a date and time",
        ),
        (
            "hold-2.toml",
            "number = 2",
            "number = 1",
            "hold-2.toml: number: hold 1 is defined twice",
        ),
        (
            "programme.toml",
            'email = "kommunestyret2030@komponent.example"',
            'email = "not an address"',
            "programme.toml: coordinator.email",
        ),
        ("hold-1.toml", "[capacity]", "[capacity", "hold-1.toml: is not valid TOML"),
        (
            "hold-1.toml",
            "registration_deadline = 2027-01-13",
            "registration_deadline = 2027-03-01",
            "registration_deadline: must be before the seminar starts",
        ),
    ],
)
def test_mistakes_name_file_and_key(
    folder: Path, file: str, old: str, new: str, message: str
) -> None:
    edit(folder / file, old, new)
    with pytest.raises(DefinitionError) as caught:
        load_programme(folder)
    assert message in str(caught.value)


def test_missing_files(folder: Path, tmp_path: Path) -> None:
    for path in folder.glob("hold-*.toml"):
        path.unlink()
    with pytest.raises(DefinitionError, match="no cohort files"):
        load_programme(folder)
    with pytest.raises(DefinitionError, match=r"programme\.toml: is missing"):
        load_programme(tmp_path / "nowhere")


def test_a_file_that_is_not_utf8(folder: Path) -> None:
    hold = folder / "hold-1.toml"
    hold.write_bytes(hold.read_text("utf-8").encode("latin-1"))
    with pytest.raises(DefinitionError, match=r"hold-1\.toml: is not UTF-8"):
        load_programme(folder)
