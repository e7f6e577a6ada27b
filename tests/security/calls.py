"""Calling every service function generically, for tests that must cover services
written later too.

`student_functions()` finds, by introspection, every public function under
seop_tui/services/ that takes the acting user and something of a student's
record (a student id, a plan, or the id of a row of the record). `arguments()`
builds a call for one of them against a victim of tests/security/world.py.

A new service whose parameters are not understood here makes the tests fail
with a message naming the parameter: add it to ROW_PARAMS (the id of a row of
a student's record: which table) or OTHER_IDS (an id of something that is not
a student's record), or to VALUES.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import seop_tui.services
from tests.security.world import World

STUDENT_PARAMS = ("student_id", "student_ids", "plan", "students")
# Parameter -> the table holding a row of the student's record it names.
ROW_PARAMS = {
    "plan_id": "plans",
    "goal_id": "goals",
    "trait_id": "strengths",
    "accomplishment_id": "accomplishments",
    "attempt_id": "inventory_attempts",
    "entry_id": "course_plan_entries",
    "invitation_id": "parent_involvement",
    "result_id": "assessment_results",
    "credit_id": "credits_earned",
    "version_id": "plan_versions",
    "inspection_id": "inspection_requests",
    "amendment_id": "amendment_requests",
    "conference_id": "conferences",
    "comment_id": "plan_comments",
    "note_id": "progress_notes",
    "guardian_id": "guardians",
}
# Ids that are not one student's record (given harmless values).
OTHER_IDS = {"school_year_id", "school_id", "counselor_id", "counselor_staff_id", "staff_id", "item_id"}
# Access checks and the audit writers services call after them: not reads of the record.
NOT_RECORD_ACCESS = {"access.may_access", "access.require_access", "audit.require_record_keeper", "audit.record", "audit.record_many"}
# Valid values for parameters the generic ones do not suit (a call made by someone
# allowed must succeed; tests/security/test_access_first.py sends invalid ones).
VALUES_FOR = {
    "accomplishments.add": {"kind": "award"},
    "conferences.record": {"kind": "individual", "staff_ids": lambda w: [w.staff["counselor_h"]]},
    "goals.save_goal": {"kind": "education"},
    "postsecondary.save": {"education_choice": "university"},
    "course_plan.add_course": {"course_code": "ENG10"},
    "involvement.update_response": {"responded_on": lambda w: date.today()},
    "progress_entry.add_assessment": {"grade": 8},
    "progress_entry.add_credit": {"course_code": "ENG10"},
}


def _name(fn: Callable) -> str:
    return f"{fn.__module__.rsplit('.', 1)[-1]}.{fn.__name__}"


def service_functions() -> list[Callable]:
    found = []
    for info in pkgutil.iter_modules(seop_tui.services.__path__):
        module = importlib.import_module(f"seop_tui.services.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__ and not name.startswith("_"):
                found.append(fn)
    return sorted(found, key=_name)


def touches_a_record(fn: Callable) -> bool:
    params = inspect.signature(fn).parameters
    return any(p in params for p in STUDENT_PARAMS) or any(p in ROW_PARAMS for p in params)


def student_functions() -> list[Callable]:
    """Public service functions taking the actor and part of a student's record."""
    return [fn for fn in service_functions() if "actor" in inspect.signature(fn).parameters and touches_a_record(fn) and _name(fn) not in NOT_RECORD_ACCESS]


def unactored_record_functions() -> list[Callable]:
    """Public service functions reading a student's record with no actor (no access check):
    helpers for other services, which must not be called from screens."""
    return [
        fn for fn in service_functions()
        if "actor" not in (params := inspect.signature(fn).parameters) and {"store", "conn"} & set(params) and touches_a_record(fn)
    ]


class UnknownParameter(Exception):
    pass


