"""Takedowns and retention, applied to the loaded graph before anything is made from it.

Every page, the search index, feeds, calendars, the sitemap, the OParl API and the dumps are
made from the one graph in the context (`council_graph`); applied here, every copy inherits
it, and because it runs at every build, a re-import cannot bring anything back. It works on
the graph as loaded (or taken from its snapshot, which stays as loaded: the snapshot was
written before), in place:

- withheld objects (ledger `zurueckhalten`, retention) leave the graph, and every reference
  to them goes with them (a withheld person is no paper's originator, a withheld paper no
  agenda item's, a document only of withheld papers is published nowhere);
- a redacted text (`schwaerzen`) is replaced in every text the graph holds (names, titles,
  agenda items, places, document texts); a document whose text held it is no longer mirrored
  nor linked at its source, its reading view shows the redacted text;
- a replaced document (`ersetzen`) is mirrored as the clerk's copy, with that copy's text
  when a .txt of the same name lies beside it, otherwise without text;
- persons who left every body long ago show only name and period (RETENTION_*).

The result says which addresses are gone (plugins/deploy answers them with 410) and a digest
of all this for the pages' fingerprints: a changed ledger renders every page again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from plugins import urls
from plugins.common import FOLDERS
from plugins.council.graph import AgendaItem, Consultation, File, Graph, Meeting, Membership, Paper, Person
from ratsinfo.takedown import KEEP_FIELDS, REDACTED, Ledger, Target, implied_names, redact_value, redaction_pattern

log = logging.getLogger(__name__)


@dataclass
class Retention:
    """The retention settings (ratsinfo/settings.py); None: the rule is off."""

    person_reduce_years: int | None = None
    person_withhold_years: int | None = None
    paper_types: dict = field(default_factory=dict)   # paper type -> years after the paper's date

    @classmethod
    def from_settings(cls, settings) -> "Retention":
        return cls(settings.get("RETENTION_PERSON_REDUCE_YEARS"), settings.get("RETENTION_PERSON_WITHHOLD_YEARS"),
                   dict(settings.get("RETENTION_PAPER_TYPES") or {}))


@dataclass
class Effect:
    gone: list[str] = field(default_factory=list)        # portal paths that answer 410
    withheld: set = field(default_factory=set)            # (kind, id) of withheld objects
    reduced: set = field(default_factory=set)             # person ids shown with name and period only
    unmatched: list[int] = field(default_factory=list)    # ledger entries that found nothing
    digest: str = ""


def resolve(graph: Graph, target: Target) -> list:
    """The objects an entry names (an agenda item, or an object of the graph)."""
    if target.kind == "agendaitem":
        return [item for meeting in graph.meetings.values() for item in meeting.agenda if item.id == target.id]
    if target.kind is not None:
        obj = getattr(graph, FOLDERS[target.kind]).get(target.id)
        return [obj] if obj is not None else []
    address = target.address
    parts = urlsplit(address)
    path = parts.path.lstrip("/") + (f"#{parts.fragment}" if parts.fragment else "")
    found = []
    for objects in (graph.persons, graph.papers, graph.meetings, graph.files, graph.organizations):
        for obj in objects.values():
            if obj.source == address or path == obj.url or path.endswith("/" + obj.url):
                found.append(obj)
    for meeting in graph.meetings.values():
        for item in meeting.agenda:
            if path == item.url or path.endswith("/" + item.url):
                found.append(item)
    return found


def apply(graph: Graph, ledger: Ledger | None, retention: Retention, today: date) -> Effect:
    effect = Effect()
    entries = ledger.active(today) if ledger else []
    shown = []  # what the digest covers: each entry's effect, not its wording
    removed = []
    texts = [entry.text for entry in entries if entry.action == "schwaerzen"]
    for entry in entries:
        if entry.action == "schwaerzen":
            continue
        objects = resolve(graph, entry.target)
        if not objects and entry.action == "zurueckhalten" and target_page(entry.target):
            # The importer left it out of content/ (importers/publication.py): its address still answers 410.
            effect.gone.append(target_page(entry.target))
            shown.append(("fort", entry.nr))
        elif not objects:
            effect.unmatched.append(entry.nr)
            log.warning("ratsinfo: Löschliste %s, Eintrag %d: %s gibt es im Inhalt nicht (nichts zu tun).",
                        ledger.path, entry.nr, entry.target)
        if entry.action == "zurueckhalten":
            removed += objects
            # Its name goes wherever it is written too (protocols, agenda items, other papers).
            texts += [text for obj in objects for text in implied_texts(obj)] + list(entry.names)
        else:
            for f in objects:
                _replace_file(f, entry.replacement)
                shown.append(("ersetzen", f.id, str(entry.replacement), _stamp(entry.replacement)))
    removed += _expired(graph, retention, today, effect)
    _withhold(graph, removed, effect)
    if texts:
        shown.append(("texte", sorted({t.casefold() for t in texts})))
        _redact(graph, redaction_pattern(texts), effect)
    shown += sorted(effect.withheld) + sorted(("reduziert", pid) for pid in effect.reduced)
    effect.digest = hashlib.sha1(repr(shown).encode("utf-8")).hexdigest() if shown else ""
    effect.gone = sorted(set(effect.gone))
    return effect


def implied_texts(obj) -> list[str]:
    """What withholding an object redacts besides it: a person's name, a paper's name and reference."""
    if isinstance(obj, Person):
        return implied_names(obj.name, " ".join(filter(None, [obj.given_name, obj.family_name])))
    if isinstance(obj, Paper):
        return implied_names(obj.name, obj.reference)
    return []


def target_page(target: Target) -> str | None:
    """The portal page an entry names, found without the object: `person 17`, or a portal address."""
    if target.kind in FOLDERS:
        return urls.page(target.kind, target.id)
    if target.address:
        path = urlsplit(target.address).path.strip("/").split("/")
        if len(path) >= 2 and path[-2] in urls.URL_FOLDERS.values() and path[-1].endswith(".html"):
            return "/".join(path[-2:])
    return None


def _stamp(path) -> tuple:
    st = path.stat()
    return (st.st_size, st.st_mtime_ns)


def _expired(graph: Graph, retention: Retention, today: date, effect: Effect) -> list:
    """Persons and papers past their retention period (settings RETENTION_*)."""
    out = []
    for paper in graph.papers.values():
        years = retention.paper_types.get(paper.paper_type or "")
        if years is not None and paper.date is not None and _years_since(paper.date, today) >= years:
            out.append(paper)
    if retention.person_reduce_years is None and retention.person_withhold_years is None:
        return out
    for person in graph.persons.values():
        ends = [m.end_date for m in person.memberships]
        if not ends or None in ends:
            continue  # still a member somewhere, or never known to be one
        left = max(ends)
        if retention.person_withhold_years is not None and _years_since(left, today) >= retention.person_withhold_years:
            out.append(person)
        elif retention.person_reduce_years is not None and _years_since(left, today) >= retention.person_reduce_years:
            _reduce(person, effect)
    return out


def _years_since(day: date, today: date) -> int:
    return today.year - day.year - ((today.month, today.day) < (day.month, day.day))


def _reduce(person: Person, effect: Effect):
    """Name and period only: no contact data, no form of address, title, affix or gender, no memberships."""
    starts = [m.start_date for m in person.memberships if m.start_date]
    person.period = (min(starts) if starts else None, max(m.end_date for m in person.memberships))
    for membership in person.memberships:
        membership.organization.memberships.remove(membership)
    person.memberships = []
    person.email, person.phone, person.title, person.form_of_address = [], [], [], None
    person.affix = person.gender = None
    effect.reduced.add(person.id)


def _replace_file(f: File, replacement):
    f.media_source = str(replacement)
    f.media = f"{f.id}-ersetzt{replacement.suffix.lower()}"
    f.size = replacement.stat().st_size
    f.access_url = None  # the source's copy is the unredacted one
    text = replacement.with_suffix(".txt")
    f.redacted_text = text.read_text(encoding="utf-8") if text.is_file() else ""
    f.versions = []  # the source's earlier versions hold what the clerk's copy replaced


def _withhold(graph: Graph, objects: list, effect: Effect):
    """Remove the objects and every reference to them; then documents no published object links."""
    if not objects:
        return
    gone = {id(obj) for obj in objects}
    for obj in objects:
        if isinstance(obj, AgendaItem):
            effect.withheld.add(("agendaitem", obj.id))
            continue
        getattr(graph, FOLDERS[obj.kind]).pop(obj.id, None)
        effect.withheld.add(obj.key)
        effect.gone.append(obj.url)
        if isinstance(obj, File) and obj.media:
            effect.gone.append(obj.media_url)
        if isinstance(obj, Meeting):
            effect.gone.append(urls.meeting_calendar(obj.id))
    _scrub(graph, gone)
    _drop_changes(graph, {obj.id for obj in objects if isinstance(obj, AgendaItem)})
    # A document only withheld objects linked is published nowhere now: its copy goes too.
    for f in list(graph.files.values()):
        if id(f) not in gone and not (f.meetings or f.papers) and _was_linked(f, objects):
            effect.gone += [f.url] + ([f.media_url] if f.media else [])


def _was_linked(f: File, objects: list) -> bool:
    return any(f in _files_of(obj) for obj in objects)


def _files_of(obj) -> list:
    if isinstance(obj, Paper):
        return ([obj.main_file] if obj.main_file else []) + obj.auxiliary_files
    if isinstance(obj, Meeting):
        return [f for _, f in obj.documents] + [f for item in obj.agenda for f in _files_of(item)]
    if isinstance(obj, AgendaItem):
        return ([obj.resolution_file] if obj.resolution_file else []) + obj.auxiliary_files
    return []


def _drop_changes(graph: Graph, items: set[str]):
    """Change entries of withheld agenda items and documents go with them."""
    for holder in list(graph.meetings.values()) + list(graph.papers.values()):
        if holder.changes:
            holder.changes = [c for c in holder.changes if c.item_id not in items
                              and (c.file is not None or not c.change.startswith("document_"))]


def _holders(graph: Graph):
    """Every object of the graph that holds references or text, once."""
    for objects in (graph.bodies, graph.terms, graph.organizations, graph.persons, graph.meetings,
                    graph.papers, graph.files):
        yield from objects.values()
    for person in graph.persons.values():
        yield from person.memberships
    for meeting in graph.meetings.values():
        yield from meeting.agenda
    for paper in graph.papers.values():
        yield from paper.consultations
    for holder in list(graph.meetings.values()) + list(graph.papers.values()):
        yield from holder.changes


def _scrub(graph: Graph, gone: set):
    def lost(value) -> bool:
        if id(value) in gone:
            return True
        if isinstance(value, Membership):
            return id(value.person) in gone or id(value.organization) in gone
        if isinstance(value, Consultation):
            return id(value.paper) in gone
        return False

    for holder in list(_holders(graph)):
        for f in dataclasses.fields(holder):
            value = getattr(holder, f.name)
            if isinstance(value, list):
                if any(lost(v) for v in value):
                    setattr(holder, f.name, [v for v in value if not lost(v)])
            elif value is not None and not isinstance(value, (str, int, float, date, dict)) and lost(value):
                setattr(holder, f.name, None)
        if isinstance(holder, Consultation) and holder.meeting is None:
            holder.agenda_item = None


def _redact(graph: Graph, pattern: re.Pattern, effect: Effect):
    for holder in list(_holders(graph)):
        for f in dataclasses.fields(holder):
            if f.name in KEEP_FIELDS:
                continue
            value = getattr(holder, f.name)
            if isinstance(value, str) and pattern.search(value) or isinstance(value, (list, dict)) and (
                    any(isinstance(v, str) and pattern.search(v) for v in value) if isinstance(value, list)
                    else pattern.search(repr(value))):
                setattr(holder, f.name, redact_value(value, pattern, f.name))
        if isinstance(holder, File):
            _redact_text(holder, pattern, effect)


def _redact_text(f: File, pattern: re.Pattern, effect: Effect):
    """A document whose text holds a redacted string: the reading view shows the redacted text, the
    document itself (which still holds the string) is neither mirrored nor linked at its source.
    Its earlier versions' texts (shown as differences on the paper page) are redacted too."""
    for version in f.versions:
        old = version.read_text()
        if pattern.search(old):
            version.redacted_text = pattern.sub(REDACTED, old)
    text = f.read_text()
    if not pattern.search(text):
        return
    f.redacted_text = pattern.sub(REDACTED, text)
    if f.media and f.media_source is None:
        effect.gone.append(f.media_url)
        f.media = None
        f.size = None
    f.access_url = None
