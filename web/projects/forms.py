"""The project forms read into what the use-cases take; a bad value names its field."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from litestar import Request

from services import inputs
from services.errors import N_, InvalidInput
from services.projects.schemas import StatusReportInput
from web.forms import uploaded_file
from web.projects.pages import OUTCOMES, PHASES, STATUSES

KPI_CODES = ("new_jobs", "secured_jobs", "new_businesses")


@dataclass(frozen=True)
class Filters:
    """The list's filters as the URL carries them; an unknown value filters nothing."""

    phase: str = ""
    strategy_area: int | None = None
    status: str = ""

    def use_case(self) -> dict:
        return {
            "phase": self.phase or None,
            "strategy_area_id": self.strategy_area,
            "status": self.status or None,
        }

    def query(self) -> dict[str, str]:
        values = {"phase": self.phase, "strategy_area": self.strategy_area, "status": self.status}
        return {key: str(value) for key, value in values.items() if value}


def filters_of(request: Request) -> Filters:
    query = request.query_params
    phase = query.get("phase", "")
    status = query.get("status", "")
    area = query.get("strategy_area", "")
    return Filters(
        phase=phase if phase in PHASES else "",
        strategy_area=int(area) if area.isdigit() else None,
        status=status if status in STATUSES else "",
    )


def decision_of(form: dict[str, str]) -> dict:
    outcome = form.get("outcome", "")
    if outcome not in OUTCOMES:
        raise InvalidInput("outcome_invalid", N_("Choose an outcome."), field="outcome")
    budget = None
    if outcome in ("go", "go_with_conditions"):
        if not form.get("approved_budget"):
            raise InvalidInput(
                "approved_budget_required",
                N_("A go approves the next sub-project's budget: write it."),
                field="approved_budget",
            )
        budget = inputs.amount(form["approved_budget"], "approved_budget")
    next_due = form.get("next_due_date", "")
    return {
        "outcome": outcome,
        "basis": form.get("basis", ""),
        "decided_on": inputs.day(form.get("decided_on", ""), "decided_on"),
        "approved_budget": budget,
        "conditions": form.get("conditions", ""),
        "next_due_date": inputs.day(next_due, "next_due_date") if next_due else None,
    }


def report_of(form: dict[str, str]) -> StatusReportInput:
    contributions: dict[str, Decimal] = {}
    for code in KPI_CODES:
        if form.get(f"kpi_{code}"):
            contributions[code] = inputs.number(form[f"kpi_{code}"], f"kpi_{code}")
    return StatusReportInput(
        period_start=inputs.day(form.get("period_start", ""), "period_start"),
        period_end=inputs.day(form.get("period_end", ""), "period_end"),
        progress=form.get("progress", ""),
        spent=inputs.amount(form.get("spent", ""), "spent"),
        planned=inputs.amount(form.get("planned", ""), "planned"),
        risks=form.get("risks", ""),
        kpi_contributions=contributions,
    )


async def document_of(request: Request) -> dict:
    """The uploaded file as add_document takes it; the use-case judges its bytes."""
    upload = await uploaded_file(request, "file", field="file")
    return {"content": upload.content, "name": upload.name, "claimed_type": upload.media_type}
