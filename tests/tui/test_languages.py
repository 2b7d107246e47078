"""Every screen in both languages: in Danish (the default) no word of the English interface is
left on the screen, and in English (`--lang en`) the navigation and the keys are English."""

from __future__ import annotations

import gettext
import re
from functools import cache
from pathlib import Path

import pytest

from kommunestyre import i18n
from kommunestyre.clock import frozen_clock
from kommunestyre.definition import load_programme
from kommunestyre.resources import cohorts_dir
from kommunestyre.services.demo import create_demo
from kommunestyre.tui.screens.base import SCREENS
from tests.conftest import EARLY
from tests.tui.conftest import SIZE, AppFactory
from tests.tui.test_plain_text import terminal_output

ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
WORD = re.compile(r"[A-Za-zÆØÅæøå]{4,}")


@cache
def words_only_in(language: str) -> frozenset[str]:
    """Words of the interface in ``language`` that the other language's interface never uses
    (the catalogue's English source against its Danish text)."""
    mo = Path(i18n.LOCALE_FOLDER) / "da" / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
    with mo.open("rb") as file:
        catalogue = gettext.GNUTranslations(file)._catalog  # type: ignore[attr-defined]
    english: set[str] = set()
    danish: set[str] = set()
    for key, text in catalogue.items():
        source = key[0] if isinstance(key, tuple) else key  # (singular, n) for plurals
        if not source:
            continue
        english.update(WORD.findall(source.split("\x04")[-1]))
        danish.update(WORD.findall(text))
    return frozenset(english - danish if language == "en" else danish - english)


def screen_text(app) -> str:
    return ESCAPES.sub("", terminal_output(app))


def programme_words() -> set[str]:
    """Words of the programme's own Danish data (field names such as "Økonomi"), which are
    shown as they are in either language."""
    programme = load_programme(cohorts_dir())
    return {w for f in programme.fields for w in WORD.findall(f"{f.label} {f.key}")}


@pytest.mark.parametrize("language", ["da", "en"])
async def test_every_screen_speaks_one_language(
    make_app: AppFactory, tmp_path: Path, language: str
) -> None:
    i18n.use(language)
    other = words_only_in("en" if language == "da" else "da") - programme_words()
    demo = tmp_path / "sprog.json"  # made in the language in use, as its history is written
    create_demo(demo, clock=frozen_clock(EARLY))
    app = make_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        for mode, key, label in SCREENS:
            await pilot.press(key)
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.current_mode == mode
            text = screen_text(app)
            assert f" {key} {i18n._(label)} " in text
            assert f"F1 {i18n._('Help')}" in text
            if language == "en":  # the register's data is Danish: look at the frame only
                lines = text.splitlines()
                text = f"{lines[0]}\n{lines[-1]}"
            stray = sorted({word for word in WORD.findall(text) if word in other})
            assert not stray, f"{mode} in {language} shows {stray}"
