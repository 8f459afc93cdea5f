"""Atom feeds of the change record (importers/changes.py): new agendas, new minutes, all changes.

Made from the graph's `changes` of meetings and papers, after the takedown ledger was applied
(plugins/council/withhold.py), so a withheld object's entries and redacted strings never reach a
feed. Each entry is one change, dated by the day it was seen, linked to its page's change list.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, time
from xml.etree import ElementTree as ET

from plugins.council.history import MINUTES_ROLES
from plugins.feeds.atom import ATOM, NEWEST, NO_DATE, Feed, _link, _text, tag_uri
from plugins.feeds.ical import BERLIN, german, in_berlin

# Feed name -> which entries it holds.
KINDS = {
    "tagesordnungen": lambda c: c.change == "agenda_published",
    "niederschriften": lambda c: c.change == "document_added" and c.role in MINUTES_ROLES,
    "aenderungen": lambda c: True,
}


def entries(meetings, papers, kind: str) -> list[tuple]:
    """(change, its meeting or paper), newest first, at most NEWEST."""
    wanted = KINDS[kind]
    found = [(c, obj) for obj in list(meetings) + list(papers) for c in obj.changes if wanted(c)]
    found.sort(key=lambda pair: (_updated(pair[0]), pair[1].kind, pair[1].id), reverse=True)
    return found[:NEWEST]


def _updated(change) -> datetime:
    return datetime.combine(change.seen, time(), BERLIN) if change.seen else NO_DATE


def _day(value) -> str:
    return f"{value:%d.%m.%Y}" if value else ""


def _moment(value) -> str:
    return f"{in_berlin(value):%d.%m.%Y, %H:%M} Uhr" if value else ""


def describe(change, gettext=german) -> str:
    """The change in a sentence, as plain text (the meeting page says the same, _changes.html)."""
    item = (gettext("TOP %(number)s") % {"number": change.number}) if change.number else gettext("Ein Tagesordnungspunkt")
    if change.name:
        item += f" „{change.name}“"
    document = change.file.name if change.file else ""
    labels = {
        "item_added": gettext("Hinzugefügt:"), "item_withdrawn": gettext("Abgesetzt:"),
        "item_moved": gettext("Verschoben:"), "result": gettext("Ergebnis eingetragen:"),
        "document_added": gettext("Neues Dokument:"), "document_version": gettext("Neue Fassung eines Dokuments:"),
    }
    texts = {
        "agenda_published": gettext("Tagesordnung veröffentlicht"),
        "meeting_moved": gettext("Sitzung verlegt: vorher %(before)s, jetzt %(after)s") % {
            "before": _moment(change.moved_from), "after": _moment(change.moved_to)},
        "meeting_cancelled": gettext("Sitzung abgesagt"),
        "result": " ".join([labels["result"], item + ":", change.result or ""]),
    }
    for kind in ("item_added", "item_withdrawn", "item_moved"):
        texts[kind] = " ".join([labels[kind], item])
    for kind in ("document_added", "document_version"):
        texts[kind] = " ".join([labels[kind], document])
    return texts.get(change.change, change.change)


def entry_id(domain: str, change, obj) -> str:
    """Stable while the entry is in the record: from what it is about, not from its wording
    (a takedown may redact a name later)."""
    about = repr((obj.kind, obj.id, change.change, change.seen, change.item_id, change.from_number,
                  change.file.id if change.file else None, change.version, change.moved_to))
    return tag_uri(domain, f"aenderung-{obj.kind}-{obj.id}-{hashlib.sha1(about.encode()).hexdigest()[:16]}")


def changes_feed(feed: Feed, found: list[tuple], page_url, domain: str, gettext=german, language: str = "de") -> bytes:
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": language})
    _text(root, "id", feed.id)
    _text(root, "title", feed.title, type="text")
    _text(root, "updated", max((_updated(c) for c, _ in found), default=NO_DATE).isoformat())
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    _text(author, "name", feed.author)
    _link(root, feed.url, "self")
    _link(root, feed.page, "alternate")
    for change, obj in found:
        entry = ET.SubElement(root, f"{{{ATOM}}}entry")
        text = describe(change, gettext)
        _text(entry, "id", entry_id(domain, change, obj))
        _text(entry, "title", f"{obj.title}: {text}", type="text")
        _text(entry, "updated", _updated(change).isoformat())
        _link(entry, page_url(obj) + "#aenderungen", "alternate")
        seen = gettext("gesehen am %(day)s") % {"day": _day(change.seen)} if change.seen else ""
        _text(entry, "summary", ". ".join(filter(None, [text, seen])), type="text")
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
