"""Printable plans: PDF (read back with pypdf), plain text and JSON; audit and access."""

import json
import os

import pytest
from pypdf import PdfReader

from seop_tui.sections import SEOP_SECTIONS, SEP_SECTIONS
from seop_tui.services import export
from seop_tui.services.context import AccessDenied
from tests.factory import District


@pytest.fixture
def district(store):
    d = District(store)
    d.hs = d.school("DHS", "high", 9, 12, "Desert Hills High")
    d.es = d.school("SCE", "elementary", 0, 5, "Sunset Canyon Elementary")
    d.counselor = d.staff("counselor", "counselor", d.hs, "Carla", "Counselor")
    d.outsider = d.staff("outsider", "counselor", d.es)
    d.zoe = d.student("zoe", 10, d.hs, "Zoë 😀", "Nguyễn", counselor_id=d.counselor)
    d.guardian(d.zoe, "Thảo", "Nguyễn", "mother")
    d.max = d.student("max", 11, d.hs, "Max", "[bold]Markup[/]", counselor_id=d.counselor)
    d.nop = d.student("nop", 9, d.hs, "Nora", "Noplan", counselor_id=d.counselor)
    d.kid = d.student("kid", 3, d.es, "Kit", "Third")
    with store.write() as db:
        for sid, grade, kind in ((d.zoe, 10, "SEOP"), (d.max, 11, "SEOP"), (d.kid, 3, "SEP")):
            plan = db["plans"].insert({"student_id": sid, "school_year_id": d.year_id, "kind": kind, "grade": grade, "status": "draft", "version": 1}).last_pk
            db["strengths"].insert({"plan_id": plan, "kind": "strength", "text": "Draws “comics” — every day ✏️"})
            db["goals"].insert({"plan_id": plan, "kind": "education", "text": "Pass Secondary Math II " + "long " * 60, "status": "in_progress",
                                "monitors": '["student"]'})
        cid = db["conferences"].insert({"school_year_id": d.year_id, "kind": "individual", "held_on": "2026-10-01", "duration_minutes": 20,
                                        "notes": "Talked about welding"}).last_pk
        db["conference_students"].insert({"conference_id": cid, "student_id": d.zoe})
        db["conference_attendees"].insert({"conference_id": cid, "staff_id": d.counselor})
        db["assessment_results"].insert({"student_id": d.zoe, "assessment": "ASPIRE", "subject": "MATH", "grade": 9, "level": 3, "scale_score": 425})
    return d


@pytest.fixture(autouse=True)
def core_font(monkeypatch):
    """Most tests here read the Latin-1 core font's output, the same on every server."""
    monkeypatch.setenv("SEOP_PDF_FONT", "helvetica")


