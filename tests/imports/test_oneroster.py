"""OneRoster 1.1 and 1.2 files read into what the app keeps (tests/data/oneroster-*)."""

import shutil
from pathlib import Path

import pytest

from seop_tui.imports.fields import ImportInvalid
from seop_tui.imports.oneroster import parse_roster, read_source

DATA = Path(__file__).resolve().parents[1] / "data"


def parsed(name: str):
    return parse_roster(read_source(DATA / name))


def test_a_1_1_folder_gives_schools_people_and_enrollments():
    roster = parsed("oneroster-1.1")
    assert roster.version == "1.1"
    assert [(s.sourced_id, s.code, s.name) for s in roster.schools] == [
        ("org-dhs", "DHS", "Desert Hills High"), ("org-rve", "RVE", "River View Elementary")]
    people = {p.sourced_id: p for p in roster.people}
    assert people["u-s1"].kind == "student" and people["u-s1"].grade == 10 and people["u-s1"].number == "9100001"
    assert people["u-s3"].grade == 0 and people["u-s4"].grade == 3  # KG, and 3 read as 03
    assert people["u-s4"].active is True  # enabledUser "yes"
    assert people["u-s2"].agent_ids == ("u-p2", "u-p3")
    assert (people["u-p3"].kind, people["u-p3"].role) == ("guardian", "relative")
    assert (people["u-t1"].kind, people["u-t1"].role, people["u-t1"].username) == ("staff", "teacher", "tara.wells")
    assert "u-a1" not in people  # an aide
    assert [(e.class_id, e.user_id, e.role) for e in roster.enrollments][:2] == [("c-1", "u-t1", "teacher"), ("c-1", "u-s1", "student")]
    assert roster.enrollments_in_full


def test_lines_left_out_say_why():
    skipped = [str(p) for p in parsed("oneroster-1.1").skipped]
    assert skipped == [
        "orgs.csv line 5: type 'department': only schools are kept",
        "users.csv line 12: role aide: not a user of the app",
        "enrollments.csv line 9: role 'aide': only teachers and students make a class roster",
    ]


def test_to_be_deleted_and_not_enabled_people_are_inactive():
    people = {p.sourced_id: p for p in parsed("oneroster-1.1-day2").people}
    assert people["u-s2"].active is False and people["u-s4"].active is False and people["u-s1"].active is True


def test_a_1_2_folder_takes_roles_and_preferred_names():
    roster = parsed("oneroster-1.2")
    assert roster.version == "1.2"
    people = {p.sourced_id: p for p in roster.people}
    assert people["m-s1"].preferred_name == "Jonny" and people["m-s1"].org_ids == ("org-ms",)
    assert people["m-c1"].role == "counselor" and people["m-p1"].role == "administrator"
    assert people["m-t1"].role == "teacher"  # its primary role; the secondary aide role is not used
    assert people["m-g1"].kind == "guardian"
    assert roster.schools[0].code == "DHMS"  # the identifier upper-cased as a school code


def test_a_zip_reads_like_its_folder(tmp_path):
    archive = shutil.make_archive(str(tmp_path / "roster"), "zip", DATA / "oneroster-1.2")
    assert parse_roster(read_source(Path(archive))).people == parsed("oneroster-1.2").people


def test_every_bad_line_is_named_with_its_field():
    with pytest.raises(ImportInvalid) as caught:
        parsed("oneroster-bad")
    assert caught.value.lines() == [
        "users.csv line 3: enabledUser 'maybe' is not true or false",
        "users.csv line 4: givenName is empty",
        "users.csv line 5: grades 'Year 3' is not a grade (KG, 01-12)",
        "users.csv line 6: status 'archived' is not active or tobedeleted",
        "users.csv line 7: role 'janitor' is not a OneRoster role",
    ]


def test_a_repeated_student_number_names_both_lines(tmp_path):
    shutil.copytree(DATA / "oneroster-1.1", tmp_path / "r")
    users = tmp_path / "r" / "users.csv"
    users.write_text(users.read_text(encoding="utf-8-sig").replace(",9100002,", ",9100001,"), encoding="utf-8")
    with pytest.raises(ImportInvalid, match="users.csv line 3: identifier '9100001' is also on line 2"):
        parse_roster(read_source(tmp_path / "r"))


def test_missing_files_and_non_utf8_text_are_refused(tmp_path):
    (tmp_path / "orgs.csv").write_text("sourcedId,name,type,identifier\n")
    with pytest.raises(ImportInvalid, match="users.csv: not found"):
        read_source(tmp_path)
    (tmp_path / "users.csv").write_bytes(b"sourcedId,givenName\nu1,Jos\xe9\n")
    with pytest.raises(ImportInvalid, match="users.csv line 2: is not UTF-8"):
        read_source(tmp_path)


def test_a_1_2_export_without_roles_is_refused(tmp_path):
    shutil.copytree(DATA / "oneroster-1.2", tmp_path / "r")
    (tmp_path / "r" / "roles.csv").unlink()
    with pytest.raises(ImportInvalid, match="roles.csv: not found"):
        parse_roster(read_source(tmp_path / "r"))
