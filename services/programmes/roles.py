"""Which municipal roles may do what in a programme: the use-cases and the web guards read these,
so a guard and its use-case never disagree."""

from __future__ import annotations

# Set the programme up and keep it: create it, its funding, board, strategy areas, stages,
# KPIs and their baselines, draft the action plans, record the status assessments.
MANAGERS = ("admin", "case_officer")
# Measure the KPIs and set their yearly targets.
EDITORS = ("admin", "case_officer", "board_member")
# Who records each step of an action plan: the board approves (or takes its approval back),
# the municipality's leadership approves, and the secretariat records the county's grant.
PLAN_STEPS = {
    "board_approved": ("admin", "board_member"),
    "draft": ("admin", "board_member"),
    "municipality_approved": ("admin",),
    "county_granted": ("admin", "case_officer"),
}
# Anyone who may take some step of an action plan (the guard of the step route).
PLAN_STEPPERS = tuple(sorted({role for roles in PLAN_STEPS.values() for role in roles}))
