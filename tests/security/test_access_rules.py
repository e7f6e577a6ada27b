"""Access rules are enforced in the services, not by hiding buttons.

Every public service function that takes the acting user and part of a
student's record is called (found by introspection, so services added later are
covered) by people who must not reach that student:

- a classmate (a student of the same school and grade),
- a teacher of another class (the victim is not on their roster),
- a counselor of another school,
- an administrator of another school,

and must raise AccessDenied and change nothing. A function given a list of
students may instead leave out the ones the actor may not see. Lists
(caseloads, reports) must not show the victim to them either.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from seop_tui.services.context import AccessDenied
from tests.security.calls import (
    UnknownParameter,
    arguments,
    call,
    name_of,
    no_change,
    service_functions,
    student_functions,
    unactored_record_functions,
)

WRONG_USERS = {
    "victim_h": ("classmate_h", "teacher_h2", "counselor_m", "principal_m", "principal_e"),
    "victim_e": ("classmate_e", "teacher_e2", "counselor_h", "counselor_m", "principal_m", "principal_h"),
}
FUNCTIONS = student_functions()
ALLOWED_IN_SCREENS = {
    # Re-reads status and version of a plan the screen opened through an access-checked call.
    "plans.reload",
}


def test_the_introspection_finds_the_services():
    names = {name_of(fn) for fn in FUNCTIONS}
    assert {"plans.plan_for", "plans.editing", "plan_document.plan_document", "audit.access_history", "privacy.delete_student_record"} <= names


@pytest.mark.parametrize("victim", sorted(WRONG_USERS))
@pytest.mark.parametrize("fn", FUNCTIONS, ids=name_of)
def test_the_wrong_people_are_refused(world, tmp_path, fn, victim):
    refused_wrongly = []
    with no_change(world.store):
        for who in WRONG_USERS[victim]:
            try:
                args, kwargs = arguments(fn, world, victim, tmp_path, actor=world.actor(who))
            except UnknownParameter as exc:
                pytest.fail(f"{name_of(fn)}: add parameter {exc} to tests/security/calls.py")
            try:
                result = call(fn, args, kwargs)
            except AccessDenied:
                continue
            except Exception as exc:  # refused, but not as AccessDenied: checks made before the access check
                refused_wrongly.append(f"{who}: {type(exc).__name__}: {exc}")
            else:
                if "student_ids" in kwargs or "student_ids" in inspect.signature(fn).parameters:
                    if not _shows(result, world, victim):
                        continue  # left out of the answer
                refused_wrongly.append(f"{who}: ALLOWED")
    assert not refused_wrongly, f"{name_of(fn)} for {victim}: " + "; ".join(refused_wrongly)


def _shows(result, world, victim: str) -> bool:
    sid = world.students[victim]
    if isinstance(result, dict):
        return sid in result or str(sid) in result
    if isinstance(result, (list, tuple)) and all(isinstance(x, int) for x in result):
        return sid in result
    return f"S-{victim}" in repr(result)


def test_lists_do_not_show_students_outside_ones_reach(world, tmp_path):
    """Functions that list or search students (no student argument) must not reveal the
    victim to the wrong people, even when asked for the victim's school or counselor."""
    from seop_tui.services.caseload import CaseloadQuery

    given_for = {
        "school_id": world.schools["H"],
        "counselor_id": world.staff["counselor_h"],
        "counselor_staff_id": world.staff["counselor_h"],
        "query": CaseloadQuery(text=""),
        "number": "S-victim_h",
        "band": "SEOP",
    }
    listing = [
        fn for fn in service_functions()
        if "actor" in inspect.signature(fn).parameters and not set(inspect.signature(fn).parameters) & {"student_id", "student_ids", "plan", "students"}
    ]
    name = world.store.one("SELECT given_name FROM students WHERE id = ?", (world.students["victim_h"],))[0]
    marks = ("S-victim_h", name[name.index("#T"):])  # the student number, the tag of the given name
    leaks, answered = [], set()
    for fn in listing:
        params = inspect.signature(fn).parameters
        for who in WRONG_USERS["victim_h"]:
            given = {k: v for k, v in given_for.items() if k in params}
            try:
                args, kwargs = arguments(fn, world, "victim_h", tmp_path, actor=world.actor(who), **given)
                result = call(fn, args, kwargs)
            except Exception:  # refused or not callable this way: nothing shown
                continue
            answered.add(name_of(fn))
            if any(mark in repr(result) for mark in marks):
                leaks.append(f"{name_of(fn)} shows victim_h to {who}")
    assert not leaks, leaks
    assert {"caseload.find", "compliance.compliance_report"} <= answered  # the lists were really asked


def test_screens_never_call_services_that_skip_the_access_check():
    """Helpers that read a student's record without an actor are for other services;
    a screen calling one would bypass the access rules and the audit trail."""
    unchecked = {name_of(fn) for fn in unactored_record_functions()} - ALLOWED_IN_SCREENS
    offenders = []
    for path in Path("screens").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("seop_tui.services"):
                module = node.module.rsplit(".", 1)[-1]
                for alias in node.names:
                    if f"{module}.{alias.name}" in unchecked:
                        offenders.append(f"{path}: imports {module}.{alias.name}")
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                if f"{node.value.id}.{node.attr}" in unchecked:
                    offenders.append(f"{path}:{node.lineno}: calls {node.value.id}.{node.attr}")
    assert not offenders, offenders
