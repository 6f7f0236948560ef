"""Which municipal roles may edit a programme's KPIs (measurements and targets)."""

from __future__ import annotations

EDITORS = ("admin", "case_officer", "board_member")
