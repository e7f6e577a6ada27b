"""Printable plans: one student's plan, or a whole caseload, as PDF, plain text or JSON.

Every format starts from the same plan document (services.plan_document), and
PDF and text share one outline (`outline`), so they hold the same sections:
the plan's sections, progress data, the conference record, parent involvement,
and (PDF and text) signature lines for the student, a parent or guardian and
the counselor. A caseload is one file, a new page per student.

Each student exported gets an audit row from plan_document: "print" for PDF
(a paper copy for the conference table), "export" for text and JSON.

PDF prints names as written ("Nguyễn") with a Unicode font of the server:
SEOP_PDF_FONT (a .ttf file; "helvetica" for none) or the first of the usual
system fonts found (DejaVu Sans, Noto Sans, Liberation Sans). A character the
font lacks (an emoji) is shown as "?". Without such a font, PDF falls back to
the core Helvetica, which holds Latin-1 only: other characters are brought to
their nearest Latin-1 form ("Nguyễn" -> "Nguyên"). No name can stop a print run.
"""

from __future__ import annotations

import json
import os
import textwrap
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from seop_tui.reference import Reference
from seop_tui.sections import SEOP_SECTIONS, SEP_SECTIONS
from seop_tui.services.access import require_access, visible_students_sql
from seop_tui.services.conferences import KINDS as CONFERENCE_KINDS
from seop_tui.services.context import AccessDenied, Actor, now_utc
from seop_tui.services.goals import KIND_NAMES as GOAL_KINDS
from seop_tui.services.goals import STATUSES as GOAL_STATUS
from seop_tui.services.plan_document import plan_documents
from seop_tui.services.plans import PlanRef, load_plan
from seop_tui.services.postsecondary import EDUCATION_CHOICES
from seop_tui.services.reports import ReportFileError, default_path, resolve_path, write_owner_only
from seop_tui.storage import Store

FORMATS: dict[str, str] = {"pdf": ".pdf", "text": ".txt", "json": ".json"}
FORMAT_NAMES: dict[str, str] = {"pdf": "PDF", "text": "Plain text", "json": "JSON"}
PLAN_NAMES = {"SEP": "Student Education Plan (SEP)", "SEOP": "Student Education Occupational Plan (SEOP)"}
WIDTH = 78  # plain-text line width

Progress = Callable[[int, int], None]


class ExportError(Exception):
    """Nothing could be exported; the message says why in plain words."""


# -- which students ---------------------------------------------------------------------


def latest_plan(store: Store, student_id: int) -> PlanRef | None:
    """This school year's plan, else the student's most recent one."""
    row = store.one(
        "SELECT p.id FROM plans p JOIN school_years y ON y.id = p.school_year_id WHERE p.student_id = ?"
        " ORDER BY y.is_current DESC, y.starts_on DESC LIMIT 1",
        (student_id,),
    )
    return load_plan(store, row["id"]) if row else None


def student_by_number(store: Store, actor: Actor, number: str) -> int:
    row = store.one("SELECT id FROM students WHERE student_number = ?", (number.strip(),))
    if row is None:
        raise LookupError(f"No student has the number {number.strip()}.")
    require_access(store, actor, row["id"])
    return row["id"]


def caseload(store: Store, actor: Actor, counselor_staff_id: int) -> list[int]:
    """A counselor's students that `actor` may see, by name."""
    where, params = visible_students_sql(actor)
    return [
        r[0]
        for r in store.query(
            f"SELECT s.id FROM students s WHERE s.active = 1 AND s.counselor_id = ? AND {where}"
            " ORDER BY s.family_name, s.given_name, s.id",
            (counselor_staff_id, *params),
        )
    ]


@dataclass(frozen=True)
class Documents:
    plans: list[dict]
    skipped: list[str]  # students with no plan on file


_DOCUMENT_CHUNK = 25  # students read (and audited) together: progress moves, few transactions


def documents(
    store: Store, ref: Reference, actor: Actor, student_ids: Sequence[int], *, purpose: str, progress: Progress | None = None
) -> Documents:
    """Plan documents for each student (audited as `purpose`); students with no plan are skipped."""
    if not actor.is_staff:
        raise AccessDenied("Only school staff can export plans.")
    for sid in student_ids:  # refuse before any row is audited
        require_access(store, actor, sid)
    docs, skipped = [], []
    for start in range(0, len(student_ids), _DOCUMENT_CHUNK):
        plans = []
        for sid in student_ids[start : start + _DOCUMENT_CHUNK]:
            plan = latest_plan(store, sid)
            if plan is None:
                row = store.one("SELECT given_name, family_name FROM students WHERE id = ?", (sid,))
                skipped.append(f"{row['given_name']} {row['family_name']}")
            else:
                plans.append(plan)
        docs += plan_documents(store, ref, actor, plans, purpose=purpose)
        if progress:
            progress(min(start + _DOCUMENT_CHUNK, len(student_ids)), len(student_ids))
    return Documents(docs, skipped)


