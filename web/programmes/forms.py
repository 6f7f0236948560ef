"""The programme forms, read into what the use-cases take; a bad value names its field."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import partial

from litestar.datastructures import UploadFile

from services import inputs
from services.errors import N_, InvalidInput
from services.programmes.schemas import GoalInput, ScoreInput, StrategyAreaInput
from services.projects.rules import check_document
from web.forms import Form, Upload, optional

YEAR = N_("Write a year.")
A_YEAR = partial(inputs.whole, message=YEAR)


class ProgrammeForm(Form):
    """A new programme; a regional one ticks the neighbours it is run with (member-<id>)."""

    PREFIXED = ("member-",)
    PREFIX_FIELDS = {"member-": "members"}
    LIMITS = {"name": 300}
    PARSE = {"period_start": A_YEAR, "period_end": A_YEAR}

    name: str = ""
    kind: str = ""
    period_start: str = ""
    period_end: str = ""

    def values(self) -> dict:
        return {**self.parsed(), "member_municipality_ids": member_ids(self)}


def member_ids(form: Form) -> list[int]:
    return [int(k) for k, v in form.prefixed["member-"].items() if k.isdigit() and v]


class MembersForm(Form):
    """The neighbours a regional programme is run with, ticked (member-<id>)."""

    PREFIXED = ("member-",)
    PREFIX_FIELDS = {"member-": "members"}

    def values(self) -> dict:
        return {"member_municipality_ids": member_ids(self.checked())}


class StageForm(Form):
    stage: str = ""

    values = Form.parsed


class FundingForm(Form):
    PARSE = {"year": A_YEAR, "amount": inputs.amount}

    source: str = ""
    year: str = ""
    amount: str = ""

    values = Form.parsed


class BoardMemberForm(Form):
    LIMITS = {"name": 200}
    PARSE = {"term_start": inputs.day, "term_end": optional(inputs.day)}

    name: str = ""
    seat: str = ""
    term_start: str = ""
    term_end: str = ""

    values = Form.parsed


class StrategyForm(Form):
    """The strategy areas as rows (id-, name_nb-, name_nn-, share- with the row's number).

    A row left empty is no area; an existing area's row emptied removes that area.
    """

    PREFIXED = ("id-", "name_nb-", "name_nn-", "share-")

    def rows(self) -> list[dict[str, str]]:
        numbers = sorted({int(k) for found in self.prefixed.values() for k in found if k.isdigit()})
        return [
            {
                "n": str(n),
                **{p.rstrip("-"): self.prefixed[p].get(str(n), "") for p in self.PREFIXED},
            }
            for n in numbers
        ]

    def total(self) -> Decimal:
        """The sum of the shares that can be read, for the live sum beside the rows."""
        total = Decimal(0)
        for row in self.rows():
            try:
                total += inputs.number(row["share"], "share") if row["share"] else 0
            except InvalidInput:
                continue
        return total

    def values(self) -> dict:
        return {"areas": self.areas()}

    def areas(self) -> list[StrategyAreaInput]:
        areas = []
        with self.reading() as read:
            for row in self.rows():
                n = row["n"]
                if not (row["name_nb"] or row["name_nn"] or row["share"]):
                    continue
                share = read(inputs.number, row["share"], f"share-{n}")
                for name in ("name_nb", "name_nn"):
                    read.require(row[name], f"{name}-{n}")
                area_id = int(row["id"]) if row["id"].isdigit() else None
                if share is not None:
                    areas.append(StrategyAreaInput(row["name_nb"], row["name_nn"], share, area_id))
        return areas


def kpi_code(name: str) -> str:
    """A KPI's code made from its name: "Nye lærlingar" -> nye_laerlingar."""
    folded = name.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    ascii_only = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    code = re.sub(r"[^a-z0-9]+", "_", ascii_only).strip("_")
    if code and not code[0].isalpha():
        code = "k_" + code
    return code[:40].rstrip("_")


class KpiForm(Form):
    LIMITS = {"name": 200, "unit": 40}

    name: str = ""
    unit: str = ""
    baseline: str = ""

    def values(self) -> dict:
        with self.reading() as read:
            baseline = read(inputs.number, self.baseline or "0", "baseline")
            read.require(self.name, "name")
        return {
            "code": kpi_code(self.name) or "k",
            "name": self.name,
            "unit": self.unit,
            "baseline": baseline,
        }


class PlanForm(Form):
    """A year's draft plan: for each strategy area (by its id) a goal, measures and a budget."""

    PREFIXED = ("goal-", "measures-", "budget-")

    year: str = ""

    def values(self) -> tuple[int | None, list[GoalInput]]:
        goals = []
        with self.reading() as read:
            year = read(inputs.whole, self.year, "year", YEAR)
            for area, goal in self.prefixed["goal-"].items():
                measures = self.prefixed["measures-"].get(area, "")
                raw_budget = self.prefixed["budget-"].get(area, "")
                if not area.isdigit() or not (goal or measures or raw_budget):
                    continue
                budget = read(inputs.amount, raw_budget or "0", f"budget-{area}")
                read.require(goal, f"goal-{area}")
                if budget is not None:
                    goals.append(GoalInput(int(area), goal, measures, budget))
        return year, goals


class StepForm(Form):
    state: str = ""


class AssessmentForm(Form):
    """A yearly status assessment (a score and comment per strategy area) or the final evaluation."""

    PREFIXED = ("score-", "comment-")
    PREFIX_FIELDS = {"score-": "scores", "comment-": "scores"}
    LIMITS = {"assessor": 300}

    kind: str = ""
    year: str = ""
    assessor: str = ""
    summary: str = ""
    recommendations: str = ""
    documents: list[UploadFile] = []

    def values(self, uploads: list[Upload]) -> dict:
        scores = []
        with self.reading() as read:
            year = read(inputs.whole, self.year, "year", YEAR)
            for area, raw in self.prefixed["score-"].items():
                if not area.isdigit() or not raw:
                    continue
                score = read(inputs.whole, raw, f"score-{area}", N_("A score is 1 to 6."))
                if score is not None and not 1 <= score <= 6:
                    read.refuse(
                        InvalidInput(
                            "assessment_score_invalid",
                            N_("A score is 1 to 6."),
                            field=f"score-{area}",
                        )
                    )
                elif score is not None:
                    comment = self.prefixed["comment-"].get(area, "")
                    scores.append(ScoreInput(int(area), score, comment))
            for upload in uploads:
                try:
                    check_document(upload.name, upload.media_type, upload.content)
                except InvalidInput as refusal:
                    read.refuse(InvalidInput(refusal.code, refusal.message, field="documents"))
        return {
            "kind": self.kind,
            "year": year,
            "scores": scores,
            "assessor": self.assessor,
            "summary": self.summary,
            "recommendations": self.recommendations,
        }
