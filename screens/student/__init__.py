"""Student mode: the sections of a student's plan, each a screen opened from home.

Every section screen is built as `SomeSection(actor, plan)` (plan: a PlanRef) and
subclasses `PlanSectionScreen` (screens.student.section): edits are queued with
`self.edit(change, saved)` and run one at a time in a thread, each on the plan
version the last one left; the save-state line says what happened.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Checkbox, SelectionList

from screens.student.section import PlanSectionScreen

# The services' refusals of what was typed (TextTooLong, GoalInputError, "already
# on your list", an entry removed meanwhile): shown as messages, never a crash.
INPUT_ERRORS: tuple[type[Exception], ...] = (ValueError, LookupError)


async def edits_finished(screen: PlanSectionScreen, timeout: float = 10.0) -> None:
    """Wait until the screen's queued edits are stored."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while screen.editing and loop.time() < end:
        await asyncio.sleep(0.01)


async def keys_delivered(screen: PlanSectionScreen, timeout: float = 2.0) -> None:
    """Let keys typed just before Ctrl+O reach the screen and the focused field.

    The sign-out key is an app binding handled as it arrives; keys typed before it
    in the same burst may still wait in the screen's or the field's queue.
    """
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while loop.time() < end and any(w.message_queue_size for w in (screen, screen.focused) if w is not None):
        await asyncio.sleep(0.01)


async def save_before_leaving(screen: PlanSectionScreen, flush: Callable[[], None] | None = None) -> None:
    """Before a sign-out: take the last keys, queue what is typed but unsaved (`flush`), store it all."""
    await keys_delivered(screen)
    if flush is not None:
        flush()
    await edits_finished(screen)


class FormSection(PlanSectionScreen):
    """A section with fields to type in and boxes to tick.

    Tab, Shift+Tab and Space run as they arrive (priority bindings), like on the
    sign-in screen: keys typed in one burst over a slow link then land in the
    fields they were meant for, instead of Tab waiting behind the letters typed
    after it.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
        Binding("space", "tick", "Tick", show=False, priority=True),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "tick":  # elsewhere Space is just a space
            return isinstance(self.focused, (Checkbox, SelectionList)) and not self.focused.disabled
        return super().check_action(action, parameters)

    def action_tick(self) -> None:
        focused = self.focused
        if isinstance(focused, Checkbox):
            focused.toggle()
        elif isinstance(focused, SelectionList):
            focused.action_select()