# -- the outline shared by text and PDF ------------------------------------------------------


@dataclass(frozen=True)
class Section:
    title: str
    lines: list[tuple[int, str]]  # (indent level, text)


def _grade(value) -> str:
    return "K" if value in (0, "0") else str(value)


def _when(stamp: str | None) -> str:
    return (stamp or "")[:10]


def _credits(value) -> str:
    return f"{float(value or 0):g}"


def _titles(kind: str) -> dict[str, str]:
    return {s.key: s.title for s in (SEP_SECTIONS if kind == "SEP" else SEOP_SECTIONS)}


def header_lines(doc: dict) -> list[str]:
    s, p = doc["student"], doc["plan"]
    name = s["name"] + (f' ("{s["preferred_name"]}")' if s.get("preferred_name") else "")
    lines = [
        f"Student: {name}    Number: {s['student_number']}    Grade: {s['grade']}",
        f"School: {s['school']}    Counselor: {s['counselor'] or 'none assigned'}",
    ]
    for g in s["guardians"]:
        lines.append(f"Parent/guardian: {g['name']} ({g['relationship'] or 'guardian'})")
    status = f"Plan status: {p['status']} (version {p['version']})"
    if p.get("finalized_at"):
        status += f", finalized {_when(p['finalized_at'])} by {p['finalized_by'] or 'staff'}"
    lines.append(status)
    return lines


def _inventory(doc: dict) -> list[tuple[int, str]]:
    inv = doc.get("interest_inventory")
    if not inv:
        return [(0, "Not taken yet.")]
    scores = ", ".join(f"{k} {v}" for k, v in inv["scores"].items())
    return [(0, f"Holland code: {inv['holland_code'] or '-'} (completed {_when(inv['completed_at'])})"), (0, f"Scores: {scores}")]


def _strengths(doc: dict) -> list[tuple[int, str]]:
    lines = [(0, "Strengths:")] + [(1, f"- {t}") for t in doc["strengths"]]
    if not doc["strengths"]:
        lines.append((1, "none recorded"))
    lines.append((0, "Areas needing attention:"))
    lines += [(1, f"- {t}") for t in doc["needs_attention"]] or [(1, "none recorded")]
    return lines


def _goals(doc: dict) -> list[tuple[int, str]]:
    lines: list[tuple[int, str]] = []
    for g in doc["goals"]:
        kind = GOAL_KINDS.get(g["kind"], g["kind"])
        extra = f"; target {g['target_date']}" if g.get("target_date") else ""
        lines.append((0, f"- {kind}: {g['text']} ({GOAL_STATUS.get(g['status'], g['status'])}{extra})"))
        if g.get("steps"):
            lines.append((1, f"Steps: {g['steps']}"))
        if g.get("monitors"):
            lines.append((1, f"Monitored by: {', '.join(g['monitors'])}"))
        for u in g.get("updates", ()):
            status = GOAL_STATUS.get(u.get("status") or "", u.get("status") or "")
            lines.append((1, f"{_when(u['created_at'])}: {u.get('note') or ''}" + (f" ({status})" if status else "")))
    return lines or [(0, "No goals yet.")]


def _cluster(doc: dict) -> list[tuple[int, str]]:
    choice = doc.get("career_cluster")
    if not choice:
        return [(0, "No career cluster chosen yet.")]
    lines = [(0, f"Cluster: {choice['cluster']}"), (0, f"Pathway: {choice['pathway'] or 'not chosen yet'}"),
             (0, f"Chosen in grade {choice['grade']} on {choice['chosen_on']}")]
    for old in doc.get("career_cluster_history", ()):
        lines.append((1, f"Earlier: {old['cluster']} (grade {old['grade']}, {old['chosen_on']})"))
    return lines


