"""Piccolo mappings of the tenancy tables; the schema itself lives in migrations/*.sql."""

from piccolo.columns import BigInt, Bytea, ForeignKey, Text, Timestamptz
from piccolo.columns.column_types import BigSerial
from piccolo.table import Table


class Region(Table, tablename="region"):
    id = BigSerial(primary_key=True)
    slug = Text()
    name = Text()
    created_at = Timestamptz()


class Municipality(Table, tablename="municipality"):
    id = BigSerial(primary_key=True)
    kommunenummer = Text()
    name = Text()
    maalform = Text()
    created_at = Timestamptz()


class RegionMember(Table, tablename="region_member"):
    # The real key is (region_id, municipality_id); Piccolo wants one primary key column.
    region_id = ForeignKey(Region, primary_key=True)
    municipality_id = ForeignKey(Municipality)


class Organisation(Table, tablename="organisation"):
    id = BigSerial(primary_key=True)
    organisasjonsnummer = Text()
    name = Text()
    kommunenummer = Text(null=True)
    created_at = Timestamptz()


class Person(Table, tablename="person"):
    id = BigSerial(primary_key=True)
    pid_hash = Bytea()
    name = Text()
    email = Text()
    language = Text(null=True)
    created_at = Timestamptz()


class Membership(Table, tablename="membership"):
    id = BigSerial(primary_key=True)
    person_id = ForeignKey(Person)
    scope = Text()
    municipality_id = BigInt(null=True)
    region_id = BigInt(null=True)
    organisation_id = BigInt(null=True)
    role = Text()
    created_at = Timestamptz()
