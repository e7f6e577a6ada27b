"""The message shown when something unexpected fails, instead of a traceback."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

UNEXPECTED_MESSAGE = "Something went wrong; your last saved work is safe."
UNEXPECTED_ADVICE = "Try again. If it keeps happening, tell your teacher or counselor."


class ErrorScreen(ModalScreen[None]):
    """A modal with a plain message and an OK button (Enter or Escape closes it);
    `notice=True` for news that is not a failure (a calmer border)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close", show=False)]

    def __init__(self, message: str = UNEXPECTED_MESSAGE, advice: str = UNEXPECTED_ADVICE, *, notice: bool = False) -> None:
        super().__init__(id="error-screen", classes="-notice" if notice else "")
        self.message = message
        self.advice = advice

    def compose(self) -> ComposeResult:
        with Vertical(id="error-box"):
            yield Static(self.message, id="error-message", markup=False)
            yield Static(self.advice, id="error-advice", markup=False)
            yield Button("OK", id="error-ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#error-ok", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss()

    def action_close(self) -> None:
        self.dismiss()
