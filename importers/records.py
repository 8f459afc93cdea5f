"""The normalised records every importer hands to the publication filter and writer.

A record is one object of content/ before it gets its stable id: fields are
plain values, and links to other objects are `Ref`s by source id, resolved to
our ids (or dropped, if the target is not published) when written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# kind -> folder under content/
KINDS = {
    "body": "bodies",
    "term": "terms",
    "organization": "organizations",
    "person": "persons",
    "meeting": "meetings",
    "paper": "papers",
    "file": "files",
}


@dataclass(frozen=True)
class Ref:
    """A link to another object by its source id (the OParl URL or the record key)."""

    kind: str
    source: str


@dataclass
class Record:
    kind: str
    source: str
    data: dict = field(default_factory=dict)
    # Nested objects that get an id of their own (agenda items): (kind, source) pairs.
    nested: list[tuple[str, str]] = field(default_factory=list)


class SourceText:
    """A document text the source sent (OParl File.text), cleaned only when the content writer
    takes it: the records hold no second copy of every text beside the source's crawl. `raw` is
    the string, or anything whose `read()` gives it (importers/spool.SpooledText)."""

    __slots__ = ("raw", "clean")

    def __init__(self, raw: str, clean):
        self.raw = raw
        self.clean = clean

    def __call__(self) -> str | None:
        return self.clean(self.raw if isinstance(self.raw, str) else self.raw.read())


def iter_refs(value):
    """Every Ref inside a record's data, however deeply nested."""
    if isinstance(value, Ref):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from iter_refs(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from iter_refs(item)
