"""The municipality's tender list and its editor: criteria whose weights are summed as they are
typed (by the server, in a small fragment), errors beside the fields; create, and change a
draft until it is published."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated

from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Response, Template

from services import inputs
from services.errors import N_, InvalidInput, required_text
from services.formats import amount_to_edit
from services.tendering import service as tendering
from services.tendering.errors import InvalidTenderState
from services.tendering.roles import MANAGERS
from services.tendering.rules import OSLO, AwardCriterion, TenderState, deadline_refusals
from services.tendering.schemas import TenderDraft, TenderView
from tenants.context import tenant_tx
from web.actions import act
from web.auth.guards import municipality_member, person_of
from web.forms import URL_ENCODED, Form, errors_of, form_post
from web.i18n import gettext
from web.paging import PAGE, cursor, pages
from web.tendering.municipality.tender import base_of, own_tender, tender_page_of
from web.tendering.pages import STATES, page

LIST = "/k/{kommunenummer:str}/tenders"
ROWS = 5  # criterion rows in the editor; empty ones are left out


@get(LIST, guards=[municipality_member()], name="municipality_tenders")
async def tender_list(request: Request) -> Template:
    """The municipality's tenders, newest first, a page at a time; `?state=` filters by state."""
    state = request.query_params.get("state", "")
    chosen = {"state": state} if state in STATES else {}
    after = cursor(request.query_params.get("after", ""), tuple[datetime, int])
    async with tenant_tx():
        tenders = await tendering.tenders_of_municipality(
            list(chosen.values()) or None, after=after, limit=PAGE + 1
        )
    tenders, links = pages(tenders, chosen, lambda t: (t.created_at, t.id), started=bool(after))
    return page(
        request,
        "tendering/municipality/list.html",
        base=base_of(request),
        tenders=tenders,
        chosen=chosen,
        **links,
    )


@dataclass
class Criteria:
    """The editor's criterion rows as typed, their sum, and what is wrong with them."""

    rows: list[dict]
    total: int
    parsed: list[AwardCriterion]
    problem: str | None


class TenderForm(Form):
    """The editor: the tender's texts, value and deadlines, and its criterion rows."""

    PREFIXED = ("criterion-", "weight-")
    PREFIX_FIELDS = {"criterion-": "award_criteria", "weight-": "award_criteria"}
    LIMITS = {"title": 300}

    title: str = ""
    description: str = ""
    estimated_value: str = ""
    questions_deadline: str = ""
    bid_deadline: str = ""
    requirements: str = ""
    price: str = ""

    def values(self, lang: str) -> dict:
        """What create_tender takes; every field's refusal at once."""
        criteria = criteria_of(self, lang)
        with self.reading() as read:
            read(required_text, self.title, "title")  # first: the summary follows the form
            values = {
                "estimated_value": read(inputs.amount, self.estimated_value, "estimated_value"),
                "questions_deadline": read(
                    inputs.moment, self.questions_deadline, "questions_deadline"
                ),
                "bid_deadline": read(inputs.moment, self.bid_deadline, "bid_deadline"),
            }
            # What the use-case would refuse too, judged here as well so that one answer shows
            # every mistake at once, not the value's now and the title's after the next try.
            deadlines = values["questions_deadline"], values["bid_deadline"]
            for refusal in deadline_refusals(*deadlines, datetime.now(UTC)).values():
                read.refuse(refusal)
            if criteria.problem:
                read.refuse(
                    InvalidInput("award_criteria_invalid", criteria.problem, field="award_criteria")
                )
        return {
            **values,
            "title": self.title,
            "description": self.description,
            "award_criteria": criteria.parsed,
            "qualification_requirements": self.requirements.splitlines(),
        }


def criteria_of(form: TenderForm, lang: str) -> Criteria:
    rows, parsed, total, problem = [], [], 0, None
    price, names, weights = form.price, form.prefixed["criterion-"], form.prefixed["weight-"]
    for i in range(ROWS):
        name, raw = names.get(str(i), ""), weights.get(str(i), "")
        rows.append({"name": name, "weight": raw, "is_price": price == str(i)})
        if not name and not raw:
            continue
        try:
            weight = int(raw)
        except ValueError:
            problem = problem or gettext(lang, N_("A weight is a whole number above 0."))
            continue
        total += weight
        if weight <= 0:
            problem = problem or gettext(lang, N_("A weight is a whole number above 0."))
        if not name:
            problem = problem or gettext(lang, N_("Every criterion needs a name."))
        parsed.append(AwardCriterion(name, weight, is_price=price == str(i)))
    if problem is None and total != 100:
        problem = gettext(lang, N_("The weights sum to %(sum)s, not 100."), sum=total)
    if problem is None and sum(1 for c in parsed if c.is_price) != 1:
        problem = gettext(lang, N_("Mark exactly one criterion as the price."))
    return Criteria(rows, total, parsed, problem)


