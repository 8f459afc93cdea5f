"""Rows of the export → normalised `Record`s, the same as the OParl importer makes.

Field order, defaults and the treatment of missing links follow
importers/oparl/normalise.py, so that one council exported both ways gives the
same content/. Source ids are `sql:<kind>/<key>` (`sql:meetings/17`), from
which importers/ids.py derives the same ids as from `…/meetings/17`.
"""

from __future__ import annotations

from functools import partial
from urllib.parse import quote

from importers.records import Record, Ref
from importers.report import Report
from importers.sql.attachments import Attachments
from importers.sql.convert import sort_key
from importers.sql.fields import FIELDS, KIND_LABELS, LOCATION_PARTS, PARENTS, SOURCE_SEGMENTS, Link
from importers.sql.mapping import ListSpec, Mapping
from importers.sql.reader import Snapshot
from importers.values import checksum_value, compact, file_name_value, gender_value, key_number


def source_id(kind: str, key: str) -> str:
    return f"sql:{SOURCE_SEGMENTS[kind]}/{quote(key, safe='')}"


class Normaliser:
    def __init__(self, snapshot: Snapshot, mapping: Mapping, report: Report, attachments: Attachments):
        self.snapshot = snapshot
        self.mapping = mapping
        self.report = report
        self.attachments = attachments
        # Which rows each record was made of, so the store keeps only rows that were published.
        self.made_of: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self.children = {kind: self._children(kind) for kind in PARENTS}

    # -- helpers -------------------------------------------------------------

    def rows(self, kind: str) -> dict[str, dict]:
        return self.snapshot.rows.get(kind, {})

    def _children(self, kind: str) -> dict[str, list[tuple[str, dict]]]:
        """Rows of a nested kind by their parent's key, in the mapping's order."""
        parent_field = PARENTS[kind]
        grouped: dict[str, list] = {}
        for key, values in self.rows(kind).items():
            parent = values.get(parent_field)
            if parent is None:
                self.report.problem(f"{KIND_LABELS[kind]} ohne {KIND_LABELS[parent_field]}", key)
                continue
            grouped.setdefault(parent, []).append((key, values))
        for items in grouped.values():
            items.sort(key=lambda item: (sort_key(item[1].get("_order", [])), sort_key([item[0]])))
        return grouped

    def value(self, kind: str, key: str, values: dict, name: str):
        """A field from the row, or from its list table."""
        spec = self.mapping.objects[kind].fields.get(name)
        if not isinstance(spec, ListSpec):
            return values.get(name)
        found = self.snapshot.lists.get((kind, name), {}).get(key, [])
        field_type = FIELDS[kind][name]
        if isinstance(field_type, Link) and not field_type.many:
            # A single link from a list table (the main document among a paper's documents).
            return found[0] if found else None
        return found

    def ref(self, kind: str, key) -> Ref | None:
        return Ref(kind, source_id(kind, key)) if key else None

    def refs(self, kind: str, keys) -> list[Ref]:
        if isinstance(keys, str):
            keys = [keys]
        refs = []
        for key in keys or []:
            ref = self.ref(kind, key)
            if ref is not None and ref not in refs:
                refs.append(ref)
        return refs

    def _record(self, kind: str, key: str, data: dict, parts=()) -> Record:
        record = Record(kind, source_id(kind, key), data)
        self.made_of[(kind, record.source)] = [(kind, key), *parts]
        return record

    # -- records -------------------------------------------------------------

    def records(self) -> list[Record]:
        builders = {
            "body": self.body, "term": self.term, "organization": self.organization,
            "person": self.person, "meeting": self.meeting, "paper": self.paper, "file": self.file,
        }
        out = []
        for kind, build in builders.items():
            for key, values in sorted(self.rows(kind).items(), key=lambda item: sort_key([item[0]])):
                out.append(build(key, values))
        return out

    def kept_rows(self, published: list[Record]) -> dict[str, set[str]]:
        """The rows that went into published records: what the store may remember."""
        kept: dict[str, set[str]] = {}
        for record in published:
            for kind, key in self.made_of.get((record.kind, record.source), []):
                kept.setdefault(kind, set()).add(key)
        return kept

    def body(self, key: str, v: dict) -> Record:
        return self._record("body", key, compact({
            "name": v.get("name") or "Körperschaft",
            "short_name": v.get("short_name"),
            "website": v.get("website"),
            "ags": key_number(v.get("ags"), 8),
            "rgs": key_number(v.get("rgs"), 12),
            "terms": self.refs("term", self.value("body", key, v, "terms")),
            "web": v.get("web"),
            "modified": v.get("modified"),
        }))

    def term(self, key: str, v: dict) -> Record:
        return self._record("term", key, compact({
            "name": v.get("name") or "Wahlperiode",
            "start_date": v.get("start_date"),
            "end_date": v.get("end_date"),
            "web": v.get("web"),
            "modified": v.get("modified"),
        }))

    def organization(self, key: str, v: dict) -> Record:
        return self._record("organization", key, compact({
            "name": v.get("name") or v.get("short_name") or "Gremium",
            "short_name": v.get("short_name"),
            "organization_type": v.get("organization_type"),
            "classification": v.get("classification"),
            "start_date": v.get("start_date"),
            "end_date": v.get("end_date"),
            "parent": self.ref("organization", v.get("parent")),
            "website": v.get("website"),
            "location": _location(v.get("location")),
            "web": v.get("web"),
            "modified": v.get("modified"),
        }))

    def person(self, key: str, v: dict) -> Record:
        memberships, used = [], []
        organizations = self.rows("organization")
        for membership_key, m in self.children["membership"].get(key, []):
            value = partial(self.value, "membership", membership_key, m)
            # As in OParl: a membership in an organization we do not publish is left out.
            if value("organization") not in organizations:
                continue
            used.append(("membership", membership_key))
            memberships.append(compact({
                "source": source_id("membership", membership_key),
                "organization": self.ref("organization", value("organization")),
                "role": m.get("role"),
                "voting_right": m.get("voting_right"),
                "start_date": m.get("start_date"),
                "end_date": m.get("end_date"),
                "on_behalf_of": self.ref("organization", value("on_behalf_of")),
            }))
        return self._record("person", key, compact({
            "name": v.get("name") or " ".join(
                filter(None, [v.get("given_name"), v.get("family_name")])) or "Unbekannt",
            "family_name": v.get("family_name"),
            "given_name": v.get("given_name"),
            "form_of_address": v.get("form_of_address"),
            "title": self.value("person", key, v, "title") or None,
            "affix": v.get("affix"),
            # Personal data like contact data; importers/publication.py removes it unless allowed.
            "gender": gender_value(v.get("gender")),
            "memberships": memberships,
            # Contact data; importers/publication.py removes it unless allowed.
            "email": self.value("person", key, v, "email") or None,
            "phone": self.value("person", key, v, "phone") or None,
            "web": v.get("web"),
            "modified": v.get("modified"),
        }), used)

    def meeting(self, key: str, v: dict) -> Record:
        start, end = v.get("start"), v.get("end")
        if start and end and end < start:
            self.report.problem("Sitzungsende liegt vor dem Beginn (als unbekannt behandelt)", key)
            end = None
        agenda, used = [], []
        for item_key, item in self.children["agenda_item"].get(key, []):
            used.append(("agenda_item", item_key))
            agenda.append(self._agenda_item(item_key, item))
        record = self._record("meeting", key, compact({
            "name": v.get("name"),
            "start": start,
            "end": end,
            "cancelled": v.get("cancelled") or None,
            "state": v.get("state"),
            "location": _location(v.get("location")),
            "organizations": self.refs("organization", self.value("meeting", key, v, "organizations")),
            "invitation": self.ref("file", self.value("meeting", key, v, "invitation")),
            "results_protocol": self.ref("file", self.value("meeting", key, v, "results_protocol")),
            "verbatim_protocol": self.ref("file", self.value("meeting", key, v, "verbatim_protocol")),
            "auxiliary_files": self.refs("file", self.value("meeting", key, v, "auxiliary_files")),
            "agenda": agenda,
            "web": v.get("web"),
            "modified": v.get("modified"),
        }), used)
        record.nested = [("agenda_item", source_id("agenda_item", item_key)) for _, item_key in used]
        return record

    def _agenda_item(self, key: str, v: dict) -> dict:
        value = partial(self.value, "agenda_item", key, v)
        return compact({
            "id": Ref("agenda_item", source_id("agenda_item", key)),
            "source": source_id("agenda_item", key),
            "number": v.get("number"),
            "name": v.get("name"),
            "public": v.get("public", True),
            "paper": self.ref("paper", value("paper")),
            "result": v.get("result"),
            "resolution_text": v.get("resolution_text"),
            "resolution_file": self.ref("file", value("resolution_file")),
            "auxiliary_files": self.refs("file", value("auxiliary_files")),
            "start": v.get("start"),
            "end": v.get("end"),
        })

    def paper(self, key: str, v: dict) -> Record:
        consultations, used = [], []
        items = self.rows("agenda_item")
        for consultation_key, c in self.children["consultation"].get(key, []):
            used.append(("consultation", consultation_key))
            value = partial(self.value, "consultation", consultation_key, c)
            item = value("agenda_item")
            consultations.append(compact({
                "source": source_id("consultation", consultation_key),
                "meeting": self.ref("meeting", value("meeting")),
                # As in OParl: only an agenda item the export knows (public or not).
                "agenda_item": self.ref("agenda_item", item) if item in items else None,
                "organizations": self.refs("organization", value("organizations")),
                "role": c.get("role"),
                "authoritative": c.get("authoritative"),
            }))
        value = partial(self.value, "paper", key, v)
        return self._record("paper", key, compact({
            "name": v.get("name") or v.get("reference") or "Vorlage",
            "reference": v.get("reference"),
            "date": v.get("date"),
            "paper_type": v.get("paper_type"),
            "main_file": self.ref("file", value("main_file")),
            "auxiliary_files": self.refs("file", value("auxiliary_files")),
            "originator_persons": self.refs("person", value("originator_persons")),
            "originator_organizations": self.refs("organization", value("originator_organizations")),
            "under_direction_of": self.refs("organization", value("under_direction_of")),
            "related_papers": self.refs("paper", value("related_papers")),
            "superordinated_papers": self.refs("paper", value("superordinated_papers")),
            "subordinated_papers": self.refs("paper", value("subordinated_papers")),
            "consultations": consultations,
            "web": v.get("web"),
            "modified": v.get("modified"),
        }), used)

    def file(self, key: str, v: dict) -> Record:
        access_url = v.get("access_url") or v.get("download_url")
        fetch_url = self.attachments.register(key, self.snapshot.raw_keys["file"].get(key), v, access_url)
        if not fetch_url:
            self.report.problem("Datei ohne Inhalt, Pfad und Adresse", key)
        return self._record("file", key, compact({
            "name": v.get("name") or file_name_value(v.get("file_name")) or "Dokument",
            "file_name": file_name_value(v.get("file_name")),
            "mime_type": v.get("mime_type"),
            "date": v.get("date"),
            "size": v.get("size"),
            "sha512": checksum_value(v.get("sha512"), 128),
            "sha1": checksum_value(v.get("sha1"), 40),
            "access_url": fetch_url,
            "download_url": v.get("download_url"),
            "source_text": v.get("text"),
            "web": v.get("web"),
            "modified": v.get("modified"),
        }))


def _location(value) -> dict | None:
    if not value:
        return None
    return compact({part: value.get(part) for part in LOCATION_PARTS}) or None
