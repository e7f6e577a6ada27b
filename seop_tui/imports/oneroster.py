"""OneRoster 1.1 and 1.2 CSV rosters (1EdTech): a folder or .zip of CSV files.

`read_source` gathers the files' text; `parse_roster` checks every line and
returns what the app keeps (schools, students, guardians, staff, class
enrolments) or raises ImportInvalid listing each problem by file, line and
field. Lines the app has no use for (an aide, a department) are kept in
`skipped` with the reason, so the summary can say why they were left out.
Cross-checks that need the database (is this org a school already on file?)
are the service's (seop_tui/services/imports.py).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from seop_tui.imports.fields import (
    FieldError,
    ImportInvalid,
    Problem,
    Row,
    boolean,
    grade,
    id_list,
    identifier,
    read_rows,
    show,
    status,
    text_field,
)

FILES = ("manifest.csv", "orgs.csv", "users.csv", "roles.csv", "classes.csv", "enrollments.csv")
MAX_FILE_BYTES = 200 * 1024 * 1024
GUARDIAN_ROLES = ("parent", "guardian", "relative")
STAFF_ROLES = {  # OneRoster role (lower case) -> the app's staff role
    "teacher": "teacher",
    "counselor": "counselor",
    "principal": "administrator",
    "administrator": "administrator",
    "siteadministrator": "administrator",
    "districtadministrator": "administrator",
}
UNUSED_ROLES = ("aide", "proctor", "systemadministrator")
ENROLLED_ROLES = ("student", "teacher")


@dataclass(frozen=True)
class School:
    line: int
    sourced_id: str
    active: bool
    name: str
    code: str  # the org's identifier


@dataclass(frozen=True)
class Person:
    line: int
    sourced_id: str
    active: bool  # status active and enabledUser true
    kind: str  # student | guardian | staff
    role: str  # staff: teacher | counselor | administrator; guardian: parent | guardian | relative
    org_ids: tuple[str, ...]  # primary org first
    username: str
    given_name: str
    family_name: str
    preferred_name: str
    number: str  # identifier: the student number
    email: str
    phone: str
    agent_ids: tuple[str, ...]
    grade: int | None


@dataclass(frozen=True)
class Enrollment:
    line: int
    active: bool
    class_id: str
    user_id: str
    role: str  # student | teacher


@dataclass
class Roster:
    version: str  # "1.1" | "1.2"
    schools: list[School] = field(default_factory=list)
    other_org_ids: set[str] = field(default_factory=set)  # the district and other orgs that are not schools
    people: list[Person] = field(default_factory=list)
    class_ids: set[str] | None = None  # None: no classes.csv
    enrollments: list[Enrollment] = field(default_factory=list)
    enrollments_in_full: bool = True  # False when the manifest says enrollments.csv is a delta
    skipped: list[Problem] = field(default_factory=list)


# -- the files -------------------------------------------------------------------------


def read_source(path: Path) -> dict[str, str]:
    """The roster files in a folder or .zip, by lower-case file name (UTF-8, BOM tolerated)."""
    texts: dict[str, str] = {}
    if path.is_dir():
        found = {p.name.lower(): p for p in path.iterdir() if p.is_file()}
        for name in FILES:
            if name in found:
                texts[name] = _decode(name, found[name].read_bytes())
    elif zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = {Path(i.filename).name.lower(): i for i in archive.infolist() if not i.is_dir()}
            for name in FILES:
                info = members.get(name)
                if info is None:
                    continue
                if info.file_size > MAX_FILE_BYTES:
                    raise ImportInvalid([Problem(name, None, f"larger than {MAX_FILE_BYTES // 2**20} MB")])
                texts[name] = _decode(name, archive.read(info))
    else:
        raise ImportInvalid([Problem(str(path), None, "is neither a folder nor a .zip file")])
    for name in ("orgs.csv", "users.csv"):
        if name not in texts:
            raise ImportInvalid([Problem(name, None, f"not found in {path}")])
    return texts


def _decode(name: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportInvalid([Problem(name, line, "is not UTF-8 text (save the file as UTF-8)")]) from None


# -- parsing ---------------------------------------------------------------------------


def parse_roster(texts: dict[str, str]) -> Roster:
    """Every line checked; raises ImportInvalid with all the problems found."""
    problems: list[Problem] = []
    manifest = _manifest(texts.get("manifest.csv"), problems)
    users_header = texts["users.csv"].removeprefix("\ufeff").split("\n", 1)[0].lower()
    version = manifest.get("oneroster.version", "")
    if not version:
        version = "1.2" if "roles.csv" in texts and "role" not in [c.strip() for c in users_header.split(",")] else "1.1"
    if version not in ("1.1", "1.2"):
        raise ImportInvalid([Problem("manifest.csv", None, f"oneroster.version {show(version)} is not 1.1 or 1.2")])
    roster = Roster(version=version, enrollments_in_full=manifest.get("file.enrollments", "bulk").lower() != "delta")
    _orgs(texts["orgs.csv"], roster, problems)
    roles = _roles(texts.get("roles.csv"), problems) if version == "1.2" else None
    if version == "1.2" and roles is None:
        problems.append(Problem("roles.csv", None, "not found (OneRoster 1.2 keeps each person's role there)"))
    _users(texts["users.csv"], roster, roles or {}, problems)
    if "classes.csv" in texts:
        roster.class_ids = _classes(texts["classes.csv"], problems)
    if "enrollments.csv" in texts:
        _enrollments(texts["enrollments.csv"], roster, problems)
    if problems:
        raise ImportInvalid(problems)
    return roster


def _each(name: str, text: str | None, required: tuple[str, ...], problems: list[Problem], handle: Callable[[Row], None]) -> None:
    """Call `handle` for each row, turning its FieldError into a problem on that line."""
    if text is None:
        return
    rows, found = read_rows(name, text, required)
    problems.extend(found)
    for row in rows:
        try:
            handle(row)
        except FieldError as exc:
            problems.append(Problem(name, row.line, str(exc)))


def _manifest(text: str | None, problems: list[Problem]) -> dict[str, str]:
    out: dict[str, str] = {}
    _each("manifest.csv", text, ("propertyName", "value"), problems, lambda r: out.__setitem__(r.get("propertyName").lower(), r.get("value")))
    return out


def _orgs(text: str, roster: Roster, problems: list[Problem]) -> None:
    def handle(row: Row) -> None:
        sourced_id = identifier(row, "sourcedId")
        kind = row.get("type").lower()
        active = status(row) == "active"
        if kind != "school":
            roster.other_org_ids.add(sourced_id)
            if kind != "district":
                roster.skipped.append(Problem("orgs.csv", row.line, f"type {show(row.get('type'))}: only schools are kept"))
            return
        name = text_field(row, "name", required=True)
        code = identifier(row, "identifier").upper()
        roster.schools.append(School(row.line, sourced_id, active, name, code))

    _each("orgs.csv", text, ("sourcedId", "name", "type", "identifier"), problems, handle)


def _roles(text: str | None, problems: list[Problem]) -> dict[str, list[tuple[bool, str, str]]] | None:
    """1.2 roles.csv: user sourcedId -> [(primary, role, org sourcedId)], active rows only."""
    if text is None:
        return None
    out: dict[str, list[tuple[bool, str, str]]] = {}

    def handle(row: Row) -> None:
        if status(row) != "active":
            return
        role_type = row.get("roleType").lower()
        if role_type not in ("primary", "secondary"):
            raise FieldError(f"roleType {show(row.get('roleType'))} is not primary or secondary")
        out.setdefault(identifier(row, "userSourcedId"), []).append(
            (role_type == "primary", row.get("role").lower(), identifier(row, "orgSourcedId"))
        )

    _each("roles.csv", text, ("userSourcedId", "roleType", "role", "orgSourcedId"), problems, handle)
    for entries in out.values():
        entries.sort(key=lambda e: not e[0])  # the primary role first
    return out


def _role_and_orgs(row: Row, version: str, roles: dict) -> tuple[str, tuple[str, ...]]:
    if version == "1.1":
        return row.get("role").lower(), id_list(row, "orgSourcedIds")
    entries = roles.get(row.get("sourcedId"), [])
    if not entries:
        raise FieldError(f"sourcedId {show(row.get('sourcedId'))} has no active role in roles.csv")
    role = entries[0][1]
    orgs = [e[2] for e in entries if e[1] == role]
    primary = row.get("primaryOrgSourcedId")
    if primary and primary in orgs:
        orgs.remove(primary)
        orgs.insert(0, primary)
    return role, tuple(dict.fromkeys(orgs))


def _users(text: str, roster: Roster, roles: dict, problems: list[Problem]) -> None:
    known_roles = (*STAFF_ROLES, *GUARDIAN_ROLES, *UNUSED_ROLES, "student")

    def handle(row: Row) -> None:
        sourced_id = identifier(row, "sourcedId")
        role, orgs = _role_and_orgs(row, roster.version, roles)
        if role not in known_roles:
            raise FieldError(f"role {show(role)} is not a OneRoster role")
        if role in UNUSED_ROLES:
            roster.skipped.append(Problem("users.csv", row.line, f"role {role}: not a user of the app"))
            return
        active = status(row) == "active" and boolean(row, "enabledUser", default=True)
        kind = "student" if role == "student" else "guardian" if role in GUARDIAN_ROLES else "staff"
        given, family = text_field(row, "givenName", required=True), text_field(row, "familyName", required=True)
        preferred = text_field(row, "preferredGivenName")
        number = text_field(row, "identifier", required=kind == "student")
        grades = [g for g in (p.strip() for p in row.get("grades").split(",")) if g]
        level = None
        if kind == "student":
            if not grades:
                raise FieldError("grades is empty (a student's grade: KG, 01-12)")
            if len(grades) > 1:
                raise FieldError(f"grades {show(row.get('grades'))} lists more than one grade for a student")
            level = grade(grades[0])
            if not orgs:
                raise FieldError("orgSourcedIds is empty (the student's school)")
        username = row.get("username").lower()
        if kind == "staff" and not username:
            raise FieldError("username is empty (staff sign in with it)")
        roster.people.append(
            Person(
                row.line, sourced_id, active, kind, STAFF_ROLES.get(role, role), orgs, username, given, family,
                preferred, number, text_field(row, "email"), text_field(row, "phone"), id_list(row, "agentSourcedIds"), level,
            )
        )

    required = ("sourcedId", "givenName", "familyName", *(("role",) if roster.version == "1.1" else ()))
    _each("users.csv", text, required, problems, handle)
    _check_unique(roster.people, "users.csv", problems)


def _check_unique(people: list[Person], name: str, problems: list[Problem]) -> None:
    first: dict[tuple[str, str], int] = {}
    for p in people:
        for key in (("sourcedId", p.sourced_id), *((("identifier", p.number),) if p.kind == "student" else ())):
            if key in first:
                problems.append(Problem(name, p.line, f"{key[0]} {show(key[1])} is also on line {first[key]}"))
            else:
                first[key] = p.line


def _classes(text: str, problems: list[Problem]) -> set[str]:
    ids: set[str] = set()
    _each("classes.csv", text, ("sourcedId",), problems, lambda r: ids.add(identifier(r, "sourcedId")))
    return ids


def _enrollments(text: str, roster: Roster, problems: list[Problem]) -> None:
    def handle(row: Row) -> None:
        role = row.get("role").lower()
        active = status(row) == "active"
        class_id, user_id = identifier(row, "classSourcedId"), identifier(row, "userSourcedId")
        if role not in ENROLLED_ROLES:
            roster.skipped.append(Problem("enrollments.csv", row.line, f"role {show(role)}: only teachers and students make a class roster"))
            return
        if roster.class_ids is not None and class_id not in roster.class_ids:
            raise FieldError(f"classSourcedId {show(class_id)} is not in classes.csv")
        roster.enrollments.append(Enrollment(row.line, active, class_id, user_id, role))

    _each("enrollments.csv", text, ("classSourcedId", "userSourcedId", "role"), problems, handle)
