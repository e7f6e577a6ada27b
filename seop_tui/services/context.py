"""Who is acting, and from where."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime

STAFF_ROLES = ("teacher", "counselor", "administrator")


class AccessDenied(Exception):
    """The acting user may not see or change this record."""


@dataclass(frozen=True)
class Actor:
    account_id: int
    username: str
    role: str  # student | teacher | counselor | administrator
    display_name: str
    student_id: int | None = None
    staff_id: int | None = None
    school_id: int | None = None
    terminal: str = ""
    must_change_secret: bool = False

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES


def terminal_name() -> str:
    """The SSH client's address when there is one, else the local tty."""
    ssh = os.environ.get("SSH_CLIENT") or os.environ.get("SSH_CONNECTION")
    if ssh:
        return "ssh:" + ssh.split()[0]
    try:
        return os.ttyname(0)
    except OSError:
        return "local"


def now_utc() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
