"""The grant forms, read into what the use-cases take; a bad value names its field."""

from __future__ import annotations

from services import inputs
from services.errors import N_
from services.grants.schemas import CostLineInput, FinancingLineInput
from web.forms import Form


class FundForm(Form):
    LIMITS = {"name": 300}

    name: str = ""
    strategy_area_id: str = ""
    max_share: str = ""
    max_amount: str = ""
    decision_limit: str = ""

    def values(self) -> dict:
        with self.reading() as read:
            share = read(inputs.number, self.max_share, "max_share")
            amount = read(inputs.amount, self.max_amount, "max_amount", above_zero=True)
            limit = read(inputs.amount, self.decision_limit, "decision_limit")
            area = (
                read(inputs.whole, self.strategy_area_id, "strategy_area_id")
                if self.strategy_area_id
                else None
            )
        return {
            "name": self.name,
            "strategy_area_id": area,
            "max_share": share,
            "max_amount": amount,
            "decision_limit": limit,
        }


class CallForm(Form):
    LIMITS = {"title": 300}

    fund_id: str = ""
    title: str = ""
    description: str = ""
    opens_on: str = ""
    closes_on: str = ""

    def values(self) -> dict:
        with self.reading() as read:
            fund = read(inputs.whole, self.fund_id, "fund_id", N_("Choose a fund."))
            opens = read(inputs.day, self.opens_on, "opens_on")
            closes = read(inputs.day, self.closes_on, "closes_on")
        return {
            "fund_id": fund,
            "title": self.title,
            "description": self.description,
            "opens_on": opens,
            "closes_on": closes,
        }


class StartForm(Form):
    LIMITS = {"title": 300}

    title: str = ""


_COST = ("cost_description-", "cost_amount-")
_FINANCING = ("fin_source-", "fin_description-", "fin_amount-")


class ApplicationForm(Form):
    """The application as written: its texts, and the plans' rows (cost_amount-<n>, fin_amount-<n>)."""

    PREFIXED = _COST + _FINANCING
    PREFIX_FIELDS = {**{p: "costs" for p in _COST}, **{p: "financing" for p in _FINANCING}}
    LIMITS = {"title": 300}

    title: str = ""
    summary: str = ""
    project: str = ""
    effects: str = ""

    def _rows(self, prefixes: tuple[str, ...]) -> list[str]:
        found = {key for p in prefixes for key in self.prefixed[p]}
        return sorted((k for k in found if k.isdigit()), key=int)

    def values(self) -> dict:
        costs, financing = [], []
        with self.reading() as read:
            for n in self._rows(_COST):
                text = self.prefixed["cost_description-"].get(n, "")
                typed = self.prefixed["cost_amount-"].get(n, "")
                if text or typed:
                    amount = read(inputs.amount, typed, "costs", above_zero=True)
                    costs.append(CostLineInput(text, amount))
            for n in self._rows(_FINANCING):
                source = self.prefixed["fin_source-"].get(n, "")
                text = self.prefixed["fin_description-"].get(n, "")
                typed = self.prefixed["fin_amount-"].get(n, "")
                if text or typed:
                    amount = read(inputs.amount, typed, "financing", above_zero=True)
                    financing.append(FinancingLineInput(source, amount, text))
        return {
            "title": self.title,
            "summary": self.summary,
            "project": self.project,
            "effects": self.effects,
            "costs": costs,
            "financing": financing,
        }


class AssessmentForm(Form):
    comment: str = ""


class DecisionForm(Form):
    outcome: str = ""
    reason: str = ""
