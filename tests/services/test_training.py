"""Staff training for the SEP/SEOP role (policy 3.1.2 / 3.2.2)."""

import pytest

from seop_tui.services import training
from seop_tui.services.conferences import EntryError
from seop_tui.services.context import AccessDenied
from tests.factory import District


@pytest.fixture
def district(store):
    d = District(store)
    d.es = d.school("SCE", "elementary", 0, 5)
    d.k8 = d.school("K8S", "k8", 0, 8)
    d.hs = d.school("DHS", "high", 9, 12)
    d.principal = d.staff("principal", "administrator", d.es, "Pam", "Principal")
    d.admin = d.staff("admin", "administrator", None, "Ada", "Admin")
    d.counselor = d.staff("counselor", "counselor", d.hs, "Carla", "Counselor")
    d.t_es = d.staff("t_es", "teacher", d.es, "Eve", "Elementary")
    d.t_k8 = d.staff("t_k8", "teacher", d.k8, "Kat", "Kaytoeight")
    d.t_hs = d.staff("t_hs", "teacher", d.hs, "Hal", "High")
    with store.write() as db:
        db["staff_training"].insert_all([
            {"staff_id": d.t_es, "training": "SEP conferences and goal setting", "completed_on": "2025-09-01"},
            {"staff_id": d.t_k8, "training": "SEOP/PCCR for advisory teachers", "completed_on": "2025-09-02"},
            {"staff_id": d.t_hs, "training": "Student privacy (FERPA)", "completed_on": "2025-09-03"},
        ])
    return d


def test_which_plans_a_training_covers_by_its_name():
    assert training.bands_of("SEP conferences and goal setting") == {"SEP"}
    assert training.bands_of("SEOP/PCCR counselor training") == {"SEOP"}
    assert training.bands_of("SEP/SEOP program oversight") == {"SEP", "SEOP"}
    assert training.bands_of("Student privacy (FERPA)") == set()
    assert training.bands_of("September staff meeting") == set()


def test_district_report_says_who_still_needs_which_training(store, ref, district):
    statuses = {s.name: s for s in training.report(store, ref, district.actor("admin"))}
    assert list(statuses) == ["High, Hal", "Kaytoeight, Kat", "Elementary, Eve"]  # by school code, then name
    assert (statuses["Elementary, Eve"].required, statuses["Elementary, Eve"].trained) == (("SEP",), True)
    assert statuses["Kaytoeight, Kat"].required == ("SEP", "SEOP")
    assert statuses["Kaytoeight, Kat"].missing == ("SEP",)
    assert (statuses["High, Hal"].missing, statuses["High, Hal"].completed) == (("SEOP",), {})


def test_recording_training_and_who_may(store, ref, district):
    with pytest.raises(AccessDenied):  # a principal records for their own school only
        training.record(store, district.actor("principal"), district.t_hs, band="SEOP", completed_on="2026-09-01")
    with pytest.raises(AccessDenied):
        training.record(store, district.actor("t_es"), district.t_hs, band="SEOP", completed_on="2026-09-01")
    with pytest.raises(EntryError, match="Choose the training"):
        training.record(store, district.actor("counselor"), district.t_hs, band="CPR", completed_on="2026-09-01")
    with pytest.raises(EntryError, match="completion date"):
        training.record(store, district.actor("counselor"), district.t_hs, band="SEOP", completed_on="")
    training.record(store, district.actor("counselor"), district.t_hs, band="SEOP", completed_on="2026-09-01", topic="advisory", hours="1.5")
    assert store.one("SELECT training, hours FROM staff_training WHERE staff_id = ? AND completed_on = '2026-09-01'", (district.t_hs,))[:] == (
        "SEOP training: advisory", 1.5
    )
    [hal] = training.report(store, ref, district.actor("counselor"))
    assert (hal.trained, hal.completed) == (True, {"SEOP": "2026-09-01"})
    # A teacher sees and records only their own.
    training.record(store, district.actor("t_k8"), district.t_k8, band="SEP", completed_on="2026-09-05")
    assert [s.name for s in training.report(store, ref, district.actor("t_k8"))] == ["Kaytoeight, Kat"]
    assert training.report(store, ref, district.actor("t_k8"))[0].trained
    assert store.one("SELECT count(*) FROM audit_log WHERE action = 'change' AND what LIKE 'training recorded%'")[0] == 2
