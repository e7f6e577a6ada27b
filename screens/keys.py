"""F1: the keys of the screen underneath, each with what it does.

The footer has room for the main keys only at 80 columns; this lists them all (the
screen's, the app's and the focused box's own footer keys), not the arrow-key
movement every list and box has.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Static

from screens.text import plain


# Textual's own keys on every screen: Tab moves between boxes as people expect, Ctrl+C
# copies, and Ctrl+Q signs out here (screens/app.py) rather than quitting.
TEXTUAL_KEYS = frozenset({"focus_next", "focus_previous", "copy_text", "quit", "help_quit", "command_palette"})


def key_rows(screen: Screen) -> list[tuple[str, str]]:
    """(keys, what they do) for `screen` as it is now: one row per action, keys joined."""
    rows: dict[tuple[int, str], tuple[list[str], str]] = {}
    for key, active in screen.active_bindings.items():
        binding, node = active.binding, active.node
        if not active.enabled or not binding.description or binding.system or binding.action.rpartition(".")[2] in TEXTUAL_KEYS:
            continue
        if isinstance(node, Widget) and not isinstance(node, Screen) and not binding.show:
            continue  # a box's own movement keys
        shown = screen.app.get_key_display(Binding(key, binding.action, binding.description, key_display=binding.key_display))
        keys, _ = rows.setdefault((id(node), binding.action), ([], binding.description))
        if shown not in keys:
            keys.append(shown)
    return [(" / ".join(keys), description) for keys, description in rows.values()]


class KeysScreen(ModalScreen[None]):
    """A list of keys over the screen; F1 or Escape closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q", "close", "Close")]
    DEFAULT_CSS = """
    KeysScreen { align: center middle; }
    KeysScreen > Vertical { width: 60; max-width: 100%; height: auto; max-height: 100%; border: round $primary; background: $surface; padding: 0 1; }
    KeysScreen #keys-list { height: auto; max-height: 18; }
    KeysScreen #keys-hint { color: $text-muted; }
    """

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        width = max((len(k) for k, _ in self.rows), default=0) + 2
        lines = Content("\n").join(Content.assemble((k.rjust(width), "bold"), "  ", plain(d)) for k, d in self.rows)
        with Vertical():
            yield Static(Content.styled("Keys on this screen", "bold"))
            with VerticalScroll(id="keys-list"):
                yield Static(lines, id="keys-body")
            yield Static("Esc or F1 closes this list.", id="keys-hint")

    def on_mount(self) -> None:
        self.query_one("#keys-list").focus()

    def action_close(self) -> None:
        self.dismiss(None)
