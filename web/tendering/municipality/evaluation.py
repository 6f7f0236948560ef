"""Evaluating the opened bids: conflicts of interest declared, qualification with reasons, scores per
criterion per bid, the ranking; then the award notice with its reasons and, after the standstill,
the contract."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Annotated

from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Response, Template

from services import inputs
from services.errors import N_, Conflict
from services.tendering import service as tendering
from services.tendering.roles import MANAGERS, OPENERS
from services.tendering.rules import InvalidScore, StandstillNotOver
from tenants.context import tenant_tx
from web.actions import act, again_with
from web.auth.guards import municipality_member, person_of, principal_of
from web.forms import URL_ENCODED, Form, form_post
from web.templating import OSLO
from web.tendering.municipality.tender import ONE, _on_tender, base_of, own_tender
from web.tendering.pages import page

EVALUATION = ONE + "/evaluation"
BID = ONE + "/bids/{bid_id:int}"


async def _evaluation_page(
    request: Request, tender_id: int, *, status: int = 200, **context
) -> Template:
    async with tenant_tx():
        tender = await own_tender(tender_id)
        bids = await tendering.opened_bids(tender_id)
        ranked = await _ranking(tender_id) if bids else []
        notices = await tendering.award_notices(tender_id)
    return page(
        request,
        "tendering/municipality/evaluation.html",
        status=status,
        base=base_of(request),
        tender=tender,
        bids=bids,
        ranked={int(r.bid_id): r for r in ranked},
        notices=notices,
        role=principal_of(request).active.role,
        **context,
    )


async def _ranking(tender_id: int) -> list:
    """The ranking so far; none until every qualified bid has a score for every criterion."""
    try:
        return await tendering.ranking(tender_id)
    except InvalidScore:
        return []


@get(EVALUATION, guards=[municipality_member()], name="tender_evaluation")
async def evaluation(
    request: Request, tender_id: FromPath[int]
) -> Template:
    return await _evaluation_page(request, tender_id)


class DeclarationForm(Form):
    role: str = ""
    conflicted: str = ""
    note: str = ""


class QualificationForm(Form):
    qualified: str = ""
    reason: str = ""


class ScoresForm(Form):
    PREFIXED = ("score:",)
    PREFIX_FIELDS = {"score:": "scores"}

    note: str = ""

    def scores(self) -> dict[str, Decimal]:
        """The score given per criterion, read as Norwegians write a number (a decimal comma)."""
        with self.reading() as read:
            given = {
                criterion: read(inputs.number, typed, "scores")
                for criterion, typed in self.prefixed["score:"].items()
                if typed
            }
        return given


class AwardForm(Form):
    reasons: str = ""


async def _on_evaluation(
    request: Request,
    tender_id: int,
    work,
    *,
    said: str,
    errors_key: str,
    form: dict[str, str],
    then: str = "/evaluation",
) -> Response:
    """An action on the evaluation page: its use-case, then the page `then` below the tender; a
    refusal on the evaluation page again, beside the form it came from."""
    return await act(
        request,
        work,
        done=f"{base_of(request)}/{tender_id}{then}",
        said=said,
        again=again_with(partial(_evaluation_page, request, tender_id), errors_key, form=form),
    )


@form_post(
    EVALUATION + "/declaration", name="declare_interest", guards=[municipality_member(*OPENERS)]
)
async def declare(
    request: Request,
    tender_id: FromPath[int],
    data: Annotated[DeclarationForm, URL_ENCODED],
) -> Response:
    return await _on_evaluation(
        request,
        tender_id,
        lambda: tendering.declare_interest(
            tender_id,
            person_id=person_of(request),
            role=data.checked().role,
            conflicted=data.conflicted == "yes",
            note=data.note,
        ),
        said=N_("Your declaration is recorded."),
        errors_key="declaration_errors",
        form=data.texts(),
    )


@form_post(
    BID + "/qualification", name="record_qualification", guards=[municipality_member(*OPENERS)]
)
async def qualification(
    request: Request,
    tender_id: FromPath[int],
    bid_id: FromPath[int],
    data: Annotated[QualificationForm, URL_ENCODED],
) -> Response:
    return await _on_evaluation(
        request,
        tender_id,
        lambda: tendering.record_qualification(
            tender_id,
            bid_id,
            actor_person_id=person_of(request),
            qualified=data.checked().qualified == "yes",
            reason=data.reason,
        ),
        said=N_("The qualification is recorded."),
        errors_key="qualification_errors",
        form={**data.texts(), "bid_id": str(bid_id)},
    )


@form_post(BID + "/scores", name="score_bid", guards=[municipality_member(*OPENERS)])
async def scores(
    request: Request,
    tender_id: FromPath[int],
    bid_id: FromPath[int],
    data: Annotated[ScoresForm, URL_ENCODED],
) -> Response:
    return await _on_evaluation(
        request,
        tender_id,
        lambda: tendering.score_bid(
            tender_id, bid_id, evaluator_id=person_of(request), scores=data.scores(), note=data.note
        ),
        said=N_("The scores are saved."),
        errors_key="score_errors",
        form={**data.texts(), "bid_id": str(bid_id)},
    )


@form_post(
    EVALUATION + "/complete", name="complete_evaluation", guards=[municipality_member(*OPENERS)]
)
async def complete(
    request: Request, tender_id: FromPath[int]
) -> Response:
    return await _on_evaluation(
        request,
        tender_id,
        lambda: tendering.complete_evaluation(tender_id, actor_person_id=person_of(request)),
        said=N_("The evaluation is completed."),
        errors_key="complete_errors",
        form={},
    )


@form_post(ONE + "/award", name="notify_award", guards=[municipality_member(*MANAGERS)])
async def award(
    request: Request,
    tender_id: FromPath[int],
    data: Annotated[AwardForm, URL_ENCODED],
) -> Response:
    return await _on_evaluation(
        request,
        tender_id,
        lambda: tendering.notify_award(
            tender_id, actor_person_id=person_of(request), reasons=data.checked().reasons
        ),
        said=N_("The award is notified to every bidder. The standstill period has begun."),
        errors_key="award_errors",
        form=data.texts(),
        then="",
    )


@form_post(ONE + "/contract", name="sign_contract", guards=[municipality_member(*MANAGERS)])
async def sign(
    request: Request, tender_id: FromPath[int]
) -> Response:
    async def work() -> None:
        try:
            await tendering.sign_contract(tender_id, actor_person_id=person_of(request))
        except StandstillNotOver as refusal:
            raise StandstillMessage(refusal.ends_at) from None

    return await _on_tender(request, tender_id, work, said=N_("The contract is signed."))


class StandstillMessage(Conflict):
    """The standstill refusal with its end on the Norwegian clock, beside the contract button."""

    def __init__(self, ends_at) -> None:
        super().__init__(
            "standstill_not_over",
            N_("The standstill period has not ended: the contract may be signed from %(when)s."),
            field="standstill",
            # The day in Oslo, written in the reader's form by the refusal.
            values={"when": ends_at.astimezone(OSLO).date() if ends_at else ends_at},
        )


ROUTES = [evaluation, declare, qualification, scores, complete, award, sign]
