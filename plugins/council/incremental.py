"""What makes rebuilds fast: a parse cache for content/ and fingerprints for pages.

- `ParseCache` keeps the parsed front matter of every content file, keyed by
  its stat (mtime, ctime, size, inode), in the user's cache folder. A file
  whose stat changed in any way is parsed again, so a change is never missed.
- A page's fingerprint covers everything it shows: the templates, our code,
  the settings, its salt (the day, page counts, …), and the stamps of the objects it depends on
  (`PageSpec.depends_on`). A page whose fingerprint equals last build's is
  not rendered again; its file is hard-linked from the previous output.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import pickle
from contextlib import contextmanager
from pathlib import Path

from plugins.common import json_lines
from plugins.common import load_build_state as load_state
from ratsinfo.contracts import BUILD_STATE as STATE_FILE
from ratsinfo.files import replacing

# Our plugins' code: pages (council) and calendars (feeds) are rendered by it.
CODE_ROOTS = (Path(__file__).resolve().parent.parent,)


def file_stamp(path: Path) -> tuple | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)


def cache_root() -> Path:
    """Our folder in the user's cache ($XDG_CACHE_HOME or ~/.cache): nothing of ours beside the site."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ratsinfo"


def cache_folder(content: Path) -> Path:
    key = hashlib.sha1(str(Path(content).resolve()).encode("utf-8")).hexdigest()[:16]
    return cache_root() / f"build-{key}"


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


@contextmanager
def bulk_allocation():
    """For loading the graph and planning: Python's cycle collector would walk every live
    object again and again while hundreds of thousands are made (a third of a no-op build
    at 100,000 pages). Afterwards they are frozen: later collections skip them and forked
    render workers do not copy them (gc.freeze). ratsinfo.build unfreezes after the build."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def tree_digest(roots, suffixes=(".py", ".html", ".css", ".js", ".svg", ".po")) -> str:
    digest = hashlib.sha1()
    for root in roots:
        for path in sorted(Path(root).rglob("*")):
            if path.is_file() and path.suffix in suffixes and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def global_fingerprint(theme: Path, settings_subset: dict) -> str:
    """What every page shows. Not the day: pages that depend on it (upcoming meetings, current
    members, the month with today) carry it in their salt, so a new day re-renders only them."""
    digest = hashlib.sha1()
    digest.update(tree_digest([theme, *CODE_ROOTS]).encode())
    digest.update(json.dumps(settings_subset, sort_keys=True, default=str).encode())
    return digest.hexdigest()


class KeyTokens(dict):
    """(kind, id) -> a 128-bit number for what a page shows of it (stamp, URL), made once per
    build. A page's fingerprint adds up the numbers of what it depends on: no sorting and
    joining of strings for 120,000 pages (0.5 s at city scale)."""

    def __missing__(self, key):  # a deleted object
        return _token(key, None)


def _token(key, value) -> int:
    return int.from_bytes(hashlib.blake2b(f"{key[0]}\x1f{key[1]}\x1f{value!r}".encode(), digest_size=16).digest(),
                          "big")


def key_tokens(stamps: dict) -> KeyTokens:
    return KeyTokens((key, _token(key, value)) for key, value in stamps.items())


_MASK = (1 << 128) - 1


def page_fingerprints(global_fp: str, pages, tokens: KeyTokens) -> list[str | None]:
    """The fingerprint of each page given as (depends_on, salt), in one loop (120,000 pages at city
    scale). None where a page depends on everything: such pages are always rendered. `tokens`
    comes from key_tokens; a key without one (a deleted object) counts as None."""
    token, sha1, mask = tokens.__getitem__, hashlib.sha1, _MASK
    return [None if depends_on is None else
            sha1(f"{global_fp}\x1e{salt}\x1e{sum(map(token, depends_on)) & mask:032x}\x1e{len(depends_on)}"
                 .encode()).hexdigest()
            for depends_on, salt in pages]


def state_bytes(pages: dict[str, str | None], attachments: list[str], stand: str | None = None) -> bytes:
    """Every planned file with its fingerprint (None: always rendered) and the attachments:
    all that an overlay build keeps in output/ without writing it (ratsinfo/build.py)."""
    return json_lines({"stand": stand, "pages": pages, "attachments": sorted(attachments)}).encode("utf-8")
