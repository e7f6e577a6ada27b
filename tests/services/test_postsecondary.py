"""After high school: one row per plan, cleaned text, version checked, audited."""

from __future__ import annotations

import pytest

from seop_tui.services import plans, postsecondary
from seop_tui.services.context import AccessDenied
from seop_tui.text import TextTooLong
from tests.services.test_course_plan import audit_rows, district  # noqa: F401  (fixtures)


@pytest.fixture
def plan(store, ref, district):  # noqa: F811
    return plans.plan_for(store, ref, district.actor("student9"), district.s9)


def test_save_upserts_one_row_with_clean_text(store, district, plan):  # noqa: F811
    student = district.actor("student9")
    assert postsecondary.load(store, student, plan) == postsecondary.Postsecondary()
    plan = postsecondary.save(
        store, student, plan, education_choice="university", institution="  Utah Tech\x1b[2J ", program="[bold]Nursing[/]",
        occupations="Nurse\tmidwife", next_steps="Visit campus\r\nAsk about\x07 scholarships",
    )
    saved = postsecondary.load(store, student, plan)
    assert saved.institution == "Utah Tech"
    assert saved.program == "[bold]Nursing[/]"  # markup-looking text kept literally
    assert saved.occupations == "Nurse midwife"
    assert saved.next_steps == "Visit campus\nAsk about scholarships"  # line breaks kept, controls gone
    assert saved.choice_label == "University (four-year college)"

    plan = postsecondary.save(store, student, plan, education_choice="work", institution="Dixie Tech")
    rows = store.query("SELECT * FROM postsecondary_plans")
    assert len(rows) == 1 and rows[0]["plan_id"] == plan.id
    assert (rows[0]["education_choice"], rows[0]["institution"], rows[0]["program"]) == ("work", "Dixie Tech", "")
    assert plan.version == 3
    assert ("change", district.s9, student.account_id, "after high school saved") in audit_rows(store)
    assert ("view", district.s9, student.account_id, "after high school") in audit_rows(store)


def test_refusals_change_nothing(store, district, plan):  # noqa: F811
    student = district.actor("student9")
    with pytest.raises(postsecondary.PostsecondaryError, match="Choose one of"):
        postsecondary.save(store, student, plan, education_choice="space")
    with pytest.raises(TextTooLong, match="200"):
        postsecondary.save(store, student, plan, education_choice="military", institution="x" * 201)
    with pytest.raises(AccessDenied):
        postsecondary.save(store, district.actor("other11"), plan, education_choice="military")
    with pytest.raises(AccessDenied):
        postsecondary.load(store, district.actor("other11"), plan)
    assert store.one("SELECT count(*) FROM postsecondary_plans")[0] == 0
    assert plans.reload(store, plan).version == 1


def test_a_stale_session_gets_a_conflict(store, district, plan):  # noqa: F811
    postsecondary.save(store, district.actor("counselor"), plan, education_choice="military")
    with pytest.raises(plans.PlanConflict, match="Carla Counselor"):
        postsecondary.save(store, district.actor("student9"), plan, education_choice="work")
    assert store.one("SELECT education_choice FROM postsecondary_plans")[0] == "military"
