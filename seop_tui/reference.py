"""The district's reference data: typed objects loaded from the YAML files in data/.

Every file is read with the safe YAML loader (yaml.CSafeLoader when libyaml is there) and converted with msgspec, which checks
types and unknown keys and reports the key path of the first problem. A
district may point the app at its own folder; a file found there replaces the
shipped file of the same name.

Start-up speed: the reference last loaded from each data folder is kept,
already checked, in the user's cache folder (msgpack, decoded in about a
millisecond instead of parsing YAML), one file per folder so that loading
another folder (a district's, a test's) does not evict it. It holds a copy of
every data file it came from and is used only while each of them (and every
override that could replace one), this module and the app version are byte for
byte the same; the YAML files stay the source of truth and anything wrong with
them is reported exactly as without a cache.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import msgspec

from seop_tui import __version__
from seop_tui.paths import shipped_data_dir

Riasec = Literal["R", "I", "A", "S", "E", "C"]
RIASEC_ORDER: tuple[str, ...] = ("R", "I", "A", "S", "E", "C")
ConferenceKind = Literal["individual", "small_group", "parent_requested"]
PathwayLevel = Literal["explorer", "concentrator", "completer"]


class DataFileError(Exception):
    """A data file is missing, unreadable or does not have the expected shape."""


class Strict(msgspec.Struct, forbid_unknown_fields=True, kw_only=True, frozen=True):
    pass


# ---------------------------------------------------------------- district.yaml


class ConferenceRequirement(Strict):
    kind: ConferenceKind
    count: int

    def __post_init__(self) -> None:
        if self.count < 1:
            raise ValueError("count must be 1 or more")


class GradeBand(Strict):
    code: Literal["SEP", "SEOP"]
    name: str
    first_grade: int  # 0 is kindergarten
    last_grade: int
    conferences: tuple[ConferenceRequirement, ...]

    def __post_init__(self) -> None:
        if not 0 <= self.first_grade <= self.last_grade <= 12:
            raise ValueError("grades must satisfy 0 <= first_grade <= last_grade <= 12")

    def covers(self, grade: int) -> bool:
        return self.first_grade <= grade <= self.last_grade


class SchoolYearDates(Strict):
    starts: str  # "MM-DD"
    ends: str  # "MM-DD", in the following calendar year

    def __post_init__(self) -> None:
        for value in (self.starts, self.ends):
            month, _, day = value.partition("-")
            if not (month.isdigit() and day.isdigit() and 1 <= int(month) <= 12 and 1 <= int(day) <= 31):
                raise ValueError(f"expected a month and day as MM-DD, got {value!r}")


class IdleTimeouts(Strict):
    student_minutes: int = 5
    staff_minutes: int = 15


class DistrictSettings(Strict):
    name: str
    grade_bands: tuple[GradeBand, ...]
    small_group_max: int
    cluster_required_by_grade: int
    school_year: SchoolYearDates
    idle_timeouts: IdleTimeouts = IdleTimeouts()
    cluster_framework: str = "utah-13"  # file name under clusters/, without .yaml
    student_credential: Literal["pin", "password"] = "pin"
    staff_password_min_length: int = 12

    def band_for(self, grade: int) -> GradeBand:
        for band in self.grade_bands:
            if band.covers(grade):
                return band
        raise ValueError(f"no grade band covers grade {grade}")


# ---------------------------------------------------------- clusters/<name>.yaml


class Pathway(Strict):
    code: str
    name: str
    occupations: tuple[str, ...] = ()
    riasec: tuple[Riasec, ...] = ()  # empty: same as its cluster


class Cluster(Strict):
    code: str
    name: str
    description: str
    riasec: tuple[Riasec, ...]  # most typical first
    occupations: tuple[str, ...]
    pathways: tuple[Pathway, ...]


class ClusterFramework(Strict):
    name: str
    source: str
    clusters: tuple[Cluster, ...]

    def cluster(self, code: str) -> Cluster | None:
        return next((c for c in self.clusters if c.code == code), None)

    def pathway(self, code: str) -> tuple[Cluster, Pathway] | None:
        for cluster in self.clusters:
            for pathway in cluster.pathways:
                if pathway.code == code:
                    return cluster, pathway
        return None


# ------------------------------------------------------------------ courses.yaml


class Course(Strict):
    code: str
    name: str
    credits: float
    grades: tuple[int, ...]
    area: str  # a requirement area code
    subarea: str | None = None  # a requirement sub-area code, e.g. fine_arts
    pathway: str | None = None  # a pathway code from the cluster framework
    level: PathwayLevel | None = None
    description: str = ""


class CourseCatalog(Strict, dict=True):  # dict=True: cached_property needs a __dict__
    courses: tuple[Course, ...]

    @functools.cached_property
    def by_code(self) -> dict[str, Course]:
        return {c.code: c for c in self.courses}


# ------------------------------------------------------------- requirements.yaml


class RequirementSubarea(Strict):
    code: str
    name: str
    credits: float


class RequirementArea(Strict):
    code: str
    name: str
    credits: float
    subareas: tuple[RequirementSubarea, ...] = ()


class RequirementSet(Strict):
    code: str
    name: str
    total: float
    areas: tuple[RequirementArea, ...]
    elective_area: str = "electives"  # where credits beyond an area's need are counted


class RequirementRule(Strict):
    set: str
    schools: tuple[str, ...] = ("*",)  # school codes, "*" for any
    cohort_from: int | None = None  # first year entering grade 9, inclusive
    cohort_to: int | None = None  # last year entering grade 9, inclusive


class GraduationRequirements(Strict):
    sets: tuple[RequirementSet, ...]
    rules: tuple[RequirementRule, ...]  # first match wins

    def set_for(self, school_code: str, cohort: int) -> RequirementSet:
        for rule in self.rules:
            if "*" not in rule.schools and school_code not in rule.schools:
                continue
            if rule.cohort_from is not None and cohort < rule.cohort_from:
                continue
            if rule.cohort_to is not None and cohort > rule.cohort_to:
                continue
            return next(s for s in self.sets if s.code == rule.set)
        raise LookupError(f"no graduation requirement rule matches school {school_code} cohort {cohort}")


# ----------------------------------------------------------------- inventory.yaml


class ScalePoint(Strict):
    value: int
    label: str


class AreaInfo(Strict):
    code: Riasec
    name: str
    summary: str  # plain words a 12-year-old understands


class InventoryItem(Strict):
    id: str
    area: Riasec
    text: str


class InventoryScoring(Strict):
    code_length: int = 3
    # Equal scores: the area with more answers at the top of the scale comes
    # first; if still equal, the area earlier in tie_order comes first.
    tie_order: tuple[Riasec, ...] = ("R", "I", "A", "S", "E", "C")


class Inventory(Strict):
    name: str
    instructions: str
    scale: tuple[ScalePoint, ...]
    areas: tuple[AreaInfo, ...]
    items: tuple[InventoryItem, ...]
    scoring: InventoryScoring = InventoryScoring()


# --------------------------------------------------------------- assessments.yaml


class ProficiencyLevel(Strict):
    level: int
    name: str


class AssessmentSubject(Strict):
    code: str
    name: str
    grades: tuple[int, ...]


class Assessment(Strict):
    code: str
    name: str
    description: str
    subjects: tuple[AssessmentSubject, ...]
    score_range: tuple[int, int] | None = None  # scale scores, e.g. ACT 1-36


class Assessments(Strict):
    levels: tuple[ProficiencyLevel, ...]
    assessments: tuple[Assessment, ...]


# ------------------------------------------------------------------------ loading


@dataclass(frozen=True)
class Reference:
    """All reference data the app needs, loaded and cross-checked."""

    district: DistrictSettings
    clusters: ClusterFramework
    courses: CourseCatalog
    requirements: GraduationRequirements
    inventory: Inventory
    assessments: Assessments
    source: str  # where it was loaded from, for messages


def _candidates(name: str, override: Path | None) -> list[Path]:
    """Where `name` may be, the district's folder first."""
    return [*([override / name] if override else []), shipped_data_dir() / name]


