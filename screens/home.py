"""Pieces the home screens share."""

from __future__ import annotations

from collections.abc import Iterator

from textual.content import Content
from textual.widgets import Static

from screens.base import role_name
from screens.text import plain
from seop_tui.services.context import Actor

MUST_CHANGE = "Your {secret} was set by someone else. Please choose your own soon."


def greeting(actor: Actor) -> Content:
    """'Signed in as NAME (Role)', the name shown exactly as stored."""
    return Content.assemble("Signed in as ", plain(actor.display_name, "bold"), f" ({role_name(actor.role)})")


def must_change_notice(actor: Actor, student_credential: str = "pin") -> Iterator[Static]:
    """A notice line when the person's PIN or password was set by staff (or reset)."""
    if actor.must_change_secret:
        secret = "PIN" if student_credential == "pin" and not actor.is_staff else "password"
        yield Static(MUST_CHANGE.format(secret=secret), id="must-change", classes="notice", markup=False)
