"""What the last successful run read from an export, for the next, incremental run.

Kept in the importer's private state folder (importers/state.py: outside
content/, for the importing account only), and replaced only after content/
was written. It holds only rows that went into published
objects (a non-public agenda item only as its number, a person without contact
data unless the town publishes it): whatever is withheld is read again from the
export next time, never remembered here.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from importers.state import state_dir
from ratsinfo.contracts import CONTENT_STATE_DIR
from ratsinfo.files import write_atomic

VERSION = 1


@dataclass
class Store:
    mapping: str  # digest of the mapping file the rows were read with
    last_full: str  # when the last full run was (ISO)
    rows: dict[str, dict[str, dict]] = field(default_factory=dict)
    since: dict[str, dict] = field(default_factory=dict)
    contact_data: bool = False  # whether persons' contact data was kept (Policy)

    def last_full_run(self) -> datetime:
        try:
            return datetime.fromisoformat(self.last_full)
        except ValueError:
            return datetime.min.replace(tzinfo=timezone.utc)


def store_path(content: Path, source_key: str) -> Path:
    """The store in the private state folder. One that versions before issue 13 kept
    in content/.ratsinfo/ is deleted: the next run reads everything again."""
    name = f"sql-{hashlib.sha1(source_key.encode('utf-8')).hexdigest()[:12]}.json"
    (Path(content) / CONTENT_STATE_DIR / name).unlink(missing_ok=True)
    return state_dir(content) / name


def load(path: Path) -> Store | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # no store, or a broken one: the next run reads everything
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return None
    return Store(data.get("mapping", ""), data.get("last_full", ""), data.get("rows", {}),
                 data.get("since", {}), data.get("contact_data") is True)


def save(path: Path, store: Store):
    payload = json.dumps({"version": VERSION, "mapping": store.mapping, "last_full": store.last_full,
                          "since": store.since, "rows": store.rows, "contact_data": store.contact_data},
                         ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    if path.is_file() and path.read_text(encoding="utf-8") == payload:
        return
    write_atomic(path, payload.encode("utf-8"), private=True, suffix=".tmp")
