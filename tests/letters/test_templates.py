"""The built-in templates render for everyone; mistakes and sandbox escapes are caught."""

from __future__ import annotations

import tracemalloc
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from kommunestyre.clock import frozen_clock, local
from kommunestyre.letters.batch import State
from kommunestyre.letters.catalogue import LETTERS, Filters
from kommunestyre.letters.environment import FILTERS
from kommunestyre.resources import templates_dir
from kommunestyre.services.letters import LetterService
from kommunestyre.store.database import Database
from kommunestyre.store.repository import Repository

#: The follow-up letter is written between a cohort's seminar and its follow-up day.
BETWEEN_THE_MEETINGS = local(datetime(2027, 3, 1, 9, 0))


@pytest.mark.parametrize("key", list(LETTERS))
def test_every_template_renders_for_every_demo_recipient(
    service: LetterService, demo_db: Path, key: str
) -> None:
    if key == "followup":
        repository = Repository(Database(demo_db), clock=frozen_clock(BETWEEN_THE_MEETINGS))
        service = LetterService(repository)
    total = 0
    for status in LETTERS[key].statuses:
        batch = service.prepare(key, Filters(status=status))
        assert batch.clean, [(x.recipient.label, x.problems) for x in batch.errors]
        for letter in batch.letters:
            assert letter.subject and letter.recipient.name in letter.text
            assert letter.text.startswith(f"Kære {letter.recipient.name}")
            assert "Med venlig hilsen" in letter.text and "Line Vestergaard" in letter.html
            assert "{{" not in letter.text + letter.html
        total += len(batch.letters)
    assert total > 0


def test_letters_say_the_right_things(service: LetterService) -> None:
    [kolding] = [
        x for x in service.prepare("confirmation").letters if x.recipient.label == "Kolding"
    ]
    text = kolding.text
    assert (
        "fra onsdag den 24. februar 2027 kl. 12.00 til torsdag den 25. februar 2027 kl. 12.00"
        in text
    )
    assert "Hotel Koldingfjord, Fjordvej 154, 6000 Kolding" in text
    assert "14.900 kr. pr. deltager ekskl. moms (18.625,00 kr. inkl. moms)" in text
    assert "For 5 deltagere i alt 93.125,00 kr. inkl. moms" in text
    assert "til og med onsdag den 13. januar 2027" in text and "EAN 5798" in text
    waiting = service.prepare("waitlist").letters
    assert [w.recipient.label for w in waiting] == ["Nyborg", "Assens"]  # the queue's order
    assert "som nr. 1" in next(w.text for w in waiting if w.recipient.label == "Nyborg")
    practical = service.prepare("practical", Filters(cohort=4)).letters[0]
    assert "onsdag den 6. oktober 2027 kl. 12.00" in practical.text
    assert "Hotel Hvide Hus Aalborg" in practical.text


def test_danish_filters() -> None:
    moment = local(datetime(2022, 11, 8, 12, 0))
    assert FILTERS["dato"](moment) == "tirsdag den 8. november 2022"
    assert FILTERS["kl"](moment) == "kl. 12.00"
    assert FILTERS["tidspunkt"](moment) == "tirsdag den 8. november 2022 kl. 12.00"
    assert FILTERS["kr"](Decimal("14900")) == "14.900 kr."
    assert FILTERS["kr_ore"](Decimal("18625")) == "18.625,00 kr."
    day = {"start": moment, "end": local(datetime(2022, 11, 8, 15, 30))}
    assert FILTERS["periode"](day) == "tirsdag den 8. november 2022 kl. 12.00-15.30"


def own_folder(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "mine"
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name.replace("__", ".")).write_text(text, "utf-8")
    return folder


def test_own_templates_override_by_name(repository: Repository, tmp_path: Path) -> None:
    folder = own_folder(tmp_path, waitlist__subject__txt="Venteliste, {{ municipality.name }}")
    batch = LetterService(repository, folder).prepare("waitlist")
    assert {x.subject for x in batch.letters} == {"Venteliste, Assens", "Venteliste, Nyborg"}
    assert all("Kære" in x.text for x in batch.letters)  # the bodies still come from the built-ins


def test_a_missing_variable_is_named(repository: Repository, tmp_path: Path) -> None:
    folder = own_folder(
        tmp_path,
        waitlist__txt="{% extends '_base.txt' %}{% block body %}{{ cohort.room }}{% endblock %}",
    )
    batch = LetterService(repository, folder).prepare("waitlist")
    assert not batch.clean
    assert all("'dict object' has no attribute 'room'" in x.problems[0] for x in batch.errors)
    folder2 = own_folder(tmp_path / "b", waitlist__subject__txt="{{ kommune }}")
    batch = LetterService(repository, folder2).prepare("waitlist")
    assert batch.errors[0].problems == [
        "template error (waitlist.subject.txt, line 1): 'kommune' is undefined"
    ]


