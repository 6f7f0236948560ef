"""Holds Piccolo's tables to the live PostgreSQL catalog, so a table written twice (SQL, tables.py) cannot drift."""

from __future__ import annotations

import decimal
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from piccolo.columns import (
    JSON,
    JSONB,
    UUID,
    Array,
    BigInt,
    BigSerial,
    Boolean,
    Bytea,
    Column,
    Date,
    DoublePrecision,
    ForeignKey,
    Integer,
    Interval,
    Numeric,
    Real,
    Serial,
    SmallInt,
    Text,
    Time,
    Timestamp,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.date import DateNow
from piccolo.columns.defaults.timestamp import TimestampNow
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.constraints import Unique
from piccolo.table import Table

from infra.columns import DatabaseClock, DatabaseNow, Inet, primary_key_of

# PostgreSQL's own spelling (format_type) of each Piccolo column; the first match wins, so a
# subclass comes before its parent (BigInt before Integer, BigSerial before Serial).
_TYPES: list[tuple[type[Column], str]] = [
    (BigSerial, "bigint"),
    (Serial, "integer"),
    (BigInt, "bigint"),
    (SmallInt, "smallint"),
    (Integer, "integer"),
    (Text, "text"),
    (Boolean, "boolean"),
    (Timestamptz, "timestamp with time zone"),
    (Timestamp, "timestamp without time zone"),
    (Date, "date"),
    (Time, "time without time zone"),
    (Interval, "interval"),
    (JSONB, "jsonb"),
    (JSON, "json"),
    (Bytea, "bytea"),
    (UUID, "uuid"),
    (DoublePrecision, "double precision"),
    (Real, "real"),
    (Inet, "inet"),
]


def postgres_type(column: Column) -> str:
    """The type the catalog must show for this column, as format_type() writes it."""
    if isinstance(column, ForeignKey):
        return postgres_type(column._foreign_key_meta.resolved_target_column)
    if isinstance(column, Array):
        return postgres_type(column.base_column) + "[]"
    if isinstance(column, Varchar):
        return f"character varying({column.length})" if column.length else "character varying"
    if isinstance(column, Numeric):
        return f"numeric({column.digits[0]},{column.digits[1]})" if column.digits else "numeric"
    for kind, name in _TYPES:
        if isinstance(column, kind):
            return name
    raise TypeError(f"{type(column).__name__}: no PostgreSQL type known for this column class")


@dataclass(frozen=True, slots=True)
class ForeignKeyShape:
    column: str
    target: str
    target_column: str
    on_delete: str
    on_update: str

    def __str__(self) -> str:
        return (
            f"({self.column}) references {self.target} ({self.target_column})"
            f" on delete {self.on_delete.lower()} on update {self.on_update.lower()}"
        )


@dataclass(frozen=True, slots=True)
class ColumnShape:
    type: str
    nullable: bool
    generated: bool  # numbered by the database when an insert leaves it out
    default: str | None  # a constant as text, a clock; None when there is none


@dataclass(frozen=True, slots=True)
class TableShape:
    columns: dict[str, ColumnShape]
    primary_key: tuple[str, ...]
    foreign_keys: frozenset[ForeignKeyShape]
    # (columns in order, nulls distinct); a partial unique index is the SQL's alone
    unique_keys: frozenset[tuple[tuple[str, ...], bool]] = frozenset()


NOW, CLOCK, TODAY = "now()", "clock_timestamp()", "current_date"
APP_CLOCK = "the web process's clock"


def piccolo_default(column: Column) -> str | None:
    """The value Piccolo writes when an insert does not name the column, as the catalog's text."""
    default = column.default
    if isinstance(default, DatabaseNow):
        return NOW
    if isinstance(default, DatabaseClock):
        return CLOCK
    if isinstance(default, (TimestamptzNow, TimestampNow, DateNow)):
        return APP_CLOCK
    if isinstance(default, Enum):
        default = default.value
    if callable(default):  # Array's `list`, or a function of the table's own
        default = default()
    if default is None:
        return None
    if isinstance(default, bool):
        return "true" if default else "false"
    if isinstance(default, (int, float, decimal.Decimal)):
        return _number(str(default))
    if isinstance(column, Array) and isinstance(default, list):
        return "{" + ",".join(map(str, default)) + "}"
    if isinstance(default, (dict, list)):
        return json.dumps(default)
    return str(default)


def declared_shape(table: type[Table]) -> TableShape:
    """What the Piccolo table says the database holds."""
    # Piccolo leaves a Serial out of its inserts (DEFAULT); any other column it writes itself,
    # its default when the insert names no value.
    columns = {
        c._meta.db_column_name: ColumnShape(
            postgres_type(c),
            bool(c._meta.null),
            isinstance(c, Serial),
            None if isinstance(c, Serial) else piccolo_default(c),
        )
        for c in table._meta.columns
    }
    foreign_keys = frozenset(
        ForeignKeyShape(
            column=fk._meta.db_column_name,
            target=fk._foreign_key_meta.resolved_references._meta.tablename,
            target_column=fk._foreign_key_meta.resolved_target_column._meta.db_column_name,
            on_delete=fk._foreign_key_meta.on_delete.value,
            on_update=fk._foreign_key_meta.on_update.value,
        )
        for fk in table._meta.foreign_key_columns
    )
    unique_keys = {((c._meta.db_column_name,), True) for c in table._meta.columns if c._meta.unique}
    unique_keys |= {
        (tuple(k.get_column_names()), k.nulls_distinct)
        for k in table._meta.constraints
        if isinstance(k, Unique)
    }
    return TableShape(columns, primary_key_of(table), foreign_keys, frozenset(unique_keys))


_ACTIONS = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}

