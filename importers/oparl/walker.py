"""Walk an OParl system: System → bodies → every external list → linked stragglers.

The result is a flat `Crawl`: every object once, by id, with embedded objects
spliced out into their own entries (replaced by their id in the parent) and given
the back-reference the spec leaves out of embedded objects (research/oparl.md §1.5).
"""

from __future__ import annotations

import copy
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from importers.errors import ImportFailed
from importers.oparl import quirks, vendors
from importers.oparl.limits import LimitExceeded, Limits
from importers.oparl.source import NotFound, Unreachable
from importers.report import Report
from importers.spool import SPOOLED_FIELDS, Spool
from importers.values import int_value

TYPES = (
    "System", "Body", "LegislativeTerm", "Organization", "Person", "Membership",
    "Meeting", "AgendaItem", "Paper", "Consultation", "File", "Location",
)
_TYPES_BY_LOWER = {name.lower(): name for name in TYPES}

# Which fields of which type hold embedded objects, and of what type (spec 1.1 §3).
EMBEDDED = {
    "Body": {"legislativeTerm": "LegislativeTerm", "location": "Location"},
    "Person": {"membership": "Membership", "locationObject": "Location"},
    "Organization": {"location": "Location"},
    "Meeting": {
        "location": "Location", "invitation": "File", "resultsProtocol": "File",
        "verbatimProtocol": "File", "auxiliaryFile": "File", "agendaItem": "AgendaItem",
    },
    "AgendaItem": {"resolutionFile": "File", "auxiliaryFile": "File"},
    "Paper": {
        "mainFile": "File", "auxiliaryFile": "File", "location": "Location",
        "consultation": "Consultation",
    },
}

# Back-references that say exactly which list of the parent holds the child, so a
# child that arrives alone (1.1 sub-lists, incremental runs) can be put back in place.
CHILD_LISTS = {"AgendaItem": ("meeting", "agendaItem"), "Consultation": ("paper", "consultation"),
               "Membership": ("person", "membership")}

# The back-reference an embedded object gets from its parent: (field, is_list).
BACKREFS = {
    ("Meeting", "AgendaItem"): ("meeting", False),
    ("Paper", "Consultation"): ("paper", False),
    ("Person", "Membership"): ("person", False),
    ("Meeting", "File"): ("meeting", True),
    ("AgendaItem", "File"): ("agendaItem", True),
    ("Paper", "File"): ("paper", True),
}

# The external lists of a Body, 1.0 and 1.1, and what they contain.
BODY_LISTS = {
    "organization": "Organization", "person": "Person", "meeting": "Meeting",
    "paper": "Paper", "legislativeTermList": "LegislativeTerm", "membership": "Membership",
    "agendaItem": "AgendaItem", "consultation": "Consultation", "file": "File",
    "locationList": "Location",
}

# Links worth following when their target was in no list (research/oparl.md S15, M4).
FOLLOW_REFS = {
    # Location as a URL in no list: Sternberg 1.0 (S16), Bonn's client expects it (C14).
    "Body": ("location",),
    "Organization": ("location",),
    "Meeting": ("organization", "location"),
    "Membership": ("organization", "onBehalfOf"),
    "AgendaItem": ("consultation",),
    "Consultation": ("paper", "meeting", "organization"),
    "Paper": (
        "location", "underDirectionOf", "originatorOrganization", "originatorPerson",
        "relatedPaper", "superordinatedPaper", "subordinatedPaper",
    ),
}


def list_failed(url: str, list_type: str, status: int) -> ImportFailed:
    """A list that cannot be read is no empty list: taken as empty, a full run would
    delete every object of its kind (401/403: the source no longer lets us read it)."""
    return ImportFailed(
        f"Die Liste {url} ({list_type}) antwortet mit HTTP {status}. Eine Liste, die nicht abrufbar "
        "ist, ist nicht leer; der Import wird abgebrochen, damit keine Objekte gelöscht werden. "
        "Bitte Adresse und Zugangsrechte der Quelle prüfen (beim Betreiber des "
        "Ratsinformationssystems nachfragen) und den Import wiederholen."
    )


def type_of(obj: dict, expected: str | None) -> str | None:
    """The short type name ("Meeting") of an object, or the expected one if it has none."""
    raw = obj.get("type")
    if isinstance(raw, str) and raw.strip():
        name = raw.rstrip("/").rsplit("/", 1)[-1]
        known = _TYPES_BY_LOWER.get(name.lower())
        if known:
            return known
    return expected


