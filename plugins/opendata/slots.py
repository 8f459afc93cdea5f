"""The SQLite database patched in place instead of copied first: two private copies ("slots") in
the build cache, shipped into the build by hard link.

Copying a city's database (600 MB) to patch one meeting's row took 0.4–3.4 s (benchmarks/
RESULTS-delta.md, run 3). output/ must keep its file intact until the overlay moves the new one in,
so the patch cannot go into that file. A build ships slot A (a hard link into its staging folder,
which the overlay moves into output/); the other slot, B, holds the database of the build before,
and the journal the rows that build patched. The next build brings B up to date with the journal,
patches it with its own rows and ships it; A, output's old file, becomes the other slot.

Fail closed: a slot is patched in place only when the state names it with its size, mtime and inode
as they are, when it is not the file output/ serves (another inode) and no other name links to it
(st_nlink 1). Before the patch starts the state is deleted, so that a build killed meanwhile leaves
a slot nobody trusts; the next build copies output's database as before. Without the cache
(RATSINFO_CACHE false) or with the cache on another file system, the database is copied as before.

The slots hold what the dumps published, no more: `ratsinfo takedown add` deletes the build caches
(ratsinfo/scrub.py), and the slot not shipped is patched before it is shipped again.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from plugins.council.reuse.cache import cache_folder
from ratsinfo.files import replaced

STATE = "slots.json"
JOURNAL = "journal.jsonl"
NAMES = ("a.sqlite", "b.sqlite")
# A build that patched more than this (bytes of rows, document texts included) keeps no journal: the
# next build copies the database, which is faster than reading that many rows back.
JOURNAL_LIMIT = 64 * 1024 * 1024


def slot_folder(content: Path, output: Path) -> Path:
    """Per content and output folder: two outputs of one content (a preview, the live site) never share a slot."""
    key = hashlib.sha1(str(Path(output).resolve()).encode("utf-8")).hexdigest()[:16]
    return cache_folder(content) / f"daten-{key}"


def _stamp(path: Path) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ino]


class Slots:
    """The two slots of one site, for one build: `take` hands the one to patch, `done` records it."""

    def __init__(self, folder: Path, served: Path, layout: str):
        self.folder, self.served, self.layout = folder, served, layout
        self.journal: list[tuple[str, list[str], list[dict]]] = []  # this build's patches, in order
        self.taken: Path | None = None

    @classmethod
    def usable(cls, folder: Path, served: Path, layout: str) -> "Slots | None":
        """None where a slot could not be linked into the build (other file system, no cache)."""
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if os.stat(folder).st_dev != os.stat(served.parent).st_dev:
                return None
        except OSError:
            return None
        return cls(folder, served, layout)

    def _state(self) -> dict:
        try:
            state = json.loads((self.folder / STATE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return state if isinstance(state, dict) and state.get("layout") == self.layout else {}

    def take(self) -> tuple[Path, bool, list]:
        """(the slot to patch, whether it is up to date after the journal, the journal's patches).
        False: the caller fills the slot with a copy of output's database first (a new inode)."""
        served = _stamp(self.served)
        names = [n for n in NAMES if _stamp(self.folder / n) is None or _stamp(self.folder / n)[2] != served[2]] \
            if served else list(NAMES)
        free = self.folder / names[0]
        self.taken = free
        state = self._state()
        (self.folder / STATE).unlink(missing_ok=True)  # from here on no build trusts a slot until `done`
        other = state.get("other")
        if (served is None or state.get("shipped") != served or not isinstance(other, list) or len(other) != 2
                or (self.folder / other[0]) != free or other[1] != _stamp(free) or os.stat(free).st_nlink != 1):
            return free, False, []
        try:
            journal = [tuple(json.loads(line)) for line in (self.folder / JOURNAL).read_text(encoding="utf-8")
                       .splitlines()]
        except (OSError, ValueError):
            return free, False, []
        return free, True, journal

    def record(self, table: str, gone, rows: list[dict]):
        self.journal.append((table, sorted(gone), rows))

    def done(self):
        """After the taken slot is closed and linked into the build: the state for the next build."""
        other, served = None, _stamp(self.served)
        for name in NAMES:
            path = self.folder / name
            if path != self.taken and served is not None and _stamp(path) == served:
                other = [name, served]  # output's database: the next build's slot, brought up by the journal
        size = 0
        with replaced(self.folder / JOURNAL, private=True) as temp, open(temp, "w", encoding="utf-8") as lines:
            for patch in self.journal:
                line = json.dumps(patch, ensure_ascii=False) + "\n"
                size += len(line)
                if size > JOURNAL_LIMIT:
                    other = None
                    break
                lines.write(line)
        state = {"layout": self.layout, "shipped": _stamp(self.taken), "other": other}
        with replaced(self.folder / STATE, private=True) as temp:
            temp.write_text(json.dumps(state), encoding="utf-8")
