"""Evaluating the opened bids: conflicts of interest declared, qualification with reasons, scores per
criterion per bid, the ranking; then the award notice with its reasons and, after the standstill,
the contract."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Response, Template

from services.errors import N_, DomainError
from services.tendering import service as tendering
from services.tendering.errors import TenderNotFound
from services.tendering.rules import InvalidScore
from tenants.context import current_scope, tenant_tx
from web.account.controller import go_to
from web.auth.guards import municipality_member, principal_of
from web.forms import errors_of, fields
from web.i18n import gettext
from web.tendering.municipality.tender import MANAGERS, ONE, OPENERS, base_of, tender_page_of
from web.tendering.pages import page, when_text

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


async def _act(request: Request, tender_id: int, work, errors_key: str, form: dict) -> Response:
    """Run one use-case; a refusal comes back as the evaluation page with the error beside its form."""
    try:
        async with tenant_tx():
            await work(principal_of(request).person.id)
    except DomainError as error:
        if error.status == 404 and error.field in (None, "tender_id"):
            raise
        return await _evaluation_page(
            request,
            tender_id,
            status=422,
            **{errors_key: errors_of(request, error), "form": form},
        )
    return go_to(request, f"{base_of(request)}/{tender_id}/evaluation")


@post(
    EVALUATION + "/declaration",
    guards=[municipality_member(*OPENERS)],
    name="declare_interest",
    status_code=200,
)
async def declare(
    request: Request, kommunenummer: FromPath[str], tender_id: FromPath[int]
) -> Response:
    form = await fields(request)

    async def work(person_id: int) -> None:
        await tendering.declare_interest(
            tender_id,
            person_id=person_id,
            role=form.get("role", ""),
            conflicted=form.get("conflicted") == "yes",
            note=form.get("note", ""),
        )

    return await _act(request, tender_id, work, "declaration_errors", form)


@post(
    BID + "/qualification",
    guards=[municipality_member(*OPENERS)],
    name="record_qualification",
    status_code=200,
)
async def qualification(
    request: Request, kommunenummer: FromPath[str], tender_id: FromPath[int], bid_id: FromPath[int]
) -> Response:
    form = {**await fields(request), "bid_id": str(bid_id)}

    async def work(person_id: int) -> None:
        await tendering.record_qualification(
            tender_id,
            bid_id,
            actor_person_id=person_id,
            qualified=form.get("qualified") == "yes",
            reason=form.get("reason", ""),
        )

    return await _act(request, tender_id, work, "qualification_errors", form)


@post(BID + "/scores", guards=[municipality_member(*OPENERS)], name="score_bid", status_code=200)
async def scores(
    request: Request, kommunenummer: FromPath[str], tender_id: FromPath[int], bid_id: FromPath[int]
) -> Response:
    form = {**await fields(request), "bid_id": str(bid_id)}
    given = {
        key.removeprefix("score:"): value.replace(",", ".")
        for key, value in form.items()
        if key.startswith("score:") and value
    }

    async def work(person_id: int) -> None:
        await tendering.score_bid(
            tender_id, bid_id, evaluator_id=person_id, scores=given, note=form.get("note", "")
        )

    return await _act(request, tender_id, work, "score_errors", form)


@post(
    EVALUATION + "/complete",
    guards=[municipality_member(*OPENERS)],
    name="complete_evaluation",
    status_code=200,
)
async def complete(
    request: Request, kommunenummer: FromPath[str], tender_id: FromPath[int]
) -> Response:
    async def work(person_id: int) -> None:
        await tendering.complete_evaluation(tender_id, actor_person_id=person_id)

    return await _act(request, tender_id, work, "complete_errors", {})


@post(ONE + "/award", guards=[municipality_member(*MANAGERS)], name="notify_award", status_code=200)
async def award(
    request: Request, kommunenummer: FromPath[str], tender_id: FromPath[int]
) -> Response:
    form = await fields(request)
    try:
        async with tenant_tx():
            await tendering.notify_award(
                tender_id,
                actor_person_id=principal_of(request).person.id,
                reasons=form.get("reasons", ""),
            )
    except DomainError as error:
        if error.status == 404:
            raise
        return await _evaluation_page(
            request, tender_id, status=422, award_errors=errors_of(request, error), form=form
        )
    return go_to(request, f"{base_of(request)}/{tender_id}")


@post(
    ONE + "/contract",
    guards=[municipality_member(*MANAGERS)],
    name="sign_contract",
    status_code=200,
)
async def sign(
    request: Request, kommunenummer: FromPath[str], tender_id: FromPath[int]
) -> Response:
    try:
        async with tenant_tx():
            await tendering.sign_contract(
                tender_id, actor_person_id=principal_of(request).person.id
            )
    except DomainError as error:
        if error.status == 404:
            raise
        return await tender_page_of(
            request, tender_id, status=422, action_errors=_standstill_message(request, error)
        )
    return go_to(request, f"{base_of(request)}/{tender_id}")


def _standstill_message(request: Request, error: DomainError) -> dict[str, str]:
    ends_at = getattr(error, "ends_at", None)
    if ends_at is None:
        return errors_of(request, error)
    text = gettext(
        request.state.get("lang", "nb"),
        N_("The standstill period has not ended: the contract may be signed from %(when)s."),
        when=when_text(ends_at),
    )
    return {"standstill": text}


ROUTES = [evaluation, declare, qualification, scores, complete, award, sign]
