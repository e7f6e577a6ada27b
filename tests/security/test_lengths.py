"""Lengths are bounded with a clear message: a 1 MB paste neither hangs nor crashes
the app, and no service stores it."""

from __future__ import annotations

import inspect
import time

import pytest
from textual import events

from screens.app import make_app
from screens.change_secret import ChangeSecretScreen
from seop_tui.services.context import AccessDenied
from seop_tui.services.plans import PlanConflict, PlanLocked
from seop_tui.text import TextTooLong
from tests.security.calls import arguments, call, name_of, student_functions
from tests.ui.helpers import run

MEGABYTE = "x" * 1_000_000
# Parameters that pick from a list (codes, kinds): a paste there is refused as an unknown choice.
CHOICES = {"kind", "section", "course_code", "cluster_code", "pathway_code", "fmt", "purpose", "party", "outcome", "relationship",
           "response", "method", "assessment_code", "subject", "band", "term", "education_choice", "status", "area", "subarea",
           "item_id", "what", "current", "new"}


def _text_params(fn) -> list[str]:
    return [
        name for name, p in inspect.signature(fn).parameters.items()
        if str(p.annotation).startswith("str") and name not in CHOICES and not name.endswith(("_on", "_id", "date"))
        and name not in ("path", "folder", "grade", "credits", "hours", "level", "scale_score", "duration_minutes", "target_date")
    ]


TEXT_FUNCTIONS = [fn for fn in student_functions() if _text_params(fn)]


def test_some_services_take_text():
    assert {"goals.save_goal", "strengths.add_trait", "privacy.record_inspection_request"} <= {name_of(f) for f in TEXT_FUNCTIONS}


@pytest.mark.parametrize("fn", TEXT_FUNCTIONS, ids=name_of)
def test_a_megabyte_of_text_is_refused_quickly_with_a_message(world, tmp_path, fn):
    for param in _text_params(fn):
        for who in ("victim_h", "counselor_h", "principal_h"):
            args, kwargs = arguments(fn, world, "victim_h", tmp_path, actor=world.actor(who), **{param: MEGABYTE})
            started = time.perf_counter()
            try:
                call(fn, args, kwargs)
            except AccessDenied:
                continue
            except (TextTooLong, ValueError, PlanConflict, PlanLocked, LookupError) as exc:
                assert str(exc), f"{name_of(fn)}({param}=1 MB): refused without a message"
                if isinstance(exc, TextTooLong):
                    assert "too long" in str(exc) and "1,000,000" in str(exc)
            else:
                pytest.fail(f"{name_of(fn)} accepted 1 MB in {param}")
            finally:
                assert time.perf_counter() - started < 10, f"{name_of(fn)}({param}=1 MB) took too long"
            break


def test_a_megabyte_pasted_into_the_sign_in_form(world, ref):
    async def body():
        app = make_app(world.store, ref)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            started = time.perf_counter()
            for field in (screen.username, screen.secret):
                screen.set_focus(field)
                await pilot.pause()
                app.post_message(events.Paste(MEGABYTE))
                await pilot.pause()
                await pilot.press("a")
            await pilot.pause()
            assert time.perf_counter() - started < 10  # a hang, not a slow machine
            assert len(screen.username.value) <= 64 and len(screen.secret.value) <= 128
            assert app.is_running

    run(body)


def test_a_megabyte_pasted_into_the_change_secret_form(world, ref):
    async def body():
        app = make_app(world.store, ref)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.start_session(world.actor("counselor_h"))
            await app.push_screen(ChangeSecretScreen(app.actor))
            await pilot.pause()
            started = time.perf_counter()
            app.post_message(events.Paste(MEGABYTE))
            await pilot.pause()
            assert time.perf_counter() - started < 10  # a hang, not a slow machine
            assert all(len(f.value) <= 128 for f in app.screen.query("Input"))

    run(body)
