"""The grant lists as tables, in the reader's language: what a page shows is what its CSV and
XLSX hold (web/dashboards/export.py writes them). The one way to ask for one: the list's own page
with ?format=csv or ?format=xlsx (and the page's own filter), so a download is the page's rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime

from litestar import Request
from litestar.response import Response

from services.dashboards.views import DashTable
from services.errors import N_
from services.formats import OSLO
from services.grants.money_schemas import PaymentView, StatisticsRow
from services.grants.schemas import ApplicationSummary, RankedApplication
from services.grants.service.minutes import MeetingSummary
from web.auth.guards import principal_of
from web.dashboards.export import FORMATS, export
from web.downloads import download as file_download
from web.grants.money_pages import PAYMENT_KINDS, PAYMENT_STATES
from web.grants.pages import STATES
from web.i18n import gettext


def _table(lang: str, key: str, title: str, heads: tuple[str, ...], rows, numeric_from: int,
           **title_values) -> DashTable:
    """A table in the reader's language: its title and headings (msgids), then its rows."""
    t = DashTable(key, gettext(lang, title, **title_values), [gettext(lang, h) for h in heads],
                  numeric_from=numeric_from)
    for row in rows:
        t.add(row)
    return t


def _day(moment: datetime | None) -> date | None:
    """The day a moment fell on by the Norwegian clock, as the pages date it."""
    return moment.astimezone(OSLO).date() if moment else None


def queue_table(queue: Sequence[ApplicationSummary], lang: str) -> DashTable:
    heads = (N_("Application"), N_("Organisation"), N_("Call"), N_("Status"), N_("Submitted"),
             N_("Applied for (NOK)"))
    rows = ([a.title, a.organisation_name, a.call_title, gettext(lang, STATES[a.state]),
             _day(a.submitted_at), a.requested_amount] for a in queue)
    return _table(lang, "applications", N_("Applications"), heads, rows, 5)


def payments_table(payments: Sequence[PaymentView], lang: str) -> DashTable:
    heads = (N_("Application"), N_("Organisation"), N_("Organisasjonsnummer"), N_("Line"),
             N_("Status"), N_("Sent"), N_("Account number"), N_("Costs so far (NOK)"),
             N_("Amount (NOK)"))
    rows = ([p.application_title, p.organisation_name, p.organisasjonsnummer,
             gettext(lang, PAYMENT_KINDS[p.kind]), gettext(lang, PAYMENT_STATES[p.state]),
             _day(p.requested_at), p.account_number or "", p.costs_incurred, p.amount]
            for p in payments)
    return _table(lang, "payments", N_("Payments"), heads, rows, 7)


def ranking_table(ranked: Sequence[RankedApplication], lang: str) -> DashTable:
    """A call's applications in the official's order, with the figures and comments."""
    heads = (N_("Rank"), N_("Application"), N_("Organisation"), N_("Status"), N_("Comment"),
             N_("Eligible cost (NOK)"), N_("Applied for (NOK)"))
    rows = ([a.rank, a.title, a.organisation_name, gettext(lang, STATES[a.state]),
             a.rank_comment, a.eligible_cost, a.requested_amount] for a in ranked)
    return _table(lang, "ranking", N_("Ranking"), heads, rows, 5)


def meetings_table(meetings: Sequence[MeetingSummary], lang: str) -> DashTable:
    heads = (N_("Date of the meeting"), N_("Place"), N_("Programme"), N_("Cases"),
             N_("Undecided"))
    rows = ([m.held_on, m.place, m.programme_name, m.cases, m.open_cases] for m in meetings)
    return _table(lang, "meetings", N_("Board meetings"), heads, rows, 3)


def own_table(applications: Sequence[ApplicationSummary], lang: str) -> DashTable:
    """An organisation's own applications, in every municipality."""
    heads = (N_("Application"), N_("Call"), N_("Status"), N_("Submitted"),
             N_("Applied for (NOK)"))
    rows = ([a.title, a.call_title, gettext(lang, STATES[a.state]), _day(a.submitted_at),
             a.requested_amount] for a in applications)
    return _table(lang, "applications", N_("Your applications"), heads, rows, 4)


def statistics_table(rows: Sequence[StatisticsRow], lang: str, year: int) -> DashTable:
    """The yearly statistics of kommunale næringsfond: each grant, its purpose and recipient."""
    heads = (N_("Municipality"), N_("Kommunenummer"), N_("Purpose"), N_("Fund"), N_("Project"),
             N_("Recipient"), N_("Organisasjonsnummer"), N_("Decided"), N_("Granted (NOK)"),
             N_("Paid (NOK)"))
    found = ([r.municipality_name, r.kommunenummer, r.purpose_nn if lang == "nn" else r.purpose_nb,
              r.fund_name, r.title, r.organisation_name, r.organisasjonsnummer,
              _day(r.decided_at), r.granted_amount, r.paid_amount] for r in rows)
    title = N_("Grants from the business funds, %(year)s")
    return _table(lang, "statistics", title, heads, found, 8, year=year)


def download(table: DashTable, fmt: str, name: str) -> Response:
    content, media_type = export(table, fmt)
    # Litestar adds "; charset=utf-8" to a text type itself: once is enough.
    return file_download(content, f"{name}-{table.key}.{fmt}", media_type.split(";")[0])


def wanted_format(value: str | None) -> str | None:
    """The export asked for (csv or xlsx); None for the page itself."""
    return value if value in FORMATS else None


def download_asked(
    request: Request, make: Callable[..., DashTable], rows: Sequence, *args, name: str = ""
) -> Response | None:
    """The list as the file the page was asked for (?format=csv|xlsx), or None for the page:
    `make(rows, lang, *args)` draws it, the file named after the place (or `name`)."""
    fmt = wanted_format(request.query_params.get("format"))
    if fmt is None:
        return None
    active = principal_of(request).active
    name = name or f"tilskot-{active.kommunenummer or active.organisasjonsnummer}"
    return download(make(rows, request.state.get("lang", "nb"), *args), fmt, name)
