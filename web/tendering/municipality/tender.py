"""A tender as its municipality runs it: publish, documents, answers to questions, the two-person
opening, completion. Before the opening the page shows no bid at all, not even how many came."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from typing import Annotated

from litestar import Request, get
from litestar.datastructures import UploadFile
from litestar.params import FromPath
from litestar.response import Response, Template

from services import inputs
from services.access import service as access
from services.errors import N_
from services.tendering import service as tendering
from services.tendering.errors import InvalidTenderState, TenderNotFound
from services.tendering.roles import MANAGERS, OPENERS
from services.tendering.rules import MAX_DOCUMENT_BYTES
from services.tendering.schemas import TenderView
from tenants.context import current_scope, tenant_tx
from web.actions import Again, act, again_with
from web.auth.guards import municipality_member, person_of, principal_of
from web.forms import MULTI_PART, URL_ENCODED, Form, form_post, upload_of
from web.templating import wants_fragment
from web.tendering.pages import page, sealing_key

ONE = "/k/{kommunenummer:str}/tenders/{tender_id:int}"


def base_of(request: Request) -> str:
    return f"/k/{principal_of(request).active.kommunenummer}/tenders"


async def own_tender(tender_id: int) -> TenderView:
    """The tender, inside the caller's transaction, if it is this municipality's: another
    municipality's tender, public or not, is not ours to run."""
    tender = await tendering.get_tender(tender_id)
    if tender.tenant_id != current_scope.get().tenant_id:
        raise TenderNotFound()
    return tender


async def read_tender(tender_id: int) -> dict:
    """Everything the tender page shows, inside the caller's transaction (the municipality's)."""
    tender = await own_tender(tender_id)
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
        # The signing is judged by the database's clock; the page only stops offering it early.
        standstill_over=bool(tender.standstill_ends_at)
        and datetime.now(UTC) >= tender.standstill_ends_at,
        role=principal_of(request).active.role,
        me=person_of(request),
        **found,
        **context,
    )


def again(request: Request, tender_id: int, errors_key: str, **context) -> Again:
    """The tender page again, the refusal beside the form it came from."""
    return again_with(partial(tender_page_of, request, tender_id), errors_key, **context)


class DocumentForm(Form):
    file: UploadFile | None = None


class AnswerForm(Form):
    answer: str = ""
    question_id: str = ""
    question: str = ""

    def question_number(self) -> int | None:
        with self.reading() as read:
            number = read.optional(inputs.whole, self.question_id, "question_id")
        return number


class CancelForm(Form):
    reason: str = ""


@get(ONE, guards=[municipality_member()], name="municipality_tender")
async def tender_page(
    request: Request, tender_id: FromPath[int]
) -> Template:
    return await tender_page_of(request, tender_id)


async def _on_tender(
    request: Request, tender_id: int, work, *, said: str, errors_key: str = "action_errors"
) -> Response:
    """An action on the tender page: its use-case, then the tender page again; a refusal
    beside the form it came from."""
    return await act(
        request,
        work,
        done=f"{base_of(request)}/{tender_id}",
        said=said,
        again=again(request, tender_id, errors_key),
    )


@form_post(ONE + "/publish", name="publish_tender", guards=[municipality_member(*MANAGERS)])
async def publish(
    request: Request, tender_id: FromPath[int]
) -> Response:
    return await _on_tender(
        request,
        tender_id,
        lambda: tendering.publish_tender(tender_id, actor_person_id=person_of(request)),
        said=N_("The tender is published. Suppliers can now send bids."),
    )


@form_post(
    ONE + "/documents",
    name="add_tender_document",
    guards=[municipality_member(*MANAGERS)],
    uploads=MAX_DOCUMENT_BYTES,
)
async def add_document(
    request: Request,
    tender_id: FromPath[int],
    data: Annotated[DocumentForm, MULTI_PART],
) -> Response:
    async def work() -> None:
        upload = await upload_of(data.file, field="documents")
        await tendering.add_document(
            tender_id,
            actor_person_id=person_of(request),
            name=upload.name,
            media_type=upload.media_type or "application/octet-stream",
            content=upload.content,
        )

    return await _on_tender(
        request,
        tender_id,
        work,
        said=N_("The document is added to the tender."),
        errors_key="document_errors",
    )


ANSWERED = N_("The answer is published for every supplier.")


async def answered(request: Request, tender_id: int) -> str | Response:
    """After an answer: for htmx the page, whose questions region the form swaps in whole (the
    answer moves from the waiting list to the published one, with a confirmation there);
    without JavaScript, the page by Post/Redirect/Get."""
    if wants_fragment(request):
        return await tender_page_of(request, tender_id, answered=ANSWERED)
    return f"{base_of(request)}/{tender_id}#questions"


@form_post(ONE + "/answers", name="answer_question", guards=[municipality_member(*MANAGERS)])
async def answer(
    request: Request,
    tender_id: FromPath[int],
    data: Annotated[AnswerForm, URL_ENCODED],
) -> Response:
    """An answer published for every supplier: to a question asked, or a clarification of its own."""
    return await act(
        request,
        lambda: tendering.answer_question(
            tender_id,
            actor_person_id=person_of(request),
            answer=data.checked().answer,
            question_id=data.question_number(),
            question=data.question or None,
        ),
        done=lambda _: answered(request, tender_id),
        said=ANSWERED,
        again=again(request, tender_id, "answer_errors", answer_form=data.texts()),
    )


@form_post(ONE + "/opening", name="confirm_opening", guards=[municipality_member(*OPENERS)])
async def confirm_opening(
    request: Request, tender_id: FromPath[int]
) -> Response:
    """The first person confirms; a second, another person, completes the opening."""
    return await _on_tender(
        request,
        tender_id,
        lambda: tendering.confirm_opening(
            tender_id, person_id=person_of(request), sealing_key=sealing_key(request)
        ),
        said=N_("Your confirmation of the opening is recorded."),
    )


@form_post(ONE + "/cancel", name="cancel_tender", guards=[municipality_member(*MANAGERS)])
async def cancel(
    request: Request,
    tender_id: FromPath[int],
    data: Annotated[CancelForm, URL_ENCODED],
) -> Response:
    return await _on_tender(
        request,
        tender_id,
        lambda: tendering.cancel_tender(
            tender_id, actor_person_id=person_of(request), reason=data.checked().reason
        ),
        said=N_("The tender is cancelled."),
        errors_key="cancel_errors",
    )


@form_post(ONE + "/complete", name="complete_tender", guards=[municipality_member(*MANAGERS)])
async def complete(
    request: Request, tender_id: FromPath[int]
) -> Response:
    """The signed contract has been carried out: the tender is completed."""
    return await _on_tender(
        request,
        tender_id,
        lambda: tendering.complete_tender(tender_id, actor_person_id=person_of(request)),
        said=N_("The tender is completed."),
    )


ROUTES = [tender_page, publish, add_document, answer, confirm_opening, cancel, complete]
