"""Piccolo mapping of the dashboard figures; the schema lives in migrations/*.sql."""

from piccolo.columns import BigInt, Integer, Numeric, Text, Timestamptz
from piccolo.table import Table

from infra.columns import CompositeKey


class MunicipalityFigure(Table, tablename="municipality_figure"):
    # Written through service.py's SQL (a bulk upsert).
    tenant_id = BigInt(primary_key=True)
    slice = Text()
    metric = Text()
    subject = Text()
    year = Integer()
    label = Text()
    value = Numeric(digits=(16, 2))
    computed_at = Timestamptz()

    key = CompositeKey([tenant_id, slice, metric, subject, year])


class RegionFigure(Table, tablename="region_figure"):
    region_id = BigInt(primary_key=True)
    municipality_id = BigInt()
    slice = Text()
    metric = Text()
    subject = Text()
    year = Integer()
    label = Text()
    value = Numeric(digits=(16, 2))
    computed_at = Timestamptz()

    key = CompositeKey([region_id, municipality_id, slice, metric, subject, year])


class MunicipalityChart(Table, tablename="municipality_chart"):
    # Written through service.py's SQL when the figures are recomputed.
    tenant_id = BigInt(primary_key=True)
    lang = Text()
    chart = Text()
    position = Integer()
    title = Text()
    svg = Text()
    digest = Text()
    drawn_at = Timestamptz()

    key = CompositeKey([tenant_id, lang, chart])


class RegionChart(Table, tablename="region_chart"):
    region_id = BigInt(primary_key=True)
    municipality_id = BigInt()
    lang = Text()
    chart = Text()
    position = Integer()
    title = Text()
    svg = Text()
    digest = Text()
    drawn_at = Timestamptz()

    key = CompositeKey([region_id, municipality_id, lang, chart])


class MunicipalityDashboard(Table, tablename="municipality_dashboard"):
    # One row per municipality: its dashboard's version, written with its figures.
    tenant_id = BigInt(primary_key=True)
    version = Text()
    computed_at = Timestamptz()


class RegionDashboard(Table, tablename="region_dashboard"):
    region_id = BigInt(primary_key=True)
    version = Text()
    computed_at = Timestamptz()


class MunicipalityPage(Table, tablename="municipality_page"):
    # Its dashboard's refreshed part in one language, written by the worker (pages.py).
    tenant_id = BigInt(primary_key=True)
    lang = Text()
    body = Text()
    version = Text()
    layout = Text()
    written_at = Timestamptz()

    key = CompositeKey([tenant_id, lang])


class RegionPage(Table, tablename="region_page"):
    region_id = BigInt(primary_key=True)
    municipality_id = BigInt()
    kommunenummer = Text()
    name = Text()
    lang = Text()
    body = Text()
    version = Text()
    layout = Text()
    written_at = Timestamptz()

    key = CompositeKey([region_id, municipality_id, lang])