def _value(name: str, annotation: str, w: World, victim: str, tmp: Path):
    from seop_tui.services.conferences import Attendance

    today = date.today()
    sid = w.students[victim]
    if name == "student_id":
        return sid
    if name == "student_ids":
        return [sid]
    if name == "plan":
        return w.plan(victim)
    if name == "students":
        return [Attendance(student_id=sid)]
    if name in ROW_PARAMS:
        return w.rows[victim][ROW_PARAMS[name]]
    if name in OTHER_IDS:
        return {"school_year_id": w.year_id, "item_id": w.ref.inventory.items[0].id}.get(name, 1)
    if name in VALUES:
        value = VALUES[name]
        return value(w, tmp) if callable(value) else value
    if name.endswith("_on") or name in ("today", "on"):
        return today
    if name.endswith("_id"):
        raise UnknownParameter(name)
    if "bool" in annotation:
        return False
    if annotation.startswith("int"):
        return 1
    if "str" in annotation:
        return "Security check"
    raise UnknownParameter(name)


VALUES = {
    "kind": "strength",
    "text": "Security check",
    "section": "goals",
    "party": "parent",
    "target": (11, "spring"),
    "snapshot": {},
    "comments": {"goals": "Security check"},
    "staff_ids": [],
    "grade": 10,
    "value": 3,
    "course_code": "ENG9",
    "cluster_code": "AG",
    "pathway_code": None,
    "fmt": "json",
    "purpose": "view",
    "outcome": "refused",
    "relationship": "parent",
    "response": "accepted",
    "method": "email",
    "assessment_code": "RISE",
    "subject": "ELA",
    "level": 3,
    "credits": 1.0,
    "band": "SEOP",
    "active": False,
    "path": lambda w, tmp: tmp / "out.file",
    "folder": lambda w, tmp: tmp,
    "what": "security check",
    "current": "0000",
    "new": "58213",
}


def arguments(fn: Callable, w: World, victim: str, tmp: Path, **given) -> tuple[list, dict]:
    """Positional and keyword arguments for `fn` against `victim`; `given` wins."""
    args, kwargs = [], {}
    fixed = {k: v(w) if callable(v) else v for k, v in VALUES_FOR.get(_name(fn), {}).items()}
    given = {**fixed, **given}
    for name, p in inspect.signature(fn).parameters.items():
        if p.kind in (p.VAR_KEYWORD, p.VAR_POSITIONAL):
            continue
        if name in given:
            value = given[name]
        elif name == "store":
            value = w.store
        elif name == "ref":
            value = w.ref
        elif name in ("path", "folder"):  # files go to the test's folder, never the default one
            value = _value(name, str(p.annotation), w, victim, tmp)
        elif p.default is not p.empty and name not in STUDENT_PARAMS and name not in ROW_PARAMS:
            continue
        else:
            value = _value(name, str(p.annotation), w, victim, tmp)
        if p.kind == p.KEYWORD_ONLY:
            kwargs[name] = value
        else:
            args.append(value)
    return args, kwargs


def call(fn: Callable, args: list, kwargs: dict):
    """Call `fn`; a context manager (plans.editing) is entered and left."""
    result = fn(*args, **kwargs)
    if inspect.isgeneratorfunction(getattr(fn, "__wrapped__", None)):  # a @contextmanager
        with result:
            pass
    return result


def name_of(fn: Callable) -> str:
    return _name(fn)


@contextlib.contextmanager
def no_change(store, *, ignore: tuple[str, ...] = ("audit_log", "sign_in_throttle")):
    """Asserts the database's records are unchanged by the block (audit rows aside)."""
    before = snapshot(store, ignore)
    yield
    after = snapshot(store, ignore)
    changed = sorted(t for t in set(before) | set(after) if before.get(t) != after.get(t))
    assert not changed, f"records changed: {changed}"


def snapshot(store, ignore) -> dict[str, list]:
    out = {}
    for (table,) in store.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"):
        if table in ignore or "_fts" in table:
            continue
        out[table] = sorted(repr(tuple(r)) for r in store.query(f"SELECT * FROM '{table}'"))
    return out
