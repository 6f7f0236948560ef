"""What the programme and project pages share: names of PLP's states, amounts, form parsing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from litestar import Request
from litestar.response import Template

from services.errors import N_, InvalidInput
from web.templating import render

PHASES = {
    "forstudie": N_("Pre-study"),
    "forprosjekt": N_("Pre-project"),
    "hovudprosjekt": N_("Main project"),
    "drift": N_("Operation"),
}
STATUSES = {
    "active": N_("Running"),
    "awaiting_decision": N_("Awaiting decision"),
    "closed": N_("Closed"),
}
SUB_PROJECT_STATES = {
    "planned": N_("Planned"),
    "active": N_("Running"),
    "closed": N_("Closed"),
}
OUTCOMES = {
    "go": N_("Go"),
    "go_with_conditions": N_("Go with conditions"),
    "revise": N_("Revise"),
    "stop": N_("Stop"),
}


def page(
    request: Request, name: str, fragment: str, *, status: int = 200, **context: Any
) -> Template:
    """The page, or its fragment for an htmx swap; either way the answer varies by HX-Request."""
    lang = request.state.get("lang", "nb")
    context.setdefault("area_name", lambda nb, nn: nn if lang == "nn" else nb)
    context.update(PHASES=PHASES, STATUSES=STATUSES, OUTCOMES=OUTCOMES)
    context.setdefault("SUB_PROJECT_STATES", SUB_PROJECT_STATES)
    return render(request, name, fragment=fragment, status_code=status, **context)


def parse_amount(value: str | None, field: str) -> Decimal:
    """NOK as typed: spaces and a decimal comma are fine; 0 or more."""
    text = (value or "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation as error:
        raise InvalidInput(f"{field}_invalid", N_("Write an amount."), field=field) from error
    if not amount.is_finite() or amount < 0:
        raise InvalidInput(f"{field}_invalid", N_("Write an amount of 0 or more."), field=field)
    return amount


def parse_number(value: str | None, field: str) -> Decimal:
    text = (value or "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise InvalidInput(f"{field}_invalid", N_("Write a number."), field=field) from error
    if not number.is_finite():
        raise InvalidInput(f"{field}_invalid", N_("Write a number."), field=field)
    return number


def parse_date(value: str | None, field: str) -> date:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError as error:
        raise InvalidInput(f"{field}_invalid", N_("Write a valid date."), field=field) from error


def parse_year(value: str | None, field: str = "year") -> int:
    try:
        return int((value or "").strip())
    except ValueError as error:
        raise InvalidInput(f"{field}_invalid", N_("Choose a year."), field=field) from error
