"""What a SQLite dump holds, as a reader asks it: the same for a database made whole and for one
patched row by row (plugins/opendata/formats.Database), whose bytes differ."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def sqlite_content(path: Path) -> dict:
    """Schema, every table's rows (in id order: a patched row gets a new rowid) and every entry of
    each full-text index (term, the row's id, column, offset)."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        content = {"schema": sorted(db.execute("SELECT type, name, sql FROM sqlite_master "
                                               "WHERE name NOT LIKE 'sqlite_%'").fetchall())}
        tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                                 "AND name NOT LIKE '%_fts%' AND name NOT LIKE 'sqlite_%'")]
        for table in tables:
            content[table] = db.execute(f'SELECT * FROM "{table}" ORDER BY id').fetchall()
            if (f"{table}_fts",) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
                db.execute(f'CREATE VIRTUAL TABLE temp."{table}_terms" USING fts5vocab(main, "{table}_fts", instance)')
                content[f"{table}_fts"] = db.execute(
                    f'SELECT v.term, t.id, v.col, v."offset" FROM temp."{table}_terms" v '
                    f'JOIN "{table}" t ON t.rowid = v.doc ORDER BY 1, 2, 3, 4').fetchall()
    return content
