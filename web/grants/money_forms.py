"""The forms of a tilsegn's money, read into what the use-cases take; a bad value names its field."""

from __future__ import annotations

from decimal import Decimal
from functools import partial

from litestar.datastructures import UploadFile

from services import inputs
from services.files import FileInput
from services.grants.service.reports import REPORTED_KPIS
from web.forms import Form, file_name, uploads_of

_EFFECT = "effect-"


def _effects(read, form: Form) -> dict[str, Decimal]:
    """The effects achieved (effect-<kpi code>), read by the form; blank ones are left out."""
    found = {}
    for code in REPORTED_KPIS:
        typed = form.prefixed[_EFFECT].get(code, "")
        if typed:
            value = read(inputs.number, typed, "effects")
            if value is not None:
                found[code] = value
    return found


class PaymentRequestForm(Form):
    """A part or the final payment: the amount, costs so far, the account, the report, files."""

    PREFIXED = (_EFFECT,)
    PREFIX_FIELDS = {_EFFECT: "effects"}
    LIMITS = {"report": 20_000, "account_number": 40}

    kind: str = "part"
    amount: str = ""
    costs_incurred: str = ""
    account_number: str = ""
    report: str = ""
    documents: list[UploadFile] = []  # noqa: RUF012 - a form's field, not shared state

    async def values(self) -> dict:
        with self.reading() as read:
            effects = _effects(read, self)
            amount = read(inputs.amount, self.amount, "amount", above_zero=True)
            costs = read(inputs.amount, self.costs_incurred, "costs_incurred")
            account = read(inputs.account_number, self.account_number, "account_number")
            names = [read(file_name, upload, "documents") for upload in self.documents]
        documents = await uploads_of(self.documents, names, FileInput, skip_empty=True)
        return {
            "kind": self.kind,
            "amount": amount,
            "costs_incurred": costs,
            "account_number": account,
            "report": self.report,
            "kpi_effects": effects,
            "documents": documents,
        }


class ReportForm(Form):
    PREFIXED = (_EFFECT,)
    PREFIX_FIELDS = {_EFFECT: "effects"}
    LIMITS = {"text": 20_000}

    text: str = ""

    def values(self) -> dict:
        with self.reading() as read:
            effects = _effects(read, self)
        return {"text": self.text, "kpi_effects": effects}


class PaymentDecisionForm(Form):
    outcome: str = ""
    reason: str = ""


class ClawbackForm(Form):
    PARSE = {"amount": partial(inputs.amount, above_zero=True)}

    amount: str = ""
    reason: str = ""

    values = Form.parsed


class TilsegnEndForm(Form):
    """Why a tilsegn ends: the business withdraws it, or the municipality cancels it."""

    LIMITS = {"reason": 10_000}

    reason: str = ""

    values = Form.parsed


class ExchangeRateForm(Form):
    PARSE = {"nok_per_eur": inputs.number}

    nok_per_eur: str = ""

    values = Form.parsed