def _course_plan(doc: dict) -> list[tuple[int, str]]:
    lines: list[tuple[int, str]] = []
    by_grade: dict[int, list[dict]] = {}
    for e in doc["course_plan"]:
        by_grade.setdefault(e["grade"], []).append(e)
    for grade, entries in sorted(by_grade.items()):
        lines.append((0, f"Grade {grade}:"))
        for e in entries:
            term = "" if (e.get("term") or "year") == "year" else f", {e['term']}"
            lines.append((1, f"{e['course_code']}  {e['name']} ({_credits(e['credits'])} credit{term})"))
    if not lines:
        lines.append((0, "No courses planned yet."))
    audit = doc.get("credit_audit")
    if audit:
        lines.append((0, f"Credit check against {audit['requirement_set']}:"))
        for a in [*audit["areas"], {"area": "Total", **audit["total"]}]:
            lines.append((1, f"{a['area']}: {_credits(a['earned'])} earned + {_credits(a['planned'])} planned of {_credits(a['required'])} ({a['state']})"))
    return lines


def _postsecondary(doc: dict) -> list[tuple[int, str]]:
    post = doc.get("postsecondary")
    if not post:
        return [(0, "Not planned yet.")]
    labels = (("education_choice", "Education"), ("institution", "Where"), ("program", "Program"),
              ("occupations", "Occupations"), ("next_steps", "Next steps"))
    lines = []
    for key, label in labels:
        value = post.get(key)
        if value:
            lines.append((0, f"{label}: {EDUCATION_CHOICES.get(value, value) if key == 'education_choice' else value}"))
    return lines or [(0, "Not planned yet.")]


def _early_graduation(doc: dict) -> list[tuple[int, str]]:
    eg = doc.get("early_graduation")
    if not eg:
        return [(0, "Not planned.")]
    lines = [(0, f"Graduating early: {eg['target']} (declared {eg['declared_on']})")]
    for key, who in (("student_approved_on", "Student"), ("parent_approved_on", "Parent or guardian"), ("official_approved_on", "School official")):
        lines.append((1, f"{who} approval: {eg.get(key) or 'not yet'}"))
    return lines


def _accomplishments(doc: dict) -> list[tuple[int, str]]:
    lines = []
    for a in doc["accomplishments"]:
        when = f"{a['occurred_on']} " if a.get("occurred_on") else ""
        lines.append((0, f"- {when}{a['kind'].title()}: {a['title']}"))
        if a.get("description"):
            lines.append((1, a["description"]))
    return lines or [(0, "None recorded yet.")]


def _progress(doc: dict) -> list[tuple[int, str]]:
    lines: list[tuple[int, str]] = [(0, "Assessment results:")]
    for r in doc["assessment_results"]:
        level = f"level {r['level']} {r['level_name']}".strip() if r.get("level") else ""
        score = f"score {r['scale_score']}" if r.get("scale_score") is not None else ""
        lines.append((1, f"{r['assessment']} {r['subject']}, grade {_grade(r['grade'])}: {', '.join(x for x in (level, score) if x)}"))
    if not doc["assessment_results"]:
        lines.append((1, "none on file"))
    if doc["courses_completed"]:
        lines.append((0, "Courses completed:"))
        for c in doc["courses_completed"]:
            mark = f", mark {c['mark']}" if c.get("mark") else ""
            lines.append((1, f"Grade {c['grade']}: {c['course_code'] or ''} {c['course_name']} ({_credits(c['credits'])} credit{mark})".replace(":  ", ": ")))
    return lines


def _conferences(doc: dict) -> list[tuple[int, str]]:
    lines: list[tuple[int, str]] = []
    for c in doc["conferences"]:
        minutes = f", {c['duration_minutes']} minutes" if c.get("duration_minutes") else ""
        lines.append((0, f"- {c['held_on']}: {CONFERENCE_KINDS.get(c['kind'], c['kind'])} conference{minutes}"))
        if c.get("attendees"):
            lines.append((1, f"Present: {', '.join(a for a in c['attendees'] if a)}"))
        if c.get("notes"):
            lines.append((1, f"Notes: {c['notes']}"))
        if c.get("follow_ups"):
            lines.append((1, f"Follow-ups: {c['follow_ups']}"))
    return lines or [(0, "No conferences recorded this school year.")]


def _involvement(doc: dict) -> list[tuple[int, str]]:
    lines = []
    for p in doc["parent_involvement"]:
        answered = f" on {p['responded_on']}" if p.get("responded_on") else ""
        response = (p.get("response") or "pending").replace("_", " ")
        lines.append((0, f"- {p['sent_on']}: {p['purpose'] or 'invitation'} by {(p['method'] or '').replace('_', ' ')}, {response}{answered}"))
    return lines or [(0, "No invitations recorded this school year.")]