def test_a_syntax_error_names_file_and_line(repository: Repository, tmp_path: Path) -> None:
    folder = own_folder(tmp_path, waitlist__html="<p>\n{% if %}\n")
    batch = LetterService(repository, folder).prepare("waitlist")
    assert "waitlist.html, line 2" in batch.errors[0].problems[0]


@pytest.mark.parametrize(
    "escape",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ ''.__class__ }}",
        "{{ '{0.__class__}'.format(1) }}",
        "{{ ('{0.__class__}' | attr('format'))(1) }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ programme.organisers.append('x') }}",
        "{{ recipient.update({'name': 'x'}) }}",
    ],
)
def test_sandbox_escapes_fail(repository: Repository, tmp_path: Path, escape: str) -> None:
    folder = own_folder(tmp_path, waitlist__subject__txt=escape)
    batch = LetterService(repository, folder).prepare("waitlist")
    assert not batch.clean
    for letter in batch.letters:
        assert letter.state is State.ERROR
        assert "class" not in letter.subject and "globals" not in letter.subject


def test_html_is_escaped_and_text_is_not(repository: Repository) -> None:
    with repository.change() as change:
        change.register.contact(101).name = "Bo <b>Bold</b> & Co"
    [copenhagen] = [
        x
        for x in LetterService(repository).prepare("invitation").letters
        if x.recipient.key == "contact:101"
    ]
    assert "Kære Bo <b>Bold</b> & Co" in copenhagen.text
    assert "<p>Kære Bo &lt;b&gt;Bold&lt;/b&gt; &amp; Co</p>" in copenhagen.html


def test_the_shipped_templates_folder_has_every_part() -> None:
    names = {p.name for p in templates_dir().iterdir()}
    for key in LETTERS:
        assert {f"{key}.subject.txt", f"{key}.txt", f"{key}.html"} <= names


RUNAWAY = {
    "nested loops": "{% for a in range(99999) %}{% for b in range(99999) %}"
    "{% endfor %}{% endfor %}",
    "a gigabyte of text": "{{ 'a' * 10**9 }}",
    "a billion numbers": "{% for a in range(10**9) %}x{% endfor %}",
    "a macro that calls itself": "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
    "a macro that doubles a text": "{% macro f(s) %}{{ f(s ~ s) }}{% endmacro %}{{ f('ab') }}",
    "a template that extends itself": "{% extends 'waitlist.txt' %}",
    "a huge power": "{{ 10 ** 100000 }}",
    "loops over a long text": "{% set s = 'ab' * 5000 %}{% for a in s %}{% for b in s %}"
    "{% endfor %}{% endfor %}",
    "a huge filter argument": "{{ 'a' | center(10**9) }}",
    "a counter that doubles": "{% set ns = namespace(s='ab') %}{% for i in range(40) %}"
    "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
    "division by zero": "{{ 1 / 0 }}",
    "a percent format with a huge width": "{{ '%0300000000d' % 1 }}",
    "a width taken from the values": "{{ '%*d' % (300000000, 1) }}",
    "a format call with a huge width": "{{ '{:>300000000}'.format(1) }}",
    "the format filter with a huge width": "{{ '%0300000000d' | format(1) }}",
    "concatenation that quadruples": "{% set a = 'x' * 100000 %}{% set b = a ~ a ~ a ~ a %}"
    "{% set c = b ~ b ~ b ~ b %}{% set d = c ~ c ~ c ~ c %}{{ d | length }}",
    "addition that doubles": "{% set a = 'x' * 100000 %}{% set b = a + a + a + a %}"
    "{% set c = b + b + b + b %}{% set d = c + c + c + c %}{{ d | length }}",
    "a replace that multiplies": "{% set a = 'x' * 100000 %}{{ a | replace('x', a) }}",
    "an indent that multiplies": "{% set a = '\\n' * 20000 %}{{ a | indent(20000) }}",
    "the loop counter taken over": "{% set _counted_items = ''.join %}{% set s = 'ab' * 5000 %}"
    "{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}",
}


@pytest.mark.parametrize("case", RUNAWAY)
def test_a_runaway_template_is_stopped_and_named(
    repository: Repository, tmp_path: Path, case: str
) -> None:
    """A coordinator's own template cannot hang the program or exhaust the machine: each is
    stopped by the budget of a letter and reported with the template's name and line."""
    (tmp_path / "waitlist.txt").write_text(RUNAWAY[case], "utf-8")
    tracemalloc.start()
    try:
        batch = LetterService(repository, own_templates=tmp_path).prepare("waitlist")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * 2**20, f"{peak / 2**20:.0f} MB"  # stopped before it was built
    assert batch.letters and not batch.clean
    for letter in batch.letters:
        [problem] = letter.problems
        assert problem.startswith("template ") and "(waitlist.txt, line 1)" in problem