def _blank() -> TenderForm:
    form = {"criterion-0": "Kvalitet", "weight-0": "60", "criterion-1": "Pris", "weight-1": "40"}
    return TenderForm.of({**form, "price": "1"})


def _of_tender(tender: TenderView) -> TenderForm:
    """The editor filled with a draft as it stands; deadlines on the Norwegian clock."""

    def local(moment) -> str:
        return moment.astimezone(OSLO).strftime("%Y-%m-%dT%H:%M")

    fields = {
        "title": tender.title,
        "description": tender.description,
        "estimated_value": amount_to_edit(tender.estimated_value),
        "questions_deadline": local(tender.questions_deadline),
        "bid_deadline": local(tender.bid_deadline),
        "requirements": "\n".join(tender.qualification_requirements),
    }
    for i, c in enumerate(tender.award_criteria[:ROWS]):
        fields[f"criterion-{i}"], fields[f"weight-{i}"] = c.name, str(c.weight)
        if c.is_price:
            fields["price"] = str(i)
    return TenderForm.of(fields)


def _editor(
    request: Request,
    form: TenderForm,
    errors: dict,
    *,
    status: int = 200,
    tender: TenderView | None = None,
) -> Template:
    criteria = criteria_of(form, request.state.get("lang", "nb"))
    base = base_of(request)
    return page(
        request,
        "tendering/municipality/new.html",
        "tendering/municipality/_editor.html",
        status=status,
        base=base,
        action=f"{base}/{tender.id}/edit" if tender else base,
        editing=tender,
        form=form.texts(),
        errors=errors,
        criteria=criteria,
    )


@get(LIST + "/new", guards=[municipality_member(*MANAGERS)], name="new_tender")
async def new_tender(request: Request) -> Template:
    return _editor(request, _blank(), {})


@get(LIST + "/new/weights", guards=[municipality_member(*MANAGERS)], name="tender_weights")
async def weights(request: Request) -> Template:
    """The live sum of the weights, recomputed by the server as the editor types."""
    form = TenderForm.of(dict(request.query_params.items()))
    criteria = criteria_of(form, request.state.get("lang", "nb"))
    return page(request, "tendering/municipality/_weights.html", criteria=criteria)


@form_post(LIST, name="create_tender", guards=[municipality_member(*MANAGERS)])
async def create(
    request: Request, data: Annotated[TenderForm, URL_ENCODED]
) -> Response:
    lang = request.state.get("lang", "nb")

    async def work():
        return await tendering.create_tender(
            TenderDraft(**data.values(lang)), actor_person_id=person_of(request)
        )

    async def again(status: int, errors: dict[str, str]) -> Response:
        return _editor(request, data, errors, status=status)

    return await act(
        request,
        work,
        done=lambda tender: f"{base_of(request)}/{tender.id}",
        again=again,
        said=N_("The draft is saved. Only your municipality sees it until it is published."),
    )


async def _draft(tender_id: int) -> TenderView:
    """One of the municipality's own drafts; a published one is no longer edited here."""
    tender = await own_tender(tender_id)
    if tender.state != TenderState.DRAFT:
        raise InvalidTenderState(tender.state)
    return tender


@get(LIST + "/{tender_id:int}/edit", guards=[municipality_member(*MANAGERS)], name="edit_tender")
async def edit_tender(
    request: Request, tender_id: FromPath[int]
) -> Response:
    """The editor for a draft; a published tender answers with its own page and the reason."""
    try:
        async with tenant_tx():
            tender = await _draft(tender_id)
    except InvalidTenderState as refusal:
        errors = errors_of(request, refusal)
        return await tender_page_of(request, tender_id, status=409, action_errors=errors)
    return _editor(request, _of_tender(tender), {}, tender=tender)


async def _draft_again(
    request: Request, tender_id: int, form: TenderForm, status: int, errors: dict[str, str]
) -> Response:
    """The editor again with the refusal; a tender published meanwhile shows its own page."""
    if status == 409:
        return await tender_page_of(request, tender_id, status=409, action_errors=errors)
    async with tenant_tx():
        tender = await _draft(tender_id)
    return _editor(request, form, errors, status=status, tender=tender)


@form_post(
    LIST + "/{tender_id:int}/edit",
    name="update_tender",
    guards=[municipality_member(*MANAGERS)],
)
async def update(
    request: Request,
    tender_id: FromPath[int],
    data: Annotated[TenderForm, URL_ENCODED],
) -> Response:
    lang = request.state.get("lang", "nb")

    async def work():
        return await tendering.update_tender(
            tender_id,
            TenderDraft(**data.values(lang)),
            actor_person_id=person_of(request),
        )

    async def again(status: int, errors: dict[str, str]) -> Response:
        return await _draft_again(request, tender_id, data, status, errors)

    return await act(
        request,
        work,
        done=f"{base_of(request)}/{tender_id}",
        again=again,
        said=N_("The draft is saved."),
    )


ROUTES = [tender_list, new_tender, weights, create, edit_tender, update]
