"""The raw object store: what the last successful run knew about a source.

An incremental run (`modified_since`) only receives what changed; to normalise
the whole picture again, it starts from this store. It lives next to the
content it produced (content/.ratsinfo/) and is replaced only after content/
was written successfully.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path

from importers.oparl.walker import Crawl


def store_path(content: Path, source_key: str) -> Path:
    digest = hashlib.sha1(source_key.encode("utf-8")).hexdigest()[:12]
    return Path(content) / ".ratsinfo" / f"oparl-{digest}.sqlite"


def load(path: Path) -> tuple[Crawl, dict] | None:
    if not path.is_file():
        return None
    crawl = Crawl()
    with sqlite3.connect(path) as db:
        meta = dict(db.execute("SELECT key, value FROM meta"))
        for object_id, type_name, data in db.execute("SELECT id, type, data FROM objects"):
            crawl.objects[object_id] = json.loads(data)
            crawl.types[object_id] = type_name
        crawl.deleted = {row[0] for row in db.execute("SELECT id FROM deleted")}
    crawl.bodies = json.loads(meta.get("bodies", "[]"))
    crawl.system = json.loads(meta["system"]) if meta.get("system") else None
    crawl.oparl_version = meta.get("oparl_version", "")
    return crawl, meta


# What a withheld agenda item keeps in the store: its place, never its text.
_NON_PUBLIC_KEEP = ("id", "type", "number", "order", "meeting", "created", "modified")


def without_non_public(crawl: Crawl) -> tuple[dict, dict]:
    """Objects and types to store: non-public agenda items reduced to their place,
    files that only they linked left out. The store lives in content/, which holds
    only what may be published (the rule of DEVELOPERS.md), so nothing else is kept."""
    from importers.oparl import quirks

    objects, types = dict(crawl.objects), dict(crawl.types)
    withheld: set[str] = set()
    for object_id, kind in crawl.types.items():
        if kind != "Meeting":
            continue
        item_ids = [i for i in quirks.as_list(crawl.objects[object_id].get("agendaItem")) if i in objects]
        items = [objects[i] for i in item_ids]
        for item_id, item, public in zip(item_ids, items, quirks.agenda_publicity(items)):
            if not public:
                objects[item_id] = {**{k: item[k] for k in _NON_PUBLIC_KEEP if k in item}, "public": False}
                withheld.add(item_id)
    for object_id, kind in crawl.types.items():
        if kind == "AgendaItem" and object_id not in withheld and crawl.objects[object_id].get("public") is False:
            objects[object_id] = {**{k: crawl.objects[object_id][k] for k in _NON_PUBLIC_KEEP
                                     if k in crawl.objects[object_id]}, "public": False}
            withheld.add(object_id)
    for object_id, kind in crawl.types.items():
        if kind != "File":
            continue
        f = crawl.objects[object_id]
        parents = quirks.as_list(f.get("agendaItem"))
        if parents and all(p in withheld for p in parents) and not f.get("meeting") and not f.get("paper"):
            del objects[object_id], types[object_id]
    return objects, types


def save(path: Path, crawl: Crawl, meta: dict[str, str]):
    objects, types = without_non_public(crawl)
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    with sqlite3.connect(tmp) as db:
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        db.execute("CREATE TABLE objects (id TEXT PRIMARY KEY, type TEXT, data TEXT)")
        db.execute("CREATE TABLE deleted (id TEXT PRIMARY KEY)")
        all_meta = {
            **meta,
            "bodies": json.dumps(crawl.bodies),
            "system": json.dumps(crawl.system) if crawl.system else "",
            "oparl_version": crawl.oparl_version,
        }
        db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(all_meta.items()))
        db.executemany(
            "INSERT INTO objects VALUES (?, ?, ?)",
            ((i, types[i], json.dumps(objects[i], ensure_ascii=False, sort_keys=True)) for i in sorted(objects)),
        )
        db.executemany("INSERT INTO deleted VALUES (?)", ((i,) for i in sorted(crawl.deleted)))
    os.replace(tmp, path)
