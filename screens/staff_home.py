"""A staff member's home: their students. A frame for now; the lists come next."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from screens.base import SessionScreen
from screens.home import greeting, must_change_notice


class StaffHomeScreen(SessionScreen):
    """Home for a signed-in teacher, counselor or administrator."""

    SECTION = "Your students"

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="home-body", classes="body"):
            yield Static(greeting(self.actor), id="home-greeting")
            yield from must_change_notice(self.actor)
            yield Static("Your students", id="home-heading", classes="heading", markup=False)
            yield Static(
                "Your students, their plans and conferences will appear here.",
                id="home-placeholder",
                markup=False,
            )
