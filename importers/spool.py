"""Document texts of one run on disk, not in memory (issue 19: the import's memory stays flat).

An OParl server sends every document's text inline (File.text, ~8,000 characters a file,
~311 M characters for a city of 14,000 papers). Held as strings from the moment they arrive
until the store is written, they made the import's peak grow with the archive. Instead the
walker puts each text here as soon as its list page is parsed, and the store does the same
when it loads the last run's objects; the crawl, the store's rows and the records hold a
`SpooledText`, a few bytes, and whoever needs the text (the content writer, the store, the
ledger's redaction) reads it back, one text at a time.

The spool is a temporary file in the private state folder (importers/state.py): readable by
its owner only, without a name on disk (the system removes it when the run ends, also when it
is killed), and never in content/.
"""

from __future__ import annotations

import pickle
import sys
import tempfile
import threading
from collections.abc import MutableMapping
from pathlib import Path
from typing import IO, Iterable, Iterator

# Shorter strings stay in memory: a file on disk costs more than it saves for them.
SPOOL_FROM = 1024
# The fields whose strings go to the spool: OParl File.text (and the store's copy of it).
SPOOLED_FIELDS = ("text",)


class Spool:
    """A private temporary file that large strings are appended to; safe across threads."""

    def __init__(self, folder: Path):
        # TemporaryFile: mode 0600, unlinked at once (O_TMPFILE on Linux): a killed run leaves nothing.
        self._folder = folder
        self._file = tempfile.TemporaryFile(dir=folder, prefix=".spool-")
        self._lock = threading.Lock()
        self._end = 0

    def put(self, text: str) -> str | SpooledText:
        """`text` itself when it is short, else a handle to its copy in the spool."""
        if len(text) < SPOOL_FROM:
            return text
        return SpooledText(self, *self.append(text.encode("utf-8", errors="surrogatepass")))

    def append(self, payload: bytes) -> tuple[int, int]:
        """Keep `payload`; its place (offset, size) for `read_bytes`."""
        with self._lock:
            self._file.seek(self._end)
            self._file.write(payload)
            offset = self._end
            self._end += len(payload)
        return offset, len(payload)

    def read_bytes(self, offset: int, size: int) -> bytes:
        with self._lock:
            self._file.seek(offset)
            return self._file.read(size)

    def _read(self, offset: int, size: int) -> str:
        return self.read_bytes(offset, size).decode("utf-8", errors="surrogatepass")

    def spooled(self, obj: dict) -> dict:
        """`obj` (one store row) with its large SPOOLED_FIELDS in the spool."""
        for name in SPOOLED_FIELDS:
            if isinstance(obj.get(name), str):
                obj[name] = self.put(obj[name])
        return obj

    def buffered(self, objects: Iterable) -> IO[bytes]:
        """`objects` (parsed JSON, spooled texts in it) in a private temporary file of their own, for
        `unbuffered` to give back one by one: a list fetched beside others waits there for its turn."""
        buffer = tempfile.TemporaryFile(dir=self._folder, prefix=".spool-")
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.persistent_id = _text_id
        for obj in objects:
            pickler.dump(obj)
            pickler.clear_memo()
        buffer.seek(0)
        return buffer

    def unbuffered(self, buffer: IO[bytes]) -> Iterator:
        """The objects of `buffered`, in their order; the buffer is closed (and gone) at the end."""
        with buffer:
            while True:
                # One unpickler per object: each was pickled with a memo of its own (clear_memo).
                unpickler = pickle.Unpickler(buffer)
                unpickler.persistent_load = lambda pid: SpooledText(self, *pid)
                try:
                    yield _interned(unpickler.load())
                except EOFError:
                    return

    def close(self):
        self._file.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc):
        self.close()


class SpooledText:
    """A string in a `Spool`. Compares equal to the string; `read()` gives it back. Immutable,
    so a deep copy of a crawl (importers/oparl/walker.py) shares it instead of reading it."""

    __slots__ = ("_spool", "_offset", "_size")

    def __init__(self, spool: Spool, offset: int, size: int):
        self._spool = spool
        self._offset = offset
        self._size = size

    def read(self) -> str:
        return self._spool._read(self._offset, self._size)

    def replaced(self, text: str) -> str | SpooledText:
        """Another text (a redacted one) in the same spool."""
        return self._spool.put(text)

    def __eq__(self, other):
        if isinstance(other, SpooledText):
            other = other.read()
        return self.read() == other if isinstance(other, str) else NotImplemented

    __hash__ = None

    def __deepcopy__(self, memo):
        return self

    def __copy__(self):
        return self

    def __repr__(self):
        return f"SpooledText({self._size} bytes)"


class SpooledFiles(MutableMapping):
    """Files to be written (relative path -> bytes), kept in a spool until then: the content
    writer's rendered object files (5.5 MB for 1,000 papers) are not held in memory."""

    def __init__(self, spool: Spool):
        self._spool = spool
        self._places: dict[str, tuple[int, int]] = {}

    def __setitem__(self, relpath: str, payload: bytes):
        self._places[relpath] = self._spool.append(payload)

    def __getitem__(self, relpath: str) -> bytes:
        return self._spool.read_bytes(*self._places[relpath])

    def __delitem__(self, relpath: str):
        del self._places[relpath]

    def __iter__(self):
        return iter(self._places)

    def __len__(self):
        return len(self._places)


# Shorter strings are interned when a buffered object comes back: the ids of objects and links.
INTERN_BELOW = 256


def _interned(value):
    """`value` with its keys and short strings interned. Each object was pickled alone, so "id",
    "type" and every link would be a string of their own in each object; interned, the URL of a
    paper is one string however many consultations and files point to it."""
    if isinstance(value, str):
        return sys.intern(value) if len(value) < INTERN_BELOW else value
    if isinstance(value, dict):
        return {_interned(key): _interned(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_interned(item) for item in value]
    return value


def _text_id(value):
    """A spooled text in a buffer is its place in the spool (never read back to be buffered)."""
    return (value._offset, value._size) if isinstance(value, SpooledText) else None


def read_spooled(value):
    """`value` with every SpooledText in it read back (a copy; the rest shared)."""
    if isinstance(value, SpooledText):
        return value.read()
    if isinstance(value, dict):
        return {key: read_spooled(item) for key, item in value.items()}
    if isinstance(value, list):
        return [read_spooled(item) for item in value]
    return value


def json_default(value):
    """For json.dumps: a SpooledText is written as its text; anything else unknown is an error."""
    if isinstance(value, SpooledText):
        return value.read()
    raise TypeError(f"{type(value).__name__} ist kein JSON-Wert")
