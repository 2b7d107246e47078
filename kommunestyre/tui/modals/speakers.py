"""A cohort's speakers and moderators: add, edit, remove, then save the list in one go."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList

from kommunestyre.domain.model import Role, Speaker
from kommunestyre.domain.validation import clean_text, require_name
from kommunestyre.i18n import N_, _
from kommunestyre.tui.modals.form_modal import FormModal
from kommunestyre.tui.widgets.form import FormField, SelectField
from kommunestyre.tui.widgets.plain import Plain, plain


def _line(speaker: Speaker) -> str:
    words = {Role.SPEAKER: _("Speaker"), Role.MODERATOR: _("Moderator")}
    width = max(10, *(len(word) for word in words.values()))  # the names line up
    role = words[speaker.role]
    where = ", ".join(part for part in (speaker.title, speaker.organisation) if part)
    topic = f" · {speaker.topic}" if speaker.topic else ""
    return (
        f"{role:<{width}} {speaker.name} ({where}){topic}"
        if where
        else f"{role:<{width}} {speaker.name}{topic}"
    )


class SpeakerForm(FormModal[Speaker]):
    FORM_ID = "speaker-form"

    def __init__(self, speaker: Speaker | None = None) -> None:
        super().__init__()
        self.speaker = speaker or Speaker("", "", "", Role.SPEAKER)

    def compose(self) -> ComposeResult:
        s = self.speaker
        with Vertical(classes="dialog", id=self.FORM_ID):
            yield Plain(_("Speaker or moderator"), classes="dialog-title")
            yield FormField(_("Name"), "name", s.name, check=require_name)
            yield FormField(_("Title"), "title", s.title, check=lambda v: clean_text(v, "title"))
            yield FormField(
                _("Organisation"),
                "organisation",
                s.organisation,
                check=lambda v: clean_text(v, "organisation"),
            )
            roles = [(_("Speaker"), Role.SPEAKER), (_("Moderator"), Role.MODERATOR)]
            yield SelectField(_("Role"), "role", roles, s.role)
            yield FormField(_("Topic"), "topic", s.topic, check=lambda v: clean_text(v, "topic"))
            yield from self.compose_buttons()

    def result(self) -> Speaker:
        v = {name: value.strip() for name, value in self.values().items()}
        role = Role(str(self.query_one(SelectField).value))
        return Speaker(v["name"], v["title"], v["organisation"], role, v["topic"])


class SpeakersModal(ModalScreen[list[Speaker] | None]):
    """Returns the edited list (saved by the caller), or None when cancelled."""

    BINDINGS = [
        Binding(
            "a",
            "add",
            N_("Add"),
            id="speakers.add",
            tooltip=N_("Add a speaker or moderator"),
        ),
        Binding(
            "e,enter",
            "edit",
            N_("Edit"),
            id="speakers.edit",
            tooltip=N_("Edit the selected speaker or moderator"),
        ),
        Binding(
            "delete,x",
            "remove",
            N_("Remove"),
            id="speakers.remove",
            tooltip=N_("Remove the selected speaker or moderator"),
        ),
        Binding(
            "ctrl+s",
            "save",
            N_("Save list"),
            id="speakers.save",
            tooltip=N_("Save the speakers and moderators"),
        ),
        Binding("escape", "cancel", N_("Cancel"), id="speakers.cancel"),
    ]

    def __init__(self, number: int, speakers: Sequence[Speaker]) -> None:
        super().__init__(classes="modal")
        self.number = number
        self.speakers = list(speakers)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):  # not translated: CSS classes
            yield Plain(
                _("Hold {number}: speakers and moderators").format(number=self.number),
                classes="dialog-title",
            )
            yield OptionList(id="speaker-list")
            yield Plain(
                _("a: add · e/enter: edit · x/delete: remove · ctrl+s: save · esc: cancel"),
                classes="note",
            )
            with Horizontal(classes="buttons"):
                yield Button(_("Save list (ctrl+s)"), id="save", variant="primary", compact=True)
                yield Button(_("Cancel (esc)"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self._fill()
        self.query_one(OptionList).focus()

    def _fill(self, highlight: int | None = None) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        lines = [plain(_line(s)) for s in self.speakers]  # names are data, never markup
        options.add_options(lines or [plain(_("(nobody yet: press a to add)"))])
        if self.speakers:
            options.highlighted = min(highlight or 0, len(self.speakers) - 1)

    def _selected(self) -> int | None:
        index = self.query_one(OptionList).highlighted
        return index if self.speakers and index is not None else None

    def on_option_list_option_selected(self) -> None:
        self.action_edit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_save() if event.button.id == "save" else self.action_cancel()

    def action_add(self) -> None:
        def added(speaker: Speaker | None) -> None:
            if speaker is not None:
                self.speakers.append(speaker)
                self._fill(len(self.speakers) - 1)

        self.app.push_screen(SpeakerForm(), added)

    def action_edit(self) -> None:
        index = self._selected()
        if index is None:
            return

        def edited(speaker: Speaker | None) -> None:
            if speaker is not None:
                self.speakers[index] = speaker
                self._fill(index)

        self.app.push_screen(SpeakerForm(self.speakers[index]), edited)

    def action_remove(self) -> None:
        index = self._selected()
        if index is not None:
            del self.speakers[index]
            self._fill(index)

    def action_save(self) -> None:
        self.dismiss(self.speakers)

    def action_cancel(self) -> None:
        self.dismiss(None)
