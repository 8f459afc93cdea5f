"""The publication rule: only public records leave the importer.

Every importer passes its records through `publish()` before anything is
written. The plugins check again when they render (plugins/council/reading.py),
so a hand-edited content file cannot leak either.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from importers.records import Record, Ref, iter_refs
from importers.report import Report

# The only fields a non-public agenda item keeps: its place in the agenda.
NON_PUBLIC_ITEM_FIELDS = ("id", "source", "number", "public")
# What a paper may say about a consultation in a non-public agenda item: that the
# (public) meeting dealt with it, and which committee. Not the item, not its role.
NON_PUBLIC_CONSULTATION_FIELDS = ("source", "meeting", "organizations")
CONTACT_FIELDS = ("email", "phone", "location")


@dataclass
class Policy:
    # Personal contact data (spec chapter 1.6 Datenschutz) only when the town says so.
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
                    report.withheld["Kontaktdaten"] += 1
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
