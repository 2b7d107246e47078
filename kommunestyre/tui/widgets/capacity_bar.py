"""A one-line bar for a cohort's capacity, with its minimum marked."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class CapacityBar(Widget):
    """``Dir.    ███████░░░┃░░░  7/10``: filled seats, free seats, and the minimum."""

    COMPONENT_CLASSES = {
        "capacity-bar--filled",
        "capacity-bar--empty",
        "capacity-bar--minimum",
        "capacity-bar--over",
    }
    DEFAULT_CSS = """
    CapacityBar { height: 1; }
    CapacityBar > .capacity-bar--filled { color: $success; }
    CapacityBar > .capacity-bar--empty { color: $panel-lighten-2; }
    CapacityBar > .capacity-bar--minimum { color: $warning; text-style: bold; }
    CapacityBar > .capacity-bar--over { color: $error; }
    """

    def __init__(self, label: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.label = label
        self.value = 0
        self.maximum = 1
        self.minimum: int | None = None

    def set_values(self, value: int, maximum: int, minimum: int | None = None) -> None:
        self.value, self.maximum, self.minimum = value, max(1, maximum), minimum
        self.refresh()

    def render(self) -> Text:
        suffix = f" {self.value:>2}/{self.maximum}"
        head = f"{self.label:<7}"
        width = max(4, self.size.width - len(head) - len(suffix))
        filled = round(width * min(self.value, self.maximum) / self.maximum)
        marker = None
        if self.minimum:
            marker = min(width - 1, round(width * self.minimum / self.maximum) - 1)
        over = self.value > self.maximum
        fill_style = self.get_component_rich_style(
            "capacity-bar--over" if over else "capacity-bar--filled"
        )
        empty_style = self.get_component_rich_style("capacity-bar--empty")
        minimum_style = self.get_component_rich_style("capacity-bar--minimum")
        text = Text(head)
        for position in range(width):
            if position == marker and position >= filled:
                text.append("┃", minimum_style)
            elif position < filled:
                text.append("█", fill_style)
            else:
                text.append("░", empty_style)
        text.append(suffix, fill_style if over else "")
        return text
