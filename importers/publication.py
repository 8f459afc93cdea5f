"""The publication rule: only public records leave the importer.

Every importer passes its records through `publish()` before anything is
written. The plugins check again when they render (plugins/council/graph.py),
so a hand-edited content file cannot leak either.
"""

from __future__ import annotations

from dataclasses import dataclass

from importers.records import Record, Ref, iter_refs
from importers.report import Report

# The only fields a non-public agenda item keeps: its place in the agenda.
NON_PUBLIC_ITEM_FIELDS = ("id", "source", "number", "public")
CONTACT_FIELDS = ("email", "phone", "location")


@dataclass
class Policy:
    # Personal contact data (spec chapter 1.6 Datenschutz) only when the town says so.
    publish_contact_data: bool = False


def publish(records: list[Record], policy: Policy, report: Report) -> list[Record]:
    published = []
    for record in records:
        if record.data.get("deleted"):
            continue
        if record.kind == "meeting":
            _withhold_non_public_items(record, report)
        if record.kind == "person" and not policy.publish_contact_data:
            for name in CONTACT_FIELDS:
                if record.data.pop(name, None):
                    report.withheld["Kontaktdaten"] += 1
        published.append(record)
    return _drop_unreferenced_files(published, report)


def _withhold_non_public_items(record: Record, report: Report):
    agenda = []
    for item in record.data.get("agenda", []):
        if item.get("public") is False:
            report.withheld["nichtöffentliche TOPs"] += 1
            item = {key: item[key] for key in NON_PUBLIC_ITEM_FIELDS if key in item}
        agenda.append(item)
    if agenda:
        record.data["agenda"] = agenda


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