_COLUMNS = """
select c.relname as table_name, a.attname as column_name,
       format_type(a.atttypid, a.atttypmod) as type, not a.attnotnull as nullable,
       a.attidentity <> '' or coalesce(pg_get_expr(d.adbin, d.adrelid), '') like 'nextval(%'
           as generated,
       pg_get_expr(d.adbin, d.adrelid) as default_expression
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
left join pg_attrdef d on d.adrelid = c.oid and d.adnum = a.attnum
where n.nspname = $1 and c.relkind in ('r', 'p')
order by c.relname, a.attnum
"""

# Only single-column foreign keys can be Piccolo's; a composite one (tenant_id, parent_id)
# is the SQL's alone and is checked by the tenancy tests, not here.
_CONSTRAINTS = """
select c.relname as table_name, k.contype::text as kind,
       array(select a.attname from unnest(k.conkey) with ordinality u(attnum, i)
             join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.attnum
             order by u.i) as columns,
       t.relname as target,
       array(select a.attname from unnest(k.confkey) with ordinality u(attnum, i)
             join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.attnum
             order by u.i) as target_columns,
       k.confdeltype::text as on_delete, k.confupdtype::text as on_update,
       not coalesce(i.indnullsnotdistinct, false) as nulls_distinct
from pg_constraint k
join pg_class c on c.oid = k.conrelid
join pg_namespace n on n.oid = c.relnamespace
left join pg_class t on t.oid = k.confrelid
left join pg_index i on i.indexrelid = k.conindid and k.contype = 'u'
where n.nspname = $1 and k.contype in ('p', 'f', 'u')
"""


async def live_shapes(connection, schema: str = "public") -> dict[str, TableShape]:
    """Every table of the schema as the catalog has it; `connection` is asyncpg's."""
    columns: dict[str, dict[str, ColumnShape]] = {}
    for row in await connection.fetch(_COLUMNS, schema):
        columns.setdefault(row["table_name"], {})[row["column_name"]] = ColumnShape(
            row["type"],
            row["nullable"],
            row["generated"],
            None if row["generated"] else _catalog_default(row["default_expression"]),
        )
    keys: dict[str, tuple[str, ...]] = {}
    foreign: dict[str, set[ForeignKeyShape]] = {}
    unique: dict[str, set[tuple[tuple[str, ...], bool]]] = {}
    for row in await connection.fetch(_CONSTRAINTS, schema):
        if row["kind"] == "p":
            keys[row["table_name"]] = tuple(row["columns"])
        elif row["kind"] == "u":
            unique.setdefault(row["table_name"], set()).add(
                (tuple(row["columns"]), row["nulls_distinct"])
            )
        elif len(row["columns"]) == 1:
            foreign.setdefault(row["table_name"], set()).add(
                ForeignKeyShape(
                    column=row["columns"][0],
                    target=row["target"],
                    target_column=row["target_columns"][0],
                    on_delete=_ACTIONS[row["on_delete"]],
                    on_update=_ACTIONS[row["on_update"]],
                )
            )
    return {
        name: TableShape(
            cols,
            keys.get(name, ()),
            frozenset(foreign.get(name, ())),
            frozenset(unique.get(name, ())),
        )
        for name, cols in columns.items()
    }


