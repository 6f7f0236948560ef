"""The project list as a spreadsheet: CSV for anything, XLSX for Excel, with the list's filters."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from litestar.response import Response
from openpyxl import Workbook
from openpyxl.styles import Font

from services.errors import N_
from services.projects.schemas import ProjectSummary

# The grants pages import attachment from here.
from web.downloads import attachment as attachment
from web.downloads import download
from web.i18n import gettext
from web.projects.pages import PHASES, STATUSES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = (
    N_("Title"),
    N_("Lead municipality"),
    N_("Sub-project"),
    N_("Status"),
    N_("Strategy area"),
    N_("Approved budget (NOK)"),
    N_("Project owner"),
    N_("Next decision due"),
    N_("Decision overdue"),
    N_("Regional"),
)


def _values(row: ProjectSummary, lang: str) -> list:
    def yes_no(flag: bool) -> str:
        return gettext(lang, N_("Yes") if flag else N_("No"))

    return [
        row.title,
        f"{row.lead_kommunenummer} {row.lead_name}",
        gettext(lang, PHASES[row.phase]),
        gettext(lang, STATUSES[row.status]),
        row.strategy_area(lang) or "",
        row.approved_budget,
        row.owner_name,
        row.next_decision_due,
        yes_no(row.decision_overdue),
        yes_no(row.regional),
    ]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def csv_response(rows: list[ProjectSummary], lang: str, stem: str) -> Response:
    # Semicolons and a byte-order mark: what Excel set to Norwegian opens as columns in UTF-8.
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([gettext(lang, c) for c in COLUMNS])
    for row in rows:
        writer.writerow([_cell(v) for v in _values(row, lang)])
    content = ("\ufeff" + out.getvalue()).encode("utf-8")
    return download(content, f"{stem}.csv", "text/csv; charset=utf-8")


def xlsx_response(rows: list[ProjectSummary], lang: str, stem: str) -> Response:
    book = Workbook()
    sheet = book.active
    sheet.title = gettext(lang, N_("Projects"))[:31]
    sheet.append([gettext(lang, c) for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(_values(row, lang))
        sheet.cell(sheet.max_row, 6).number_format = "#,##0"
        sheet.cell(sheet.max_row, 8).number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHIJ", (50, 22, 16, 20, 28, 18, 22, 16, 12, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return download(out.getvalue(), f"{stem}.xlsx", XLSX)
