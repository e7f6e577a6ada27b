"""Constants and helpers for the UI tests (fixtures are in conftest.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from textual.widgets import DataTable

from screens.app import SeopApp, make_app
from seop_tui.reference import Reference
from seop_tui.storage import Store

STUDENT_USERNAME = "ava.student"
STUDENT_PIN = "4821"
STUDENT_NAME = "Ava Martinez"
COUNSELOR_USERNAME = "cole.counselor"
COUNSELOR_PASSWORD = "correct horse battery"
COUNSELOR_NAME = "Cole Nakamura"
CREATED = "2025-08-15T12:00:00+00:00"


@dataclass
class District:
    store: Store
    ref: Reference
    school_id: int
    student_hash: str

    def add_student(self, username: str, given_name: str, family_name: str = "Test", *, grade: int = 7, must_change: bool = False) -> int:
        """Another student account, signing in with STUDENT_PIN."""
        with self.store.write() as db:
            account_id = db["accounts"].insert(
                {
                    "username": username,
                    "role": "student",
                    "secret_hash": self.student_hash,
                    "must_change_secret": int(must_change),
                    "created_at": CREATED,
                }
            ).last_pk
            return db["students"].insert(
                {
                    "account_id": account_id,
                    "student_number": f"S-{username}",
                    "given_name": given_name,
                    "family_name": family_name,
                    "grade": grade,
                    "school_id": self.school_id,
                }
            ).last_pk

    def app(self, **kwargs) -> SeopApp:
        return make_app(self.store, self.ref, **kwargs)


def run(coro_fn: Callable[[], Awaitable[None]]) -> None:
    """Run an async test body (the suite has no asyncio plugin)."""
    asyncio.run(coro_fn())


# -- driving the app ----------------------------------------------------------------


async def settle(pilot) -> None:
    """Wait for background work (the sign-in check, a save), the work it starts in turn,
    and the screen changes it causes (a loaded machine can take several turns)."""
    for _ in range(10):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in pilot.app.workers):
            break
    await pilot.pause()
    # A DataTable sizes its columns to rows just added when it next goes idle, which a
    # loaded machine can leave until after the pause above (a snapshot then showed
    # columns as wide as their headings).
    for _ in range(100):
        if not any(getattr(t, "_require_update_dimensions", False) for t in pilot.app.screen.query(DataTable)):
            break
        await pilot.pause(0.01)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*text)


async def sign_in_as(pilot, username: str, secret: str, *, typed: bool = False) -> None:
    """Fill the sign-in form and press Enter; `typed` types every key as a person does
    (Tab between the fields), which is slower under Pilot."""
    screen = pilot.app.screen
    if typed:
        screen.set_focus(screen.username)
        await type_text(pilot, username)
        await pilot.press("tab")
        await type_text(pilot, secret)
    else:
        screen.username.value = username
        screen.secret.value = secret
        screen.set_focus(screen.secret)
    await pilot.press("enter")
    await settle(pilot)


def screen_text(app) -> str:
    """What the terminal shows now, as plain lines."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())
