"""One headless session of the app in its own process, driven with Pilot; prints JSON.

    python -m bench.session_worker KIND DB [ARGS...]

KIND:
  empty                      the empty Textual app (the memory reference)
  student USER PIN           signs in, opens every section of the plan, answers the whole
                             interest inventory, submits the plan when it can, signs out
  staff USER PASSWORD SCOPE  signs in, waits for the caseload, opens the compliance report
                             and runs it for SCOPE ("school", "district" or "caseload")
  caseload USER PASSWORD     time from sign-in to the caseload table on screen
  search USER PASSWORD Q...  type each query into the caseload search box; time until the
                             table shows its result

Peak resident memory is the process's own high-water mark (ru_maxrss), so each
session runs in a fresh process.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from pathlib import Path

SIZE = (80, 24)
POLL = 0.005


def peak_mib() -> float:
    """The process's resident high-water mark (VmHWM). Not ru_maxrss: after exec that keeps
    the parent's figure when it was higher (the benchmark process is bigger than a session)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def private_mib() -> float | None:
    """Memory this process alone holds now (not shared with other sessions), from smaps_rollup."""
    try:
        fields = dict(line.split(":", 1) for line in Path("/proc/self/smaps_rollup").read_text().splitlines()[1:])
    except OSError:
        return None
    return sum(int(fields[k].split()[0]) for k in ("Private_Clean", "Private_Dirty") if k in fields) / 1024


async def wait_for(pilot, condition, timeout: float = 120.0) -> float:
    """Seconds until `condition()` holds (checked between event-loop turns)."""
    start = time.perf_counter()
    while not condition():
        if time.perf_counter() - start > timeout:
            raise TimeoutError(f"not reached in {timeout}s: {getattr(condition, '__name__', condition)}")
        await pilot.pause(POLL)
    return time.perf_counter() - start


async def sign_in(pilot, username: str, secret: str) -> None:
    screen = pilot.app.screen
    screen.username.value = username
    screen.secret.value = secret
    screen.set_focus(screen.secret)
    await pilot.press("enter")
    await wait_for(pilot, lambda: pilot.app.actor is not None and pilot.app.current_mode == "session")


def make(db: str):
    from screens.app import make_app
    from seop_tui.reference import load_reference
    from seop_tui.storage import open_store

    return make_app(open_store(db), load_reference(), idle_seconds=0)


# -- sessions -----------------------------------------------------------------------------


async def student(pilot, username: str, pin: str) -> dict:
    app = pilot.app
    await sign_in(pilot, username, pin)
    # Imported after the sign-in, as the app does: loaded before it, the student screens
    # and services added their memory to the secret check's peak (Argon2 takes 7 MiB).
    from screens.student_home import StudentHomeScreen

    home = app.screen
    assert isinstance(home, StudentHomeScreen), type(home).__name__
    await wait_for(pilot, lambda: home.status is not None)
    opened = []
    for section in [s.section for s in home.status.sections]:
        await pilot.press(section.key_hint)
        await wait_for(pilot, lambda: app.screen is not home, timeout=30)
        screen = app.screen
        await pilot.pause(0.2)
        await app.workers.wait_for_complete()
        opened.append(type(screen).__name__)
        if section.key == "inventory":
            await answer_inventory(pilot, screen)
        if section.key == "review":
            await submit(pilot, screen)
        while app.screen is not home:
            await pilot.press("escape")
            await pilot.pause(0.05)
        await wait_for(pilot, lambda: home.status is not None)
    await app.sign_out()
    await pilot.pause()
    return {"sections": opened}


async def answer_inventory(pilot, screen) -> None:
    """Start (or go on with) the inventory and answer every item."""
    await wait_for(pilot, lambda: getattr(screen, "mode", ""), timeout=30)
    if screen.mode == "result":
        await pilot.press("r")
    elif screen.mode == "intro":
        await pilot.press("enter")
    await wait_for(pilot, lambda: screen.mode == "item", timeout=30)
    for n in range(len(screen.items) + 2):
        if screen.mode != "item":
            break
        await pilot.press("12345"[n % 5])
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.1)


async def submit(pilot, screen) -> None:
    """Submit for review (s, then y to confirm) when the plan can be submitted."""
    await pilot.press("s")
    await pilot.pause(0.3)
    if pilot.app.screen is not screen:  # the confirmation
        await pilot.press("y")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.2)


