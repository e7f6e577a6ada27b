"""Small pieces the student screens share (the tick lists the staff forms too):
section-state marks, a text bar chart, and tick boxes whose tick is a character.
All read without colour."""

from __future__ import annotations

from rich.segment import Segment
from textual.content import Content
from textual.strip import Strip
from textual.widgets import Checkbox, Input, RadioButton, SelectionList
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.option_list import OptionDoesNotExist

from seop_tui.services.plan_status import SectionState

# A symbol and the word: the state never rests on colour alone.
STATE_MARKS = {
    SectionState.NOT_STARTED: "[ ]",
    SectionState.IN_PROGRESS: "[~]",
    SectionState.DONE: "[x]",
    SectionState.NEEDS_ATTENTION: "[!]",
    SectionState.VIEW: "[i]",
}

FULL, EMPTY = "█", "░"


def bar(value: float, maximum: float, width: int = 20) -> str:
    """'██████░░░░': `value` of `maximum` as `width` cells."""
    filled = 0 if maximum <= 0 else round(width * max(0.0, min(value, maximum)) / maximum)
    return FULL * filled + EMPTY * (width - filled)


def bar_line(label: str, value: int, maximum: int, *, label_width: int = 14, width: int = 20) -> str:
    """'Social        ██████████░░ 26/32'."""
    return f"{label:<{label_width}}{bar(value, maximum, width)} {value}/{maximum}"


def text_field(**kwargs) -> Input:
    """A one-line box for the student's own words. Focus never selects the text, so a
    first key press adds to a saved goal instead of replacing it (and the box looks the
    same whether the saved text arrived before or after the focus)."""
    field = Input(compact=True, select_on_focus=False, **kwargs)
    field.cursor_blink = False
    return field


class MarkedCheckbox(Checkbox):
    """A checkbox showing X when ticked and a blank when not (Textual's shows X in both, in another colour)."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = ToggleButton.BUTTON_INNER if self.value else " "
        return super()._button


class MarkedRadioButton(RadioButton):
    """A radio button showing ● when chosen and a blank when not (not only another colour)."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = RadioButton.BUTTON_INNER if self.value else " "
        return super()._button


class MarkedSelectionList(SelectionList):
    """A SelectionList whose unticked entries show a blank instead of a dimmed X."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        _, scroll_y = self.scroll_offset
        try:
            selection = self.get_option_at_index(scroll_y + y)
        except OptionDoesNotExist:
            return strip
        if selection.value in self.selected:
            return strip
        segments = list(strip)
        if len(segments) > 1 and segments[1].text == ToggleButton.BUTTON_INNER:
            segments[1] = Segment(" ", segments[1].style)
            return Strip(segments, strip.cell_length)
        return strip
