"""A light drop-down for the dashboard's filters.

Closed, a `FilterChoice` is one line of text ("Any grade ▼"); Enter, Space, Down or a
click opens its choices in a small menu just below it. Textual's Select is six
widgets (label, arrows, overlay list) and the dashboard had four: styling them took
as long as painting the list of students. The menu is built only when opened.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Region
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from screens.base import SessionFooter
from screens.text import clean

ARROW = " ▼"


class FilterChoice(Static, can_focus=True):
    """One filter: shows the choice made (or the prompt, meaning "not filtered")."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter,space,down", "open", "Choose", show=False)]

    class Changed(Message):
        """A different choice was made; `value` is None for the prompt (no filter)."""

        def __init__(self, choice: FilterChoice, value: object | None) -> None:
            super().__init__()
            self.choice = choice
            self.value = value

        @property
        def control(self) -> FilterChoice:
            return self.choice

    def __init__(self, prompt: str, options: Iterable[tuple[str, object]] = (), *, id: str) -> None:
        super().__init__(id=id, markup=False)
        self.prompt = prompt
        self.options: list[tuple[str, object]] = list(options)
        self.value: object | None = None

    def set_options(self, options: Iterable[tuple[str, object]]) -> None:
        """New choices; the filter goes back to its prompt."""
        self.options = list(options)
        self.value = None
        self.refresh()

    @property
    def label(self) -> str:
        return next((clean(label) for label, value in self.options if value == self.value), self.prompt)

    def render(self) -> Content:
        room = max(1, self.content_size.width - len(ARROW))
        return Content(self.label[:room].ljust(room) + ARROW)

    def on_click(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        self.app.push_screen(ChoiceMenu(self.prompt, self.options, self.value, self.region), self._chosen)

    def _chosen(self, picked: tuple[object | None] | None) -> None:
        if picked is None or picked[0] == self.value:
            return
        self.value = picked[0]
        self.refresh()
        self.post_message(self.Changed(self, self.value))


class ChoiceMenu(ModalScreen[tuple[object | None] | None]):
    """The open drop-down. Enter picks; Escape leaves the filter as it was.

    Dismissed with `(value,)` (value None for the prompt), or None when nothing was picked.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, prompt: str, options: list[tuple[str, object]], value: object | None, below: Region) -> None:
        super().__init__()
        self.prompt = prompt
        self.values: list[object | None] = [None, *(v for _, v in options)]
        self.labels = [prompt, *(clean(label) for label, _ in options)]
        self.value = value
        self.below = below

    def compose(self) -> ComposeResult:
        yield OptionList(*(Option(Content(label)) for label in self.labels), id="choice-menu")
        yield SessionFooter(show_command_palette=False)

    def on_mount(self) -> None:
        menu = self.query_one(OptionList)
        menu.styles.width = max(self.below.width, max(len(label) for label in self.labels) + 4)
        menu.styles.offset = (self.below.x, self.below.bottom)
        menu.highlighted = self.values.index(self.value) if self.value in self.values else 0

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss((self.values[event.option_index],))

    def action_cancel(self) -> None:
        self.dismiss(None)