def _read(name: str, override: Path | None, seen: dict[str, bytes | None] | None = None) -> tuple[Path, object]:
    """The file's parsed YAML; `seen` collects each file looked at and what it held (None: absent)."""
    import io

    import yaml  # only when the cache cannot be used: parsing is most of the load time

    seen = {} if seen is None else seen
    candidates = _candidates(name, override)
    for path in candidates:
        try:
            data = path.read_bytes()
            break
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            seen[str(path.absolute())] = None
        except OSError as exc:
            raise DataFileError(f"{path}: cannot be read: {exc}") from None
    else:
        raise DataFileError(f"{name}: file not found (looked in {', '.join(str(p.parent) for p in candidates)})")
    seen[str(path.absolute())] = data
    try:
        text = io.StringIO(data.decode("utf-8"))
        text.name = str(path)  # YAML error messages name the file
        # The C safe loader when available: the same safe subset of YAML, ten times faster.
        return path, yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise DataFileError(f"{path}: not valid YAML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise DataFileError(f"{path}: cannot be read: {exc}") from None


def load_file(name: str, kind: type[msgspec.Struct], override: Path | None = None, seen: dict[str, bytes | None] | None = None):
    """Load one data file into `kind`; errors name the file and the key path."""
    path, raw = _read(name, override, seen)
    try:
        return msgspec.convert(raw, kind)
    except msgspec.ValidationError as exc:
        # msgspec writes paths as `$.clusters[0].name`; show them as key paths.
        raise DataFileError(f"{path}: {_readable(str(exc), kind)}") from None


def _readable(message: str, kind: type | None = None) -> str:
    text, sep, where = message.rpartition(" - at `")
    if not sep:
        return message
    key_path = where.rstrip("`").removeprefix("$").lstrip(".") or "(top level)"
    if kind is not None and text.startswith("Invalid enum value"):
        # msgspec does not say which values a Literal field accepts; add them.
        allowed = _literal_values(kind, key_path)
        if allowed:
            text += f" (expected one of: {', '.join(map(repr, allowed))})"
    return f"at {key_path}: {text}"


def _literal_values(kind: type, key_path: str) -> tuple | None:
    """The values a Literal field at `key_path` (e.g. `bands[1].kind`) accepts."""
    from msgspec import inspect as mi  # only needed when a file is broken

    def unwrap(t):  # `X | None` -> X
        if isinstance(t, mi.UnionType):
            rest = [u for u in t.types if not isinstance(u, mi.NoneType)]
            return rest[0] if len(rest) == 1 else t
        return t

    t = mi.type_info(kind)
    for name, index in re.findall(r"(\w+)|\[(\d+)\]", key_path):
        t = unwrap(t)
        if name and isinstance(t, mi.StructType):
            t = next((f.type for f in t.fields if f.encode_name == name), None)
        elif index and isinstance(t, (mi.VarTupleType, mi.ListType)):
            t = t.item_type
        elif index and isinstance(t, mi.TupleType) and int(index) < len(t.item_types):
            t = t.item_types[int(index)]
        else:
            return None
    t = unwrap(t)
    return t.values if isinstance(t, mi.LiteralType) else None


def load_reference(override: Path | None = None) -> Reference:
    cached = _from_cache(override)
    if cached is not None:
        return cached
    seen: dict[str, bytes | None] = {}
    district = load_file("district.yaml", DistrictSettings, override, seen)
    ref = Reference(
        district=district,
        clusters=load_file(f"clusters/{district.cluster_framework}.yaml", ClusterFramework, override, seen),
        courses=load_file("courses.yaml", CourseCatalog, override, seen),
        requirements=load_file("requirements.yaml", GraduationRequirements, override, seen),
        inventory=load_file("inventory.yaml", Inventory, override, seen),
        assessments=load_file("assessments.yaml", Assessments, override, seen),
        source=str(override or shipped_data_dir()),
    )
    for problem in cross_check(ref):
        raise DataFileError(problem)
    _to_cache(ref, override, seen)
    return ref


# ------------------------------------------------------------------ the cache


class _Cached(msgspec.Struct, array_like=True):
    names: tuple[str, ...]  # the data files it was loaded from
    files: dict[str, bytes | None]  # every file looked at, as it was (None: absent), see _sources
    district: DistrictSettings
    clusters: ClusterFramework
    courses: CourseCatalog
    requirements: GraduationRequirements
    inventory: Inventory
    assessments: Assessments
    source: str


CACHES_KEPT = 8  # one per data folder recently loaded; older ones are removed


def cache_dir() -> Path:
    if sys.platform.startswith("linux"):  # the XDG rule, without importing platformdirs (slow to import)
        base = os.environ.get("XDG_CACHE_HOME", "").strip()
        folder = Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache"
        return folder / "seop-tui"
    from platformdirs import user_cache_path

    return user_cache_path("seop-tui", appauthor=False)


def cache_path(override: Path | None = None) -> Path:
    """The cache for the data found through `override` (and the shipped folder).

    Named by a checksum of the folders (zlib is loaded anyway; hashlib is not): folders
    with the same checksum would only share a file, whose content is checked anyway.
    """
    import zlib

    folders = f"{shipped_data_dir()}\0{override.absolute() if override else ''}"
    return cache_dir() / f"reference-{zlib.crc32(folders.encode()):08x}.msgpack"


def _with_code(seen: dict[str, bytes | None]) -> dict[str, bytes | None]:
    """The files looked at, plus the code and versions that turned them into objects."""
    return {**seen, "(code)": Path(__file__).read_bytes(), "(versions)": f"{__version__} {msgspec.__version__}".encode()}


def _look(names: tuple[str, ...], override: Path | None) -> dict[str, bytes | None]:
    """The files `names` would be read from now, recorded as `_read` records them."""
    seen: dict[str, bytes | None] = {}
    for name in names:
        for path in _candidates(name, override):
            try:
                seen[str(path.absolute())] = path.read_bytes()
                break
            except OSError:
                seen[str(path.absolute())] = None
    return seen


def _from_cache(override: Path | None) -> Reference | None:
    path = cache_path(override)
    try:
        cached = msgspec.msgpack.decode(path.read_bytes(), type=_Cached)
        if cached.files != _with_code(_look(cached.names, override)):
            return None
    except Exception:  # missing, unreadable, or written by other code: read the YAML instead
        return None
    _mark_used(path)
    return Reference(
        district=cached.district,
        clusters=cached.clusters,
        courses=cached.courses,
        requirements=cached.requirements,
        inventory=cached.inventory,
        assessments=cached.assessments,
        source=cached.source,
    )


def _to_cache(ref: Reference, override: Path | None, seen: dict[str, bytes | None]) -> None:
    """Keep `ref` for the next start; a cache that cannot be written is simply not kept."""
    import tempfile

    names = ("district.yaml", f"clusters/{ref.district.cluster_framework}.yaml", "courses.yaml", "requirements.yaml", "inventory.yaml", "assessments.yaml")
    cached = _Cached(names, _with_code(seen), ref.district, ref.clusters, ref.courses, ref.requirements, ref.inventory, ref.assessments, ref.source)
    path = cache_path(override)
    with contextlib.suppress(OSError):
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".reference.", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(msgspec.msgpack.encode(cached))
            os.replace(tmp, path)  # whole or not at all, even with many sessions starting at once
        except OSError:
            os.unlink(tmp)
            raise
        _remove_old_caches(path)


def _mark_used(path: Path) -> None:
    """Renew a cache's modification time (at most daily), so pruning keeps the folders in use."""
    import time

    with contextlib.suppress(OSError):
        if time.time() - path.stat().st_mtime > 86_400:
            os.utime(path)


def _remove_old_caches(written: Path) -> None:
    """Keep `written` and the most recently used other caches, CACHES_KEPT in all
    (tests and trials load many folders)."""
    caches = []
    for path in written.parent.glob("reference-*.msgpack"):
        with contextlib.suppress(OSError):
            if path != written:
                caches.append((path.stat().st_mtime, path))
    caches.sort(reverse=True)
    for _, path in caches[CACHES_KEPT - 1 :]:
        with contextlib.suppress(OSError):
            path.unlink()


def cross_check(ref: Reference) -> list[str]:
    """References between files that types alone cannot check."""
    problems: list[str] = []
    set_codes = {s.code for s in ref.requirements.sets}
    for i, rule in enumerate(ref.requirements.rules):
        if rule.set not in set_codes:
            problems.append(f"requirements.yaml: at rules[{i}].set: unknown requirement set {rule.set!r}")
    areas = {a.code for s in ref.requirements.sets for a in s.areas}
    subareas = {sa.code for s in ref.requirements.sets for a in s.areas for sa in a.subareas}
    for i, course in enumerate(ref.courses.courses):
        if course.area not in areas:
            problems.append(f"courses.yaml: at courses[{i}].area: unknown requirement area {course.area!r}")
        if course.subarea is not None and course.subarea not in subareas:
            problems.append(f"courses.yaml: at courses[{i}].subarea: unknown requirement sub-area {course.subarea!r}")
        if (course.pathway is None) != (course.level is None):
            problems.append(f"courses.yaml: at courses[{i}]: pathway and level go together")
    codes = [item.id for item in ref.inventory.items]
    if len(codes) != len(set(codes)):
        problems.append("inventory.yaml: at items: item ids must be unique")
    counts = {area: sum(1 for item in ref.inventory.items if item.area == area) for area in RIASEC_ORDER}
    if len(set(counts.values())) != 1:
        problems.append(f"inventory.yaml: at items: every area needs the same number of items, found {counts}")
    return problems


@functools.lru_cache(maxsize=4)
def reference(override: str | None = None) -> Reference:
    """Cached loader: one parse per process for a given data folder."""
    return load_reference(Path(override) if override else None)
