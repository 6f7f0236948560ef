"""The tender protocol as a person writes one: each event of the audit chain told as a sentence in
the reader's language, with names instead of ids and the figures in tables; page and PDF share it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from services.errors import N_
from services.tendering.rules import AwardCriterion
from services.tendering.schemas import ProtocolEvent, TenderView
from web.i18n import gettext
from web.templating import date_text, kroner_text, score_text, time_text

ROLES = {"evaluator": N_("evaluator"), "board_member": N_("board member")}
# Reasons the opening writes in code; the protocol tells them in the reader's language.
REASONS = {
    "not reconfirmed after the tender documents changed": N_(
        "not reconfirmed after the tender documents changed"
    )
}


@dataclass
class Table:
    """Figures that read better in columns: a caption, headers, rows; `numbers` align right."""

    caption: str
    headers: list[str]
    rows: list[list[str]]
    numbers: set[int] = field(default_factory=set)


@dataclass
class Entry:
    number: int
    when: str
    sentence: str
    table: Table | None = None


@dataclass
class Names:
    """Who is who in this tender: the municipality's people and the bidders, by id."""

    people: dict[int, str]
    bidders: dict[int, str]


class _Teller:
    """Tells one event; one method per action, named after it."""

    def __init__(self, tender: TenderView, names: Names, lang: str) -> None:
        self.tender, self.names, self.lang = tender, names, lang

    def _(self, message: str, **values: Any) -> str:
        return gettext(self.lang, message, **values)

    def person(self, person_id: int | None) -> str:
        if person_id is None:
            return "Samspel"
        return self.names.people.get(person_id) or self._(N_("a former member of the staff"))

    def bidder(self, bid_id: Any) -> str:
        return self.names.bidders.get(int(bid_id), "–") if bid_id is not None else "–"

    def moment(self, value: Any, *, seconds: bool = False) -> str:
        when = datetime.fromisoformat(value) if isinstance(value, str) else value
        return time_text(when, self.lang, seconds=seconds)

    def criteria(self) -> list[AwardCriterion]:
        return list(self.tender.award_criteria)

    def score_table(self, caption: str, scores: dict[str, Any]) -> Table:
        weights = {c.name: c.weight for c in self.criteria()}
        return Table(
            caption,
            [self._(N_("Criterion")), self._(N_("Weight")), self._(N_("Score (0–10)"))],
            [
                [name, f"{weights.get(name, '')}\u00a0%", score_text(value, self.lang)]
                for name, value in scores.items()
            ],
            numbers={1, 2},
        )

    # -- the events, in the order a tender meets them ------------------------------------
    def created(self, who: str, v: dict) -> tuple[str, Table | None]:
        message = N_(
            "%(person)s created the tender “%(title)s” with an estimated value of %(value)s"
            " and the award criteria %(criteria)s."
        )
        return self._tender_terms(message, who, v), None

    def edited(self, who: str, v: dict) -> tuple[str, Table | None]:
        message = N_(
            "%(person)s changed the draft: the tender “%(title)s” with an estimated value of"
            " %(value)s and the award criteria %(criteria)s."
        )
        return self._tender_terms(message, who, v), None

    def _tender_terms(self, message: str, who: str, v: dict) -> str:
        criteria = ", ".join(
            f"{c['name']} {c['weight']}\u00a0%" for c in v.get("award_criteria", [])
        )
        text = self._(
            message,
            person=who,
            title=v.get("title", self.tender.title),
            value=kroner_text(v.get("estimated_value"), self.lang),
            criteria=criteria,
        )
        if v.get("requirements"):
            text += " " + self._(
                N_("Qualification requirements: %(requirements)s."),
                requirements="; ".join(v["requirements"]),
            )
        if v.get("bid_deadline"):
            text += " " + self._(
                N_("Deadline for bids: %(when)s."), when=self.moment(v["bid_deadline"])
            )
        return text

    def published(self, who: str, v: dict) -> tuple[str, Table | None]:
        return self._(N_("%(person)s published the tender."), person=who), None

    def document_added(self, who: str, v: dict) -> tuple[str, Table | None]:
        text = self._(
            N_("%(person)s added the document “%(name)s” (SHA-256 %(sha)s…)."),
            person=who,
            name=v.get("name", ""),
            sha=str(v.get("sha256", ""))[:16],
        )
        if v.get("deadline_moved"):
            text += " " + self._(
                N_("The change came late, so the deadline for bids was moved to %(when)s."),
                when=self.moment(v["bid_deadline"]),
            )
        return text, None

    def question_answered(self, who: str, v: dict) -> tuple[str, Table | None]:
        if v.get("question_id"):
            message = N_(
                "%(person)s answered a supplier's question and published the answer for every"
                " supplier, without the asker's name."
            )
        else:
            message = N_("%(person)s published a clarification for every supplier.")
        return self._(message, person=who), None

    def bids_closed(self, who: str, v: dict) -> tuple[str, Table | None]:
        return self._(N_("The deadline for bids passed; no more bids were received.")), None

    def opening_confirmed(self, who: str, v: dict) -> tuple[str, Table | None]:
        return self._(
            N_("%(person)s confirmed the opening as the first of two persons."), person=who
        ), None

    def opened(self, who: str, v: dict) -> tuple[str, Table | None]:
        return self._(
            N_(
                "%(person)s confirmed the opening as the second person, and the bids were unsealed."
            ),
            person=who,
        ), None

    def opening_completed(self, who: str, v: dict) -> tuple[str, Table | None]:
        text = self._(
            N_("%(first)s and %(second)s opened the bids together. The opening found these bids:"),
            first=self.person(v.get("first")),
            second=self.person(v.get("second")),
        )
        table = Table(
            self._(N_("The bids opened")),
            [
                self._(N_("Bidder")),
                self._(N_("Received")),
                self._(N_("Price")),
                self._(N_("Valid")),
                "SHA-256",
            ],
            [
                [
                    b.get("organisation_name", ""),
                    self.moment(b["received_at"], seconds=True) if b.get("received_at") else "",
                    kroner_text(b.get("price"), self.lang) or "–",
                    self._(N_("Yes"))
                    if b.get("valid")
                    else self._(N_("No"))
                    + (
                        f" ({self._(REASONS.get(b['rejection_reason'], b['rejection_reason']))})"
                        if b.get("rejection_reason")
                        else ""
                    ),
                    f"{str(b.get('sha256', ''))[:16]}…",
                ]
                for b in v.get("bids", [])
            ],
            numbers={2},
        )
        return text, table

    def interest_declared(self, who: str, v: dict) -> tuple[str, Table | None]:
        role = self._(ROLES.get(v.get("role", ""), v.get("role", "")))
        if v.get("conflicted"):
            return self._(
                N_(
                    "%(person)s declared, as %(role)s, a conflict of interest in this tender and"
                    " takes no part in the evaluation: %(note)s"
                ),
                person=self.person(v.get("person_id")),
                role=role,
                note=v.get("note", ""),
            ), None
        return self._(
            N_("%(person)s declared, as %(role)s, no conflict of interest in this tender."),
            person=self.person(v.get("person_id")),
            role=role,
        ), None

    def qualification_recorded(self, who: str, v: dict) -> tuple[str, Table | None]:
        bidder = self.bidder(v.get("bid_id"))
        if v.get("qualified"):
            return self._(
                N_(
                    "%(person)s found that the bid from %(bidder)s meets the qualification"
                    " requirements."
                ),
                person=who,
                bidder=bidder,
            ), None
        return self._(
            N_(
                "%(person)s found that the bid from %(bidder)s does not meet the qualification"
                " requirements: %(reason)s"
            ),
            person=who,
            bidder=bidder,
            reason=v.get("reason", ""),
        ), None

    def bid_scored(self, who: str, v: dict) -> tuple[str, Table | None]:
        bidder = self.bidder(v.get("bid_id"))
        text = self._(N_("%(person)s scored the bid from %(bidder)s:"), person=who, bidder=bidder)
        return text, self.score_table(
            self._(N_("Scores for %(bidder)s"), bidder=bidder), v.get("scores", {})
        )

    def ranked(self, who: str, v: dict) -> tuple[str, Table | None]:
        criteria = self.criteria()
        text = self._(
            N_(
                "%(person)s ranked the qualified bids by their weighted total; the lowest price"
                " earns full points for price. Scores from 0 to 10, the total from 0 to 100:"
            ),
            person=who,
        )
        rows = [
            [str(r.get("rank", "")), self.bidder(r.get("bid_id"))]
            + [score_text(r.get("scores", {}).get(c.name), self.lang) for c in criteria]
            + [score_text(r.get("total"), self.lang)]
            for r in v.get("ranking", [])
        ]
        table = Table(
            self._(N_("The ranking")),
            [self._(N_("Rank")), self._(N_("Bidder"))]
            + [f"{c.name} ({c.weight}\u00a0%)" for c in criteria]
            + [self._(N_("Total"))],
            rows,
            numbers={0, *range(2, len(criteria) + 3)},
        )
        return text, table

    def evaluated(self, who: str, v: dict) -> tuple[str, Table | None]:
        return self._(N_("%(person)s completed the evaluation."), person=who), None

    def unsuccessful(self, who: str, v: dict) -> tuple[str, Table | None]:
        return self._(N_("The tender ended without a contract: no bid could be awarded.")), None

    def award_notified(self, who: str, v: dict) -> tuple[str, Table | None]:
        outcome = v.get("award_outcome") or {}
        if isinstance(outcome, str):
            outcome = json.loads(outcome)
        winner = outcome.get("winner") or {}
        name = winner.get("organisation_name") or self.bidder(v.get("winning_bid_id"))
        text = self._(
            N_(
                "%(person)s notified every bidder at once that the contract is awarded to"
                " %(winner)s. The standstill period ends %(date)s."
            ),
            person=who,
            winner=name,
            date=date_text(v["standstill_ends_at"], self.lang)
            if v.get("standstill_ends_at")
            else "",
        )
        if outcome.get("reasons"):
            text += " " + self._(N_("Reasons: %(reasons)s"), reasons=outcome["reasons"])
        if winner.get("total"):
            text += " " + self._(
                N_("%(winner)s's total score: %(total)s of 100, at a price of %(price)s."),
                winner=name,
                total=score_text(winner["total"], self.lang),
                price=kroner_text(winner.get("price"), self.lang),
            )
        return text, None

    def standstill(self, who: str, v: dict) -> tuple[str, Table | None]:
        return self._(
            N_("The standstill period began; the contract may be signed from %(date)s."),
            date=date_text(self.tender.standstill_ends_at, self.lang),
        ), None

    def contract_signed(self, who: str, v: dict) -> tuple[str, Table | None]:
        return self._(N_("%(person)s signed the contract."), person=who), None

    def completed(self, who: str, v: dict) -> tuple[str, Table | None]:
        return self._(N_("%(person)s marked the tender completed."), person=who), None

    def cancelled(self, who: str, v: dict) -> tuple[str, Table | None]:
        return self._(
            N_("%(person)s cancelled the tender. Reason: %(reason)s"),
            person=who,
            reason=v.get("cancellation_reason", ""),
        ), None


def protocol_entries(
    tender: TenderView, events: list[ProtocolEvent], names: Names, lang: str
) -> list[Entry]:
    """The events told in order, numbered from 1."""
    teller = _Teller(tender, names, lang)
    entries = []
    for number, event in enumerate(events, start=1):
        action = event.action.removeprefix("tender.")
        tell = getattr(teller, action, None)
        who = teller.person(event.actor_person_id)
        if tell is None:  # an event this protocol does not know yet: say so, never hide it
            sentence, table = (
                teller._(N_("%(person)s: %(action)s."), person=who, action=action),
                None,
            )
        else:
            sentence, table = tell(who, dict(event.values or {}))
        entries.append(
            Entry(number, time_text(event.occurred_at, lang, seconds=True), sentence, table)
        )
    return entries