def outline(doc: dict) -> list[Section]:
    """The printable sections of one plan, in order."""
    t = _titles(doc["plan"]["kind"])
    if doc["plan"]["kind"] == "SEP":
        parts = [
            (t["strengths"], _strengths(doc)),
            (t["goals"], _goals(doc)),
            (t["progress"], _progress(doc) + [(0, "Accomplishments:")] + [(i + 1, x) for i, x in _accomplishments(doc)]),
        ]
    else:
        parts = [
            (t["inventory"], _inventory(doc)),
            (t["strengths"], _strengths(doc)),
            (t["goals"], _goals(doc)),
            (t["cluster"], _cluster(doc)),
            (t["course_plan"], _course_plan(doc)),
            (t["postsecondary"], _postsecondary(doc)),
            (t["early_graduation"], _early_graduation(doc)),
            (t["accomplishments"], _accomplishments(doc)),
            (t["progress"], _progress(doc)),
        ]
    parts += [("Conferences", _conferences(doc)), ("Parent involvement", _involvement(doc))]
    return [Section(title, lines) for title, lines in parts]


def title_of(doc: dict) -> str:
    return f"{PLAN_NAMES.get(doc['plan']['kind'], doc['plan']['kind'])}, {doc['plan']['school_year']}"


def signers(doc: dict) -> tuple[str, ...]:
    return ("Student", "Parent or guardian", "Counselor" if doc["plan"]["kind"] == "SEOP" else "Teacher")


# -- renderers ------------------------------------------------------------------------------


def to_json(docs: Sequence[dict], district: str) -> bytes:
    payload = {"district": district, "exported_at": now_utc(), "plans": list(docs)}
    return (json.dumps(payload, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _wrapped(indent: int, text: str) -> list[str]:
    pad = "  " * (indent + 1)
    return textwrap.wrap(text, WIDTH, initial_indent=pad, subsequent_indent=pad + "  ", break_on_hyphens=False) or [""]


def plan_text(doc: dict, district: str) -> str:
    out = [district, title_of(doc), "=" * WIDTH]
    for line in header_lines(doc):
        out += textwrap.wrap(line, WIDTH) or [""]
    for section in outline(doc):
        out += ["", section.title, "-" * len(section.title)]
        for indent, text in section.lines:
            out += _wrapped(indent, text)
    out += ["", "Signatures", "-" * 10]
    for who in signers(doc):
        out += ["", f"{who + ':':<20}{'_' * 38}  Date: {'_' * 10}"]
    return "\n".join(out) + "\n"


def to_text(docs: Sequence[dict], district: str) -> bytes:
    # A form feed starts each student on a new printed page.
    return "\f".join(plan_text(doc, district) for doc in docs).encode("utf-8")


_PUNCTUATION = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-", "\u2026": "...", "\u2022": "*", "\u00a0": " ",
    "\u2192": "->", "\u2190": "<-",
})


def latin1(text: object) -> str:
    """`text` in the Latin-1 characters a PDF core font holds, as close as can be."""
    out = []
    for ch in str(text if text is not None else "").translate(_PUNCTUATION):
        if ord(ch) < 256:
            out.append(ch if ch.isprintable() or ch == "\n" else " ")
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], decomposed[1:]
        for keep in range(len(marks), -1, -1):  # keep as many accents as Latin-1 can show
            candidate = unicodedata.normalize("NFC", base + marks[:keep])
            if len(candidate) == 1 and ord(candidate) < 256:
                out.append(candidate)
                break
        else:
            compat = unicodedata.normalize("NFKD", ch)
            compat = "".join(c for c in compat if not unicodedata.combining(c))
            out.append(compat if compat and all(ord(c) < 256 for c in compat) else "?")
    return "".join(out)


# (regular, bold) Unicode fonts looked for on the server when SEOP_PDF_FONT is not set.
SYSTEM_FONTS = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf", "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/TTF/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf", "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
)
CORE_FONT = "helvetica"


class PdfFontError(ValueError):
    """SEOP_PDF_FONT names something that is not a font file (an ExportError in exports)."""


