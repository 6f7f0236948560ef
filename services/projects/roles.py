"""Which municipal roles may write to a project (status reports, documents)."""

from __future__ import annotations

WRITERS = ("admin", "case_officer", "board_member")
# Decides in the owner's place when the project's decisions are delegated to the board.
BOARD = "board_member"
