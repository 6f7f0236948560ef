"""The municipality's tender list and its editor: criteria whose weights are summed as they are
typed (by the server, in a small fragment), errors beside the fields, then create and publish."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Response, Template

from services.errors import N_, DomainError
from services.tendering import service as tendering
from services.tendering.rules import OSLO, AwardCriterion
from tenants.context import tenant_tx
from web.account.controller import go_to
from web.auth.guards import municipality_member, principal_of
from web.forms import errors_of, fields
from web.i18n import gettext
from web.tendering.municipality.tender import base_of
from web.tendering.pages import page

LIST = "/k/{kommunenummer:str}/tenders"
MANAGERS = ("admin", "case_officer")
ROWS = 5  # criterion rows in the editor; empty ones are left out


@get(LIST, guards=[municipality_member()], name="municipality_tenders")
async def tender_list(request: Request, kommunenummer: FromPath[str]) -> Template:
    async with tenant_tx():
        tenders = await tendering.tenders_of_municipality()
    return page(request, "tendering/municipality/list.html", base=base_of(request), tenders=tenders)


@dataclass
class Criteria:
    """The editor's criterion rows as typed, their sum, and what is wrong with them."""

    rows: list[dict]
    total: int
    parsed: list[AwardCriterion]
    problem: str | None


def criteria_of(form: dict[str, str], lang: str) -> Criteria:
    rows, parsed, total, problem = [], [], 0, None
    price = form.get("price", "")
    for i in range(ROWS):
        name = form.get(f"criterion-{i}", "").strip()
        raw = form.get(f"weight-{i}", "").strip()
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


def _blank() -> dict[str, str]:
    form = {"criterion-0": "Kvalitet", "weight-0": "60", "criterion-1": "Pris", "weight-1": "40"}
    return {**form, "price": "1"}


def _editor(request: Request, form: dict, errors: dict, *, status: int = 200) -> Template:
    criteria = criteria_of(form, request.state.get("lang", "nb"))
    return page(
        request,
        "tendering/municipality/new.html",
        "tendering/municipality/_editor.html",
        status=status,
        base=base_of(request),
        form=form,
        errors=errors,
        criteria=criteria,
    )


@get(LIST + "/new", guards=[municipality_member(*MANAGERS)], name="new_tender")
async def new_tender(request: Request, kommunenummer: FromPath[str]) -> Template:
    return _editor(request, _blank(), {})


@get(LIST + "/new/weights", guards=[municipality_member(*MANAGERS)], name="tender_weights")
async def weights(request: Request, kommunenummer: FromPath[str]) -> Template:
    """The live sum of the weights, recomputed by the server as the editor types."""
    form = {k: v for k, v in request.query_params.items()}
    criteria = criteria_of(form, request.state.get("lang", "nb"))
    return page(request, "tendering/municipality/_weights.html", criteria=criteria)


def _deadline(value: str, field: str, lang: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise _FieldError(field, gettext(lang, N_("Choose a date and time."))) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=OSLO)


class _FieldError(Exception):
    def __init__(self, field: str, message: str) -> None:
        self.field, self.message = field, message


def _value(text: str, lang: str) -> Decimal:
    cleaned = text.replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise _FieldError("estimated_value", gettext(lang, N_("Write the value in NOK."))) from None
    if not value.is_finite() or value < 0:
        raise _FieldError("estimated_value", gettext(lang, N_("Write the value in NOK.")))
    return value


@post(LIST, guards=[municipality_member(*MANAGERS)], name="create_tender", status_code=200)
async def create(request: Request, kommunenummer: FromPath[str]) -> Response:
    form = await fields(request)
    lang = request.state.get("lang", "nb")
    criteria = criteria_of(form, lang)
    try:
        if criteria.problem:
            raise _FieldError("award_criteria", criteria.problem)
        values = {
            "estimated_value": _value(form.get("estimated_value", ""), lang),
            "questions_deadline": _deadline(
                form.get("questions_deadline", ""), "questions_deadline", lang
            ),
            "bid_deadline": _deadline(form.get("bid_deadline", ""), "bid_deadline", lang),
        }
        async with tenant_tx():
            tender = await tendering.create_tender(
                actor_person_id=principal_of(request).person.id,
                title=form.get("title", ""),
                description=form.get("description", ""),
                award_criteria=criteria.parsed,
                qualification_requirements=form.get("requirements", "").splitlines(),
                **values,
            )
    except _FieldError as error:
        return _editor(request, form, {error.field: error.message}, status=422)
    except DomainError as error:
        if error.status == 404:
            raise
        return _editor(request, form, errors_of(request, error), status=422)
    return go_to(request, f"{base_of(request)}/{tender.id}")


ROUTES = [tender_list, new_tender, weights, create]
