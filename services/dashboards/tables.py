"""Piccolo mapping of the dashboard figures; the schema lives in migrations/*.sql."""

from piccolo.columns import BigInt, Integer, Numeric, Text, Timestamptz
from piccolo.table import Table


class MunicipalityFigure(Table, tablename="municipality_figure"):
    # The real key is (tenant_id, slice, metric, subject, year); written through service.py's SQL.
    tenant_id = BigInt(primary_key=True)
    slice = Text()
    metric = Text()
    subject = Text()
    year = Integer()
    label = Text()
    value = Numeric(digits=(16, 2))
    computed_at = Timestamptz()


class RegionFigure(Table, tablename="region_figure"):
    # The real key is (region_id, municipality_id, slice, metric, subject, year).
    region_id = BigInt(primary_key=True)
    municipality_id = BigInt()
    slice = Text()
    metric = Text()
    subject = Text()
    year = Integer()
    label = Text()
    value = Numeric(digits=(16, 2))
    computed_at = Timestamptz()
