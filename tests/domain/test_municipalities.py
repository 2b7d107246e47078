from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from kommunestyre.domain.municipalities import (
    all_municipalities,
    find_municipality,
    region_on,
    spelling_key,
)
from kommunestyre.errors import ValidationError


def test_there_are_98_with_unique_codes_and_spellings() -> None:
    municipalities = all_municipalities()
    assert len(municipalities) == 98
    assert len({m.code for m in municipalities}) == 98
    keys = Counter(spelling_key(m.name) for m in municipalities)
    assert [key for key, n in keys.items() if n > 1] == []
    assert {m.region for m in municipalities} == {
        "Hovedstaden",
        "Sjælland",
        "Syddanmark",
        "Midtjylland",
        "Nordjylland",
    }


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("Aarhus", "Aarhus"),
        ("Århus", "Aarhus"),
        ("aarhus kommune", "Aarhus"),
        ("Lyngby-Tårbæk", "Lyngby-Taarbæk"),
        ("lyngby taarbaek", "Lyngby-Taarbæk"),
        ("høje taastrup", "Høje-Taastrup"),
        ("Hoeje-Taastrup", "Høje-Taastrup"),
        ("Københavns Kommune", "København"),
        ("Kobenhavn", "København"),
        ("KØBENHAVN", "København"),
        ("Nordfyn", "Nordfyns"),
        ("Nordfyns Kommune", "Nordfyns"),
        ("Vesthimmerlands", "Vesthimmerland"),
        ("Vesthimmerlands Kommune", "Vesthimmerland"),
        ("Bornholms Regionskommune", "Bornholm"),
        ("Ærø", "Ærø"),
        ("Aeroe", "Ærø"),
        ("0751", "Aarhus"),
        ("751", "Aarhus"),
        ("101", "København"),
    ],
)
def test_lookup_forgives_spelling(typed: str, name: str) -> None:
    assert find_municipality(typed).name == name


def test_every_name_and_official_name_finds_itself() -> None:
    for municipality in all_municipalities():
        assert find_municipality(municipality.name) == municipality
        assert find_municipality(municipality.official_name) == municipality
        assert find_municipality(municipality.code_text) == municipality


@pytest.mark.parametrize("typed", ["Narnia", "", "   ", "999", "Aarhus Amt Syd"])
def test_unknown_municipalities_are_refused(typed: str) -> None:
    with pytest.raises(ValidationError):
        find_municipality(typed)


def test_unknown_name_suggests_close_ones() -> None:
    with pytest.raises(ValidationError, match="did you mean Aarhus"):
        find_municipality("Aarhuus")


def test_region_knows_the_2027_merger() -> None:
    copenhagen = find_municipality("København")
    odense = find_municipality("Odense")
    assert region_on(copenhagen, date(2026, 12, 31)) == "Region Hovedstaden"
    assert region_on(copenhagen, date(2027, 1, 1)) == "Region Østdanmark"
    assert region_on(find_municipality("Roskilde"), date(2027, 6, 1)) == "Region Østdanmark"
    assert region_on(odense, date(2027, 6, 1)) == "Region Syddanmark"


@pytest.mark.parametrize("typed", ["²", "٧٥١", "①"])
def test_non_ascii_digits_are_not_codes(typed: str) -> None:
    with pytest.raises(ValidationError):
        find_municipality(typed)
