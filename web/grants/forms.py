"""The grant forms, read into what the use-cases take; a bad value names its field."""

from __future__ import annotations

from datetime import date

from litestar.datastructures import UploadFile

from services import inputs
from services.errors import N_, InvalidInput, required_text
from services.grants.schemas import CostLineInput, FinancingLineInput
from services.grants.service import AttachmentInput
from web.forms import Form, file_name


class FundForm(Form):
    LIMITS = {"name": 300}
    # One checkbox per optional part the fund asks for: asks:effects, asks:attachments.
    PREFIXED = ("asks:",)
    PREFIX_FIELDS = {"asks:": "asks_for"}

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
            "asks_for": [part for part, on in self.prefixed["asks:"].items() if on],
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
    more: str = ""  # the plan ("costs" or "financing") the writer wants one more line in

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


def yes_no(value: str, field: str) -> bool:
    """A yes/no pair of radio buttons that must be answered."""
    if value not in ("yes", "no"):
        raise InvalidInput(f"{field}_missing", N_("Answer yes or no."), field=field)
    return value == "yes"


def optional_day(value: str, field: str) -> date | None:
    return inputs.day(value, field) if value else None


class AssessmentForm(Form):
    comment: str = ""
    conflicted: str = ""

    def values(self) -> dict:
        with self.reading() as read:
            conflicted = read(yes_no, self.conflicted, "conflicted")
        return {"comment": self.comment, "conflicted": conflicted}


class DecisionForm(Form):
    outcome: str = ""
    reason: str = ""
    conditions: str = ""
    reporting_deadline: str = ""

    def values(self) -> dict:
        with self.reading() as read:
            deadline = read(optional_day, self.reporting_deadline, "reporting_deadline")
        return {
            "outcome": self.outcome,
            "reason": self.reason,
            "conditions": self.conditions,
            "reporting_deadline": deadline,
        }


class RecommendationForm(Form):
    recommendation: str = ""
    recommendation_reason: str = ""


class MemberHabilitetForm(Form):
    board_member_id: str = ""
    conflicted: str = ""
    note: str = ""

    def values(self) -> dict:
        with self.reading() as read:
            member = read(inputs.whole, self.board_member_id, "board_member_id")
            conflicted = read(yes_no, self.conflicted, "conflicted")
        return {"board_member_id": member, "conflicted": conflicted, "note": self.note}


class RankingForm(Form):
    """Each application's place (rank-<id>) and the official's comment (comment-<id>)."""

    PREFIXED = ("rank-", "comment-")
    PREFIX_FIELDS = {"rank-": "ranks", "comment-": "ranks"}

    def ranks(self) -> dict[int, tuple[int | None, str]]:
        found: dict[int, tuple[int | None, str]] = {}
        with self.reading() as read:
            for key in sorted(set(self.prefixed["rank-"]) | set(self.prefixed["comment-"])):
                if not key.isdigit():
                    continue
                typed = self.prefixed["rank-"].get(key, "")
                place = read(inputs.whole, typed, f"rank-{key}") if typed else None
                found[int(key)] = (place, self.prefixed["comment-"].get(key, ""))
        return found


class MeetingForm(Form):
    LIMITS = {"place": 300}

    programme_id: str = ""
    held_on: str = ""
    place: str = ""

    def values(self) -> dict:
        with self.reading() as read:
            programme = read(
                inputs.whole, self.programme_id, "programme_id", N_("Choose a programme.")
            )
            held_on = read(inputs.day, self.held_on, "held_on")
            place = read(required_text, self.place, "place", 300)
        return {"programme_id": programme, "held_on": held_on, "place": place}


class AttendanceForm(Form):
    """A checkbox per board member: present-<member id>."""

    PREFIXED = ("present-",)
    PREFIX_FIELDS = {"present-": "present"}

    def members(self) -> list[int]:
        return [int(k) for k, on in self.prefixed["present-"].items() if k.isdigit() and on]


class BoardDecisionForm(Form):
    """Each present member's vote (vote-<member id>: granted | rejected), and the terms."""

    PREFIXED = ("vote-",)
    PREFIX_FIELDS = {"vote-": "votes"}

    reason: str = ""
    conditions: str = ""
    reporting_deadline: str = ""

    def values(self) -> dict:
        with self.reading() as read:
            deadline = read(optional_day, self.reporting_deadline, "reporting_deadline")
        return {
            "votes": {int(k): v for k, v in self.prefixed["vote-"].items() if k.isdigit()},
            "reason": self.reason,
            "conditions": self.conditions,
            "reporting_deadline": deadline,
        }


class AttachmentsForm(Form):
    attachments: list[UploadFile] = []  # noqa: RUF012 - a form's field, not shared state

    async def files(self) -> list[AttachmentInput]:
        with self.reading() as read:
            names = [read(file_name, upload, "attachments") for upload in self.attachments]
        found = []
        for upload, name in zip(self.attachments, names, strict=True):
            content = await upload.read()
            found.append(
                AttachmentInput(name, upload.content_type or "application/octet-stream", content)
            )
        return found


class AppealForm(Form):
    appeal_reason: str = ""