def pdf_font_files() -> tuple[Path, Path] | None:
    """The (regular, bold) font files PDF uses; None for the Latin-1 core font."""
    chosen = os.environ.get("SEOP_PDF_FONT", "").strip()
    if chosen.lower() == CORE_FONT:
        return None
    if chosen:
        regular = Path(chosen).expanduser()
        if regular.suffix.lower() not in (".ttf", ".otf") or not regular.is_file():
            raise PdfFontError(f"SEOP_PDF_FONT is {chosen}, which is not a .ttf or .otf font file on this server.")
        bold = regular.with_name(regular.stem + "-Bold" + regular.suffix)
        return regular, bold if bold.is_file() else regular
    for regular, bold in SYSTEM_FONTS:
        if Path(regular).is_file():
            return Path(regular), Path(bold) if Path(bold).is_file() else Path(regular)
    return None


def _unicode_fitter(cmap: dict[int, object]) -> Callable[[object], str]:
    """Text as the font can show it: characters it lacks lose their accents, or become "?"."""

    def fit(text: object) -> str:
        out = []
        for ch in str(text if text is not None else ""):
            if ord(ch) in cmap or ch == "\n":
                out.append(ch if ch.isprintable() or ch == "\n" else " ")
                continue
            if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
                continue  # a mark or selector the font cannot draw: the letter stands alone
            base = unicodedata.normalize("NFD", ch)[0]
            out.append(base if ord(base) in cmap and base.isprintable() else "?")
        return "".join(out)

    return fit


_FIND = object()


