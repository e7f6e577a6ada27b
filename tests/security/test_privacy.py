"""Parents' and students' rights: inspection requests (due in 45 days) and their
fulfilment, the full record exported (JSON + PDF), amendment requests and their
outcome, and no destroying a record while an inspection request is open."""

from __future__ import annotations

import json
import os
import stat
from datetime import date, timedelta

import pytest

from seop_tui.services import privacy
from seop_tui.services.context import AccessDenied
from seop_tui.services.privacy import PrivacyError, RecordOnHold
from tests.security.world import USER_TEXT


def _open_request(world, received="2026-09-01"):
    return privacy.record_inspection_request(
        world.store, world.actor("counselor_h"), world.students["victim_h"],
        requested_by="Maria Lopez", relationship="parent", received_on=received,
    )


def test_an_inspection_request_is_due_45_days_after_it_was_received(world):
    request = _open_request(world, "2026-09-01")
    assert (request.received_on, request.due_on, request.is_open) == ("2026-09-01", "2026-10-16", True)
    done = privacy.fulfil_inspection_request(world.store, world.actor("counselor_h"), request.id, fulfilled_on="2026-09-20", how="Reviewed in person; copies given")
    assert not done.is_open and done.fulfilled_how == "Reviewed in person; copies given"
    kinds = [r[0] for r in world.store.query("SELECT what FROM audit_log WHERE action = 'inspection' ORDER BY id")]
    assert kinds == [f"inspection request {request.id} received 2026-09-01, due 2026-10-16", f"inspection request {request.id} fulfilled 2026-09-20"]


def test_inspection_request_input_is_checked(world):
    counselor, sid = world.actor("counselor_h"), world.students["victim_h"]
    with pytest.raises(PrivacyError, match="future"):
        privacy.record_inspection_request(world.store, counselor, sid, requested_by="X", relationship="parent", received_on=date.today() + timedelta(days=1))
    with pytest.raises(PrivacyError, match="date like"):
        privacy.record_inspection_request(world.store, counselor, sid, requested_by="X", relationship="parent", received_on="14/09/2026")
    with pytest.raises(PrivacyError, match="Relationship"):
        privacy.record_inspection_request(world.store, counselor, sid, requested_by="X", relationship="neighbour", received_on="2026-09-01")
    request = _open_request(world)
    with pytest.raises(PrivacyError, match="before it was received"):
        privacy.fulfil_inspection_request(world.store, counselor, request.id, fulfilled_on="2026-08-01", how="copies")


@pytest.mark.parametrize("who", ["teacher_h", "victim_h", "counselor_m"])
def test_only_record_keepers_handle_requests(world, who):
    with pytest.raises(AccessDenied):
        privacy.record_inspection_request(world.store, world.actor(who), world.students["victim_h"], requested_by="X", relationship="parent", received_on="2026-09-01")


def test_an_amendment_request_and_its_outcome(world):
    counselor, sid = world.actor("counselor_h"), world.students["victim_h"]
    request = privacy.record_amendment_request(
        world.store, counselor, sid, requested_by="Maria Lopez", relationship="parent", received_on="2026-09-02",
        record_part="Progress notes, 2026-09-01", change_requested="The note says absent; she was present.",
    )
    assert request.outcome == "pending"
    with pytest.raises(PrivacyError, match="reason"):
        privacy.decide_amendment_request(world.store, counselor, request.id, outcome="refused", decided_on="2026-09-10", reason="")
    decided = privacy.decide_amendment_request(
        world.store, counselor, request.id, outcome="refused", decided_on="2026-09-10",
        reason="Attendance records show an absence.", statement="I disagree: she was at the school play rehearsal.",
    )
    assert (decided.outcome, decided.statement) == ("refused", "I disagree: she was at the school play rehearsal.")
    listed = {r.id: r for r in privacy.amendment_requests(world.store, counselor, sid)}
    assert listed[request.id].reason == "Attendance records show an absence."


def test_a_record_under_an_open_inspection_request_cannot_be_destroyed(world):
    admin, sid = world.actor("principal_h"), world.students["victim_h"]
    request = _open_request(world)
    with pytest.raises(RecordOnHold, match="Maria Lopez"):
        privacy.delete_student_record(world.store, admin, sid)
    with pytest.raises(RecordOnHold):
        privacy.withdraw_student(world.store, admin, sid, "moved away")
    assert world.store.one("SELECT active FROM students WHERE id = ?", (sid,))[0] == 1
    privacy.fulfil_inspection_request(world.store, admin, request.id, fulfilled_on=date.today(), how="copies given")
    privacy.withdraw_student(world.store, admin, sid, "moved away")
    assert world.store.one("SELECT active FROM students WHERE id = ?", (sid,))[0] == 0


