"""Stable, readable ids for our URLs, derived from source ids and kept once given.

`https://…/bodies/1/meetings/17` becomes `17`; Karlsruhe's `…/papers/vo/123`
becomes `vo-123`. A second source object that would get the same id gets a
short hash suffix instead. Once assigned, an id is remembered in the import
state, so permalinks do not move when other objects come and go.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import unquote, urlsplit

# Path segments after which the object's own key follows, in OParl URLs of all vendors.
_KIND_SEGMENTS = {
    "body", "bodies", "legislativeterm", "legislativeterms", "organization", "organizations",
    "person", "persons", "people", "membership", "memberships", "meeting", "meetings",
    "agendaitem", "agendaitems", "agenda_item", "paper", "papers", "consultation",
    "consultations", "file", "files", "location", "locations", "term", "terms",
}
_UNSAFE = re.compile(r"[^a-z0-9]+")
MAX_LENGTH = 60


def short_hash(value: str, length: int = 6) -> str:
    return hashlib.sha1(value.encode("utf-8")).hexdigest()[:length]


def slug_for(source: str) -> str:
    """A file-name-safe id proposal for a source id (not yet checked for uniqueness)."""
    parts = urlsplit(source)
    segments = [unquote(s) for s in parts.path.split("/") if s]
    tail = segments[-1:] if segments else []
    for index in range(len(segments) - 1, -1, -1):
        if segments[index].lower() in _KIND_SEGMENTS and index < len(segments) - 1:
            tail = segments[index + 1:]
            break
    if parts.query:
        tail = tail + [parts.query]
    slug = _UNSAFE.sub("-", "-".join(tail).lower()).strip("-")[:MAX_LENGTH].strip("-")
    return slug or short_hash(source, 10)


class IdMap:
    """source id → our id, per kind; the memory that keeps permalinks stable."""

    def __init__(self, known: dict[str, dict[str, str]] | None = None):
        self.by_kind: dict[str, dict[str, str]] = {k: dict(v) for k, v in (known or {}).items()}
        self._taken: dict[str, set[str]] = {k: set(v.values()) for k, v in self.by_kind.items()}

    def get(self, kind: str, source: str) -> str | None:
        return self.by_kind.get(kind, {}).get(source)

    def assign(self, kind: str, source: str) -> str:
        existing = self.get(kind, source)
        if existing:
            return existing
        taken = self._taken.setdefault(kind, set())
        candidate = slug_for(source)
        if candidate in taken:
            candidate = f"{candidate}-{short_hash(source)}"[-MAX_LENGTH:].strip("-")
        while candidate in taken:
            candidate = f"{candidate}-{short_hash(candidate)}"
        taken.add(candidate)
        self.by_kind.setdefault(kind, {})[source] = candidate
        return candidate

    def retain(self, live: dict[str, set[str]]):
        """Forget ids whose objects are gone, so the state does not grow forever."""
        for kind, mapping in self.by_kind.items():
            keep = live.get(kind, set())
            for source in [s for s in mapping if s not in keep]:
                del mapping[source]
            self._taken[kind] = set(mapping.values())

    def as_dict(self) -> dict:
        return {kind: dict(sorted(m.items())) for kind, m in sorted(self.by_kind.items()) if m}
