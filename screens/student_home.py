"""A student's home: their plan. A frame for now; the plan sections come next."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from screens.base import SessionScreen
from screens.home import greeting, must_change_notice


class StudentHomeScreen(SessionScreen):
    """Home for a signed-in student."""

    SECTION = "Your plan"

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="home-body", classes="body"):
            yield Static(greeting(self.actor), id="home-greeting")
            yield from must_change_notice(self.actor, self.seop.ref.district.student_credential)
            yield Static("Your plan", id="home-heading", classes="heading", markup=False)
            yield Static(
                "Your plan sections will appear here: goals, strengths, interests, courses.",
                id="home-placeholder",
                markup=False,
            )
