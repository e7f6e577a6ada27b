"""Access is checked before what was typed: someone without access to a student learns
nothing from the error, not even which values that student's plan would accept.

Each call below carries input its service rejects (a goal kind the plan type does not
have, a course not in the catalogue, ...). Made by people who may not reach the
student, it must be refused as AccessDenied and change nothing.
"""

from __future__ import annotations

import pytest

from seop_tui.services import accomplishments, clusters, course_plan, early_graduation, goals, inventory, postsecondary, progress_entry, strengths
from seop_tui.services.context import AccessDenied
from tests.security.calls import no_change

WRONG_USERS = ("classmate_h", "teacher_h2", "counselor_m", "principal_m")


def _calls(world):
    sid = world.students["victim_h"]
    plan = world.plan("victim_h")
    ref = world.ref
    return {
        "goals.save_goal": lambda a: goals.save_goal(world.store, a, plan, kind="career_awareness", text=""),
        "postsecondary.save": lambda a: postsecondary.save(world.store, a, plan, education_choice="moon base"),
        "course_plan.add_course": lambda a: course_plan.add_course(world.store, ref, a, plan, "NOPE999", 10, term="winter"),
        "accomplishments.add": lambda a: accomplishments.add(world.store, a, sid, kind="nonsense", title=""),
        "progress_entry.add_assessment": lambda a: progress_entry.add_assessment(
            world.store, ref, a, sid, assessment_code="NOPE", subject="X", grade=99, level=None
        ),
        "progress_entry.add_credit": lambda a: progress_entry.add_credit(
            world.store, ref, a, sid, credits="lots", grade=99, course_code="NOPE999"
        ),
        "strengths.add_trait": lambda a: strengths.add_trait(world.store, a, plan, "talent", ""),
        "clusters.choose": lambda a: clusters.choose(world.store, ref, a, plan, "NOPE", "NOPE"),
        "early_graduation.approve": lambda a: early_graduation.approve(world.store, a, plan, "neighbour"),
        "inventory.answer": lambda a: inventory.answer(
            world.store, ref, a, plan, world.rows["victim_h"]["inventory_attempts"], "no-such-item", 99
        ),
    }


CALLS = (
    "goals.save_goal",
    "postsecondary.save",
    "course_plan.add_course",
    "accomplishments.add",
    "progress_entry.add_assessment",
    "progress_entry.add_credit",
    "strengths.add_trait",
    "clusters.choose",
    "early_graduation.approve",
    "inventory.answer",
)


@pytest.mark.parametrize("name", CALLS)
def test_bad_input_from_the_wrong_person_is_refused_as_access(world, name):
    call = _calls(world)[name]
    with no_change(world.store):
        for who in WRONG_USERS:
            with pytest.raises(AccessDenied):
                call(world.actor(who))


def test_the_same_input_from_someone_with_access_gets_the_input_error(world):
    # The calls above are really bad input: the student's own counselor is told what to fix.
    calls = _calls(world)
    counselor = world.actor("counselor_h")
    for name in CALLS:
        if not name.startswith(("accomplishments.", "progress_entry.")):
            who = world.actor("victim_h")  # sections the student edits
        else:
            who = counselor
        with pytest.raises(ValueError) as caught:
            calls[name](who)
        assert not isinstance(caught.value, AccessDenied), name