@dataclass
class Crawl:
    system: dict | None = None
    oparl_version: str = ""
    bodies: list[str] = field(default_factory=list)
    objects: dict[str, dict] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    deleted: set[str] = field(default_factory=set)
    # Objects linked from others but unreachable (401/404/410): depublished or broken.
    unreachable: set[str] = field(default_factory=set)

    def of_type(self, type_name: str):
        for object_id, kind in self.types.items():
            if kind == type_name:
                yield self.objects[object_id]


class Walker:
    """Walks a source once. With `previous` and `since`, it asks only for changes
    (`modified_since`) and applies them to what the previous run knew."""

    def __init__(
        self,
        source,
        report: Report,
        on_progress: Callable[[str, int], None] | None = None,
        *,
        previous: Crawl | None = None,
        since: datetime | None = None,
        concurrency: int = 4,
        max_list_pages: int = Limits.list_pages,
        spool: Spool | None = None,
    ):
        self.source = source
        self.spool = spool
        self.max_list_pages = max_list_pages
        self.report = report
        self.on_progress = on_progress or (lambda kind, n: None)
        self.crawl = copy.deepcopy(previous) if previous is not None else Crawl()
        self.since = since if previous is not None else None
        self.concurrency = max(1, concurrency)
        self.vendor = "unbekannt"

    # -- entry -------------------------------------------------------------

    def walk(self, entry_url: str) -> Crawl:
        entry = self._fetch_entry(entry_url)
        kind = type_of(entry, None)
        if kind == "System":
            self.crawl.system = entry
            self.crawl.oparl_version = str(entry.get("oparlVersion", ""))
            self.vendor = vendors.vendor_of(entry)
            body_list = entry.get("body")
            if not isinstance(body_list, str):
                raise ImportFailed(f"System {entry_url} nennt keine Body-Liste (Feld body)")
            # Always the whole body list: an unchanged Body must still be walked.
            bodies = list(self._list_pages(body_list, "Body", filtered=False))
        elif kind == "Body":
            bodies = [entry]
        else:
            raise ImportFailed(
                f"{entry_url} ist weder System noch Body (type: {entry.get('type')!r})"
            )
        for body in bodies:
            body_id = self._add(body, "Body")
            if body_id is None or body_id in self.crawl.deleted:
                continue
            if body_id not in self.crawl.bodies:
                self.crawl.bodies.append(body_id)
            self._walk_body(self.crawl.objects[body_id])
        self._attach_children()
        self._follow_missing_links()
        return self.crawl

    def _fetch_entry(self, url: str) -> dict:
        try:
            entry = self.source.get_json(url)
        except NotFound as exc:
            raise ImportFailed(f"Einstiegs-URL nicht gefunden: {exc}") from exc
        if not isinstance(entry, dict):
            raise ImportFailed(f"{url} liefert kein OParl-Objekt")
        return entry

    def _filters(self) -> dict[str, str]:
        if self.since is None:
            return {}
        filters = {"modified_since": vendors.filter_value(self.since)}
        if "1.1" in self.crawl.oparl_version or "1.1" in str((self.crawl.system or {}).get("oparlVersion", "")):
            filters["omit_internal"] = "true"
        return filters

    def _walk_body(self, body: dict):
        lists = [
            (body[list_field], list_type)
            for list_field, list_type in BODY_LISTS.items()
            if isinstance(body.get(list_field), str) and body[list_field]
        ]
        # Lists are fetched in parallel, but applied in a fixed order so the result
        # does not depend on timing.
        with ThreadPoolExecutor(self.concurrency) as pool:
            fetched = list(pool.map(self._fetch_list, lists))
        for (_, list_type), objects in zip(lists, fetched):
            for obj in self.spool.unbuffered(objects) if self.spool else objects:
                self._add(obj, list_type)
        if "legislativeTerm" not in body and not self.since:
            self.report.problem("Body ohne legislativeTerm (Pflichtfeld fehlt)", body.get("id"))
        if not self.since:
            self._check_organization_meeting_lists()

    def _fetch_list(self, item: tuple[str, str]):
        """One list's objects, waiting for their turn in the spool when there is one: not every
        object of every list as sent, beside the crawl (issue 19)."""
        objects = self._list_pages(*item)
        return self.spool.buffered(objects) if self.spool else list(objects)

    def _check_organization_meeting_lists(self):
        """Organization.meeting is a list the spec promises; Sternberg's are often dead (S15)."""
        urls = sorted({
            obj["meeting"] for object_id, kind in self.crawl.types.items() if kind == "Organization"
            for obj in [self.crawl.objects[object_id]] if isinstance(obj.get("meeting"), str)
        })

        def first_page(url):
            try:
                return url, self.source.get_json(url)
            except LimitExceeded:
                raise
            except (NotFound, ImportFailed):
                return url, None

        with ThreadPoolExecutor(self.concurrency) as pool:
            for url, page in pool.map(first_page, urls):
                if page is None:
                    self.report.problem("Organization.meeting-Liste nicht abrufbar", url)

    # -- lists -------------------------------------------------------------

    def _list_pages(self, url: str, list_type: str, filtered: bool = True):
        seen: set[str] = set()
        filters = self._filters() if filtered else {}
        next_url: str | None = vendors.with_filters(url, filters, self.vendor) if filters else url
        while next_url:
            if next_url in seen:
                self.report.problem("Paginierungs-Schleife: links.next zeigt auf eine frühere Seite", next_url)
                return
            seen.add(next_url)
            if len(seen) > self.max_list_pages:
                raise LimitExceeded(
                    f"Die Liste {url} ({list_type}) hat mehr als {self.max_list_pages} Seiten; "
                    f"links.next endet nicht (zuletzt {next_url}). Der Import wird abgebrochen, "
                    "nichts wurde geändert. Ist die Liste wirklich so lang, --max-list-pages erhöhen; "
                    "sonst dem Betreiber der Quelle die endlose Paginierung melden."
                )
            try:
                page = self.source.get_json(next_url)
            except NotFound as exc:
                if filters and exc.status == 404 and len(seen) == 1:
                    # Sternberg answers an empty `modified_since` result with 404 and an
                    # SD.NET error object (research/oparl.md S3): no changes, not a lost list.
                    self.report.problem("Leere Änderungsliste als HTTP 404 (als leer gewertet)", next_url)
                    return
                raise list_failed(next_url, list_type, exc.status) from exc
            data, next_url = quirks.list_page(page, next_url, self.report)
            if next_url and filters:
                next_url = vendors.with_filters(next_url, filters, self.vendor)
            self.on_progress(list_type, len(data))
            for obj in data:
                yield self._spooled(obj)

    # -- objects -----------------------------------------------------------

    def _spooled(self, value):
        """`value` with its document texts (File.text, embedded ones too) in the spool, as soon as
        its page is parsed: the crawl keeps every object until the store is written, and a text
        is read back only by the content writer and the store, one at a time. The text is
        cleaned first, as clean_values would (it leaves a spooled text be)."""
        if self.spool is None:
            return value
        if isinstance(value, list):
            return [self._spooled(item) for item in value]
        if not isinstance(value, dict):
            return value
        out = {}
        for key, item in value.items():
            if key in SPOOLED_FIELDS and isinstance(item, str):
                cleaned = quirks.clean_values({key: item}).get(key)
                # An absent text ("N/A", blanks) stays for clean_values to drop.
                out[key] = item if cleaned is None else self.spool.put(cleaned)
            else:
                out[key] = self._spooled(item)
        return out

    def _add(self, obj, expected: str | None, parent: tuple[str, str] | None = None) -> str | None:
        """Store an object and its embedded children; return its id."""
        if isinstance(obj, str):
            return obj
        if not isinstance(obj, dict):
            return None
        object_id = obj.get("id")
        if not isinstance(object_id, str) or not object_id:
            self.report.problem(f"{expected or 'Objekt'} ohne id übersprungen", parent[1] if parent else None)
            return None
        if quirks.is_tombstone(obj):
            self.crawl.deleted.add(object_id)
            self.crawl.objects.pop(object_id, None)
            self.crawl.types.pop(object_id, None)
            if "type" not in obj:
                self.report.problem("Gelöschtes Objekt ohne type (Tombstone)", object_id)
            return object_id
        self.crawl.deleted.discard(object_id)
        kind = type_of(obj, expected)
        if kind is None:
            self.report.problem("Objekt ohne erkennbaren type übersprungen", object_id)
            return None
        if "type" not in obj:
            self.report.problem(f"{kind} ohne type", object_id)
        obj = quirks.clean_values(obj)
        for field_name, child_type in EMBEDDED.get(kind, {}).items():
            value = obj.get(field_name)
            if isinstance(value, list):
                obj[field_name] = [
                    child for child in (self._add(v, child_type, (kind, object_id)) for v in value) if child
                ]
            elif value is not None:
                obj[field_name] = self._add(value, child_type, (kind, object_id))
        if parent is not None:
            self._set_backref(obj, parent, kind)
        existing = self.crawl.objects.get(object_id)
        if existing is not None:
            obj = self._merge(existing, obj, kind)
        self.crawl.objects[object_id] = obj
        self.crawl.types[object_id] = kind
        return object_id

    @staticmethod
    def _set_backref(obj: dict, parent: tuple[str, str], kind: str):
        parent_type, parent_id = parent
        backref = BACKREFS.get((parent_type, kind))
        if backref is None:
            return
        name, is_list = backref
        if is_list:
            values = obj.get(name)
            values = values if isinstance(values, list) else ([values] if values else [])
            if parent_id not in values:
                values.append(parent_id)
            obj[name] = values
        else:
            obj.setdefault(name, parent_id)

    @staticmethod
    def _merge(old: dict, new: dict, kind: str) -> dict:
        """The newer version of an object, keeping what only the older one knew.

        An object comes twice when it is embedded and in a 1.1 list, and again in
        an incremental run, where `omit_internal` leaves out the embedded lists:
        those are kept from before; every other field is as the server sends it now.
        """
        merged = dict(new)
        for name in EMBEDDED.get(kind, {}):
            if name not in merged and name in old:
                merged[name] = old[name]
        for key in ("meeting", "paper", "person"):
            if key not in merged and isinstance(old.get(key), str):
                merged[key] = old[key]
        for key in ("meeting", "paper", "agendaItem"):
            if isinstance(old.get(key), list) or isinstance(new.get(key), list):
                values = []
                for source in (old.get(key), new.get(key)):
                    for value in source if isinstance(source, list) else ([source] if source else []):
                        if value not in values:
                            values.append(value)
                merged[key] = values
        return merged

    def _attach_children(self):
        """Put children that came alone (from a sub-list) into their parent's list."""
        changed_parents = set()
        for object_id, kind in list(self.crawl.types.items()):
            if kind not in CHILD_LISTS:
                continue
            parent_field, list_field = CHILD_LISTS[kind]
            parent_id = self.crawl.objects[object_id].get(parent_field)
            parent = self.crawl.objects.get(parent_id) if isinstance(parent_id, str) else None
            if parent is None:
                continue
            children = quirks.as_list(parent.get(list_field))
            if object_id not in children:
                parent[list_field] = children + [object_id]
                changed_parents.add((parent_id, list_field))
        for parent_id, list_field in changed_parents:
            children = self.crawl.objects[parent_id][list_field]
            orders = [int_value(self.crawl.objects.get(c, {}).get("order")) for c in children]
            if all(o is not None for o in orders):
                self.crawl.objects[parent_id][list_field] = [c for _, c in sorted(zip(orders, children))]

    # -- stragglers ----------------------------------------------------------

    def _follow_missing_links(self):
        """Fetch objects that are linked but were in no list, one by one."""
        checked: set[str] = set()
        while True:
            missing: dict[str, str] = {}
            for object_id, kind in sorted(self.crawl.types.items()):
                obj = self.crawl.objects[object_id]
                for field_name in FOLLOW_REFS.get(kind, ()):
                    for target in quirks.as_list(obj.get(field_name)):
                        if not isinstance(target, str) or target in checked:
                            continue
                        checked.add(target)
                        if target not in self.crawl.objects and target not in self.crawl.deleted:
                            missing[target] = object_id
            if not missing:
                return
            with ThreadPoolExecutor(self.concurrency) as pool:
                fetched = list(pool.map(self._fetch, sorted(missing)))
            for url, payload, error in fetched:
                self._take_single(url, payload, error, missing[url])
            self._attach_children()

    def _fetch(self, url: str):
        try:
            return url, self.source.get_json(url, replay=True), None
        except (LimitExceeded, Unreachable):
            # The run's limit, or a source that does not answer: not a fault of this one
            # object, and an object we could not ask for must not look depublished.
            raise
        except (NotFound, ImportFailed) as exc:
            return url, None, exc

    def _take_single(self, url: str, payload, error, linked_from: str):
        if isinstance(error, NotFound):
            self.crawl.unreachable.add(url)
            self.report.problem(f"Verlinktes Objekt nicht abrufbar (HTTP {error.status})", url, linked_from)
            return
        if error is not None:
            self.crawl.unreachable.add(url)
            self.report.problem(f"Verlinktes Objekt fehlerhaft: {error}", url, linked_from)
            return
        obj = quirks.single_object(payload)
        if obj is None:
            self.crawl.unreachable.add(url)
            self.report.problem("Verlinktes Objekt ist leer", url, linked_from)
            return
        self.report.problem("Objekt ist verlinkt, steht aber in keiner Liste", url)
        self.on_progress(type_of(obj, "Objekt") or "Objekt", 1)
        self._add(self._spooled(obj), None)
