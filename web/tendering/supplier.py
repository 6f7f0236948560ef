"""A business's side of a tender: the tender with its countdown, questions, the sealed bid and its
receipt, withdrawing and reconfirming, and "my bids". Every use-case runs in the organisation's scope."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from functools import partial
from typing import Annotated

from litestar import Request, get
from litestar.datastructures import UploadFile
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from services import formats, inputs
from services.errors import N_, InvalidInput
from services.files import FileInput
from services.tendering import receipts
from services.tendering import service as tendering
from services.tendering.rules import MAX_BID_BYTES
from services.tendering.schemas import BidReceipt
from tenants.context import NOBODY, tenant_tx
from web.actions import act, again_with
from web.auth.guards import logged_in, organisation_member, person_of, principal_of
from web.downloads import download
from web.forms import MULTI_PART, URL_ENCODED, Form, form_post
from web.i18n import gettext
from web.tendering.pages import page, sealing_key
from web.tendering.public import read_public_tender

ORG = "/o/{organisasjonsnummer:str}"
TENDER = ORG + "/tenders/{tender_id:int}"
BID = ORG + "/bids/{bid_id:int}"


def _base(request: Request) -> str:
    return f"/o/{principal_of(request).active.organisasjonsnummer}"


@get("/tenders/{tender_id:int}/bid", guards=[logged_in], name="bid_for_tender")
async def bid_for_tender(request: Request, tender_id: FromPath[int]) -> Redirect:
    """Where "log in to send a bid" lands: the tender under the organisation the person acts for."""
    async with tenant_tx(NOBODY):
        await tendering.get_tender(tender_id)  # a draft or an unknown id is 404 here too
    active = principal_of(request).active
    if active is None or active.scope != "organisation":
        return Redirect(f"/tenders/{tender_id}", status_code=303)
    return Redirect(f"/o/{active.organisasjonsnummer}/tenders/{tender_id}", status_code=303)


async def _tender_page(
    request: Request, tender_id: int, *, status: int = 200, **context
) -> Template:
    async with tenant_tx():
        public = await read_public_tender(tender_id)
        bids = await tendering.own_bids(tender_id)
        notified = public.tender.award_notified_at
        notices = await tendering.award_notices(tender_id) if notified else []
    standing = next((b for b in bids if b.withdrawn_at is None), None)
    context.setdefault("key", secrets.token_urlsafe(24))
    now = datetime.now(UTC)
    return page(
        request,
        "tendering/supplier/tender.html",
        status=status,
        base=_base(request),
        **public._asdict(),
        bids=bids,
        standing=standing,
        notices=notices,
        server_now=now.isoformat(),
        # Past the deadline but not yet closed by the scheduler: no form to send (the server
        # would refuse it anyway); web/static/js/tendering.js does the same while the page is open.
        bids_closed=public.tender.bid_deadline <= now,
        **context,
    )


@get(TENDER, guards=[organisation_member()], name="supplier_tender")
async def tender_page(
    request: Request, tender_id: FromPath[int]
) -> Template:
    return await _tender_page(request, tender_id)


class QuestionForm(Form):
    question: str = ""


@form_post(TENDER + "/questions", name="ask_question", guards=[organisation_member()])
async def ask(
    request: Request,
    tender_id: FromPath[int],
    data: Annotated[QuestionForm, URL_ENCODED],
) -> Response:
    again = again_with(
        partial(_tender_page, request, tender_id), "question_errors", question_form=data.texts()
    )
    return await act(
        request,
        lambda: tendering.ask_question(
            tender_id, person_id=person_of(request), question=data.checked().question
        ),
        done=f"{_base(request)}/tenders/{tender_id}",
        said=N_(
            "Your question has been sent. The answer is published here for every supplier,"
            " without your name."
        ),
        again=again,
    )


class BidForm(Form):
    """The bid as typed: the price, one answer per criterion (answer:<name>), the files."""

    PREFIXED = ("answer:",)
    PREFIX_FIELDS = {"answer:": "answers"}

    idempotency_key: str = ""
    price: str = ""
    documents: list[UploadFile] = []  # noqa: RUF012 - a form's field, not shared state

    async def bid(self) -> dict:
        """What submit_bid takes; every field's refusal at once."""
        with self.reading() as read:
            price = read(inputs.amount, self.price, "price", above_zero=True)
            uploads = await read.uploads(self.documents, "documents")
        return {
            "idempotency_key": self.idempotency_key,
            "price": price,
            "answers": self.prefixed["answer:"],
            "documents": [FileInput(*upload) for upload in uploads],
        }

    def shown(self) -> dict[str, str]:
        """The form again as the page shows it: the price, then each answer by its criterion."""
        return {"price": self.price, **self.prefixed["answer:"]}


