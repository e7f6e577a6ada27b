"""A staff member's home: the caseload dashboard (screens/staff/dashboard.py)."""

from __future__ import annotations

from screens.staff.dashboard import CaseloadDashboard


class StaffHomeScreen(CaseloadDashboard):
    """Home for a signed-in teacher, counselor or administrator."""