def to_pdf(docs: Sequence[dict], district: str, progress: Callable[[int], None] | None = None, *, fonts=_FIND) -> bytes:
    """The plans as one PDF; `fonts`: (regular, bold) files, None for the core font, found when not given."""
    from fpdf import FPDF  # imported on use: only exports need it

    files = pdf_font_files() if fonts is _FIND else fonts

    class PlanPDF(FPDF):
        label = ""
        first_page = 1
        family = CORE_FONT
        fit: Callable[[object], str] = staticmethod(latin1)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(self.family, size=8)
            self.cell(0, 5, self.fit(f"{self.label}  -  page {self.page_no() - self.first_page + 1}"), align="C")

    pdf = PlanPDF(format="letter", unit="mm")
    if files:
        try:
            pdf.add_font("plan", "", files[0])
            pdf.add_font("plan", "B", files[1])
        except Exception as exc:  # a damaged or unusual font file: say which, print nothing
            raise PdfFontError(f"The font {files[0]} cannot be used for PDF ({exc}). Set SEOP_PDF_FONT to another .ttf file, or to helvetica.") from None
        pdf.family = "plan"
        pdf.set_font("plan")
        pdf.fit = _unicode_fitter(pdf.current_font.cmap)
    pdf.set_margins(18, 15, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_title(pdf.fit(f"{district}: plans"))
    pdf.set_creator("seop")
    for done, doc in enumerate(docs, 1):
        pdf.add_page()
        # Set after add_page: the previous page's footer (drawn inside add_page) keeps its student.
        pdf.label = f"{doc['student']['name']} - {title_of(doc)}"
        pdf.first_page = pdf.page_no()
        _pdf_plan(pdf, doc, district)
        if progress:
            progress(done)
    return bytes(pdf.output())


def _pdf_wrap(pdf, text: str, width: float) -> list[str]:
    """Greedy word wrap with the font's character widths.

    fpdf2's multi_cell measures every candidate line again and is slow for a
    caseload; a core font's widths are a table, so summing them is enough.
    """
    widths, scale = pdf.current_font.cw, pdf.font_size / 1000
    if pdf.family == CORE_FONT:  # a core font's widths are keyed by character, a TTF's by code point
        measure = lambda s: sum(widths.get(c, 600) for c in s) * scale  # noqa: E731
    else:
        measure = lambda s: sum(widths[ord(c)] for c in s) * scale  # noqa: E731
    space = measure(" ")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        for word in paragraph.split(" "):
            w = measure(word)
            while w > width:  # a word wider than the line: break it where it fills the line
                if line:
                    lines.append(line)
                    line, used = "", 0.0
                cut = 1
                while cut < len(word) and measure(word[: cut + 1]) <= width:
                    cut += 1
                lines.append(word[:cut])
                word = word[cut:]
                w = measure(word)
            if line and used + space + w > width:
                lines.append(line)
                line, used = "", 0.0
            line, used = (f"{line} {word}", used + space + w) if line else (word, w)
        lines.append(line)
    return lines


def _pdf_text(pdf, text: str, height: float = 5, indent: int = 0) -> None:
    left = pdf.l_margin + 6 * indent
    width = pdf.w - pdf.r_margin - left - 6  # room for the hanging indent of wrapped lines
    for i, line in enumerate(_pdf_wrap(pdf, pdf.fit(text), width)):
        pdf.set_x(left + (6 if i else 0))
        pdf.cell(0, height, line, new_x="LMARGIN", new_y="NEXT")


def _pdf_plan(pdf, doc: dict, district: str) -> None:
    pdf.set_font(pdf.family, size=9)
    _pdf_text(pdf, district)
    pdf.set_font(pdf.family, style="B", size=15)
    _pdf_text(pdf, title_of(doc), 8)
    pdf.set_font(pdf.family, size=10)
    for line in header_lines(doc):
        _pdf_text(pdf, line)
    for section in outline(doc):
        if pdf.get_y() > pdf.h - 45:  # keep a heading with its first lines
            pdf.add_page()
        pdf.ln(3)
        pdf.set_font(pdf.family, style="B", size=12)
        _pdf_text(pdf, section.title, 7)
        y = pdf.get_y()
        pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
        pdf.ln(1)
        pdf.set_font(pdf.family, size=10)
        for indent, text in section.lines:
            _pdf_text(pdf, text, indent=indent)
    if pdf.get_y() > pdf.h - 70:
        pdf.add_page()
    pdf.ln(6)
    pdf.set_font(pdf.family, style="B", size=12)
    _pdf_text(pdf, "Signatures", 7)
    pdf.set_font(pdf.family, size=10)
    for who in signers(doc):
        pdf.ln(10)
        y = pdf.get_y() + 5
        pdf.cell(45, 5, pdf.fit(who))
        pdf.line(pdf.l_margin + 45, y, pdf.l_margin + 120, y)
        pdf.set_x(pdf.l_margin + 125)
        pdf.cell(12, 5, "Date")
        pdf.line(pdf.l_margin + 137, y, pdf.w - pdf.r_margin, y)
        pdf.ln(5)


RENDERERS: dict[str, Callable[..., bytes]] = {"pdf": to_pdf, "text": to_text, "json": to_json}


# -- the whole export -------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportResult:
    path: Path
    exported: int
    skipped: list[str]


def default_file(store: Store, student_ids: Sequence[int], fmt: str) -> Path:
    """A file name in the reports folder that says what is in it."""
    if len(student_ids) == 1:
        row = store.one("SELECT student_number FROM students WHERE id = ?", (student_ids[0],))
        stem = f"plan-{row[0] if row else student_ids[0]}"
    else:
        stem = f"plans-{len(student_ids)}-students-{date.today().isoformat()}"
    return default_path(stem, FORMATS[fmt])


def export_plans(
    store: Store,
    ref: Reference,
    actor: Actor,
    student_ids: Sequence[int],
    fmt: str,
    path: str | Path,
    *,
    progress: Progress | None = None,
) -> ExportResult:
    """Write the students' plans to `path` in `fmt` (pdf, text, json), owner-only.

    `progress(done, total)` counts two steps a student: reading the plan, then
    laying it out (total = 2 x students).
    """
    if fmt not in FORMATS:
        raise ExportError(f"Choose a format: {', '.join(FORMATS)}.")
    if not student_ids:
        raise ExportError("There are no students to export.")
    try:
        path = resolve_path(path)  # a bad path or font is refused before anything is audited
        fonts = pdf_font_files() if fmt == "pdf" else None
    except (ReportFileError, PdfFontError) as exc:
        raise ExportError(str(exc)) from None
    n = len(student_ids)
    read = (lambda done, _total: progress(done, 2 * n)) if progress else None
    found = documents(store, ref, actor, student_ids, purpose="print" if fmt == "pdf" else "export", progress=read)
    if not found.plans:
        raise ExportError("None of these students has a plan on file, so nothing was written.")
    if fmt == "pdf":
        laid_out = (lambda done: progress(n + done * n // len(found.plans), 2 * n)) if progress else None
        try:
            data = to_pdf(found.plans, ref.district.name, laid_out, fonts=fonts)
        except PdfFontError as exc:
            raise ExportError(str(exc)) from None
    else:
        data = RENDERERS[fmt](found.plans, ref.district.name)
        if progress:
            progress(2 * n, 2 * n)
    try:
        written = write_owner_only(path, data)
    except ReportFileError as exc:
        raise ExportError(str(exc)) from None
    return ExportResult(written, len(found.plans), found.skipped)
