"""Who may do what to a PLP project: the guards, the pages and the use-cases read these.

A municipal role is the membership's role in the lead municipality; a project role is being
the project's owner, sponsor or manager (which any member of the municipality may be).
"""

from __future__ import annotations

# Write status reports and add documents (the lead's and each participant's staff).
WRITERS = ("admin", "case_officer", "board_member")
# Start a project on its funding: the municipality's staff who run the programme.
CREATORS = ("admin", "case_officer")
# Plan the next sub-project, close the running one, set the decision point, keep the steering
# group and the cost shares: these municipal roles, and the project's owner, sponsor and manager.
PLANNERS = ("admin", "case_officer")
# Decides in the owner's place when the project's decisions are delegated to the board.
BOARD = "board_member"
