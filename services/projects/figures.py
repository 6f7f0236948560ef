"""What projects add to the dashboards: running projects per PLP sub-project, those awaiting a
decision, decision points overdue; and the lists behind those figures."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import msgspec

from services.dashboards.charts import Chart, Drawn, bars
from services.dashboards.rules import Figure, Slice, fig, structs
from services.dashboards.service import TODAY
from services.errors import N_
from services.i18n import gettext
from services.projects.rules import PHASE_NAMES, PHASE_ORDER, is_overdue
from tenants.context import connection, fetch_structs


class ProjectRow(msgspec.Struct, frozen=True):
    phase: str
    status: str


def project_figures(
    projects: Sequence[ProjectRow], open_decision_dues: Iterable[date], today: date
) -> list[Figure]:
    """Running projects per sub-project (closed ones apart), and decision points overdue today."""
    per_phase = {phase.value: 0 for phase in PHASE_ORDER}
    closed = awaiting = 0
    for p in projects:
        if p.status == "closed":
            closed += 1
            continue
        per_phase[p.phase] += 1
        awaiting += p.status == "awaiting_decision"
    overdue = sum(1 for due in open_decision_dues if is_overdue(due, today, decided=False))
    return [
        *(fig("projects", "projects", n, phase) for phase, n in per_phase.items()),
        fig("projects", "projects_awaiting_decision", awaiting),
        fig("projects", "projects_closed", closed),
        fig("projects", "decisions_overdue", overdue),
    ]


async def compute(on: date) -> list[Figure]:
    db = connection()
    projects = await db.fetch(
        "select phase, status from project where tenant_id = app_tenant_id() order by id"
    )
    dues = await db.fetch(
        "select due_date from decision_point where tenant_id = app_tenant_id() and outcome is null"
    )
    return project_figures(structs(ProjectRow, projects), [r["due_date"] for r in dues], on)


# The events after which a project's phase, status, money or decision points may differ.
PROJECT_CHANGES = frozenset(
    {
        "projects.created",
        "projects.sub_project_closed",
        "projects.decision_point_reached",
        "projects.decision_recorded",
        "projects.status_reported",
    }
)

SLICES = (Slice("projects", changed_by=PROJECT_CHANGES, compute=compute),)


def project_chart(figures: Sequence[Figure], lang: str) -> Drawn | None:
    """Running projects per sub-project, in the PLP's order; bars across, for the names' length."""
    counts = {f.subject: f.value for f in figures if f.metric == "projects"}
    phases = [phase.value for phase in PHASE_ORDER]
    return bars(
        gettext(lang, N_("Running projects per sub-project")),
        [gettext(lang, PHASE_NAMES[p]) for p in phases],
        [(gettext(lang, N_("Projects")), [float(counts.get(p, 0)) for p in phases])],
        lang,
        money=False,
        horizontal=True,
    )


CHARTS = (Chart("projects", "projects", project_chart),)


# --- the lists behind the figures, read inside the caller's transaction -------------------------


class OverdueDecision(msgspec.Struct, frozen=True):
    project_id: int
    project_title: str
    next_phase: str | None
    due_date: date


class PhaseProject(msgspec.Struct, frozen=True):
    id: int
    title: str
    phase: str
    status: str
    approved_budget: object


async def overdue_decisions() -> list[OverdueDecision]:
    """The list behind "decision points overdue": the municipality's own projects' open ones."""
    return await fetch_structs(
        OverdueDecision,
        "select d.project_id, p.title as project_title, d.next_phase, d.due_date"
        " from decision_point d join project p on p.tenant_id = d.tenant_id and p.id = d.project_id"
        f" where d.tenant_id = app_tenant_id() and d.outcome is null and d.due_date < ({TODAY})"
        " order by d.due_date, p.title",
    )


async def projects_in_phase(phase: str) -> list[PhaseProject]:
    """The list behind "projects per sub-project": the municipality's running ones in it."""
    return await fetch_structs(
        PhaseProject,
        "select id, title, phase, status, approved_budget from project"
        " where tenant_id = app_tenant_id() and phase = $1 and status <> 'closed'"
        " order by title, id",
        phase,
    )
