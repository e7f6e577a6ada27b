"""Lab load: N student processes sign in and save plan sections about once a second.

Each process saves through the same service path a student's screen uses
(sign-in, then version-checked plan edits) and counts what it was told was
saved. Afterwards the database must hold every reported save (no lost
updates) and no process may have seen an error.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

WORKER = r"""
import json, random, sys, time
from seop_tui.reference import load_reference
from seop_tui.storage import open_store
from seop_tui.services import plans
from seop_tui.services.auth import sign_in

db, username, secret, seconds, seed = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), int(sys.argv[5])
rng = random.Random(seed)
ref = load_reference()
store = open_store(db)
out = {"saved": 0, "errors": [], "latencies": []}
try:
    actor = sign_in(store, username, secret, terminal="bench")
    plan = plans.plan_for(store, ref, actor, actor.student_id)
    if plan.status == "submitted":
        out["skipped"] = "plan submitted"
    end = time.monotonic() + seconds
    while time.monotonic() < end and "skipped" not in out:
        time.sleep(rng.uniform(0.5, 1.5))
        started = time.perf_counter()
        try:
            with plans.editing(store, actor, plan, "bench save") as db_:
                db_["strengths"].insert({"plan_id": plan.id, "kind": "strength", "text": f"bench {username} {out['saved']}"})
            plan = plans.reload(store, plan)
            out["saved"] += 1
            out["latencies"].append(time.perf_counter() - started)
        except Exception as exc:
            out["errors"].append(f"{type(exc).__name__}: {exc}")
            plan = plans.reload(store, plan)
except Exception as exc:
    out["errors"].append(f"{type(exc).__name__}: {exc}")
print(json.dumps(out))
"""


def run(db: Path, processes: int = 60, seconds: float = 60.0, secret: str = "1234") -> dict:
    from seop_tui.storage import open_store

    store = open_store(db)
    usernames = [
        r[0]
        for r in store.query(
            "SELECT a.username FROM accounts a JOIN students s ON s.account_id = a.id"
            " JOIN plans p ON p.student_id = s.id WHERE s.grade >= 6 AND p.status IN ('draft', 'changes_requested')"
            " ORDER BY s.id LIMIT ?",
            (processes,),
        )
    ]
    before = {u: _count(store, u) for u in usernames}
    store.close()
    if len(usernames) < processes:
        raise RuntimeError(f"only {len(usernames)} students with editable plans; build a bigger demo")
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(db), u, secret, str(seconds), str(i)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i, u in enumerate(usernames)
    ]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=seconds * 3 + 120)
        results.append(json.loads(out) if out.strip() else {"saved": 0, "errors": [err.strip()[-300:]], "latencies": []})
    store = open_store(db)
    lost = sum(before[u] + r["saved"] - _count(store, u) for u, r in zip(usernames, results))
    store.close()
    latencies = sorted(x for r in results for x in r["latencies"])
    errors = [e for r in results for e in r["errors"]]
    return {
        "processes": processes,
        "seconds": seconds,
        "saves": sum(r["saved"] for r in results),
        "errors": len(errors),
        "error_examples": errors[:3],
        "lost_updates": lost,
        "p50_ms": 1000 * statistics.median(latencies) if latencies else None,
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))] if latencies else None,
    }


def _count(store, username: str) -> int:
    return store.one("SELECT count(*) FROM strengths WHERE text LIKE ?", (f"bench {username} %",))[0]


if __name__ == "__main__":
    print(run(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 60, float(sys.argv[3]) if len(sys.argv) > 3 else 60))
