"""`seop report ...` and `seop export ...`: reports and plan exports for scripts."""

from __future__ import annotations

from seop_tui.cli import main  # noqa: F401  (commands register on the main group)
