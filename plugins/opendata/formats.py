"""The dumps' bytes: JSON Lines, CSV and one SQLite database, from the rows of plugins/opendata/tables.

Each is made whole (at city scale a few seconds; patching rows in place would need the old
files read anyway, docs/opendata.md) and in a stable order, so that the same rows give the
same bytes and write_if_changed leaves an unchanged file alone.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
from pathlib import Path

from plugins.opendata.tables import TABLES, Table

# Spreadsheets read a cell that starts with one of these as a formula (CSV injection, OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def jsonl(table: Table, rows: list[dict]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")


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


def csv_bytes(table: Table, rows: list[dict]) -> bytes:
    columns = [c for c in table.all_columns if c.csv]
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180
    writer.writerow([c.name for c in columns])
    for r in rows:
        writer.writerow([csv_cell(c, r[c.name]) for c in columns])
    return out.getvalue().encode("utf-8")


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


def write_sqlite(path: Path, tables: dict[str, list[dict]]):
    """The database at `path`, made anew in a temporary file beside it and then moved there."""
    temp = path.with_name(f".{path.name}.tmp")
    temp.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(temp)
    try:
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        for statement in create_statements():
            db.execute(statement)
        for table in TABLES:
            columns = table.all_columns
            db.executemany(
                f"INSERT INTO {_quote(table.name)} VALUES ({', '.join('?' * len(columns))})",
                ([sql_value(c, r[c.name]) for c in columns] for r in tables[table.name]))
            if table.search:
                fts = _quote(table.name + "_fts")
                db.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
        db.commit()
        db.execute("PRAGMA foreign_keys = ON")
        broken = db.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"Offene Daten: Verweise ins Leere in der SQLite-Datenbank: {broken[:5]}")
        db.execute("PRAGMA optimize")
    finally:
        db.close()
    os.replace(temp, path)
