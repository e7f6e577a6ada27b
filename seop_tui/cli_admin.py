"""`seop admin ...` and `seop restore`: district set-up and upkeep commands."""

from __future__ import annotations

from seop_tui.cli import main  # noqa: F401  (commands register on the main group)
