"""Which roles may do what with grants: the use-cases and the web guards read these, so a guard
and its use-case never disagree."""

from __future__ import annotations

# In the municipality: set funds up and open their calls.
MANAGERS = ("admin", "case_officer")
# Assess an application and decide it, up to the fund's delegated limit.
ASSESSORS = ("admin", "case_officer")
# Read the funds, calls and the queue of cases.
READERS = ("admin", "case_officer", "board_member", "viewer")
# In an organisation: write and submit its applications.
APPLICANTS = ("admin", "member")
