"""The parse cache: the front matter of every content file, kept from one build to the next.

Keyed by each file's stamp (mtime, ctime, size, inode), in the user's cache folder: a file
whose stamp changed in any way is parsed again, so a change is never missed. Loading the
graph in full (plugins/council/loading.py) takes what it can from here.
"""

from __future__ import annotations

import pickle
from pathlib import Path

from ratsinfo.files import replacing


class ParseCache:
    """One pickle per kind (meetings, papers, …): a changed meeting rewrites the meetings' file
    only, not the 100,000 entries of papers and files (1.7 s at city scale)."""

    VERSION = 2

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.entries: dict[str, dict[str, tuple]] = {}
        self.used: dict[str, dict[str, tuple]] = {}
        self.hits = 0

    def _kind(self, kind: str) -> dict[str, tuple]:
        entries = self.entries.get(kind)
        if entries is None:
            entries = self.entries[kind] = self._read(kind)
            self.used[kind] = {}
        return entries

    def _read(self, kind: str) -> dict[str, tuple]:
        path = self._path(kind)
        if path is None or not path.is_file():
            return {}
        try:
            with path.open("rb") as handle:
                stored = pickle.load(handle)
            if stored.get("version") == self.VERSION:
                return stored["entries"]
        except Exception:  # a broken or foreign cache is rebuilt, never trusted
            pass
        return {}

    def _path(self, kind: str) -> Path | None:
        return None if self.folder is None else self.folder / f"parse-{kind}.pickle"

    def get(self, kind: str, name: str, stamp: tuple):
        entry = self._kind(kind).get(name)
        if entry is not None and entry[0] == stamp:
            self.hits += 1
            self.used[kind][name] = entry
            return entry[1]
        return None

    def put(self, kind: str, name: str, stamp: tuple, data):
        self._kind(kind)
        self.used[kind][name] = (stamp, data)

    def save(self):
        for kind, used in self.used.items():
            path = self._path(kind)
            if path is None or used == self.entries[kind]:
                continue
            with replacing(path) as handle:
                pickle.dump({"version": self.VERSION, "entries": used}, handle, protocol=pickle.HIGHEST_PROTOCOL)