def test_deleting_a_record_removes_every_part_of_it_and_nothing_else(world):
    sid, other = world.students["victim_h"], world.students["victim_e"]
    with pytest.raises(AccessDenied, match="administrator"):
        privacy.delete_student_record(world.store, world.actor("counselor_h"), sid)
    before_other = privacy.linked_rowids(world.store.conn, other)
    removed = privacy.delete_student_record(world.store, world.actor("principal_h"), sid)
    assert removed > 20
    assert privacy.linked_rowids(world.store.conn, sid) == {"students": {sid}}  # only the id asked about is left
    assert world.store.one("SELECT count(*) FROM students WHERE id = ?", (sid,))[0] == 0
    assert world.store.one("SELECT count(*) FROM accounts WHERE username = 'victim_h'")[0] == 0
    assert world.store.query("PRAGMA foreign_key_check") == []
    assert privacy.linked_rowids(world.store.conn, other) == before_other
    row = world.store.one("SELECT * FROM audit_log WHERE action = 'delete'")
    assert row["student_id"] == sid and "rows" in row["what"]  # the trail keeps its rows


def test_the_full_record_holds_everything_stored_about_the_student(world, ref):
    record = privacy.full_record(world.store, ref, world.actor("counselor_h"), world.students["victim_h"])
    for table in world.rows["victim_h"]:
        assert record["record"].get(table), f"{table} missing from the exported record"
    assert len(record["plans"]) == 2 and record["finalized_versions"][0]["plan"]["student"]
    assert record["record_of_access"] and record["inspection_requests"] and record["amendment_requests"]
    text = json.dumps(record)
    assert "argon2" not in text  # no secrets
    victim_texts = [
        v for v in world.texts.values()
        if any(v == r.get(col) for table, cols in USER_TEXT.items() for r in record["record"].get(table, ()) for col in cols)
    ]
    assert len(victim_texts) >= 40  # every hostile field of the record is in it, unchanged


def test_export_writes_json_and_pdf_owner_only(world, ref, tmp_path):
    files = privacy.export_full_record(world.store, ref, world.actor("principal_h"), world.students["victim_h"], tmp_path)
    assert [f.suffix for f in files] == [".json", ".pdf"]
    for f in files:
        assert stat.S_IMODE(os.stat(f).st_mode) == 0o600
    assert json.loads(files[0].read_text(encoding="utf-8"))["student_id"] == world.students["victim_h"]
    assert files[1].read_bytes().startswith(b"%PDF")
    exported = world.store.query("SELECT what FROM audit_log WHERE action = 'export' AND student_id = ?", (world.students["victim_h"],))
    assert "full record for inspection" in [r[0] for r in exported]


def test_deleting_keeps_what_other_students_share(world):
    """A small-group conference and a guardian shared with a sibling stay; only the
    deleted student's link rows go."""
    sid, classmate = world.students["victim_h"], world.students["classmate_h"]
    conference = world.rows["victim_h"]["conferences"]
    guardian = world.rows["victim_h"]["guardians"]
    with world.store.write() as db:
        db["conference_students"].insert({"conference_id": conference, "student_id": classmate, "student_attended": 1})
        db["student_guardians"].insert({"student_id": classmate, "guardian_id": guardian, "relationship": "parent"})
    attendees = world.store.one("SELECT count(*) FROM conference_attendees WHERE conference_id = ?", (conference,))[0]
    privacy.delete_student_record(world.store, world.actor("district_admin"), sid)
    assert world.store.one("SELECT count(*) FROM conferences WHERE id = ?", (conference,))[0] == 1
    assert world.store.one("SELECT count(*) FROM conference_attendees WHERE conference_id = ?", (conference,))[0] == attendees
    assert [r[0] for r in world.store.query("SELECT student_id FROM conference_students WHERE conference_id = ?", (conference,))] == [classmate]
    assert world.store.one("SELECT count(*) FROM guardians WHERE id = ?", (guardian,))[0] == 1
    assert world.store.query("PRAGMA foreign_key_check") == []
