"""Staff training for their SEP/SEOP role (policy 3.1.2 and 3.2.2).

A training record (staff_training) has a free-text name. Which plan it trains
for is read from that name: "SEP" as a word means the elementary plan, "SEOP"
or "PCCR" the secondary one ("SEP/SEOP ..." covers both); other training, such
as student privacy, counts for neither. Training recorded here is always named
that way ("SEOP training: advisory teachers").

A teacher needs the training for each plan their school's grades use: an
elementary school's teachers SEP, a middle or high school's SEOP, a K-8 school's
both. Any completed training counts; the policy sets no renewal period.

Who may see and record: a teacher only their own training; a counselor or a
school administrator their school's staff; a district administrator everyone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from seop_tui.reference import Reference
from seop_tui.services import audit
from seop_tui.services.conferences import EntryError, parse_day, require_staff
from seop_tui.services.context import AccessDenied, Actor
from seop_tui.storage import Store
from seop_tui.text import LONG, SHORT, clean

BAND_CHOICES: dict[str, str] = {"SEP": "SEP training", "SEOP": "SEOP training", "SEP/SEOP": "SEP/SEOP training"}
MAX_HOURS = 200
_SEP = re.compile(r"\bSEP\b")
_SEOP = re.compile(r"\b(SEOP|PCCR)\b")


def bands_of(training: str) -> frozenset[str]:
    """The plans a training (by its name) prepares staff for."""
    found = set()
    if _SEP.search(training or ""):
        found.add("SEP")
    if _SEOP.search(training or ""):
        found.add("SEOP")
    return frozenset(found)


def required_bands(ref: Reference, low_grade: int | None, high_grade: int | None) -> tuple[str, ...]:
    """The plans used in a school with these grades (none for district-wide staff)."""
    if low_grade is None or high_grade is None:
        return ()
    return tuple(b.code for b in ref.district.grade_bands if b.first_grade <= high_grade and low_grade <= b.last_grade)


@dataclass(frozen=True)
class TrainingStatus:
    staff_id: int
    name: str  # "Family, Given"
    role: str
    school: str  # school code, "" for district-wide
    required: tuple[str, ...]  # SEP / SEOP
    completed: dict[str, str]  # band -> latest completion date
    trainings: tuple[tuple[str, str], ...]  # (completed_on, name), newest first

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(b for b in self.required if b not in self.completed)

    @property
    def trained(self) -> bool:
        return not self.missing


def _scope(actor: Actor, school_id: int | None) -> tuple[str, tuple]:
    """A WHERE clause on staff alias `t` for the staff `actor` may see."""
    require_staff(actor)
    if actor.role == "teacher":
        return "t.id = ?", (actor.staff_id,)
    if actor.school_id is not None:
        if school_id is not None and school_id != actor.school_id:
            raise AccessDenied("You can see training for your own school's staff only.")
        return "t.school_id = ?", (actor.school_id,)
    if school_id is not None:
        return "t.school_id = ?", (school_id,)
    return "1 = 1", ()


def report(
    store: Store, ref: Reference, actor: Actor, *, school_id: int | None = None, roles: tuple[str, ...] = ("teacher",)
) -> list[TrainingStatus]:
    """Training status of the staff `actor` may see (teachers by default), by school and name."""
    where, params = _scope(actor, school_id)
    marks = ",".join("?" * len(roles))
    rows = store.query(
        "SELECT t.id, t.given_name, t.family_name, t.role, s.code, s.low_grade, s.high_grade FROM staff t"
        " JOIN accounts a ON a.id = t.account_id LEFT JOIN schools s ON s.id = t.school_id"
        f" WHERE a.active = 1 AND t.role IN ({marks}) AND {where} ORDER BY s.code, t.family_name, t.given_name, t.id",
        (*roles, *params),
    )
    history: dict[int, list[tuple[str, str]]] = {}
    for r in store.query(
        "SELECT x.staff_id, x.completed_on, x.training FROM staff_training x JOIN staff t ON t.id = x.staff_id"
        f" WHERE t.role IN ({marks}) AND {where} ORDER BY x.completed_on DESC, x.id DESC",
        (*roles, *params),
    ):
        history.setdefault(r[0], []).append((r[1], r[2]))
    out = []
    for r in rows:
        done: dict[str, str] = {}
        for on, name in history.get(r["id"], ()):
            for band in bands_of(name):
                done.setdefault(band, on)  # newest first, so the first seen is the latest
        out.append(
            TrainingStatus(
                staff_id=r["id"],
                name=f"{r['family_name']}, {r['given_name']}",
                role=r["role"],
                school=r["code"] or "",
                required=required_bands(ref, r["low_grade"], r["high_grade"]),
                completed=done,
                trainings=tuple(history.get(r["id"], ())),
            )
        )
    with store.write():
        audit.record(store.conn, actor, "report", None, f"staff training: {len(out)} staff")
    return out


def record(
    store: Store,
    actor: Actor,
    staff_id: int,
    *,
    band: str,
    completed_on: str | date,
    topic: str = "",
    hours: str | float | None = None,
    notes: str = "",
    today: date | None = None,
) -> int:
    """Record that a member of staff completed SEP and/or SEOP training; returns its id."""
    where, params = _scope(actor, None)
    target = store.one(f"SELECT t.id, t.given_name, t.family_name FROM staff t WHERE t.id = ? AND {where}", (staff_id, *params))
    if target is None:
        raise AccessDenied("You can record training for your own school's staff only.")
    if actor.role == "teacher" and staff_id != actor.staff_id:
        raise AccessDenied("You can record your own training only.")
    if band not in BAND_CHOICES:
        raise EntryError(f"Choose the training: {', '.join(BAND_CHOICES.values())}.")
    day = parse_day(completed_on, what="completion date", today=today)
    topic = clean(topic, limit=SHORT)
    name = f"{BAND_CHOICES[band]}: {topic}" if topic else BAND_CHOICES[band]
    if len(name) > SHORT:
        raise EntryError(f"The topic is too long; keep it under {SHORT - 20} characters.")
    amount = None
    if hours is not None and str(hours).strip():
        try:
            amount = float(str(hours).strip())
        except ValueError:
            raise EntryError("Hours must be a number, like 1.5.") from None
        if not 0 < amount <= MAX_HOURS:
            raise EntryError(f"Hours must be more than 0 and at most {MAX_HOURS}.")
    with store.write() as db:
        training_id = db["staff_training"].insert(
            {
                "staff_id": staff_id,
                "training": name,
                "completed_on": day.isoformat(),
                "hours": amount,
                "notes": clean(notes, limit=LONG, multiline=True) or None,
            }
        ).last_pk
        audit.record(
            store.conn, actor, "change", None, f"training recorded for {target['given_name']} {target['family_name']} (staff {staff_id}): {name}"
        )
    return training_id
