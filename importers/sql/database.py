"""The export database, reached through SQLAlchemy: only SELECTs, never a write.

`Database` opens any URL SQLAlchemy knows (a plain file path means SQLite,
opened read-only). `Rows` is one table, view or query the mapping names: it
finds the mapping's names in the database case-insensitively (Oracle keeps
unquoted names in capitals, PostgreSQL in lower case), checks that each column
exists and that its type fits the field, and reads rows as plain driver values.
"""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.sql import sqltypes

from importers.errors import ImportFailed
from importers.report import Report
from importers.sql.fields import BOOL, CONTENT, DATE, DATETIME, INT, FieldType, Link
from importers.sql.mapping import Column, Mapping, MappingError, Relation
from importers.values import LONE_SURROGATE_PROBLEM, without_lone_surrogates

# Drivers installed with ratsinfo, used when a URL names only the database system.
# Oracle (oracledb) and SQL Server (pyodbc) work with their drivers installed by hand.
_BUNDLED_DRIVERS = {"mysql": "pymysql", "mariadb": "pymysql"}
_DRIVER_PACKAGES = {"oracledb": "oracledb", "cx_oracle": "cx_Oracle", "pyodbc": "pyodbc",
                    "pymssql": "pymssql", "mysqldb": "mysqlclient", "psycopg2": "psycopg2-binary"}
IN_CHUNK = 500


def first_line(exc: BaseException) -> str:
    """The database's own message, without SQLAlchemy's SQL echo and links."""
    message = str(getattr(exc, "orig", None) or exc).strip()
    return message.splitlines()[0] if message else type(exc).__name__


class Database:
    def __init__(self, location: str, report: Report | None = None):
        self.report = report
        self.url, self.label = _engine_url(location)
        try:
            self.engine = sa.create_engine(self.url)
            if self.url.get_backend_name() == "sqlite":
                sa.event.listen(self.engine, "connect", _lenient_text)
        except NoSuchModuleError as exc:
            raise ImportFailed(f"Datenbanksystem in {self.label} unbekannt: {first_line(exc)}") from exc
        except ModuleNotFoundError as exc:
            package = _DRIVER_PACKAGES.get(self.url.get_driver_name(), exc.name)
            raise ImportFailed(f"Für {self.label} fehlt der Datenbanktreiber {exc.name}: "
                               f"`.venv/bin/pip install {package}`") from exc
        options = {"isolation_level": "REPEATABLE READ"} if self.url.get_backend_name() == "postgresql" else {}
        try:
            # One connection and transaction for the whole run: every query sees the same state.
            self.connection = self.engine.connect().execution_options(**options)
        except DBAPIError as exc:
            self.engine.dispose()
            raise ImportFailed(f"Datenbank {self.label} nicht erreichbar: {first_line(exc)}") from exc
        self.inspector = sa.inspect(self.connection)
        self._names: dict[str | None, dict[str, str]] = {}

    def close(self):
        self.connection.close()
        self.engine.dispose()

    def table_names(self, schema: str | None) -> dict[str, str]:
        """lower-case name -> name as the database spells it, tables and views alike."""
        if schema not in self._names:
            names = self.inspector.get_table_names(schema) + self.inspector.get_view_names(schema)
            self._names[schema] = {}
            for name in names:
                self._names[schema].setdefault(name.lower(), name)
        return self._names[schema]

    def rows(self, relation: Relation, mapping: Mapping) -> "Rows":
        return Rows(self, relation, mapping)


def _engine_url(location: str) -> tuple[sa.URL, str]:
    """The URL to connect with, and how to name the database to the webmaster (no password)."""
    if "://" not in location:
        path = Path(location).expanduser()
        if not path.is_file():
            raise ImportFailed(f"Datenbankdatei {location} gibt es nicht (oder URL ohne ://).")
        location = f"sqlite:///{path.resolve()}"
    try:
        url = make_url(location)
    except ArgumentError as exc:
        raise ImportFailed(f"Keine Datenbank-URL: {location!r} (z. B. postgresql://benutzer@host/datenbank)") from exc
    if url.get_backend_name() == "sqlite":
        database = url.database or ""
        if not database or database == ":memory:" or not Path(database).is_file():
            raise ImportFailed(f"Datenbankdatei {database or '(leer)'} gibt es nicht.")
        path = Path(database).resolve()
        # Read-only: an importer never writes to its source, nor creates an empty file.
        return (url.set(database=f"file:{quote(str(path))}?mode=ro", query={**url.query, "uri": "true"}),
                f"sqlite:///{path}")
    if "+" not in url.drivername and url.drivername in _BUNDLED_DRIVERS and not find_spec("MySQLdb"):
        # SQLAlchemy's default driver for MariaDB/MySQL (mysqlclient) is not installed: use ours.
        url = url.set(drivername=f"{url.drivername}+{_BUNDLED_DRIVERS[url.drivername]}")
    return url, url.render_as_string(hide_password=True)


