import pytest

from seop_tui.services.access import may_access, require_access
from seop_tui.services.context import AccessDenied
from tests.factory import District


@pytest.fixture
def district(store):
    d = District(store)
    d.hs = d.school("DHS")
    d.es = d.school("SCE", "elementary", 0, 5)
    d.counselor = d.staff("counselor", "counselor", d.hs)
    d.teacher = d.staff("teacher", "teacher", d.es)
    d.principal = d.staff("principal", "administrator", d.es)
    d.district_admin = d.staff("admin", "administrator", None)
    d.s9 = d.student("student9", 9, d.hs, counselor_id=d.counselor)
    d.s3 = d.student("student3", 3, d.es, teacher_id=d.teacher)
    d.s4 = d.student("student4", 4, d.es)  # not in the teacher's class
    return d


@pytest.mark.parametrize(
    "who, allowed, refused",
    [
        ("student9", ["s9"], ["s3", "s4"]),
        ("teacher", ["s3"], ["s9", "s4"]),
        ("counselor", ["s9"], ["s3", "s4"]),
        ("principal", ["s3", "s4"], ["s9"]),
        ("admin", ["s9", "s3", "s4"], []),
    ],
)
def test_access_rules(store, district, who, allowed, refused):
    actor = district.actor(who)
    for name in allowed:
        assert may_access(store, actor, getattr(district, name)), (who, name)
    for name in refused:
        with pytest.raises(AccessDenied):
            require_access(store, actor, getattr(district, name))
