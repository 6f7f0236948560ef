"""Piccolo mappings of the tenancy tables; the schema itself lives in migrations/*.sql."""

from piccolo.columns import BigInt, Bytea, ForeignKey, OnDelete, OnUpdate, Text, Timestamptz
from piccolo.columns.column_types import BigSerial
from piccolo.constraints import Unique
from piccolo.table import Table

from infra.columns import CompositeKey, DatabaseNow

# A reference as the SQL writes it: never null, and no action when the row it points at goes
# (Piccolo's own default would be nullable and cascading).
_SQL_REFERENCE = {"null": False, "on_delete": OnDelete.no_action, "on_update": OnUpdate.no_action}


class Region(Table, tablename="region"):
    id = BigSerial(primary_key=True)
    slug = Text(unique=True)
    name = Text()
    created_at = Timestamptz(default=DatabaseNow())


class Municipality(Table, tablename="municipality"):
    id = BigSerial(primary_key=True)
    kommunenummer = Text(unique=True)
    name = Text()
    maalform = Text()
    created_at = Timestamptz(default=DatabaseNow())


class RegionMember(Table, tablename="region_member"):
    region_id = ForeignKey(Region, primary_key=True, **_SQL_REFERENCE)
    municipality_id = ForeignKey(Municipality, **_SQL_REFERENCE)

    key = CompositeKey([region_id, municipality_id])


class Organisation(Table, tablename="organisation"):
    id = BigSerial(primary_key=True)
    organisasjonsnummer = Text(unique=True)
    name = Text()
    kommunenummer = Text(null=True, default=None)
    created_at = Timestamptz(default=DatabaseNow())
    form_code = Text(default="")
    address = Text(default="")
    verified_at = Timestamptz(null=True, default=None)


class Person(Table, tablename="person"):
    id = BigSerial(primary_key=True)
    pid_hash = Bytea(unique=True)
    name = Text()
    email = Text()
    language = Text(null=True, default=None)
    created_at = Timestamptz(default=DatabaseNow())


class Membership(Table, tablename="membership"):
    id = BigSerial(primary_key=True)
    person_id = ForeignKey(Person, **_SQL_REFERENCE)
    scope = Text()
    municipality_id = BigInt(null=True, default=None)
    region_id = BigInt(null=True, default=None)
    organisation_id = BigInt(null=True, default=None)
    role = Text()
    created_at = Timestamptz(default=DatabaseNow())

    one_grant_each = Unique(
        [person_id, scope, municipality_id, region_id, organisation_id, role], nulls_distinct=False
    )
