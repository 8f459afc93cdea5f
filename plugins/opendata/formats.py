"""The dumps' bytes: JSON Lines, CSV and one SQLite database, from the rows of plugins/opendata/tables.

JSON Lines and CSV are made whole, in a stable order, so that the same rows give the same bytes.
The SQLite database is made whole by the first build and patched by the next ones (Database):
only the rows that changed are deleted and inserted again, their full-text entries with them
(the times are in docs/opendata.md "Inkrementell"). Rows stream through, one at a time: a
city's document texts (some hundred million characters) are never in memory together.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from plugins.opendata.tables import TABLES, Table
from ratsinfo.files import same_bytes

# Spreadsheets read a cell that starts with one of these as a formula (CSV injection, OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@contextmanager
def changed_file(path: Path, written: list):
    """A binary handle whose bytes replace `path` only if they differ (unchanged files keep
    their mtime, as write_if_changed does for bytes in memory); appends 1 to `written` if so."""
    temp = path.with_name(f".{path.name}.tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(temp, "wb") as handle:
            yield handle
        if path.is_file() and same_bytes(temp, path):
            temp.unlink()
        else:
            os.replace(temp, path)
            written.append(1)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def jsonl_line(r: dict) -> bytes:
    return (json.dumps(r, ensure_ascii=False) + "\n").encode("utf-8")


def read_jsonl(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


def csv_cell(column, value) -> str:
    if value is None:
        return ""
    if column.type == "array":
        return json.dumps(value, ensure_ascii=False)
    if column.type == "boolean":
        return "true" if value else "false"
    value = str(value)
    if column.type == "string" and value.startswith(FORMULA_START):
        # A source string never becomes a formula in Excel or LibreOffice: a leading ' shows it as text.
        return "'" + value
    return value


class CsvWriter:
    """One table's CSV on a binary handle, row by row; document texts stay out (Column.csv)."""

    def __init__(self, table: Table, handle):
        self.columns = [c for c in table.all_columns if c.csv]
        self.text = io.TextIOWrapper(handle, encoding="utf-8", newline="", write_through=True)
        self.writer = csv.writer(self.text, lineterminator="\r\n")  # RFC 4180
        self.writer.writerow([c.name for c in self.columns])

    def write(self, r: dict):
        self.writer.writerow([csv_cell(c, r[c.name]) for c in self.columns])

    def close(self):
        self.text.flush()
        self.text.detach()  # the handle stays open for changed_file to close


SQL_TYPES = {"integer": "INTEGER", "boolean": "INTEGER", "array": "TEXT"}


def sql_value(column, value):
    if value is None:
        return None
    if column.type == "array":
        return json.dumps(value, ensure_ascii=False)
    if column.type == "boolean":
        return int(bool(value))
    return value


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def create_statements() -> list[str]:
    statements = []
    for table in TABLES:
        columns = [f"{_quote(c.name)} {SQL_TYPES.get(c.type, 'TEXT')}" + (" PRIMARY KEY" if c.name == "id" else "")
                   for c in table.all_columns]
        keys = [f"FOREIGN KEY ({_quote(c.name)}) REFERENCES {_quote(c.refers)}(id)"
                for c in table.all_columns if c.refers and c.type != "array"]
        statements.append(f"CREATE TABLE {_quote(table.name)} (\n  " + ",\n  ".join(columns + keys) + "\n)")
        if table.search:
            # External content: the index holds no second copy of the texts. Datasette finds it by name.
            fts = _quote(table.name + "_fts")
            statements.append(f"CREATE VIRTUAL TABLE {fts} USING fts5({', '.join(map(_quote, table.search))}, "
                              f"content={_quote(table.name)}, tokenize='unicode61 remove_diacritics 2')")
    return statements


def write_sqlite(path: Path, tables: dict[str, Iterable[dict]]):
    """The database at `path`, made anew. `tables` gives each table's rows, read as they are inserted."""
    db = Database(path, None)
    try:
        for table in TABLES:
            db.insert(table, tables[table.name])
            db.index(table)
    except BaseException:
        db.abort()
        raise
    db.close()

