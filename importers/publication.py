"""The publication rule: only public records leave the importer.

Every decision of what may be published is made here; the sources deliver
their raw flags and values. The pipeline (importers/pipeline.py) passes every
record through `publish()` before anything is written, and keeps only what
passed in its store. The sources ask this module when they read:

- `public_flag`: a source's flag "public" (only an explicit yes publishes);
- `agenda_item_public`: an agenda item's flag, or without one whether an
  earlier run withheld it (it stays withheld until the source says yes);
- `row_released`: a database export's rule per row (flag, "not public" flag,
  release date, status), and `withheld_item_row`: what is left of an agenda
  item's row that may not be published;
- `still_withheld`: the agenda items to keep withheld on the next run.

The town's takedown ledger (ratsinfo/takedown.py) is applied here too, after
the rule above (`apply_takedowns`): a withheld object is treated like a
non-public one, a redacted text is replaced in every record, and the content
writer redacts document texts and does not mirror a document whose text held
one. The plugins check again when they render (plugins/council/reading.py,
plugins/council/withhold.py), so a hand-edited content file or a ledger
changed since the last import cannot leak either.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from importers.records import Record, Ref, iter_refs
from importers.report import Report
from importers.spool import SpooledText, read_spooled
from ratsinfo.takedown import KEEP_FIELDS, implied_names, redact_value, redaction_pattern

# What names a record and links it (the writer and the store key on it): never redacted.
RECORD_KEYS = KEEP_FIELDS | {"source"}

# What names an object in the store: there `text` is a document's text (OParl File.text, an SQL
# row's text column), not the name of a text file in content/ as in a record.
_STORE_KEYS = RECORD_KEYS - {"text"}

# The only fields a non-public agenda item keeps: its place in the agenda.
NON_PUBLIC_ITEM_FIELDS = ("id", "source", "number", "public")
# What a paper may say about a consultation in a non-public agenda item: that the
# (public) meeting dealt with it, and which committee. Not the item, not its role.
NON_PUBLIC_CONSULTATION_FIELDS = ("source", "meeting", "organizations")
# A person's data beyond name, title and role: contact data and gender (docs/security.md).
CONTACT_FIELDS = ("email", "phone", "location", "gender")


@dataclass
class Policy:
    # Personal contact data and gender (spec chapter 1.6 Datenschutz) only when the town says so.
    publish_contact_data: bool = False


def oparl_meaning(value) -> bool | None:
    """What OParl's `public` says: a JSON boolean (spec 1.1, AgendaItem). The string
    "true" counts as yes (servers that send every value as a string); no other
    value is a yes, and only `false` a clear no."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() == "true":
        return True
    return None


def public_flag(value, report: Report, object_id: str, where: str,
                meaning: Callable[[object], bool | None] = oparl_meaning) -> bool:
    """The one rule for a source's flag "public": only an explicit yes publishes.

    `meaning` reads the source's vocabulary (OParl: `oparl_meaning`; a database
    export: its column's words, importers/sql/convert.to_bool). Whatever it cannot
    read as yes or no ("0", "nein", 1 in OParl) withholds the object and is named
    in the report, so the webmaster can ask the vendor; an absent value withholds
    silently (a caller that has another source of truth, such as an agenda
    heading, asks only when the value is present).
    """
    flag = meaning(value)
    if flag is None and value is not None:
        report.problem(f"Unklarer Wert {value!r} in {where} (als nichtöffentlich behandelt)", object_id)
    return flag is True


def agenda_item_public(item: dict, report: Report, withheld_before: set[str]) -> bool:
    """A present `public` decides by `public_flag`. Without it, an item an earlier run
    withheld stays withheld (a `modified_since` answer may bring the item without the
    heading that withheld it); any other counts as public, because OParl is specified
    for public data (the source's own signs, such as a non-public heading, come on top)."""
    if "public" in item:
        return public_flag(item["public"], report, item.get("id"), "AgendaItem.public")
    return item.get("id") not in withheld_before


