"""The whole plan as one plain document (dicts, lists, strings, numbers).

One shape serves every reader: the student's review page, the staff record
view, the snapshot kept when a plan is finalized, and the JSON, text and PDF
exports. Field names follow Ed-Fi where one fits (GraduationPlan,
StudentAssessment, CourseTranscript).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from seop_tui.domain.credits import audit
from seop_tui.reference import Reference
from seop_tui.services import audit as audit_log
from seop_tui.services.access import require_access
from seop_tui.services.context import Actor
from seop_tui.services.plans import STATUS_LABELS, PlanRef
from seop_tui.services.course_plan import student_credits
from seop_tui.services.records import requirement_set
from seop_tui.storage import Store


def grade_label(grade: int | None) -> str:
    if grade is None:
        return ""
    return "K" if grade == 0 else str(grade)


def plan_document(store: Store, ref: Reference, actor: Actor, plan: PlanRef, *, purpose: str = "view") -> dict:
    """Everything in the plan and the progress data beside it. Audited as `purpose`."""
    return plan_documents(store, ref, actor, [plan], purpose=purpose)[0]


def plan_documents(store: Store, ref: Reference, actor: Actor, plans: Sequence[PlanRef], *, purpose: str = "view") -> list[dict]:
    """plan_document for several plans: one read, and their audit rows in one write
    (a caseload printed is one transaction, not one per student)."""
    for plan in plans:  # refuse before anything is read or audited
        require_access(store, actor, plan.student_id)
    with store.read() as conn:
        docs = [_build(conn, ref, plan) for plan in plans]
    with store.write():
        for plan in plans:
            audit_log.record(store.conn, actor, purpose, plan.student_id, f"plan {plan.id} version {plan.version}")
    return docs


def _rows(conn, sql: str, params: tuple) -> list[dict]:
    return [dict(r) for r in conn.execute(sql, params)]


def _build(conn, ref: Reference, plan: PlanRef) -> dict:
    sid = plan.student_id
    s = dict(
        conn.execute(
            "SELECT s.*, sc.name AS school_name, sc.code AS school_code,"
            " c.given_name || ' ' || c.family_name AS counselor_name"
            " FROM students s JOIN schools sc ON sc.id = s.school_id LEFT JOIN staff c ON c.id = s.counselor_id WHERE s.id = ?",
            (sid,),
        ).fetchone()
    )
    guardians = _rows(
        conn,
        "SELECT g.given_name || ' ' || g.family_name AS name, sg.relationship, g.email, g.phone"
        " FROM guardians g JOIN student_guardians sg ON sg.guardian_id = g.id WHERE sg.student_id = ? ORDER BY g.id",
        (sid,),
    )
    p = dict(conn.execute("SELECT * FROM plans WHERE id = ?", (plan.id,)).fetchone())
    finalized_by = conn.execute("SELECT given_name || ' ' || family_name FROM staff WHERE id = ?", (p["finalized_by"],)).fetchone()

    attempt = conn.execute(
        "SELECT * FROM inventory_attempts WHERE student_id = ? AND completed_at IS NOT NULL ORDER BY completed_at DESC, id DESC LIMIT 1",
        (sid,),
    ).fetchone()
    traits = _rows(conn, "SELECT kind, text FROM strengths WHERE plan_id = ? ORDER BY position, id", (plan.id,))
    goals = _rows(conn, "SELECT id, kind, text, steps, target_date, status, monitors FROM goals WHERE plan_id = ? ORDER BY id", (plan.id,))
    for goal in goals:
        goal["monitors"] = json.loads(goal["monitors"] or "[]")
        goal["updates"] = _rows(
            conn, "SELECT created_at, status, note FROM goal_updates WHERE goal_id = ? ORDER BY id", (goal.pop("id"),)
        )
    choices = _rows(conn, "SELECT cluster_code, pathway_code, grade, chosen_on FROM cluster_choices WHERE student_id = ? ORDER BY id", (sid,))
    for choice in choices:
        cluster = ref.clusters.cluster(choice["cluster_code"])
        pathway = ref.clusters.pathway(choice["pathway_code"] or "")
        choice["cluster"] = cluster.name if cluster else choice["cluster_code"]
        choice["pathway"] = pathway[1].name if pathway else None

    entries = _rows(conn, "SELECT course_code, grade, term FROM course_plan_entries WHERE student_id = ? ORDER BY grade, course_code", (sid,))
    for entry in entries:
        course = ref.courses.by_code.get(entry["course_code"])
        entry["name"] = course.name if course else entry["course_code"]
        entry["credits"] = course.credits if course else 0.0
    credits = student_credits(conn, ref, sid)
    earned_rows = credits.earned_rows
    reqs = requirement_set(ref, s["school_code"], s["cohort_year"])
    credit_audit = None
    if reqs is not None and plan.grade >= 9:
        # Entries already on the transcript or in a past grade are not counted again.
        result = audit(reqs, credits.earned, credits.planned)
        credit_audit = {
            "requirement_set": reqs.name,
            "areas": [
                {"area": line.name, "required": line.required, "earned": line.earned, "planned": line.planned, "state": str(line.state)}
                for line in result.areas
            ],
            "total": {"required": result.total.required, "earned": result.total.earned, "planned": result.total.planned, "state": str(result.total.state)},
        }
    post = conn.execute("SELECT * FROM postsecondary_plans WHERE plan_id = ?", (plan.id,)).fetchone()
    early = conn.execute(
        "SELECT * FROM early_graduation_plans WHERE student_id = ? AND withdrawn_on IS NULL ORDER BY id DESC LIMIT 1", (sid,)
    ).fetchone()
    conferences = _rows(
        conn,
        "SELECT c.id, c.kind, c.held_on, c.duration_minutes, c.notes, c.follow_ups FROM conferences c"
        " JOIN conference_students cs ON cs.conference_id = c.id WHERE cs.student_id = ? AND c.school_year_id = ? ORDER BY c.held_on, c.id",
        (sid, plan.school_year_id),
    )
    for conference in conferences:
        conference["attendees"] = [
            r[0]
            for r in conn.execute(
                "SELECT coalesce(g.given_name || ' ' || g.family_name || ' (guardian)',"
                " t.given_name || ' ' || t.family_name || ' (' || t.role || ')', a.other_name)"
                " FROM conference_attendees a LEFT JOIN guardians g ON g.id = a.guardian_id LEFT JOIN staff t ON t.id = a.staff_id"
                " WHERE a.conference_id = ? ORDER BY a.id",
                (conference.pop("id"),),
            )
        ]
    results = _rows(
        conn,
        "SELECT assessment, subject, grade, level, scale_score, taken_on FROM assessment_results WHERE student_id = ? ORDER BY grade, assessment, subject",
        (sid,),
    )
    levels = {lvl.level: lvl.name for lvl in ref.assessments.levels}
    for r in results:
        r["level_name"] = levels.get(r["level"], "")

    return {
        "student": {
            "name": f"{s['given_name']} {s['family_name']}",
            "preferred_name": s["preferred_name"],
            "student_number": s["student_number"],
            "grade": grade_label(s["grade"]),
            "school": s["school_name"],
            "counselor": s["counselor_name"],
            "guardians": guardians,
        },
        "plan": {
            "kind": p["kind"],
            "school_year": plan.school_year,
            "status": STATUS_LABELS.get(p["status"], p["status"]),
            "version": p["version"],
            "submitted_at": p["submitted_at"],
            "finalized_at": p["finalized_at"],
            "finalized_by": finalized_by[0] if finalized_by else None,
        },
        "interest_inventory": {
            "holland_code": attempt["holland_code"],
            "scores": json.loads(attempt["scores"] or "{}"),
            "completed_at": attempt["completed_at"],
        }
        if attempt
        else None,
        "strengths": [t["text"] for t in traits if t["kind"] == "strength"],
        "needs_attention": [t["text"] for t in traits if t["kind"] == "needs_attention"],
        "goals": goals,
        "career_cluster": choices[-1] if choices else None,
        "career_cluster_history": choices[:-1],
        "course_plan": entries,
        "credit_audit": credit_audit,
        "postsecondary": {k: post[k] for k in ("education_choice", "institution", "program", "occupations", "next_steps")} if post else None,
        "early_graduation": {
            "target": f"{early['target_term']} of grade {early['target_grade']}",
            "declared_on": early["declared_on"],
            "student_approved_on": early["student_approved_on"],
            "parent_approved_on": early["parent_approved_on"],
            "official_approved_on": early["official_approved_on"],
        }
        if early
        else None,
        "accomplishments": _rows(
            conn, "SELECT kind, title, description, occurred_on FROM accomplishments WHERE student_id = ? ORDER BY occurred_on, id", (sid,)
        ),
        "assessment_results": results,
        "courses_completed": [
            {k: r[k] for k in ("course_code", "course_name", "area", "credits", "grade", "mark")} for r in earned_rows
        ],
        "conferences": conferences,
        "parent_involvement": _rows(
            conn,
            "SELECT purpose, method, sent_on, response, responded_on FROM parent_involvement WHERE student_id = ? AND school_year_id = ? ORDER BY sent_on, id",
            (sid, plan.school_year_id),
        ),
        "comments": _rows(
            conn,
            "SELECT section, body, created_at, resolved_at FROM plan_comments WHERE plan_id = ? ORDER BY id",
            (plan.id,),
        ),
    }
