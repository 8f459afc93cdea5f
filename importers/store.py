"""The store: what the last successful run of a source left for the next, incremental run.

One store for every source (importers/pipeline.py loads and saves it): an
SQLite file in the private state folder (importers/state.py), never in
content/, replaced at once and only after content/ was written. It holds

- `meta`: the pipeline's own keys (when the last full run was, whether contact
  data was kept, the source's fingerprint, the withheld agenda items) and the
  source's (OParl: version, system, bodies; SQL: the newest value per kind);
- `objects`: (type, id) -> what the source remembers of one object or row, only
  as far as the publication rule let it through (the source's `remember`);
- `deleted`: ids of tombstones, so deletions still apply.

One SQLite file rather than a JSON document per source: an OParl city has a
few hundred thousand objects, and both sources need nothing but these three
tables.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from importers.errors import ImportFailed
from importers.spool import Spool, json_default
from importers.state import state_dir, state_path
from ratsinfo.files import replaced


@dataclass
class Memory:
    meta: dict[str, str] = field(default_factory=dict)
    objects: dict[tuple[str, str], dict] = field(default_factory=dict)
    deleted: set[str] = field(default_factory=set)


def store_path(content: Path, source_name: str, source_key: str) -> Path:
    """`<state folder>/<source name>-<digest of the source>.sqlite` (oparl-…, sql-…)."""
    return state_dir(content) / f"{source_name}-{source_digest(source_key)}.sqlite"


def source_digest(source_key: str) -> str:
    return hashlib.sha1(source_key.encode("utf-8")).hexdigest()[:12]


def load(path: Path, spool: Spool | None = None) -> Memory | None:
    """The store at `path`, or None. With `spool`, the objects' document texts go there as they are
    read, one row at a time: a re-import holds no archive of texts (importers/spool.py)."""
    if not path.is_file():
        return None
    memory = Memory()
    try:
        with sqlite3.connect(path) as db:
            memory.meta = dict(db.execute("SELECT key, value FROM meta"))
            for object_id, type_name, data in db.execute("SELECT id, type, data FROM objects"):
                obj = json.loads(data)
                memory.objects[(type_name, object_id)] = spool.spooled(obj) if spool else obj
            memory.deleted = {row[0] for row in db.execute("SELECT id FROM deleted")}
        json.loads(memory.meta.get("withheld", "[]"))
    except (sqlite3.Error, ValueError) as exc:
        # It holds which agenda items were withheld: guessing without it could open one.
        raise ImportFailed(
            f"Importzustand {path} ist beschädigt ({exc}). Nichts wurde geändert. Die Datei löschen "
            "(der nächste Import ist dann vollständig und urteilt allein nach der Quelle) und neu starten."
        ) from exc
    return memory


def save(path: Path, memory: Memory, previous: Memory | None = None):
    """Replace the store at once, readable by its owner only; not at all when nothing changed."""
    meta = {k: v for k, v in memory.meta.items() if k != "digest"}
    digest = _digest(memory, meta)
    if previous is not None and previous.meta.get("digest") == digest and path.is_file():
        return
    with replaced(path, temp_name=path.name + ".tmp", private=True) as tmp:
        tmp.unlink(missing_ok=True)  # a killed run's leftover: SQLite would add to it
        with sqlite3.connect(tmp) as db:
            db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
            db.execute("CREATE TABLE objects (type TEXT, id TEXT, data TEXT, PRIMARY KEY (type, id))")
            db.execute("CREATE TABLE deleted (id TEXT PRIMARY KEY)")
            db.executemany("INSERT INTO meta VALUES (?, ?)", sorted({**meta, "digest": digest}.items()))
            db.executemany(
                "INSERT INTO objects VALUES (?, ?, ?)",
                ((t, i, json.dumps(memory.objects[(t, i)], ensure_ascii=False, sort_keys=True, default=json_default))
                 for t, i in sorted(memory.objects)),
            )
            db.executemany("INSERT INTO deleted VALUES (?)", ((i,) for i in sorted(memory.deleted)))


def _digest(memory: Memory, meta: dict) -> str:
    """What the store holds, hashed object by object: never the whole store (with every document
    text an OParl server sends) as one string in memory."""
    digest = hashlib.sha256()
    for key in sorted(memory.objects):
        digest.update(json.dumps([list(key), memory.objects[key]], sort_keys=True, ensure_ascii=False,
                                 default=json_default).encode("utf-8"))
        digest.update(b"\n")
    digest.update(json.dumps([sorted(memory.deleted), meta], sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


def next_run_full(content: Path, forget: bool = False) -> list[Path]:
    """Make the next run of every source of `content` a full one (the pipeline reads `last_full`):
    after a takedown ends, what it withheld is in no store and only a full run reads it again.
    `forget`: keep no object either, only ids (tombstones, withheld agenda items), as after a
    takedown is added. Each store is written anew, so no old page of the file keeps a record."""
    folder = state_path(content)
    stores = sorted(folder.glob("*.sqlite")) if folder.is_dir() else []
    for path in stores:
        memory = load(path)
        memory.meta["last_full"] = ""
        if forget:
            memory.objects = {}
        save(path, memory)
    return stores
