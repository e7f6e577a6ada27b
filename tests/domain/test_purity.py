"""The domain is pure: importing it loads no UI, no storage and no file parsers."""

from __future__ import annotations

import subprocess
import sys

FORBIDDEN = ("textual", "yaml", "sqlite3", "sqlite_utils", "msgspec", "questionary", "click")


def test_domain_imports_nothing_impure():
    code = f"import sys, seop_tui.domain; print(','.join(m for m in {FORBIDDEN!r} if m in sys.modules))"
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert found == ""


def test_records_are_frozen():
    import dataclasses

    import pytest

    from seop_tui.domain import records

    student = records.StudentYear("s", 3, True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        student.grade = 4  # type: ignore[misc]
