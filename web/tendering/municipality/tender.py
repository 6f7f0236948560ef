"""A tender as its municipality runs it: publish, documents, answers to questions, the two-person
opening. Before the opening the page shows no bid at all, not even how many came."""

from __future__ import annotations

from datetime import UTC, datetime

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Response, Template

from services.access import service as access
from services.errors import DomainError
from services.tendering import service as tendering
from services.tendering.errors import InvalidTenderState, TenderNotFound
from services.tendering.rules import MAX_DOCUMENT_BYTES
from services.tendering.sealing import SEALING_KEY_PURPOSE
from tenants.context import current_scope, tenant_tx
from web.account.controller import go_to
from web.auth.guards import municipality_member, principal_of
from web.forms import errors_of, fields, uploaded_file
from web.tendering.pages import page

ONE = "/k/{kommunenummer:str}/tenders/{tender_id:int}"
MANAGERS = ("admin", "case_officer")
OPENERS = ("admin", "case_officer", "evaluator", "board_member")
MAX_UPLOAD = MAX_DOCUMENT_BYTES + 1024 * 1024


def base_of(request: Request) -> str:
    return f"/k/{principal_of(request).active.kommunenummer}/tenders"


def sealing_key(request: Request) -> bytes:
    return request.app.state.settings.derived_key(SEALING_KEY_PURPOSE)


async def read_tender(tender_id: int) -> dict:
    """Everything the tender page shows, inside the caller's transaction (the municipality's)."""
    tender = await tendering.get_tender(tender_id)
    if tender.tenant_id != current_scope.get().tenant_id:
        raise TenderNotFound()  # another municipality's tender, public or not, is not ours to run
    found = {
        "tender": tender,
        "documents": await tendering.documents(tender_id),
        "clarifications": await tendering.clarifications(tender_id),
        "questions": await tendering.questions(tender_id),
        "names": {
            m.person_id: m.person_name
            for m in await access.members_of(municipality_id=tender.tenant_id)
        },
        "opening": None,
    }
    try:
        found["opening"] = await tendering.opening_protocol(tender_id)
    except InvalidTenderState:
        pass
    return found


async def tender_page_of(
    request: Request, tender_id: int, *, status: int = 200, **context
) -> Template:
    async with tenant_tx():
        found = await read_tender(tender_id)
    tender = found["tender"]
    return page(
        request,
        "tendering/municipality/tender.html",
        status=status,
        base=base_of(request),
        deadline_passed=datetime.now(UTC) >= tender.bid_deadline,
        role=principal_of(request).active.role,
        me=principal_of(request).person.id,
        **found,
        **context,
    )


@get(ONE, guards=[municipality_member()], name="municipality_tender")
async def tender_page(
    request: Request, kommunenummer: FromPath[str], tender_id: FromPath[int]
) -> Template:
    return await tender_page_of(request, tender_id)


@post(
    ONE + "/publish",
    guards=[municipality_member(*MANAGERS)],
    name="publish_tender",
    status_code=200,
)
async def publish(
    request: Request, kommunenummer: FromPath[str], tender_id: FromPath[int]
) -> Response:
    try:
        async with tenant_tx():
            await tendering.publish_tender(
                tender_id, actor_person_id=principal_of(request).person.id
            )
    except DomainError as error:
        if error.status == 404:
            raise
        return await tender_page_of(
            request, tender_id, status=422, action_errors=errors_of(request, error)
        )
    return go_to(request, f"{base_of(request)}/{tender_id}")


@post(
    ONE + "/documents",
    guards=[municipality_member(*MANAGERS)],
    name="add_tender_document",
    status_code=200,
    request_max_body_size=MAX_UPLOAD,
)
async def add_document(
    request: Request, kommunenummer: FromPath[str], tender_id: FromPath[int]
) -> Response:
    try:
        upload = await uploaded_file(request, "file", field="documents")
        async with tenant_tx():
            await tendering.add_document(
                tender_id,
                actor_person_id=principal_of(request).person.id,
                name=upload.name,
                media_type=upload.media_type or "application/octet-stream",
                content=upload.content,
            )
    except DomainError as error:
        if error.status == 404:
            raise
        return await tender_page_of(
            request, tender_id, status=422, document_errors=errors_of(request, error)
        )
    return go_to(request, f"{base_of(request)}/{tender_id}")


@post(
    ONE + "/answers",
    guards=[municipality_member(*MANAGERS)],
    name="answer_question",
    status_code=200,
)
async def answer(
    request: Request, kommunenummer: FromPath[str], tender_id: FromPath[int]
) -> Response:
    """An answer published for every supplier: to a question asked, or a clarification of its own."""
    form = await fields(request)
    question_id = form.get("question_id", "")
    try:
        async with tenant_tx():
            await tendering.answer_question(
                tender_id,
                actor_person_id=principal_of(request).person.id,
                answer=form.get("answer", ""),
                question_id=int(question_id) if question_id.isdigit() else None,
                question=form.get("question") or None,
            )
    except DomainError as error:
        if error.status == 404 and error.field != "question_id":
            raise
        return await tender_page_of(
            request,
            tender_id,
            status=422,
            answer_form=form,
            answer_errors=errors_of(request, error),
        )
    return go_to(request, f"{base_of(request)}/{tender_id}#questions")


@post(
    ONE + "/opening",
    guards=[municipality_member(*OPENERS)],
    name="confirm_opening",
    status_code=200,
)
async def confirm_opening(
    request: Request, kommunenummer: FromPath[str], tender_id: FromPath[int]
) -> Response:
    """The first person confirms; a second, another person, completes the opening."""
    try:
        async with tenant_tx():
            await tendering.confirm_opening(
                tender_id,
                person_id=principal_of(request).person.id,
                sealing_key=sealing_key(request),
            )
    except DomainError as error:
        if error.status == 404:
            raise
        return await tender_page_of(
            request, tender_id, status=error.status, action_errors=errors_of(request, error)
        )
    return go_to(request, f"{base_of(request)}/{tender_id}")


@post(
    ONE + "/cancel", guards=[municipality_member(*MANAGERS)], name="cancel_tender", status_code=200
)
async def cancel(
    request: Request, kommunenummer: FromPath[str], tender_id: FromPath[int]
) -> Response:
    form = await fields(request)
    try:
        async with tenant_tx():
            await tendering.cancel_tender(
                tender_id,
                actor_person_id=principal_of(request).person.id,
                reason=form.get("reason", ""),
            )
    except DomainError as error:
        if error.status == 404:
            raise
        return await tender_page_of(
            request, tender_id, status=422, cancel_errors=errors_of(request, error)
        )
    return go_to(request, f"{base_of(request)}/{tender_id}")


ROUTES = [tender_page, publish, add_document, answer, confirm_opening, cancel]
