"""What every screen shown to a signed-in person shares.

A screen for a signed-in person subclasses `SessionScreen`: it gets the acting
user (`self.actor`), the top bar (product, who is signed in, their role) and a
Footer with the key hints, including the app-wide Sign out key. It fills only
`compose_body()`.

Section screens (one part of a plan, a student's record ...) subclass
`SectionScreen`, which adds Escape = Back, and are opened from a home screen
with `self.app.push_screen(SomeSection(self.actor, ...))`. They live on the
session's screen stack, so signing out (the key, or the idle time-out) throws
all of them away at once.

Before a sign-out, `SeopApp` awaits `save_before_sign_out()` on every session
screen, top first: a screen holding unsaved edits saves them (through its
service) there, so an idle student's work is kept.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from screens.text import plain
from seop_tui.services.context import Actor

if TYPE_CHECKING:
    from screens.app import SeopApp

SESSION_CSS = Path(os.path.abspath(Path(__file__).with_name("seop.tcss")))
"""The look of every screen after sign-in (the sign-in screen has its own, smaller one)."""

ROLE_NAMES = {
    "student": "Student",
    "teacher": "Teacher",
    "counselor": "Counselor",
    "administrator": "Administrator",
}


def role_name(role: str) -> str:
    return ROLE_NAMES.get(role, role.title())


class TopBar(Horizontal):
    """One line: the product on the left, who is signed in on the right."""

    def __init__(self, actor: Actor, section: str = "") -> None:
        super().__init__(id="top-bar")
        self.actor = actor
        self.section = section

    def compose(self) -> ComposeResult:
        title = Content.assemble(("seop", "bold"), "  ", plain(self.section)) if self.section else Content.styled("seop", "bold")
        yield Static(title, id="top-title")
        who = Content.assemble(plain(self.actor.display_name), " · ", role_name(self.actor.role))
        yield Static(who, id="top-who")


class SessionFooter(Footer):
    """Textual's Footer, without its growth over a session.

    Textual (8.2.8, pinned) binds each key hint it makes to the footer's `compact`
    and forgets the old hints only when `compact` changes, which it never does here:
    a footer that lives all session (a home screen's) kept every hint it had ever
    shown, a footer's worth of widgets more each time a section was opened and closed.
    """

    async def recompose(self) -> None:
        await super().recompose()
        watchers = getattr(self, "__watchers", {}).get("compact")
        if watchers:
            watchers[:] = [(node, callback) for node, callback in watchers if node.is_attached]


class SessionScreen(Screen):
    """Base for every screen a signed-in person sees."""

    # Normally loaded by SeopApp.start_session already; here for a screen shown another way.
    CSS_PATH = SESSION_CSS

    SECTION: ClassVar[str] = ""
    """Shown beside the product name in the top bar."""

    def __init__(self, actor: Actor, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.actor = actor

    @property
    def seop(self) -> SeopApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield TopBar(self.actor, self.SECTION)
        yield from self.compose_body()
        yield SessionFooter(show_command_palette=False)

    def compose_body(self) -> ComposeResult:
        """The screen's own widgets, between the top bar and the footer."""
        yield from ()

    async def save_before_sign_out(self) -> None:
        """Save unsaved edits before the session ends (sign-out or idle time-out)."""


class SectionScreen(SessionScreen):
    """A screen opened from a home screen; Escape goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back")]

    def action_back(self) -> None:
        self.dismiss()
