"""`python -m bench`: build synthetic districts and print every figure next to its target.

    python -m bench                      36,000 students, all figures (about 10 minutes)
    python -m bench --quick              a small district and short runs: a smoke test
    python -m bench --stretch            also 700,000 students (the build takes a while)
    python -m bench --lab-processes 60 --lab-seconds 60

Districts are built with `seop demo` into bench/data/ and reused while the size
and seed are the same (--rebuild and --rebuild-stretch build again and time it). Each figure with a
reference is measured in the same run as it, alternating where it can. The table
goes to the terminal and, with the machine it was taken on, to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from bench import districts, service_figures, startup
from bench import lab_load as lab

HERE = Path(__file__).resolve().parent


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--students", type=int, default=36_000, help="district size (default 36000)")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--stretch", action="store_true", help="also a 700,000-student district")
    p.add_argument("--stretch-students", type=int, default=700_000)
    p.add_argument("--lab-processes", type=int, default=60)
    p.add_argument("--lab-seconds", type=float, default=60.0)
    p.add_argument("--startup-runs", type=int, default=15)
    p.add_argument("--queries", type=int, default=300, help="search queries at the service layer")
    p.add_argument("--screen-queries", type=int, default=40, help="search queries typed on screen")
    p.add_argument("--quick", action="store_true", help="2,000 students, short runs")
    p.add_argument("--rebuild", action="store_true", help="build the district again (and time the build)")
    p.add_argument("--rebuild-stretch", action="store_true", help="build the 700,000-student district again")
    p.add_argument("--only", default="", help="comma-separated parts: startup,memory,search,caseload,reports,lab,stretch")
    p.add_argument("--results", type=Path, default=HERE / "RESULTS.md")
    args = p.parse_args(argv)
    if args.quick:
        args.students, args.lab_processes, args.lab_seconds = 2_000, 8, 10.0
        args.startup_runs, args.queries, args.screen_queries = 3, 60, 8
        args.stretch = False
        if args.results == HERE / "RESULTS.md":
            args.results = HERE / "data" / "RESULTS-quick.md"
    return args


# -- the machine ------------------------------------------------------------------------------


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model or platform.processor() or "unknown",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "textual": _version("textual"),
        "platform": platform.platform(),
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
    }


def _version(package: str) -> str:
    from importlib.metadata import version

    try:
        return version(package)
    except Exception:
        return "?"


def load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


# -- sessions in their own processes --------------------------------------------------------------


def session(*args: str, timeout: float = 900) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "bench.session_worker", *args], capture_output=True, text=True, timeout=timeout, cwd=HERE.parent
    )
    try:
        out = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        out = {"error": (done.stderr or done.stdout).strip()[-500:]}
    if "error" in out:
        print(f"  session {args[0]} failed: {out['error']}", file=sys.stderr)
    return out


# -- the table --------------------------------------------------------------------------------------


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str, str]] = []
        self.notes: list[str] = []

    def add(self, figure: str, measured: str, reference: str = "", target: str = "", verdict: bool | None = None) -> None:
        mark = "" if verdict is None else ("meets" if verdict else "MISSES")
        self.rows.append((figure, measured, reference, target, mark))
        print(f"  {figure}: {measured}" + (f" (reference {reference})" if reference else "") + (f"; target {target} {mark}" if target else ""), flush=True)

    def text(self) -> str:
        head = ("Figure", "Measured", "Reference (same run)", "Target", "")
        widths = [max(len(r[i]) for r in [head, *self.rows]) for i in range(5)]
        lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in [head, *self.rows]]
        return "\n".join([lines[0], "-" * len(lines[0]), *lines[1:]])

    def markdown(self) -> str:
        out = ["| Figure | Measured | Reference (same run) | Target | |", "|---|---|---|---|---|"]
        out += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in self.rows]
        return "\n".join(out)


def ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{1000 * seconds:.0f} ms"


def secs(seconds: float | None) -> str:
    return "-" if seconds is None else (f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.0f} s")


def median_of(runs: list[dict], key: str) -> float | None:
    values = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(values) if values else None


# -- the run --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    only = {p.strip() for p in args.only.split(",") if p.strip()}

    def wanted(part: str) -> bool:
        return not only or part in only

    from seop_tui.reference import load_reference
    from seop_tui.storage import open_store

    compiled = compile_sources()
    info = machine()
    print(f"seop benchmarks on {info['cpus']} x {info['cpu_model']}, Python {info['python']}, SQLite {info['sqlite']}; load {load()}")
    table = Table()
    figures: dict = {"machine": info, "load_at_start": load()}

    print(f"District of {args.students:,} students (seed {args.seed}) ...", flush=True)
    district = districts.district(args.students, args.seed, rebuild=args.rebuild)
    when = "this run" if district.built_now else f"built {district.built_at}"
    table.add(f"Demo build, {args.students:,} students", f"{secs(district.build_seconds)} ({when})", "", "")
    figures["build_s"] = district.build_seconds

    if wanted("startup"):
        print("Start-up against the empty Textual app ...", flush=True)
        try:
            found = startup.measure(district.path, runs=args.startup_runs)
        except RuntimeError as exc:  # no tmux
            table.notes.append(f"Start-up not measured: {exc}.")
            found = None
        if found:
            found["load"] = load().split()[0]
        figures["startup"] = found
    if wanted("startup") and figures.get("startup"):
        found = figures["startup"]
        table.add(
            f"Start-up to the sign-in screen (median of {found['runs']}, alternating)",
            f"{found['seop_s']:.3f} s = {found['ratio']:.2f} x (pairs {found['ratio_of_pairs']:.2f}, load {found['load']})",
            f"empty app {found['empty_s']:.3f} s",
            "<= 1.3 x",
            found["ratio"] <= 1.3,
        )

    ref = load_reference()
    store = open_store(district.path)
    with store.write():  # one-off imports (sqlite-utils) are not part of any figure below
        pass
    caseload_size = service_figures.set_caseload(store, "counselor", 400)
    seop_band = next(b for b in ref.district.grade_bands if b.code == "SEOP")
    school_id, school_name, school_students = service_figures.largest_school(store, (seop_band.first_grade, seop_band.last_grade))

    if wanted("reports"):
        print("Compliance reports ...", flush=True)
        cold = service_figures.compliance(store, ref, "admin", "SEOP", cold=True)
        cold_sep = service_figures.compliance(store, ref, "admin", "SEP", cold=True, csv=False)
        warm = [service_figures.compliance(store, ref, "admin", "SEOP") for _ in range(5)]
        warm_sep = [service_figures.compliance(store, ref, "admin", "SEP") for _ in range(5)]
        school = [service_figures.compliance(store, ref, "admin", "SEOP", school_id=school_id) for _ in range(5)]
        figures["reports"] = {"cold_seop": cold, "cold_sep": cold_sep, "seop": warm, "sep": warm_sep, "school": school}
        r, c = median_of(warm, "report_s"), median_of(warm, "csv_s")
        table.add(f"District compliance report, SEOP ({cold['students']:,} students)", secs(r), "", "<= 1 s", r <= 1.0)
        table.add("  + its CSV export", secs(c), "", "<= 1 s with the report", r + c <= 1.0)
        r2, c2 = median_of(warm_sep, "report_s"), median_of(warm_sep, "csv_s")
        table.add(f"District compliance report, SEP ({cold_sep['students']:,} students)", secs(r2), "", "<= 1 s", r2 <= 1.0)
        table.add("  + its CSV export", secs(c2), "", "<= 1 s with the report", r2 + c2 <= 1.0)
        table.add(
            "  first report after a rules or data change (nothing kept)",
            f"SEOP {secs(cold['report_s'])}, SEP {secs(cold_sep['report_s'])}",
            "",
            "",
        )
        table.add(f"School compliance report, SEOP ({school_name}, {school[0]['students']:,})", secs(median_of(school, "report_s")), "", "", None)
        figures["school_report_s"] = median_of(school, "report_s")

    if wanted("search"):
        print("Staff search at the service layer ...", flush=True)
        queries = service_figures.search_queries(store, args.queries)
        found = service_figures.search(store, ref, "admin", queries)
        figures["search"] = found
        table.add(
            f"Search, service layer, median ({found['students_visible']:,} students, {found['queries']} queries)",
            f"{found['median_ms']:.1f} ms",
            "",
            "<= 10 ms",
            found["median_ms"] <= 10,
        )
        table.add("Search, service layer, p99", f"{found['p99_ms']:.1f} ms", "", "<= 50 ms", found["p99_ms"] <= 50)

    store.close()

    if wanted("search"):
        print("Staff search on screen ...", flush=True)
        typed = service_figures.search_queries(open_store(district.path), args.screen_queries, seed=11)
        typed = [q for q in typed if q.strip()]
        run = session("search", str(district.path), "admin", "demo-password-1", *typed)
        if "latencies" in run:
            lat = run["latencies"]
            figures["search_screen"] = run
            table.add(
                "Search on screen: last key to the list shown, median / p99",
                f"{ms(statistics.median(lat))} / {ms(service_figures.p99(lat))}",
                "",
                "no visible lag (includes a 150 ms typing pause)",
                None,
            )

    if wanted("caseload"):
        print("Caseload first render ...", flush=True)
        runs = [session("caseload", str(district.path), "counselor", "demo-password-1") for _ in range(5)]
        first = median_of(runs, "seconds")
        figures["caseload"] = runs
        if first is not None:
            table.add(f"Caseload of {caseload_size} students: dashboard shown to its table painted", ms(first), "", "<= 150 ms", first <= 0.150)
            table.add("  from sign-in accepted (first session: loads the staff screens)", ms(median_of(runs, "from_sign_in")), "", "")

    if wanted("memory"):
        print("Memory of one session ...", flush=True)
        empty = session("empty", "-")
        with _Closing(open_store(district.path)) as s:
            student_user = service_figures.editable_student(s, set())
        student = session("student", str(district.path), student_user, "1234")
        counselor = session("staff", str(district.path), "counselor", "demo-password-1", "school")
        admin = session("staff", str(district.path), "admin", "demo-password-1", "district")
        figures["memory"] = {"empty": empty, "student": student, "counselor": counselor, "admin": admin}
        ref_mib = empty.get("peak_rss_mib")
        if "peak_rss_mib" in student:
            table.add(
                f"Peak memory, student session ({len(student.get('sections', []))} sections, inventory, submit)",
                f"{student['peak_rss_mib']:.0f} MiB (private at end {student.get('private_mib_at_end') or 0:.0f})",
                f"empty app {ref_mib:.0f} MiB" if ref_mib else "",
                "<= 60 MiB",
                student["peak_rss_mib"] <= 60 and "error" not in student,
            )
        if "peak_rss_mib" in counselor:
            table.add(
                f"Peak memory, counselor: caseload + school report ({counselor.get('students', '?')} students)",
                f"{counselor['peak_rss_mib']:.0f} MiB",
                f"empty app {ref_mib:.0f} MiB" if ref_mib else "",
                "<= 120 MiB",
                counselor["peak_rss_mib"] <= 120 and "error" not in counselor,
            )
        if "peak_rss_mib" in admin:
            table.add(
                f"Peak memory, administrator: caseload + district report ({admin.get('students', '?')} students)",
                f"{admin['peak_rss_mib']:.0f} MiB",
                f"empty app {ref_mib:.0f} MiB" if ref_mib else "",
                "<= 120 MiB",
                admin["peak_rss_mib"] <= 120 and "error" not in admin,
            )

    if wanted("lab"):
        print(f"Lab load: {args.lab_processes} students saving for {args.lab_seconds:.0f} s ...", flush=True)
        copy = districts.fresh_copy(district.path, districts.DATA / "lab-copy.db")
        try:
            found = lab.run(copy, args.lab_processes, args.lab_seconds)
        finally:
            districts.remove(copy)
        figures["lab"] = found
        table.add(f"Lab load: saves by {found['processes']} processes in {found['seconds']:.0f} s", str(found["saves"]), "", "")
        table.add("  errors", str(found["errors"]), "", "0", found["errors"] == 0)
        table.add("  lost updates", str(found["lost_updates"]), "", "0", found["lost_updates"] == 0)
        table.add("  save latency p50 / p99", f"{found['p50_ms']:.0f} / {found['p99_ms']:.0f} ms", "", "p99 <= 150 ms", found["p99_ms"] <= 150)
        if found["error_examples"]:
            table.notes.append("Lab load errors, for example: " + "; ".join(found["error_examples"]))

    if args.stretch and wanted("stretch"):
        stretch(args, ref, table, figures)

    figures["load_at_end"] = load()
    print()
    print(table.text())
    write_results(args, table, figures)
    return 0


def compile_sources() -> bool:
    """Byte-compile the app's modules, as `pip install .` does: a checkout run with
    PYTHONDONTWRITEBYTECODE set would otherwise compile every module at every start."""
    import compileall

    root = HERE.parent
    return all(compileall.compile_dir(root / name, quiet=2) for name in ("seop_tui", "screens"))


class _Closing:
    def __init__(self, store):
        self.store = store

    def __enter__(self):
        return self.store

    def __exit__(self, *exc):
        self.store.close()


def stretch(args, ref, table: Table, figures: dict) -> None:
    from seop_tui.storage import open_store

    print(f"Stretch: {args.stretch_students:,} students ...", flush=True)
    big = districts.district(args.stretch_students, args.seed, rebuild=args.rebuild_stretch)
    when = "this run" if big.built_now else f"built {big.built_at}"
    table.add(f"Demo build, {args.stretch_students:,} students", f"{secs(big.build_seconds)} ({when})")
    seop_band = next(b for b in ref.district.grade_bands if b.code == "SEOP")
    base = figures.get("search", {})
    base_school = figures.get("school_report_s")
    with _Closing(open_store(big.path)) as store:
        school_id, school_name, _ = service_figures.largest_school(store, (seop_band.first_grade, seop_band.last_grade))
        service_figures.compliance(store, ref, "admin", "SEOP", school_id=school_id, csv=False)  # keeps the school's results
        queries = service_figures.search_queries(store, args.queries)
        found = service_figures.search(store, ref, "admin", queries)
        school = [service_figures.compliance(store, ref, "admin", "SEOP", school_id=school_id, csv=False) for _ in range(5)]
    figures["stretch"] = {"search": found, "school": school}
    if base:
        table.add(
            f"Search median at {found['students_visible']:,} students",
            f"{found['median_ms']:.1f} ms",
            f"{base['median_ms']:.1f} ms at {base['students_visible']:,}",
            "<= 2 x",
            found["median_ms"] <= 2 * base["median_ms"],
        )
        table.add("Search p99", f"{found['p99_ms']:.1f} ms", f"{base['p99_ms']:.1f} ms", "<= 2 x", found["p99_ms"] <= 2 * base["p99_ms"])
    r = median_of(school, "report_s")
    if base_school:
        table.add(
            f"School report, SEOP ({school_name}, {school[0]['students']:,})", secs(r), secs(base_school), "<= 2 x", r <= 2 * base_school
        )


def write_results(args, table: Table, figures: dict) -> None:
    info = figures["machine"]
    text = [
        "# Benchmark results",
        "",
        f"Taken {info['date']} with `python -m bench{' --quick' if args.quick else ''}{' --stretch' if args.stretch else ''}`"
        f" on {info['cpus']} CPUs ({info['cpu_model']}), {info['platform']}, Python {info['python']},"
        f" SQLite {info['sqlite']}, Textual {info['textual']}. Load average at start {figures['load_at_start']},"
        f" at end {figures['load_at_end']}.",
        "",
        table.markdown(),
        "",
        *[f"- {note}" for note in table.notes],
        "",
        "<details><summary>Raw figures (JSON)</summary>",
        "",
        "```json",
        json.dumps(figures, indent=1, default=str),
        "```",
        "</details>",
        "",
    ]
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text("\n".join(text))
    print(f"\nWritten to {args.results}")


if __name__ == "__main__":
    started = time.perf_counter()
    code = main()
    print(f"({time.perf_counter() - started:.0f} s)")
    sys.exit(code)