def row_released(rule: dict, status_values: tuple, report: Report, key: str, now: datetime, *,
                 meaning: Callable[[object], bool | None], moment: Callable[[object], datetime | None]) -> bool:
    """A database export's publication rule for one row (docs/sql-export.md, `publish:`): each
    of its columns present in `rule` must agree; anything unclear is not published. `meaning`
    and `moment` read the export's words for yes/no and its dates."""
    released = True
    if "public" in rule:
        released &= public_flag(rule["public"], report, key, "der Freigabe-Spalte", meaning=meaning)
    if "not_public" in rule and rule["not_public"] is not None:
        released &= public_flag(rule["not_public"], report, key, "der Spalte für Nichtöffentliches",
                                meaning=lambda value: _negated(meaning(value)))
    if "released" in rule and rule["released"] is not None:
        when = moment(rule["released"])
        if when is None:
            report.problem("Unklares Freigabedatum (als nicht freigegeben behandelt)", key)
        released &= when is not None and when <= now
    if "status" in rule:
        status = rule["status"]
        released &= status is not None and status.casefold() in {v.casefold() for v in status_values}
    return released


def _negated(flag: bool | None) -> bool | None:
    """A "not public" column read as the flag "public"."""
    return None if flag is None else not flag


# The fields of an agenda item's row that may not be published: its place in the agenda.
WITHHELD_ITEM_ROW = ("meeting", "number", "_order", "public")


def withheld_item_row(values: dict) -> dict:
    return {**{k: v for k, v in values.items() if k in WITHHELD_ITEM_ROW}, "public": False}


def without_contact_data(values: dict, policy: Policy) -> dict:
    """A person's values as a store may keep them."""
    if policy.publish_contact_data:
        return values
    return {k: v for k, v in values.items() if k not in CONTACT_FIELDS}


def withheld_before(meta: dict) -> set[str]:
    """The agenda items an earlier run withheld, from the store's `withheld`."""
    return set(json.loads(meta.get("withheld", "[]")))


def still_withheld(records: list[Record], before: set[str], deleted: set[str]) -> set[str]:
    """The agenda items to keep withheld: those withheld now, and those withheld before
    that nothing has opened since (their meeting may be missing from this run)."""
    withheld, opened = set(), set()
    for record in records:
        if record.kind == "meeting":
            for item in record.data.get("agenda", []):
                (opened if item.get("public") is True else withheld).add(item["source"])
    return withheld | (set(before) - opened - set(deleted))


def publish(records: list[Record], policy: Policy, report: Report) -> list[Record]:
    published = []
    public_items: set[str] = set()
    for record in records:
        if record.data.get("deleted"):
            continue
        if record.kind == "meeting":
            public_items |= _withhold_non_public_items(record, report)
        if record.kind == "person" and not policy.publish_contact_data:
            for name in CONTACT_FIELDS:
                if record.data.pop(name, None):
                    report.withheld["Geschlecht" if name == "gender" else "Kontaktdaten"] += 1
        published.append(record)
    for record in published:
        if record.kind == "paper":
            _close_consultations_in_non_public_items(record, public_items, report)
    return _drop_unreferenced_files(published, report)


def _withhold_non_public_items(record: Record, report: Report) -> set[str]:
    """Reduce every agenda item that is not explicitly public to its place; return the public ones."""
    agenda, public = [], set()
    for item in record.data.get("agenda", []):
        if item.get("public") is not True:
            report.withheld["nichtöffentliche TOPs"] += 1
            item = {**{key: item[key] for key in NON_PUBLIC_ITEM_FIELDS if key in item}, "public": False}
        else:
            public.add(item.get("source"))
        agenda.append(item)
    if agenda:
        record.data["agenda"] = agenda
    return public


def _close_consultations_in_non_public_items(record: Record, public_items: set[str], report: Report):
    """A consultation in an agenda item that is not public (or not published at all)
    says only that the meeting dealt with the paper: no link into the closed part,
    no free-text role, no `authoritative`. The meeting itself is public."""
    consultations = []
    for consultation in record.data.get("consultations", []):
        item = consultation.get("agenda_item")
        if consultation.get("public") is False or (isinstance(item, Ref) and item.source not in public_items):
            report.withheld["Beratungen in nichtöffentlichen TOPs"] += 1
            consultation = {**{key: consultation[key] for key in NON_PUBLIC_CONSULTATION_FIELDS
                               if key in consultation}, "public": False}
        consultations.append(consultation)
    if consultations:
        record.data["consultations"] = consultations


def _drop_unreferenced_files(records: list[Record], report: Report) -> list[Record]:
    """A file is published only through a published object that links it.

    A resolution file of a non-public agenda item is linked from nowhere once
    the item is withheld, so it is never written, downloaded or indexed.
    """
    linked = {
        ref.source
        for record in records if record.kind != "file"
        for ref in iter_refs(record.data) if isinstance(ref, Ref) and ref.kind == "file"
    }
    kept = []
    for record in records:
        if record.kind == "file" and record.source not in linked:
            report.withheld["Dateien ohne öffentlichen Bezug"] += 1
            continue
        kept.append(record)
    return kept


