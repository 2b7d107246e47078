"""The history's "old → new": what each kind of edit changed, field by field, in words."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from kommunestyre.domain import changes
from kommunestyre.domain.changes import Difference
from kommunestyre.domain.model import (
    InvoiceDetails,
    MunicipalityContact,
    ParticipantDetails,
    Programme,
    Role,
    Speaker,
)


def test_equal_values_are_left_out_and_the_rest_keep_their_order() -> None:
    found = changes.compare(
        [(changes.NAME, "Ole", "Ole"), (changes.TITLE, "", "Direktør"), (changes.PHONE, "1", "")]
    )
    assert [str(d) for d in found] == ["title — → Direktør", "phone 1 → —"]
    assert changes.describe(found) == "title — → Direktør; phone 1 → —"


def test_a_value_is_shown_on_one_line() -> None:
    found = changes.compare([(changes.NOTES, "first\nsecond  line", "x")])
    assert str(found[0]) == "notes first second line → x"


def test_an_entry_says_what_was_done_and_what_changed_or_that_nothing_did() -> None:
    done = "settings of hold 1 updated"
    assert changes.entry(done, []) == "settings of hold 1 updated (nothing changed)"
    assert (
        changes.entry(done, [Difference("deadline", "13.01.2027", "20.01.2027")])
        == "settings of hold 1 updated: deadline 13.01.2027 → 20.01.2027"
    )


def test_participant_changes_name_the_fields_and_the_networks(programme: Programme) -> None:
    old = ParticipantDetails("Anne Hansen", "Direktør", "kommunaldirektor", "anne@x.dk")
    new = old._replace(
        name="Anne Hansen-Berg", field="okonomi_stab", extra_fields=("born_kultur",), phone="12"
    )
    text = changes.describe(changes.participant_changes(programme, old, new))
    label = programme.field_label
    assert text == (
        "name Anne Hansen → Anne Hansen-Berg; "
        f"professional field {label('kommunaldirektor')} → {label('okonomi_stab')}; "
        f"other networks — → {label('born_kultur')}; phone — → 12"
    )
    assert changes.participant_changes(programme, old, old) == []


def test_invoice_and_contact_changes() -> None:
    old = InvoiceDetails(ean="5798000000001", reference="A-1", contact_name="Bogholderiet")
    new = old._replace(reference="B-2", contact_name="Ole Hansen", contact_email="ole@x.dk")
    assert changes.describe(changes.invoice_changes(old, new)) == (
        "reference A-1 → B-2; invoice contact Bogholderiet → Ole Hansen; "
        "contact e-mail — → ole@x.dk"
    )
    before = MunicipalityContact(751, "Michael Hansen", "Kommunaldirektør", "m@aarhus.dk")
    after = dataclasses.replace(before, email="mh@aarhus.dk", declined=True, notes="ringer")
    assert changes.describe(changes.contact_changes(before, after)) == (
        "e-mail m@aarhus.dk → mh@aarhus.dk; notes — → ringer"
    )


def test_cohort_changes_say_only_the_part_of_a_venue_that_changed(programme: Programme) -> None:
    old = programme.cohort(1)
    venue = dataclasses.replace(old.seminar.venue, postcode="7100", town="Vejle")
    new = dataclasses.replace(
        old,
        seminar=dataclasses.replace(old.seminar, venue=venue),
        registration_deadline=old.registration_deadline + timedelta(days=7),
        max_participants=old.max_participants - 2,
        themes=[*old.themes[1:], "Ny tema"],
    )
    found = [str(d) for d in changes.cohort_changes(old, new)]
    before = old.seminar.venue
    day = old.registration_deadline
    later = day + timedelta(days=7)
    assert found == [
        f"seminar venue {before.postcode} {before.town} → 7100 Vejle",
        f"deadline {day:%d.%m.%Y} → {later:%d.%m.%Y}",
        f"max. people {old.max_participants} → {old.max_participants - 2}",
        f"theme removed: {old.themes[0]}",
        "theme added: Ny tema",
    ]
    assert changes.cohort_changes(old, dataclasses.replace(old)) == []


def test_a_meeting_is_shown_with_its_days_and_times(programme: Programme) -> None:
    old = programme.cohort(2)
    start = old.followup.start
    moved = dataclasses.replace(
        old.followup, start=start + timedelta(days=1), end=old.followup.end + timedelta(days=1)
    )
    new = dataclasses.replace(old, followup=moved)
    (found,) = changes.cohort_changes(old, new)
    assert found.field == "follow-up day"
    assert found.old.startswith(f"{start:%d.%m.%Y} {start:%H:%M} - ")
    assert found.new.startswith(f"{start + timedelta(days=1):%d.%m.%Y} ")


def test_a_list_says_what_was_added_and_removed_twice_as_twice() -> None:
    found = changes.list_changes(changes.THEME, ["a", "b", "b"], ["b", "c"])
    assert [str(d) for d in found] == ["theme removed: a", "theme removed: b", "theme added: c"]
    assert changes.list_changes(changes.THEME, ["a", "b"], ["b", "a"]) == []
    (order,) = changes.list_changes(changes.THEME, ["a", "b"], ["b", "a"], ordered=True)
    assert str(order) == "order a, b → b, a"


def test_speaker_changes_by_name() -> None:
    karen = Speaker("Karen Holm", "Professor", "AU", Role.SPEAKER, "Vilde problemer")
    anders = Speaker("Anders Bech", "Direktør", "KL", Role.MODERATOR)
    old = [karen, anders]
    new = [dataclasses.replace(karen, topic="Samskabelse"), Speaker("Ida Ny", "Chef", "DR")]
    assert [str(d) for d in changes.speaker_changes(old, new)] == [
        "moderator removed: Anders Bech",
        "Karen Holm: topic Vilde problemer → Samskabelse",
        "speaker added: Ida Ny",
    ]
    (order,) = changes.speaker_changes(old, [anders, karen])
    assert str(order) == "order Karen Holm, Anders Bech → Anders Bech, Karen Holm"
    assert changes.speaker_changes(old, list(old)) == []


def test_times_follow_the_language(programme: Programme, danish: None) -> None:
    old = programme.cohort(1)
    later = dataclasses.replace(
        old.seminar, start=old.seminar.start + timedelta(hours=1), end=old.seminar.end
    )
    (found,) = changes.cohort_changes(old, dataclasses.replace(old, seminar=later))
    start = old.seminar.start
    assert found.old.startswith(f"{start:%d.%m.%Y} {start:%H}.{start:%M} - ")