def differences(tables: Iterable[type[Table]], live: dict[str, TableShape]) -> list[str]:
    """Every way the tables and the catalog disagree, one line each; empty when they agree.

    Every live table needs a Piccolo table; unique keys must agree both ways (a partial
    unique index is the SQL's alone); the foreign keys compared are those Piccolo declares
    (the SQL may hold more: Piccolo cannot declare a composite one).
    """
    found: list[str] = []
    declared = {t._meta.tablename: t for t in tables}
    for name in sorted(live.keys() - declared.keys()):
        found.append(f"{name}: in the database, but no Piccolo table maps it")
    for name in sorted(declared):
        table = declared[name]
        if name not in live:
            found.append(f"{name}: {table.__name__} maps it, but the database has no such table")
            continue
        found.extend(_table_differences(name, declared_shape(table), live[name]))
    return found


def _table_differences(name: str, want: TableShape, have: TableShape) -> list[str]:
    found: list[str] = []
    for column in have.columns.keys() - want.columns.keys():
        found.append(f"{name}.{column}: in the database, but not in the Piccolo table")
    for column in want.columns.keys() - have.columns.keys():
        found.append(f"{name}.{column}: in the Piccolo table, but not in the database")
    for column in want.columns.keys() & have.columns.keys():
        found.extend(
            _column_differences(f"{name}.{column}", want.columns[column], have.columns[column])
        )
    if want.primary_key != have.primary_key:
        found.append(
            f"{name}: Piccolo's primary key is ({', '.join(want.primary_key)}),"
            f" the database's ({', '.join(have.primary_key)})"
        )
    for fk in sorted(want.foreign_keys - have.foreign_keys, key=str):
        found.append(f"{name}: Piccolo's foreign key {fk} is not in the database")
    for key in sorted(want.unique_keys - have.unique_keys):
        found.append(f"{name}: Piccolo's unique key {_unique(key)} is not in the database")
    for key in sorted(have.unique_keys - want.unique_keys):
        found.append(
            f"{name}: the database's unique key {_unique(key)} is not in the Piccolo table"
        )
    return sorted(found)


def _column_differences(name: str, want: ColumnShape, have: ColumnShape) -> list[str]:
    found: list[str] = []
    if want.type != have.type:
        found.append(f"{name}: Piccolo says {want.type}, the database {have.type}")
    if want.nullable != have.nullable:
        found.append(
            f"{name}: Piccolo says {'null' if want.nullable else 'not null'},"
            f" the database {'null' if have.nullable else 'not null'}"
        )
    if want.generated != have.generated:
        found.append(
            f"{name}: Piccolo leaves it to the database (Serial), which does not number it"
            if want.generated
            else f"{name}: the database numbers it (identity), Piccolo would write it: use a Serial"
        )
    # A not-null column without a default must be given by every insert, so Piccolo's default
    # never lands in it unseen; anywhere else Piccolo's default replaces the database's.
    elif (have.default is not None or have.nullable) and want.default != have.default:
        found.append(
            f"{name}: Piccolo's default is {_shown(want.default)},"
            f" the database's {_shown(have.default)}"
        )
    return found


def _unique(key: tuple[tuple[str, ...], bool]) -> str:
    columns, nulls_distinct = key
    return ("" if nulls_distinct else "nulls not distinct ") + f"({', '.join(columns)})"


def _shown(default: str | None) -> str:
    return "none (null)" if default is None else repr(default)


_LITERAL = re.compile(r"^'((?:[^']|'')*)'::[\w .\[\]]+$")


def _catalog_default(expression: str | None) -> str | None:
    """A column default as pg_get_expr() writes it, in piccolo_default()'s terms."""
    if expression is None:
        return None
    text = expression.strip()
    if text.lower() in {"now()", "current_timestamp", "transaction_timestamp()"}:
        return NOW
    if text.lower() == "clock_timestamp()":
        return CLOCK
    if text.lower() == "current_date":
        return TODAY
    if text.lower() == "null" or text.lower().startswith("null::"):
        return None
    literal = _LITERAL.match(text)
    if literal:
        return literal.group(1).replace("''", "'")
    if re.fullmatch(r"\(?-?\d+(\.\d+)?\)?(::\w+)?", text):
        return _number(text.split("::")[0].strip("()"))
    return text


def _number(text: str) -> str:
    value = decimal.Decimal(text)
    return str(
        value.quantize(decimal.Decimal(1)) if value == value.to_integral() else value.normalize()
    )


async def drift(connection, tables: Iterable[type[Table]], schema: str = "public") -> list[str]:
    """The differences between the tables and the schema the connection sees."""
    return differences(tables, await live_shapes(connection, schema))