class Rows:
    """One table, view or query of the mapping, resolved against the database."""

    def __init__(self, db: Database, relation: Relation, mapping: Mapping):
        self.db = db
        self.relation = relation
        self.mapping = mapping
        self.types: dict[str, sqltypes.TypeEngine | None] = {}
        if relation.table:
            self.source = self._table(relation.table)
        else:
            self.source = self._query(relation.query)
        self.names = {name.lower(): name for name in reversed(list(self.types))}

    def _fail(self, line: int, text: str):
        raise MappingError(f"{self.mapping.at(line)}: {text}")

    def _table(self, name: str):
        schema = self.mapping.schema
        try:
            known = self.db.table_names(schema)
        except SQLAlchemyError as exc:
            self._fail(self.relation.line, f"Tabellen in Schema {schema!r} nicht lesbar: {first_line(exc)}")
        actual = known.get(name.lower()) if name not in known.values() else name
        if actual is None:
            self._fail(self.relation.line, f"Tabelle oder Sicht {name!r} gibt es in der Datenbank nicht"
                       + (f" (Schema {schema})" if schema else ""))
        for column in self.db.inspector.get_columns(actual, schema):
            self.types[column["name"]] = column["type"]
        return sa.table(actual, *(sa.column(c) for c in self.types), schema=schema)

    def _query(self, query: str):
        probe = sa.select(sa.literal_column("*")).select_from(
            sa.text(query).columns().subquery("src")).where(sa.false())
        try:
            result = self.db.connection.execute(probe)
            keys = list(result.keys())
            result.close()
        except DBAPIError as exc:
            self.db.connection.rollback()
            self._fail(self.relation.line, f"die Abfrage schlägt fehl: {first_line(exc)}")
        for key in keys:
            self.types[key] = None  # a query's column types are not reliably known
        return sa.text(query).columns(*(sa.column(k) for k in keys)).subquery("src")

    # -- columns -------------------------------------------------------------

    def column(self, column: Column, wanted: FieldType | Link | str) -> str:
        """The column's name as the database spells it; a clear error if it is missing or unfit."""
        name = column.name if column.name in self.types else self.names.get(column.name.lower())
        if name is None:
            self._fail(column.line, f"Spalte {column.name!r} gibt es in {self.relation.label} nicht "
                       f"(vorhanden: {', '.join(sorted(self.types)) or 'keine'})")
        column_type = self.types[name]
        if column_type is not None and not _fits(column_type, wanted):
            label = wanted if isinstance(wanted, str) else wanted.label
            self._fail(column.line, f"Spalte {column.name!r} hat den Typ {column_type}, "
                       f"gebraucht wird: {label}")
        return name

    def c(self, name: str):
        return self.source.c[name]

    # -- reading -------------------------------------------------------------

    def select(self, expressions: list, where=None):
        statement = sa.select(*expressions).select_from(self.source)
        if where is not None:
            statement = statement.where(where)
        return self.db.connection.execution_options(yield_per=2000).execute(statement)

    def _clean(self, row) -> tuple:
        """Every row leaves the database here: lone surrogates (an NVARCHAR cut in
        two, bytes that are no UTF-8) become U+FFFD and are reported with the row."""
        row, replaced = without_lone_surrogates(tuple(row))
        if replaced and self.db.report is not None:
            self.db.report.problem(LONE_SURROGATE_PROBLEM, f"{self.relation.label}: {row[0]}")
        return row

    def all(self, expressions: list) -> list[tuple]:
        return [self._clean(row) for row in self.select(expressions)]

    def newer(self, expressions: list, column: str, since) -> list[tuple]:
        return [self._clean(row) for row in self.select(expressions, self.c(column) >= since)]

    def by_keys(self, expressions: list, key: str, keys: list) -> list[tuple]:
        rows = []
        for start in range(0, len(keys), IN_CHUNK):
            chunk = keys[start:start + IN_CHUNK]
            rows += [self._clean(row) for row in self.select(expressions, self.c(key).in_(chunk))]
        return rows

    def one(self, expression, key: str, value):
        row = self.select([expression], self.c(key) == value).first()
        return self._clean(row)[0] if row is not None else None


def _lenient_text(dbapi_connection, _record):
    """SQLite hands out TEXT as stored; bytes that are no UTF-8 would stop every run.
    Kept as lone surrogates, they are replaced and reported by Rows._clean."""
    dbapi_connection.text_factory = lambda raw: raw.decode("utf-8", "surrogateescape")


# What a column of each kind of field may be. A column of another type is a mistake
# in the mapping (a date mapped to a text field, a BLOB as a key), caught before reading.
_TEXTUAL = (sqltypes.String, sqltypes.Integer, sqltypes.Numeric, sqltypes.Uuid)
_ACCEPTS = {
    DATE.name: (sqltypes.Date, sqltypes.DateTime, sqltypes.String),
    DATETIME.name: (sqltypes.DateTime, sqltypes.Date, sqltypes.String),
    BOOL.name: (sqltypes.Boolean, sqltypes.Integer, sqltypes.Numeric, sqltypes.String),
    INT.name: (sqltypes.Integer, sqltypes.Numeric, sqltypes.String),
    CONTENT.name: (sqltypes._Binary,),
}


def _fits(column_type: sqltypes.TypeEngine, wanted: FieldType | Link | str) -> bool:
    if isinstance(column_type, sqltypes.NullType):
        return True  # SQLite columns without a declared type
    if wanted == "any":
        return not _is_blob(column_type)
    if isinstance(wanted, Link) or wanted == "key":
        return isinstance(column_type, _TEXTUAL) or (
            isinstance(column_type, sqltypes._Binary) and not _is_blob(column_type))
    name = wanted if isinstance(wanted, str) else wanted.name
    return isinstance(column_type, _ACCEPTS.get(name, _TEXTUAL))


def _is_blob(column_type) -> bool:
    return isinstance(column_type, sqltypes.LargeBinary) or "BLOB" in type(column_type).__name__.upper()
