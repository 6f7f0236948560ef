"""A dashboard table as CSV (semicolon-separated, as Norwegian Excel opens it) or as XLSX."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from services.dashboards.views import DashTable

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"csv": CSV, "xlsx": XLSX}


def _plain(value):
    if isinstance(value, date):  # a file for machines and spreadsheets: ISO, read the world over
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return "" if value is None else value


def to_csv(table: DashTable) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([_safe(_plain(v)) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM tells Excel it is UTF-8


def _safe(value):
    # A cell starting with = + - @ would be a formula in a spreadsheet: names come from users.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def to_xlsx(table: DashTable) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = table.key[:31]
    sheet.append(table.columns)
    for row in table.rows:
        sheet.append([_safe(_plain(v)) for v in row])
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(column) + 2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export(table: DashTable, fmt: str) -> tuple[bytes, str]:
    return (to_csv(table) if fmt == "csv" else to_xlsx(table)), FORMATS[fmt]