@form_post(
    TENDER + "/bids",
    name="submit_bid",
    guards=[organisation_member()],
    uploads=MAX_BID_BYTES,
)
async def submit(
    request: Request,
    tender_id: FromPath[int],
    data: Annotated[BidForm, MULTI_PART],
) -> Response:
    refused_key: list[str] = []

    async def work() -> BidReceipt:
        try:
            return await tendering.submit_bid(
                tender_id,
                person_id=person_of(request),
                sealing_key=sealing_key(request),
                **await data.bid(),
            )
        except InvalidInput as refusal:
            if refusal.field == "idempotency_key":
                refused_key.append(data.idempotency_key)
            raise

    async def again(status: int, errors: dict[str, str]) -> Response:
        return await _tender_page(
            request,
            tender_id,
            status=status,
            bid_form=data.shown(),
            bid_errors=errors,
            key=secrets.token_urlsafe(24) if refused_key else data.idempotency_key,
        )

    return await act(
        request,
        work,
        done=lambda receipt: f"{_base(request)}/bids/{receipt.bid_id}",
        said=N_("Your bid is received and sealed until the deadline. Keep the receipt."),
        again=again,
    )


async def _receipt(request: Request, bid_id: int) -> dict[str, str]:
    """The receipt as text (price, files, times), the same the mail and the PDF carry."""
    async with tenant_tx():
        found = await tendering.bid_receipt(bid_id, sealing_key=sealing_key(request))
    values, sealed = receipts.values_of(found)
    return {**values, **sealed, "tender_id": str(found.tender_id)}


@get(BID, guards=[organisation_member()], name="bid_receipt")
async def receipt(
    request: Request, bid_id: FromPath[int]
) -> Template:
    lang = request.state.get("lang", "nb")
    shown = await _receipt(request, bid_id)
    return page(
        request,
        "tendering/supplier/receipt.html",
        base=_base(request),
        receipt=shown,
        facts=receipts.facts(lang, shown),
        files=[(f.name, formats.size(f.size, lang), f.sha256) for f in receipts.files_of(shown)],
        received=receipts.received_text(lang, shown),
    )


@get(BID + "/receipt.pdf", guards=[organisation_member()], name="bid_receipt_pdf")
async def receipt_pdf(
    request: Request, bid_id: FromPath[int]
) -> Response:
    """The receipt to keep, as a tagged PDF in the reader's language."""
    lang = request.state.get("lang", "nb")
    shown = await _receipt(request, bid_id)
    name = gettext(lang, N_("receipt-bid-%(number)s.pdf"), number=bid_id)
    return download(receipts.receipt_pdf(lang, shown), name, "application/pdf")


@form_post(BID + "/withdraw", name="withdraw_bid", guards=[organisation_member()])
async def withdraw(
    request: Request, bid_id: FromPath[int]
) -> Response:
    return await act(
        request,
        lambda: tendering.withdraw_bid(bid_id, person_id=person_of(request)),
        done=lambda bid: f"{_base(request)}/tenders/{bid.tender_id}",
        said=N_("Your bid is withdrawn. You may send a new one before the deadline."),
    )


@form_post(BID + "/reconfirm", name="reconfirm_bid", guards=[organisation_member()])
async def reconfirm(
    request: Request, bid_id: FromPath[int]
) -> Response:
    return await act(
        request,
        lambda: tendering.reconfirm_bid(bid_id, person_id=person_of(request)),
        done=f"{_base(request)}/bids/{bid_id}",
        said=N_("Your bid is reconfirmed."),
    )


@get(ORG + "/bids", guards=[organisation_member()], name="my_bids")
async def my_bids(request: Request) -> Template:
    async with tenant_tx():
        bids = await tendering.own_bids()
        tenders = {b.tender_id: await tendering.get_tender(b.tender_id) for b in bids}
    return page(
        request, "tendering/supplier/bids.html", base=_base(request), bids=bids, tenders=tenders
    )


ROUTES = [
    bid_for_tender,
    tender_page,
    ask,
    submit,
    receipt,
    receipt_pdf,
    withdraw,
    reconfirm,
    my_bids,
]
