"""The app's keys in the coordinator's language.

Textual reads a class's ``BINDINGS`` once, when the class is defined, so a key's description
would stay in the language of the moment the module was imported. The descriptions are written
in English (marked ``N_`` for the catalogue) and :func:`translate_bindings` rebuilds every app
class's keys in the language in use; the app calls it as it starts, before its widgets exist.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import replace

from textual.binding import Binding
from textual.dom import DOMNode

from kommunestyre.i18n import N_, _, pgettext

#: Textual's own words that reach the coordinator (the palette's system commands).
TEXTUAL_WORDS = (
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit"),
    N_("Quit the application as soon as possible"),
    N_("Keys"),
    N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
)


def _app_classes(root: type[DOMNode] = DOMNode) -> list[type[DOMNode]]:
    found: list[type[DOMNode]] = []
    for cls in root.__subclasses__():
        if cls.__module__.startswith("kommunestyre."):
            found.append(cls)
        found.extend(_app_classes(cls))
    return list(dict.fromkeys(found))


def translated(binding: Binding) -> Binding:
    """The key in the language in use; a description marked ``NP_(binding.id, ...)`` is
    looked up in that context first."""
    return replace(
        binding,
        description=_described(binding.id, binding.description),
        tooltip=_(binding.tooltip) if binding.tooltip else "",
    )


def _described(context: str | None, description: str) -> str:
    if not description:
        return ""
    if context and (own := pgettext(context, description)) != description:
        return own
    return _(description)


def translate_bindings() -> None:
    """Every app class's keys, described in the language in use (from the English source).

    Every module of the app is imported first: a dialog imported later would keep the keys of
    the language its class was defined in."""
    import kommunestyre.tui

    for module in pkgutil.walk_packages(kommunestyre.tui.__path__, "kommunestyre.tui."):
        importlib.import_module(module.name)
    for cls in _app_classes():
        merged = cls._merge_bindings()
        for key, bindings in merged.key_to_bindings.items():
            merged.key_to_bindings[key] = [translated(b) for b in bindings]
        cls._merged_bindings = merged
