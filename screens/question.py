"""A question with a few answers, for students and staff alike: each answer is a
button with its key shown ("Remove (y)"); the key or Enter on a button answers,
Escape answers None (as "no"/"cancel" does)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from screens.text import plain


class Question(ModalScreen[str | None]):
    """Dismisses with the key of the answer chosen, or None for Escape."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "answer_none", "Cancel", show=False)]

    def __init__(self, question: str, answers: list[tuple[str, str]], *, focus: str | None = None) -> None:
        """`answers`: (key, label); the key is also the answer. `focus`: the key whose
        button Enter presses at first (default the first; "n" for a removal)."""
        super().__init__(classes="question-modal")
        self.question = question
        self.answers = answers
        self.focus_key = focus or answers[0][0]

    @classmethod
    def yes_no(cls, question: str, yes: str = "Yes", no: str = "No", *, focus_yes: bool = True) -> Question:
        return cls(question, [("y", yes), ("n", no)], focus="y" if focus_yes else "n")

    def compose(self) -> ComposeResult:
        with Vertical(classes="question-box"):
            yield Static(plain(self.question, one_line=False), classes="question-text")
            with Horizontal(classes="question-buttons"):
                for key, label in self.answers:
                    yield Button(f"{label} ({key})", id=f"answer-{key}", compact=True)

    def on_mount(self) -> None:
        self.query_one(f"#answer-{self.focus_key}", Button).focus()

    def on_key(self, event: Key) -> None:
        for key, _ in self.answers:
            if event.key == key:
                event.stop()
                self.dismiss(key)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss((event.button.id or "").removeprefix("answer-"))

    def action_answer_none(self) -> None:
        self.dismiss(None)