async def staff(pilot, username: str, password: str, scope: str) -> dict:
    from textual.widgets import DataTable, Select

    from screens.staff.compliance_report import ComplianceReportScreen

    app = pilot.app
    await sign_in(pilot, username, password)
    dashboard = app.screen
    table = dashboard.query_one("#caseload", DataTable)
    await wait_for(pilot, lambda: table.row_count > 0)
    await app.workers.wait_for_complete()
    table.focus()  # "r" typed into the search box would search for it
    await pilot.press("r")
    await wait_for(pilot, lambda: isinstance(app.screen, ComplianceReportScreen))
    report_screen = app.screen
    await wait_for(pilot, lambda: report_screen.report is not None)
    wanted = {"school": "School: ", "district": "Whole district", "caseload": "My caseload"}[scope]
    index = next(i for i, s in enumerate(report_screen.scopes) if s.label.startswith(wanted))
    started = time.perf_counter()
    if index != report_screen.query_one("#cr-scope", Select).value:
        report_screen.report = None
        report_screen.query_one("#cr-scope", Select).value = index
        await wait_for(pilot, lambda: report_screen.report is not None, timeout=600)
    await pilot.pause()
    seconds = time.perf_counter() - started
    report = report_screen.report
    await app.sign_out()
    await pilot.pause()
    return {"scope": report.scope, "students": report.students, "report_seconds": seconds}


async def caseload_first_render(pilot, username: str, password: str) -> dict:
    """From sign-in accepted (and from the dashboard mounted) to its table painted with rows.

    The end is the screen update whose compositor rendered the table with rows in it
    (the update the terminal would be sent), not the next idle moment: waiting for the
    process to go idle also counted the work started after the paint (the costly
    columns, the filters' choices) and Pilot's 20 ms idle check.
    """
    from screens.staff.dashboard import CaseloadDashboard, CaseloadTable

    app = pilot.app
    marks: dict[str, float] = {}
    real_start, real_mount = app.start_session, CaseloadDashboard.on_mount
    real_render, real_display = CaseloadTable.render_lines, app._display

    async def timed_start(actor):
        marks["signed_in"] = time.perf_counter()
        await real_start(actor)

    def timed_mount(screen):
        marks["mounted"] = time.perf_counter()
        real_mount(screen)

    def timed_render(table, crop):
        lines = real_render(table, crop)
        if table.row_count:
            marks.setdefault("rows_rendered", time.perf_counter())
        return lines

    def timed_display(screen, renderable):
        real_display(screen, renderable)
        if "rows_rendered" in marks and renderable is not None:
            marks.setdefault("painted", time.perf_counter())

    app.start_session = timed_start
    app._display = timed_display
    CaseloadDashboard.on_mount = timed_mount
    CaseloadTable.render_lines = timed_render
    await sign_in(pilot, username, password)
    await wait_for(pilot, lambda: "painted" in marks)
    done = marks["painted"]
    table = app.screen.query_one(CaseloadTable)
    page = app.screen.page
    rows = table.row_count
    await app.workers.wait_for_complete()
    await app.sign_out()
    return {"seconds": done - marks["mounted"], "from_sign_in": done - marks["signed_in"], "rows_painted": rows, "students": page.total}


async def search(pilot, username: str, password: str, queries: list[str]) -> dict:
    from textual.widgets import DataTable, Input

    app = pilot.app
    await sign_in(pilot, username, password)
    dashboard = app.screen
    table = dashboard.query_one("#caseload", DataTable)
    box = dashboard.query_one("#caseload-search", Input)
    await wait_for(pilot, lambda: table.row_count > 0)
    await app.workers.wait_for_complete()
    latencies, found = [], []
    for query in queries:
        box.value = ""
        await wait_for(pilot, lambda: dashboard.page is not None and not dashboard.page.query.text)
        await app.workers.wait_for_complete()
        box.focus()
        await pilot.press(*query[:-1])
        await pilot.press(query[-1])
        typed = time.perf_counter()
        await wait_for(pilot, lambda q=query: dashboard.page is not None and dashboard.page.query.text == q)
        await pilot.pause()  # painted
        latencies.append(time.perf_counter() - typed)
        found.append(dashboard.page.total)
    await app.sign_out()
    return {"latencies": latencies, "found": found}


async def empty(pilot, *_) -> dict:
    await pilot.pause()
    return {}


def main(argv: list[str]) -> None:
    kind, *args = argv
    if kind == "empty":
        sys.path.insert(0, str(Path(__file__).parent))
        from bench.empty_app import EmptyApp

        app, work = EmptyApp(), empty
    else:
        app = make(args[0])
        work = {"student": student, "staff": staff, "caseload": caseload_first_render, "search": search}[kind]
        args = args[1:]
        if kind == "search":
            args = [args[0], args[1], args[2:]]
    out: dict = {}

    async def pilot_body(pilot):
        try:
            out.update(await work(pilot, *args))
        except Exception as exc:  # reported, not hidden
            out["error"] = f"{type(exc).__name__}: {exc}"
        finally:
            out["private_mib_at_end"] = private_mib()
            pilot.app.exit()

    app.run(headless=True, size=SIZE, auto_pilot=pilot_body)
    out["peak_rss_mib"] = peak_mib()
    if "--modules" in sys.argv:
        out["modules"] = sorted(sys.modules)
    print(json.dumps(out))


if __name__ == "__main__":
    asyncio.set_event_loop_policy(None)
    main([a for a in sys.argv[1:] if a != "--modules"])
