"""Parent involvement invitations: recorded, answered, listed, and counted by compliance."""

from datetime import date

import pytest

from seop_tui.services import involvement
from seop_tui.services.compliance import student_compliance
from seop_tui.services.conferences import EntryError
from seop_tui.services.context import AccessDenied
from tests.factory import District


@pytest.fixture
def district(store):
    d = District(store)
    d.ms = d.school("DMS", "middle", 6, 8)
    d.counselor = d.staff("counselor", "counselor", d.ms, "Carla", "Counselor")
    d.outsider = d.staff("outsider", "counselor", d.school("OMS", "middle", 6, 8))
    d.kid = d.student("kid", 8, d.ms, "Kim", "Eight", counselor_id=d.counselor)
    d.mum = d.guardian(d.kid, "Mia", "Eight", "mother")
    d.sibling = d.student("sib", 6, d.ms, "Sol", "Six")
    d.sib_dad = d.guardian(d.sibling, "Dan", "Six", "father")
    with store.write() as db:
        db["plans"].insert({"student_id": d.kid, "school_year_id": d.year_id, "kind": "SEOP", "grade": 8})
    return d


def test_an_invitation_and_its_response_are_kept(store, ref, district):
    counselor = district.actor("counselor")
    before = {r.clause: r for r in student_compliance(store, ref, counselor, district.kid)}
    assert "no parent involvement opportunity documented this year" in before["3.2.3.5"].missing

    iid = involvement.add(
        store, counselor, district.kid, purpose="SEOP conference", method="email", sent_on="2026-09-20", guardian_id=district.mum
    )
    [shown] = involvement.list_for(store, counselor, district.kid)
    assert (shown.purpose, shown.method_label, shown.guardian, shown.response_label, shown.school_year) == (
        "SEOP conference", "Email", "Mia Eight", "Pending", "2026-27"
    )
    involvement.update_response(store, counselor, iid, response="declined", responded_on="2026-09-22", notes="Working that week")
    [shown] = involvement.list_for(store, counselor, district.kid)
    assert (shown.response, shown.responded_on, shown.notes) == ("declined", "2026-09-22", "Working that week")
    # A declined invitation is still an opportunity offered.
    after = {r.clause: r for r in student_compliance(store, ref, counselor, district.kid)}
    assert not any("parent involvement" in m for m in after["3.2.3.5"].missing)
    changes = [r[0] for r in store.query("SELECT what FROM audit_log WHERE action = 'change' AND student_id = ? ORDER BY id", (district.kid,))]
    assert changes == [f"parent invitation {iid} recorded (SEOP conference)", f"parent invitation {iid}: declined"]


def test_bad_entries_are_refused_with_a_reason(store, district):
    counselor = district.actor("counselor")
    base = dict(purpose="Plan review", method="phone", sent_on="2026-09-20")
    cases = [
        ({"purpose": "  "}, "Say what the invitation was for"),
        ({"method": "pigeon"}, "Choose how it was sent"),
        ({"sent_on": "20/09/2026"}, "YYYY-MM-DD"),
        ({"sent_on": "2026-06-20"}, "not inside a school year"),
        ({"guardian_id": district.sib_dad}, "not listed as a guardian"),
        ({"response": "maybe"}, "Choose a response"),
        ({"response": "accepted", "responded_on": "2026-09-01"}, "before the invitation was sent"),
        ({"response": "accepted", "responded_on": ""}, "response date"),
    ]
    for change, message in cases:
        with pytest.raises(EntryError, match=message):
            involvement.add(store, counselor, district.kid, **{**base, **change}, today=date(2026, 11, 1))
    assert store.one("SELECT count(*) FROM parent_involvement")[0] == 0
    iid = involvement.add(store, counselor, district.kid, **base, response="no_response", responded_on="2026-09-25")
    assert store.one("SELECT response, responded_on FROM parent_involvement WHERE id = ?", (iid,))[:] == ("no_response", None)


def test_only_staff_with_access(store, district):
    with pytest.raises(AccessDenied):
        involvement.add(store, district.actor("outsider"), district.kid, purpose="x", method="email", sent_on="2026-09-20")
    with pytest.raises(AccessDenied):
        involvement.add(store, district.actor("kid"), district.kid, purpose="x", method="email", sent_on="2026-09-20")
    iid = involvement.add(store, district.actor("counselor"), district.kid, purpose="x", method="email", sent_on="2026-09-20")
    with pytest.raises(AccessDenied):
        involvement.update_response(store, district.actor("outsider"), iid, response="accepted", responded_on="2026-09-21")
    with pytest.raises(AccessDenied):
        involvement.list_for(store, district.actor("outsider"), district.kid)
    assert [g.name for g in involvement.guardians(store, district.actor("counselor"), district.kid)] == ["Mia Eight"]