class Database:
    """The SQLite database, in a temporary file beside `path` until `close` moves it there: made
    anew (`old` None), or a copy of the last build's database patched row by row; or `path` itself
    patched (`in_place`: a private slot no one else reads, plugins/opendata/slots.py). A patch
    overwrites what it deletes (secure_delete) and merges the full-text index of a table it
    deleted from: no byte of a withheld row stays in the file."""

    def __init__(self, path: Path, old: Path | None, in_place: bool = False):
        self.path, self.temp = path, path if in_place else path.with_name(f".{path.name}.tmp")
        if not in_place:
            self.temp.unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.fresh = old is None and not in_place
        self.patched: set[str] = set()
        if old is not None and not in_place:
            shutil.copyfile(old, self.temp)
        self.db = sqlite3.connect(self.temp)
        # A temporary file that is renamed when complete: no journal, no waiting for the disk.
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")
        if self.fresh:
            for statement in create_statements():
                self.db.execute(statement)
        else:
            self.db.execute("PRAGMA secure_delete = ON")

    def insert(self, table: Table, rows: Iterable[dict]):
        columns = table.all_columns
        self.db.executemany(f"INSERT INTO {_quote(table.name)} VALUES ({', '.join('?' * len(columns))})",
                            ([sql_value(c, r[c.name]) for c in columns] for r in rows))

    def index(self, table: Table):
        """The full-text index of a table made anew, from all its rows."""
        if table.search:
            fts = _quote(table.name + "_fts")
            self.db.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")

    def patch(self, table: Table, gone: Iterable[str], rows: list[dict]):
        """Rows whose id is in `gone` or among `rows` deleted, `rows` inserted, with their index entries."""
        self.patched.add(table.name)
        name = _quote(table.name)
        ids = [(key,) for key in {*gone, *(r["id"] for r in rows)}]
        if table.search:
            fts, columns = _quote(table.name + "_fts"), ", ".join(map(_quote, table.search))
            # External content: the index forgets a row by the values it was made from, the old ones.
            self.db.executemany(f"INSERT INTO {fts}({fts}, rowid, {columns}) SELECT 'delete', rowid, {columns} "
                                f"FROM {name} WHERE id = ?", ids)
        self.db.executemany(f"DELETE FROM {name} WHERE id = ?", ids)
        self.insert(table, rows)
        if table.search:
            self.db.executemany(f"INSERT INTO {fts}(rowid, {columns}) SELECT rowid, {columns} FROM {name} "
                                f"WHERE id = ?", [(r["id"],) for r in rows])
            # The index keeps a deleted row's terms until its segments are merged.
            self.db.execute(f"INSERT INTO {fts}({fts}) VALUES ('optimize')")

    def checked(self) -> list[str]:
        """The tables whose references may have changed: all of a new database; of a patched one the
        tables patched (their new rows) and those that refer to one (a deleted row they name)."""
        if self.fresh:
            return [t.name for t in TABLES]
        return [t.name for t in TABLES if t.name in self.patched
                or any(c.refers in self.patched for c in t.all_columns if c.refers and c.type != "array")]

    def close(self):
        try:
            self.db.commit()
            self.db.execute("PRAGMA foreign_keys = ON")
            broken = [row for name in self.checked() for row in
                      self.db.execute(f"PRAGMA foreign_key_check({_quote(name)})").fetchall()]
            if broken:
                raise RuntimeError(f"Offene Daten: Verweise ins Leere in der SQLite-Datenbank: {broken[:5]}")
            self.db.execute("PRAGMA optimize")
        except BaseException:
            self.abort()
            raise
        self.db.close()
        if self.temp != self.path:
            os.replace(self.temp, self.path)

    def abort(self):
        """Closed and deleted: a slot patched halfway is no one's (its state is gone already)."""
        self.db.close()
        self.temp.unlink(missing_ok=True)
