"""The project forms, read into what the use-cases take; a bad value names its field."""

from __future__ import annotations

from dataclasses import dataclass

from litestar import Request
from litestar.datastructures import UploadFile

from services import inputs
from services.errors import N_, InvalidInput
from services.programmes.rules import STANDARD_KPIS
from services.projects.schemas import StatusReportInput
from web.forms import Form, optional, upload_of
from web.projects.pages import OUTCOMES, PHASES, STATUSES

KPI_CODES = tuple(STANDARD_KPIS)  # a status report's contribution to the standard KPIs


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
        # "²".isdigit() is true but int() refuses it; and an id fits a bigint.
        strategy_area=int(area) if area.isascii() and area.isdigit() and len(area) <= 18 else None,
        status=status if status in STATUSES else "",
    )


class DecisionForm(Form):
    """The owner's decision at a decision point; a go approves the next sub-project's budget."""

    outcome: str = ""
    basis: str = ""
    decided_on: str = ""
    approved_budget: str = ""
    conditions: str = ""
    next_due_date: str = ""

    def values(self) -> dict:
        with self.reading() as read:
            if self.outcome not in OUTCOMES:
                read.refuse(
                    InvalidInput("outcome_invalid", N_("Choose an outcome."), field="outcome")
                )
            budget = None
            if self.outcome in ("go", "go_with_conditions"):
                if not self.approved_budget:
                    read.refuse(
                        InvalidInput(
                            "approved_budget_required",
                            N_("A go approves the next sub-project's budget: write it."),
                            field="approved_budget",
                        )
                    )
                else:
                    budget = read(inputs.amount, self.approved_budget, "approved_budget")
            decided_on = read(inputs.day, self.decided_on, "decided_on")
            next_due = read.optional(inputs.day, self.next_due_date, "next_due_date")
        return {
            "outcome": self.outcome,
            "basis": self.basis,
            "decided_on": decided_on,
            "approved_budget": budget,
            "conditions": self.conditions,
            "next_due_date": next_due,
        }


class StatusReportForm(Form):
    PARSE = {
        "period_start": inputs.day,
        "period_end": inputs.day,
        "spent": inputs.amount,
        "planned": inputs.amount,
        # A KPI left empty is no contribution in the period.
        **{f"kpi_{code}": optional(inputs.number) for code in KPI_CODES},
    }

    period_start: str = ""
    period_end: str = ""
    progress: str = ""
    spent: str = ""
    planned: str = ""
    risks: str = ""
    kpi_new_jobs: str = ""
    kpi_secured_jobs: str = ""
    kpi_new_businesses: str = ""

    def report(self) -> StatusReportInput:
        found = self.parsed()
        kpis = {code: found.pop(f"kpi_{code}") for code in KPI_CODES}
        contributions = {code: n for code, n in kpis.items() if n is not None}
        return StatusReportInput(**found, kpi_contributions=contributions)


class DocumentForm(Form):
    file: UploadFile | None = None

    async def document(self) -> dict:
        """The uploaded file as add_document takes it; the use-case judges its bytes."""
        upload = await upload_of(self.file, field="file")
        return {"content": upload.content, "name": upload.name, "claimed_type": upload.media_type}
