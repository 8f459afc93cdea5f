"""The takedown ledger beyond the build: in the import, the importer's store and the build caches.

The build applies the ledger to every copy it makes (plugins/council/withhold.py). What it
reads from stays private but holds the same data: content/, the importer's store
(importers/store.py) and the build caches (plugins/council/reuse/). So

- every import applies the ledger too (`takedowns_of`, importers/publication.apply_takedowns):
  a withheld object is not written to content/, a redacted text is replaced there and in the store;
- `ratsinfo takedown add` deletes the site's build caches and what the store remembers of
  objects (`after_add`), and the next import, a full one, scrubs content/;
- `ratsinfo takedown remove` makes the next import a full one (`after_remove`): the object is in
  no store, only reading the source again brings it back;
- `places` names the private folders `ratsinfo takedown check` searches besides the output.

It turns the ledger's portal addresses into kinds and ids (plugins/urls.py) for the importers,
which know nothing of the portal.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from importers import store
from importers.publication import Takedowns
from importers.content import TEXT_CACHE
from importers.state import state_dir, state_path
from plugins.council.reuse.cache import cache_folder, cache_root
from plugins.urls import URL_FOLDERS, agenda_anchor
from ratsinfo import takedown

# The ledger's kinds as the importers name them.
_IMPORT_KINDS = {"agendaitem": "agenda_item"}
_KIND_OF_FOLDER = {folder: kind for kind, folder in URL_FOLDERS.items()}


def takedowns_of(ledger_file: Path | None, today: date | None = None) -> Takedowns | None:
    """What an import applies of the ledger; None without a ledger file or active entries.
    Raises takedown.LedgerError: an unreadable ledger must stop the import (fail closed)."""
    if ledger_file is None:
        return None
    entries = takedown.load(ledger_file).active(today or date.today())
    if not entries:
        return None
    found = Takedowns()
    for entry in entries:
        if entry.action == "schwaerzen":
            found.texts.append(entry.text)
            continue
        keys = found.withheld if entry.action == "zurueckhalten" else found.replaced
        keys |= _keys(entry.target)
        found.texts += list(entry.names)
    return found


def _keys(target: takedown.Target) -> set[tuple[str | None, str]]:
    """(kind, our id) and/or (None, source address) an entry's target may be known by."""
    if target.kind is not None:
        return {(_IMPORT_KINDS.get(target.kind, target.kind), target.id)}
    keys = {(None, target.address)}
    parts = urlsplit(target.address)
    segments = parts.path.strip("/").split("/")
    if len(segments) >= 2 and segments[-2] in _KIND_OF_FOLDER:
        kind, name = _KIND_OF_FOLDER[segments[-2]], segments[-1].rsplit(".", 1)[0]
        anchor = agenda_anchor("")
        if kind == "meeting" and parts.fragment.startswith(anchor):
            keys.add(("agenda_item", parts.fragment[len(anchor):]))
        else:
            keys.add((kind, name))
    return keys


def build_caches(content: Path) -> list[Path]:
    """The build caches of a content folder (parse cache, graph snapshot, plan index), and the
    resume caches of interrupted OParl runs (raw answers; whose source they are is not noted)."""
    root = cache_root()
    resumes = sorted(root.glob("resume-*")) if root.is_dir() else []
    return [cache_folder(content), *resumes]


def places(content: Path) -> list[Path]:
    """Where private copies of the portal's data lie: content/, the importer's state, the caches."""
    return [Path(content), state_path(content), *build_caches(content)]


def after_add(content: Path) -> tuple[list[Path], list[Path]]:
    """Delete the build caches; keep no object in the importer's stores (the next run is full and
    applies the ledger to content/). Returns (caches deleted, stores emptied)."""
    deleted = []
    for folder in [*build_caches(content), state_dir(content) / TEXT_CACHE]:
        if folder.exists():
            shutil.rmtree(folder)
            deleted.append(folder)
    return deleted, store.next_run_full(content, forget=True)


def after_remove(content: Path) -> list[Path]:
    """The next import reads the source in full: what the entry withheld is in no store."""
    return store.next_run_full(content)