def pdf_text(path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def test_one_students_pdf_has_name_sections_progress_conferences_and_signatures(store, ref, district, tmp_path):
    result = export.export_plans(store, ref, district.actor("counselor"), [district.zoe], "pdf", tmp_path / "zoe.pdf")
    assert (result.exported, result.skipped) == (1, [])
    assert os.stat(result.path).st_mode & 0o777 == 0o600
    text = "\n".join(pdf_text(result.path))
    assert "Zoë ? Nguyên" in text  # é kept, ễ as close as Latin-1 allows, the emoji replaced
    assert "Student Education Occupational Plan (SEOP), 2026-27" in text
    for section in SEOP_SECTIONS:
        if section.key != "review":
            assert section.title in text
    assert "ASPIRE MATH, grade 9: level 3 Proficient, score 425" in text
    assert "Talked about welding" in text
    assert 'Draws "comics" - every day' in text
    for signer in ("Student", "Parent or guardian", "Counselor", "Date"):
        assert signer in text
    rows = store.query("SELECT action, student_id FROM audit_log WHERE action IN ('print', 'export')")
    assert [tuple(r) for r in rows] == [("print", district.zoe)]


def test_a_caseload_is_one_pdf_with_a_new_page_per_student(store, ref, district, tmp_path):
    ids = export.caseload(store, district.actor("counselor"), district.counselor)
    assert ids == [district.zoe, district.nop, district.max]  # by family name: Nguyễn, Noplan, "[bold]Markup[/]"
    steps = []
    result = export.export_plans(store, ref, district.actor("counselor"), ids, "pdf", tmp_path / "caseload.pdf",
                                 progress=lambda done, total: steps.append((done, total)))
    assert (result.exported, result.skipped) == (2, ["Nora Noplan"])
    assert steps[-1] == (6, 6) and steps == sorted(steps)
    pages = pdf_text(result.path)
    firsts = [p for p in pages if p.startswith(ref.district.name)]
    assert len(firsts) == 2
    assert "Zoë ? Nguyên" in firsts[0] and "Max [bold]Markup[/]" in firsts[1]
    # Each page's footer names its own student.
    assert all("Zoë ? Nguyên" in p for p in pages[: pages.index(firsts[1])])
    assert all("Max [bold]Markup[/]" in p for p in pages[pages.index(firsts[1]) :])
    printed = {r[0] for r in store.query("SELECT student_id FROM audit_log WHERE action = 'print'")}
    assert printed == {district.max, district.zoe}


def test_text_and_json_exports(store, ref, district, tmp_path):
    counselor = district.actor("counselor")
    text = export.export_plans(store, ref, counselor, [district.zoe, district.max], "text", tmp_path / "plans.txt")
    body = text.path.read_text(encoding="utf-8")
    first, second = body.split("\f")
    assert "Student: Zoë 😀 Nguyễn" in first and "Student: Max [bold]Markup[/]" in second
    assert all(max(map(len, part.splitlines())) <= export.WIDTH for part in (first, second))
    assert "Signatures" in first and "Counselor:          ____" in first
    data = json.loads(export.export_plans(store, ref, counselor, [district.zoe], "json", tmp_path / "plans.json").path.read_text())
    assert data["district"] == ref.district.name
    [plan] = data["plans"]
    assert plan["student"]["name"] == "Zoë 😀 Nguyễn"
    assert plan["conferences"][0]["notes"] == "Talked about welding"
    actions = [r[0] for r in store.query("SELECT action FROM audit_log WHERE action IN ('print', 'export') ORDER BY id")]
    assert actions == ["export", "export", "export"]


def test_an_elementary_plan_uses_the_sep_sections(store, ref, district, tmp_path):
    district.staff("principal", "administrator", district.es)
    result = export.export_plans(store, ref, district.actor("principal"), [district.kid], "text", tmp_path / "kit.txt")
    body = result.path.read_text(encoding="utf-8")
    assert "Student Education Plan (SEP)" in body
    for section in SEP_SECTIONS[:3]:
        assert section.title in body
    assert "Teacher:            ____" in body


def test_no_access_no_file_and_no_audit(store, ref, district, tmp_path):
    with pytest.raises(AccessDenied):
        export.export_plans(store, ref, district.actor("outsider"), [district.kid, district.zoe], "pdf", tmp_path / "x.pdf")
    with pytest.raises(AccessDenied):
        export.export_plans(store, ref, district.actor("zoe"), [district.zoe], "pdf", tmp_path / "x.pdf")
    with pytest.raises(export.ExportError, match="nothing was written"):
        export.export_plans(store, ref, district.actor("counselor"), [district.nop], "pdf", tmp_path / "x.pdf")
    with pytest.raises(export.ExportError, match="is a folder"):
        export.export_plans(store, ref, district.actor("counselor"), [district.zoe], "pdf", tmp_path)
    assert not (tmp_path / "x.pdf").exists()
    assert store.one("SELECT count(*) FROM audit_log WHERE action IN ('print', 'export')")[0] == 0


def test_latin1_keeps_what_it_can():
    assert export.latin1("Zoë Nguyễn 😀 “quote” — dash … ﬁne") == 'Zoë Nguyên ? "quote" - dash ... fine'


SYSTEM_FONT = next((regular for regular, _ in export.SYSTEM_FONTS if os.path.isfile(regular)), None)


@pytest.mark.skipif(SYSTEM_FONT is None, reason="no Unicode font (DejaVu, Noto, Liberation) on this server")
def test_with_a_unicode_font_names_print_as_written(store, ref, district, tmp_path, monkeypatch):
    monkeypatch.delenv("SEOP_PDF_FONT")
    with store.write() as db:
        db["students"].update(district.max, {"given_name": "Max 李"})
    ids = [district.zoe, district.max]
    result = export.export_plans(store, ref, district.actor("counselor"), ids, "pdf", tmp_path / "plans.pdf")
    text = "\n".join(pdf_text(result.path))
    assert "Nguyễn" in text and "Thảo Nguyễn" in text and "Nguyên" not in text
    assert "Draws “comics” — every day ✏" in text  # the emoji's selector is left out, not shown as "?"
    assert "Max ? [bold]Markup[/]" in text  # a letter the font lacks


def test_a_chosen_font_file_is_used_and_a_wrong_one_is_named(store, ref, district, tmp_path, monkeypatch):
    counselor = district.actor("counselor")
    monkeypatch.setenv("SEOP_PDF_FONT", str(tmp_path / "missing.ttf"))
    with pytest.raises(export.ExportError, match="SEOP_PDF_FONT is .*missing.ttf"):
        export.export_plans(store, ref, counselor, [district.zoe], "pdf", tmp_path / "x.pdf")
    (tmp_path / "broken.ttf").write_bytes(b"not a font")
    monkeypatch.setenv("SEOP_PDF_FONT", str(tmp_path / "broken.ttf"))
    with pytest.raises(export.ExportError, match="broken.ttf cannot be used"):
        export.export_plans(store, ref, counselor, [district.zoe], "pdf", tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()
    assert export.export_plans(store, ref, counselor, [district.zoe], "text", tmp_path / "x.txt").exported == 1  # only PDF needs it
    if SYSTEM_FONT is not None:
        monkeypatch.setenv("SEOP_PDF_FONT", SYSTEM_FONT)
        result = export.export_plans(store, ref, counselor, [district.zoe], "pdf", tmp_path / "zoe.pdf")
        assert "Nguyễn" in "".join(pdf_text(result.path))
