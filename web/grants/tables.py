"""The grant lists as tables, in the reader's language: what a page shows is what its CSV and
XLSX hold (web/dashboards/export.py writes them)."""

from __future__ import annotations

from collections.abc import Sequence

from litestar.response import Response

from services.errors import N_
from services.grants.money_schemas import PaymentView, StatisticsRow
from services.grants.schemas import ApplicationSummary
from web.dashboards.export import FORMATS, export
from web.dashboards.views import DashTable
from web.grants.money_pages import PAYMENT_KINDS, PAYMENT_STATES
from web.grants.pages import STATES
from web.i18n import gettext
from web.projects.export import attachment


def _heads(lang: str, *names: str) -> list[str]:
    return [gettext(lang, n) for n in names]


def queue_table(queue: Sequence[ApplicationSummary], lang: str) -> DashTable:
    t = DashTable(
        "applications",
        gettext(lang, N_("Applications")),
        _heads(lang, N_("Application"), N_("Organisation"), N_("Call"), N_("Status"),
               N_("Submitted"), N_("Applied for (NOK)")),
        numeric_from=5,
    )
    for a in queue:
        t.add([a.title, a.organisation_name, a.call_title, gettext(lang, STATES[a.state]),
               a.submitted_at.date().isoformat() if a.submitted_at else "", a.requested_amount])
    return t


def payments_table(payments: Sequence[PaymentView], lang: str) -> DashTable:
    t = DashTable(
        "payments",
        gettext(lang, N_("Payments")),
        _heads(lang, N_("Application"), N_("Organisation"), N_("Organisasjonsnummer"), N_("Line"),
               N_("Status"), N_("Sent"), N_("Account number"), N_("Costs so far (NOK)"),
               N_("Amount (NOK)")),
        numeric_from=7,
    )
    for p in payments:
        t.add([p.application_title, p.organisation_name, p.organisasjonsnummer,
               gettext(lang, PAYMENT_KINDS[p.kind]), gettext(lang, PAYMENT_STATES[p.state]),
               p.requested_at.date().isoformat(), p.account_number or "", p.costs_incurred,
               p.amount])
    return t


def statistics_table(rows: Sequence[StatisticsRow], lang: str, year: int) -> DashTable:
    """The yearly statistics of kommunale næringsfond: each grant, its purpose and recipient."""
    t = DashTable(
        "statistics",
        gettext(lang, N_("Grants from the business funds, %(year)s"), year=year),
        _heads(lang, N_("Municipality"), N_("Kommunenummer"), N_("Purpose"), N_("Fund"),
               N_("Project"), N_("Recipient"), N_("Organisasjonsnummer"), N_("Decided"),
               N_("Granted (NOK)"), N_("Paid (NOK)")),
        numeric_from=8,
    )
    for r in rows:
        t.add([r.municipality_name, r.kommunenummer, r.purpose_nn if lang == "nn" else r.purpose_nb,
               r.fund_name, r.title, r.organisation_name, r.organisasjonsnummer,
               r.decided_at.date().isoformat(), r.granted_amount, r.paid_amount])
    return t


def download(table: DashTable, fmt: str, name: str) -> Response:
    content, media_type = export(table, fmt)
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": attachment(f"{name}-{table.key}.{fmt}")},
    )


def wanted_format(value: str | None) -> str | None:
    """The export asked for (csv or xlsx); None for the page itself."""
    return value if value in FORMATS else None
