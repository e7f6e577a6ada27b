"""The sections of a plan, in the order a student works through them.

Keys are stored (plan_comments.section) and used by screens and reports.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    key_hint: str  # the key that opens it from the student's home


SEOP_SECTIONS: tuple[Section, ...] = (
    Section("inventory", "Interest inventory", "1"),
    Section("strengths", "Strengths and areas to work on", "2"),
    Section("goals", "Goals", "3"),
    Section("cluster", "Career cluster and pathway", "4"),
    Section("course_plan", "Four-year course plan", "5"),
    Section("postsecondary", "After high school", "6"),
    Section("early_graduation", "Early graduation", "7"),
    Section("accomplishments", "Accomplishments", "8"),
    Section("progress", "My progress", "9"),
    Section("review", "Review and submit", "0"),
)

SEP_SECTIONS: tuple[Section, ...] = (
    Section("strengths", "What I am good at and what I am working on", "1"),
    Section("goals", "My goals", "2"),
    Section("progress", "How I am doing", "3"),
    Section("review", "Look over and send", "4"),
)

TITLES = {s.key: s.title for s in SEOP_SECTIONS}
