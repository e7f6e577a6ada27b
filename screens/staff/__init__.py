"""Staff mode: the caseload dashboard, a student's record, plan review, and the
staff forms and reports opened from them.

Screens built separately are opened by name (`open_screen`), so the dashboard and
the record work before every one of them exists: a missing one shows "coming soon".
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from collections.abc import Callable
from typing import Any

from textual.screen import Screen

log = logging.getLogger(__name__)

# key -> (where the screen class lives, what it is called on screen)
STAFF_SCREENS: dict[str, tuple[str, str]] = {
    "conference": ("screens.staff.conference_form:ConferenceFormScreen", "Recording conferences"),
    "involvement": ("screens.staff.involvement_form:InvolvementFormScreen", "Parent involvement"),
    "progress": ("screens.staff.progress_entry:ProgressEntryScreen", "Entering progress data"),
    "compliance": ("screens.staff.compliance_report:ComplianceReportScreen", "The compliance report"),
    "training": ("screens.staff.training:TrainingScreen", "Staff training"),
    "export": ("screens.staff.export:ExportScreen", "Printing and exporting plans"),
    "access_history": ("screens.staff.access_history:AccessHistoryScreen", "The record of access"),
}


def coming_soon(key: str) -> str:
    return f"{STAFF_SCREENS[key][1]} is coming soon."


def screen_class(key: str) -> type[Screen] | None:
    """The screen class for `key`, or None when its module is not installed yet."""
    module_name, _, class_name = STAFF_SCREENS[key][0].partition(":")
    if importlib.util.find_spec(module_name) is None:
        return None
    return getattr(importlib.import_module(module_name), class_name, None)


def open_screen(host: Screen, key: str, *args: Any, on_close: Callable[[Any], None] | None = None) -> bool:
    """Push the staff screen `key` with `(actor, *args)` over `host`; False when it is not there yet."""
    try:
        cls = screen_class(key)
    except Exception:
        # A screen that fails to import must not take the dashboard down with it.
        log.exception("opening %s failed", key)
        host.app.show_unexpected_error()  # type: ignore[attr-defined]
        return False
    if cls is None:
        host.notify(coming_soon(key), markup=False)
        return False
    host.app.push_screen(cls(host.actor, *args), on_close)  # type: ignore[attr-defined]
    return True
