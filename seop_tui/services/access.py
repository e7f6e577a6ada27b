"""Who may see or change which student's record (a legitimate educational interest).

- a student: only their own record;
- a teacher: the students in their classes;
- a counselor: the students of their school (their caseload first on screens);
- an administrator: their school's students, or the whole district when they
  have no school.
"""

from __future__ import annotations

from seop_tui.services.context import AccessDenied, Actor
from seop_tui.storage import Store


def may_access(store: Store, actor: Actor, student_id: int) -> bool:
    if actor.role == "student":
        return actor.student_id == student_id
    if actor.role == "teacher":
        return store.one(
            "SELECT 1 FROM class_rosters WHERE teacher_id = ? AND student_id = ? LIMIT 1", (actor.staff_id, student_id)
        ) is not None
    if actor.role == "counselor" or (actor.role == "administrator" and actor.school_id is not None):
        row = store.one("SELECT school_id FROM students WHERE id = ?", (student_id,))
        return row is not None and row["school_id"] == actor.school_id
    if actor.role == "administrator":
        return store.one("SELECT 1 FROM students WHERE id = ?", (student_id,)) is not None
    return False


def require_access(store: Store, actor: Actor, student_id: int) -> None:
    """Raise AccessDenied unless `actor` may reach this student's record."""
    if not may_access(store, actor, student_id):
        raise AccessDenied("You do not have access to this student's record.")


def visible_students_sql(actor: Actor) -> tuple[str, tuple]:
    """A WHERE clause (on table alias `s`) restricting a query to what `actor` may see."""
    if actor.role == "student":
        return "s.id = ?", (actor.student_id,)
    if actor.role == "teacher":
        return "s.id IN (SELECT student_id FROM class_rosters WHERE teacher_id = ?)", (actor.staff_id,)
    if actor.role == "counselor" or (actor.role == "administrator" and actor.school_id is not None):
        return "s.school_id = ?", (actor.school_id,)
    if actor.role == "administrator":
        return "1 = 1", ()
    return "0 = 1", ()
