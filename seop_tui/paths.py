"""Where the app finds its shipped data and keeps its database."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def shipped_data_dir() -> Path:
    """The data/ folder: inside the package when installed, beside it in a checkout."""
    installed = _PACKAGE / "data"
    return installed if installed.is_dir() else _PACKAGE.parent / "data"


def user_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path("seop-tui", appauthor=False)


def default_db_path() -> Path:
    """SEOP_DB when set, otherwise the demo database in the user's data folder."""
    env = os.environ.get("SEOP_DB")
    return Path(env) if env else user_data_dir() / "seop.db"


def data_override_dir() -> Path | None:
    """A district's own data folder (SEOP_DATA_DIR), whose files replace shipped ones."""
    env = os.environ.get("SEOP_DATA_DIR")
    return Path(env) if env else None
