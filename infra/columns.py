"""What Piccolo lacks to say what the SQL says: inet, the database's clock, a composite key."""

from __future__ import annotations

from piccolo.columns import Column
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.constraints import Constraint
from piccolo.querystring import QueryString


class Inet(Column):
    """PostgreSQL's inet: a host or network address, checked by the database.

    Text would let any string in and would no longer match the catalog; asyncpg reads the
    value as an `ipaddress` object and accepts a string or an `ipaddress` object to write.
    """

    value_type = str

    def __init__(self, default: str | None = None, **kwargs) -> None:
        self._validate_default(default, (str, None))
        self.default = default
        super().__init__(default=default, **kwargs)


class DatabaseNow(TimestamptzNow):
    """The transaction's time by the database's clock, as the SQL's `default now()`.

    Piccolo's own TimestamptzNow takes the web process's clock at the moment the row object
    is made; with several replicas their clocks would order rows, not the database's.
    """

    def python(self):
        return database_now()


def database_now() -> QueryString:
    """`now()` for a Piccolo update or insert value: the transaction's time, the database's clock."""
    return QueryString("now()")


class DatabaseClock(TimestamptzNow):
    """The database's clock at the statement, as the SQL's `default clock_timestamp()`."""

    def python(self):
        return QueryString("clock_timestamp()")


class CompositeKey(Constraint):
    """The table's real primary key when it spans columns; Piccolo keys a table by one column.

    Piccolo's own primary key (`primary_key=True`) stays on the column it updates and
    deletes by; this declares the whole key, so the catalog test can hold the table to it.
    """

    def __init__(self, columns: list[Column], name: str | None = None) -> None:
        self.columns = columns
        super().__init__(name=name, columns=columns)

    def get_column_names(self) -> list[str]:
        return [column._meta.db_column_name for column in self.columns]

    def serialise_self(self):
        self._meta.params["columns"] = self.get_column_names()

    @property
    def ddl(self) -> str:
        return "PRIMARY KEY ({})".format(", ".join(f'"{c}"' for c in self.get_column_names()))

    def _table_str(self) -> str:
        return f"{self._meta._name} = CompositeKey({self.get_column_names()!r})"


def primary_key_of(table) -> tuple[str, ...]:
    """The table's whole primary key, in order: its CompositeKey, else Piccolo's one column."""
    for constraint in table._meta.constraints:
        if isinstance(constraint, CompositeKey):
            return tuple(constraint.get_column_names())
    return (table._meta.primary_key._meta.db_column_name,)
