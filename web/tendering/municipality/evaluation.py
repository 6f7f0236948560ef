"""Evaluating the opened bids: conflicts of interest declared, qualification with reasons, scores per
criterion per bid, the ranking; then the award notice with its reasons and, after the standstill,
the contract."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Annotated

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Response, Template

from services import inputs
from services.errors import N_, Conflict
from services.tendering import service as tendering
from services.tendering.errors import TenderNotFound
from services.tendering.roles import MANAGERS, OPENERS
from services.tendering.rules import InvalidScore, StandstillNotOver
from tenants.context import current_scope, tenant_tx
from web.actions import Again, act, again_with
from web.auth.guards import municipality_member, person_of, principal_of
from web.forms import FORMS, URL_ENCODED, Form
from web.templating import OSLO
from web.tendering.municipality.tender import ONE, base_of, tender_page_of
from web.tendering.pages import page

EVALUATION = ONE + "/evaluation"
BID = ONE + "/bids/{bid_id:int}"


async def _evaluation_page(
    request: Request, tender_id: int, *, status: int = 200, **context
) -> Template:
    async with tenant_tx():
        tender = await tendering.get_tender(tender_id)
        if tender.tenant_id != current_scope.get().tenant_id:
            raise TenderNotFound()
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
    request: Request, kommunenummer: FromPath[str], tender_id: FromPath[int]
) -> Template:
    return await _evaluation_page(request, tender_id)


def _again(request: Request, tender_id: int, errors_key: str, form: dict) -> Again:
    """The evaluation page again, the refusal beside the form it came from."""
    return again_with(partial(_evaluation_page, request, tender_id), errors_key, form=form)


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


@post(
    EVALUATION + "/declaration",
    guards=[municipality_member(*OPENERS)],
    name="declare_interest",
    status_code=200,
    type_decoders=FORMS,
)
async def declare(
    request: Request,
    kommunenummer: FromPath[str],
    tender_id: FromPath[int],
    data: Annotated[DeclarationForm, URL_ENCODED],
) -> Response:
    return await act(
        request,
        lambda: tendering.declare_interest(
            tender_id,
            person_id=person_of(request),
            role=data.checked().role,
            conflicted=data.conflicted == "yes",
            note=data.note,
        ),
        done=f"{base_of(request)}/{tender_id}/evaluation",
        again=_again(request, tender_id, "declaration_errors", data.texts()),
    )


@post(
    BID + "/qualification",
    guards=[municipality_member(*OPENERS)],
    name="record_qualification",
    status_code=200,
    type_decoders=FORMS,
)
async def qualification(
    request: Request,
    kommunenummer: FromPath[str],
    tender_id: FromPath[int],
    bid_id: FromPath[int],
    data: Annotated[QualificationForm, URL_ENCODED],
) -> Response:
    return await act(
        request,
        lambda: tendering.record_qualification(
            tender_id,
            bid_id,
            actor_person_id=person_of(request),
            qualified=data.checked().qualified == "yes",
            reason=data.reason,
        ),
        done=f"{base_of(request)}/{tender_id}/evaluation",
        again=_again(
            request, tender_id, "qualification_errors", {**data.texts(), "bid_id": str(bid_id)}
        ),
    )


@post(
    BID + "/scores",
    guards=[municipality_member(*OPENERS)],
    name="score_bid",
    status_code=200,
    type_decoders=FORMS,
)
async def scores(
    request: Request,
    kommunenummer: FromPath[str],
    tender_id: FromPath[int],
    bid_id: FromPath[int],
    data: Annotated[ScoresForm, URL_ENCODED],
) -> Response:
    return await act(
        request,
        lambda: tendering.score_bid(
            tender_id, bid_id, evaluator_id=person_of(request), scores=data.scores(), note=data.note
        ),
        done=f"{base_of(request)}/{tender_id}/evaluation",
        again=_again(request, tender_id, "score_errors", {**data.texts(), "bid_id": str(bid_id)}),
    )


@post(
    EVALUATION + "/complete",
    guards=[municipality_member(*OPENERS)],
    name="complete_evaluation",
    status_code=200,
)
async def complete(
    request: Request, kommunenummer: FromPath[str], tender_id: FromPath[int]
) -> Response:
    return await act(
        request,
        lambda: tendering.complete_evaluation(tender_id, actor_person_id=person_of(request)),
        done=f"{base_of(request)}/{tender_id}/evaluation",
        again=_again(request, tender_id, "complete_errors", {}),
    )


@post(
    ONE + "/award",
    guards=[municipality_member(*MANAGERS)],
    name="notify_award",
    status_code=200,
    type_decoders=FORMS,
)
async def award(
    request: Request,
    kommunenummer: FromPath[str],
    tender_id: FromPath[int],
    data: Annotated[AwardForm, URL_ENCODED],
) -> Response:
    return await act(
        request,
        lambda: tendering.notify_award(
            tender_id, actor_person_id=person_of(request), reasons=data.checked().reasons
        ),
        done=f"{base_of(request)}/{tender_id}",
        again=_again(request, tender_id, "award_errors", data.texts()),
    )


@post(
    ONE + "/contract",
    guards=[municipality_member(*MANAGERS)],
    name="sign_contract",
    status_code=200,
)
async def sign(
    request: Request, kommunenummer: FromPath[str], tender_id: FromPath[int]
) -> Response:
    async def work() -> None:
        try:
            await tendering.sign_contract(tender_id, actor_person_id=person_of(request))
        except StandstillNotOver as refusal:
            raise StandstillMessage(refusal.ends_at) from None

    again = again_with(partial(tender_page_of, request, tender_id), "action_errors")
    return await act(request, work, done=f"{base_of(request)}/{tender_id}", again=again)


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
