"""The interface's language: every word a coordinator reads goes through :func:`_`.

The source text is English; the Danish words live in a gettext catalogue
(``kommunestyre/locale/da/LC_MESSAGES/kommunestyre.po``, compiled to ``.mo`` beside it and
shipped in the wheel). ``tools/catalogue.py`` extracts the messages from the code, merges new
ones into the ``.po`` file and compiles it; ``tests/test_i18n.py`` fails when a message has no
Danish text or the compiled file is out of date.

How to write a message:

- ``_("Add directorate")`` where the text is shown (a screen, a notification, a CLI line).
- ``_("{name} is not a Danish municipality").format(name=...)``: placeholders, never an
  f-string inside ``_()``: the translator moves ``{name}`` where Danish wants it.
- ``ngettext("{n} participant", "{n} participants", n).format(n=n)`` for counts.
- ``N_("Overview")`` marks text that is stored at import time (class attributes, tables of
  labels); translate it with ``_()`` where it is shown. ``pgettext``/``NP_`` give one English
  word two Danish ones by context ("Cancel": "Annuller" a form, "Afmeld" a registration).

The language is chosen once per process (:func:`use`): ``--lang``, else ``$KOMMUNESTYRE_LANG``,
else the programme's language (``language = "da"`` in ``cohorts/programme.toml``). Only the
standard library is imported: the CLI's quick commands stay quick.
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from pathlib import Path

DOMAIN = "kommunestyre"
LANGUAGES = ("da", "en")
DEFAULT = "da"  # the coordinators are Danish
ENVIRONMENT = "KOMMUNESTYRE_LANG"
LOCALE_FOLDER = Path(__file__).parent / "locale"

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"  # the source text, until use() says otherwise
_chosen = False  # True once the coordinator chose (--lang, $KOMMUNESTYRE_LANG)


def use(language: str, *, chosen_by_user: bool = True) -> None:
    """Speaks ``language`` ("da" or "en") from now on, in this process."""
    global _translations, _language, _chosen
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    if language == "en":
        _translations = gettext.NullTranslations()
    else:
        _translations = gettext.translation(DOMAIN, LOCALE_FOLDER, [language])
    _language = language
    _chosen = chosen_by_user


def follow_programme(language: str) -> None:
    """The programme's language, once its database is read, unless the coordinator chose."""
    if not _chosen and language in LANGUAGES and language != _language:
        use(language, chosen_by_user=False)


def language() -> str:
    """The language in use: "da" or "en"."""
    return _language


def choose(flag: str | None, environ: Mapping[str, str]) -> None:
    """Speaks the ``--lang`` flag's language, else ``$KOMMUNESTYRE_LANG``'s, else the default
    until the programme's database says otherwise (:func:`follow_programme`).

    A value that is not a known language is skipped (the environment may hold ``da_DK``).
    """
    for candidate in (flag, environ.get(ENVIRONMENT)):
        short = (candidate or "").strip().lower().replace("-", "_").split("_")[0]
        if short in LANGUAGES:
            use(short)
            return
    use(DEFAULT, chosen_by_user=False)


def _(message: str) -> str:
    """``message`` in the language in use."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for ``count``, in the language in use."""
    return _translations.ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """``message`` where the same English word needs different Danish words by ``context``."""
    return _translations.pgettext(context, message)


def N_(message: str) -> str:
    """Marks ``message`` for the catalogue without translating it (translate where shown)."""
    return message


def NP_(context: str, message: str) -> str:
    """Marks ``message`` in ``context`` for the catalogue, untranslated. A key's description
    marked with its binding's id as the context (``NP_("register.cancel", "Cancel")``) gets its
    own Danish word where the same English serves two meanings."""
    return message