# -- the takedown ledger -----------------------------------------------------

@dataclass
class Takedowns:
    """The active entries of a town's takedown ledger as the importer applies them (made from the
    ledger by ratsinfo/scrub.py, which knows the portal's addresses). An object is named by
    (kind, our id), kind as in importers/records.py or "agenda_item", or by (None, source address)."""

    withheld: set[tuple[str | None, str]] = field(default_factory=set)
    replaced: set[tuple[str | None, str]] = field(default_factory=set)  # files the clerk's copy replaces
    texts: list[str] = field(default_factory=list)                      # redacted, and withheld objects' names

    def names(self, kind: str, source: str, ids: dict[str, dict[str, str]], keys: set) -> bool:
        return (None, source) in keys or (kind, ids.get(kind, {}).get(source)) in keys

    def known(self, ids: dict[str, dict[str, str]]) -> set[tuple[str, str]]:
        """(kind, source) of every withheld object that has an id: their ids are kept while
        withheld, so that the entry still finds the object at the next run, and after it ends."""
        return {(kind, source) for kind, mapping in ids.items() for source in mapping
                if self.names(kind, source, ids, self.withheld)}


@dataclass
class Applied:
    records: list[Record]
    pattern: re.Pattern | None = None                    # what the content writer redacts in texts
    replaced: set[str] = field(default_factory=set)       # sources of files the clerk's copy replaces
    withheld: set[tuple[str, str]] = field(default_factory=set)  # (kind, source) whose ids stay


def apply_takedowns(records: list[Record], takedowns: Takedowns | None, ids: dict[str, dict[str, str]],
                    report: Report) -> Applied:
    """Drop what the ledger withholds (whole records, agenda items), and replace every redacted
    text, and a withheld person's or paper's names, in what is left. Document texts are the
    writer's (ContentWriter: `source_text` and extracted text alike)."""
    if takedowns is None:
        return Applied(records)
    withheld = takedowns.known(ids)
    texts = list(takedowns.texts)
    kept = []
    for record in records:
        if takedowns.names(record.kind, record.source, ids, takedowns.withheld):
            withheld.add((record.kind, record.source))
            report.withheld["Löschliste"] += 1
            if record.kind == "person":
                texts += implied_names(record.data.get("name"), " ".join(
                    filter(None, [record.data.get("given_name"), record.data.get("family_name")])))
            elif record.kind == "paper":
                texts += implied_names(record.data.get("name"), record.data.get("reference"))
            continue
        if record.kind == "meeting" and record.data.get("agenda"):
            agenda = []
            for item in record.data["agenda"]:
                if takedowns.names("agenda_item", item.get("source"), ids, takedowns.withheld):
                    withheld.add(("agenda_item", item.get("source")))
                    report.withheld["Löschliste"] += 1
                else:
                    agenda.append(item)
            record.data["agenda"] = agenda
            record.nested = [pair for pair in record.nested if pair not in withheld]
        kept.append(record)
    pattern = redaction_pattern(texts)
    if pattern is not None:
        for record in kept:
            record.data = {key: value if key == "source_text" else redact_value(value, pattern, key, RECORD_KEYS)
                           for key, value in record.data.items()}
    replaced = {r.source for r in kept if r.kind == "file" and takedowns.names("file", r.source, ids, takedowns.replaced)}
    return Applied(kept, pattern, replaced, withheld)


def redact_memory(objects: dict, meta: dict, pattern: re.Pattern | None):
    """The store's objects and meta values with the redacted texts replaced (JSON values as data)."""
    if pattern is None:
        return
    for key, data in objects.items():
        # Spooled document texts are read and redacted like any string (fail closed: redact_value
        # would pass a SpooledText by unread), one object at a time, and go back to the spool.
        redacted = redact_value(read_spooled(data), pattern, keep=_STORE_KEYS)
        for name, value in data.items():
            if isinstance(value, SpooledText) and isinstance(redacted.get(name), str):
                redacted[name] = value.replaced(redacted[name])
        objects[key] = redacted
    for key, value in meta.items():
        if isinstance(value, str) and pattern.search(value):
            try:
                meta[key] = json.dumps(redact_value(json.loads(value), pattern))
            except ValueError:
                meta[key] = redact_value(value, pattern)
