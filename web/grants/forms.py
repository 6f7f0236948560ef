"""The grant forms, read into what the use-cases take; a bad value names its field."""

from __future__ import annotations

from functools import partial

from litestar.datastructures import UploadFile

from services import inputs
from services.errors import N_, InvalidInput, required_text
from services.files import FileInput
from services.grants.schemas import PlanLine
from web.forms import Form, file_name, optional, uploads_of


def _whole(value: str, field: str, *, message: str) -> int:
    return inputs.whole(value, field, message)


class FundForm(Form):
    LIMITS = {"name": 300}
    # One checkbox per optional part the fund asks for: asks:effects, asks:attachments.
    PREFIXED = ("asks:",)
    PREFIX_FIELDS = {"asks:": "asks_for"}
    PARSE = {
        "strategy_area_id": optional(inputs.whole),
        "max_share": inputs.number,
        "max_amount": partial(inputs.amount, above_zero=True),
        "decision_limit": inputs.amount,
    }

    name: str = ""
    strategy_area_id: str = ""
    max_share: str = ""
    max_amount: str = ""
    decision_limit: str = ""

    def values(self) -> dict:
        asks_for = [part for part, on in self.prefixed["asks:"].items() if on]
        return {**self.parsed(), "asks_for": asks_for}


class CallForm(Form):
    LIMITS = {"title": 300}
    PARSE = {
        "fund_id": partial(_whole, message=N_("Choose a fund.")),
        "opens_on": inputs.day,
        "closes_on": inputs.day,
    }

    fund_id: str = ""
    title: str = ""
    description: str = ""
    opens_on: str = ""
    closes_on: str = ""

    values = Form.parsed


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
                    costs.append(PlanLine(text, amount))
            for n in self._rows(_FINANCING):
                source = self.prefixed["fin_source-"].get(n, "")
                text = self.prefixed["fin_description-"].get(n, "")
                typed = self.prefixed["fin_amount-"].get(n, "")
                if text or typed:
                    amount = read(inputs.amount, typed, "financing", above_zero=True)
                    financing.append(PlanLine(text, amount, source))
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


class AssessmentForm(Form):
    PARSE = {"conflicted": yes_no}

    comment: str = ""
    conflicted: str = ""

    values = Form.parsed


class DecisionForm(Form):
    PARSE = {"reporting_deadline": optional(inputs.day)}

    outcome: str = ""
    reason: str = ""
    conditions: str = ""
    reporting_deadline: str = ""

    values = Form.parsed


class RecommendationForm(Form):
    recommendation: str = ""
    recommendation_reason: str = ""

    def values(self) -> dict:
        checked = self.checked()
        return {"recommendation": checked.recommendation, "reason": checked.recommendation_reason}


class MemberHabilitetForm(Form):
    PARSE = {"board_member_id": inputs.whole, "conflicted": yes_no}

    board_member_id: str = ""
    conflicted: str = ""
    note: str = ""

    values = Form.parsed


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


class FundMeetingForm(Form):
    """A meeting of a fund's own board: the fund is in the path."""

    LIMITS = {"place": 300}
    PARSE = {"held_on": inputs.day, "place": partial(required_text, limit=300)}

    held_on: str = ""
    place: str = ""

    values = Form.parsed


class MeetingForm(FundMeetingForm):
    PARSE = {
        **FundMeetingForm.PARSE,
        "programme_id": partial(_whole, message=N_("Choose a programme.")),
    }

    programme_id: str = ""


class FundBoardMemberForm(Form):
    """One of the municipality's people named to a fund's own board."""

    PARSE = {
        "person_id": partial(_whole, message=N_("Choose one of the municipality's people.")),
        "term_start": inputs.day,
    }

    person_id: str = ""
    seat: str = ""
    term_start: str = ""

    values = Form.parsed


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

    PARSE = {"reporting_deadline": optional(inputs.day)}

    def values(self) -> dict:
        votes = {int(k): v for k, v in self.prefixed["vote-"].items() if k.isdigit()}
        return {**self.parsed(), "votes": votes}


class AttachmentsForm(Form):
    attachments: list[UploadFile] = []  # noqa: RUF012 - a form's field, not shared state

    async def files(self) -> list[FileInput]:
        with self.reading() as read:
            names = [read(file_name, upload, "attachments") for upload in self.attachments]
        return await uploads_of(self.attachments, names, FileInput)


class AppealForm(Form):
    appeal_reason: str = ""

    def values(self) -> dict:
        return {"reason": self.checked().appeal_reason}
