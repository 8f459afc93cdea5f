"""What a mapping can fill: the fields of content/ per object kind, with their types.

The order is the order in which content/ lists them (the same as the OParl
importer writes, importers/oparl/normalise.py), so a meeting from a database
export and one from an OParl server give the same file. Fields in
`ASSEMBLED` are not read from a column: they are put together from other
kinds (a person's memberships, a meeting's agenda, a paper's consultations).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldType:
    name: str
    label: str  # for the webmaster: what the column has to hold


TEXT = FieldType("text", "Text")
LONG_TEXT = FieldType("long_text", "Text")
URL = FieldType("url", "http(s)-Adresse")
DATE = FieldType("date", "Datum")
DATETIME = FieldType("datetime", "Zeitpunkt")
BOOL = FieldType("bool", "Ja/Nein-Wert")
INT = FieldType("int", "Zahl")
STRINGS = FieldType("strings", "Text (ein Wert oder eine Liste)")
LOCATION = FieldType("location", "Ort (description, street_address, room, postal_code, locality)")
CONTENT = FieldType("content", "Binärdaten (BLOB)")
PATH = FieldType("path", "Dateipfad (Text)")
KEY = FieldType("key", "Schlüssel")


@dataclass(frozen=True)
class Link:
    """A link to another object by its key: one (`many=False`) or a list."""

    kind: str
    many: bool = False

    @property
    def label(self) -> str:
        return f"Schlüssel von {KIND_LABELS[self.kind]}" + (" (Liste)" if self.many else "")


KIND_LABELS = {
    "body": "Körperschaft", "term": "Wahlperiode", "organization": "Gremium",
    "person": "Person", "membership": "Mitgliedschaft", "meeting": "Sitzung",
    "agenda_item": "Tagesordnungspunkt", "paper": "Vorlage", "consultation": "Beratung",
    "file": "Datei",
}

# Folder of the source ids (`sql:meetings/17`): the OParl path segment of each kind,
# so importers/ids.py derives the same ids (`17`) as from an OParl URL.
SOURCE_SEGMENTS = {
    "body": "bodies", "term": "terms", "organization": "organizations", "person": "persons",
    "membership": "memberships", "meeting": "meetings", "agenda_item": "agendaitems",
    "paper": "papers", "consultation": "consultations", "file": "files",
}

LOCATION_PARTS = ("description", "street_address", "room", "postal_code", "locality")

_COMMON = {"web": URL, "modified": DATETIME}

FIELDS: dict[str, dict[str, FieldType | Link]] = {
    "body": {
        "name": TEXT, "short_name": TEXT, "website": URL, "ags": TEXT, "rgs": TEXT,
        "terms": Link("term", many=True), **_COMMON,
    },
    "term": {"name": TEXT, "start_date": DATE, "end_date": DATE, **_COMMON},
    "organization": {
        "name": TEXT, "short_name": TEXT, "organization_type": TEXT, "classification": TEXT,
        "start_date": DATE, "end_date": DATE, "parent": Link("organization"), "website": URL,
        "location": LOCATION, **_COMMON,
    },
    "person": {
        "name": TEXT, "family_name": TEXT, "given_name": TEXT, "form_of_address": TEXT,
        "title": STRINGS, "affix": TEXT, "gender": TEXT, "email": STRINGS, "phone": STRINGS,
        **_COMMON,
    },
    "membership": {
        "person": Link("person"), "organization": Link("organization"), "role": TEXT,
        "voting_right": BOOL, "start_date": DATE, "end_date": DATE,
        "on_behalf_of": Link("organization"),
    },
    "meeting": {
        "name": TEXT, "start": DATETIME, "end": DATETIME, "cancelled": BOOL, "state": TEXT,
        "location": LOCATION, "organizations": Link("organization", many=True),
        "invitation": Link("file"), "results_protocol": Link("file"),
        "verbatim_protocol": Link("file"), "auxiliary_files": Link("file", many=True), **_COMMON,
    },
    "agenda_item": {
        "meeting": Link("meeting"), "number": TEXT, "name": TEXT, "paper": Link("paper"),
        "result": TEXT, "resolution_text": LONG_TEXT, "resolution_file": Link("file"),
        "auxiliary_files": Link("file", many=True), "start": DATETIME, "end": DATETIME,
    },
    "paper": {
        "name": TEXT, "reference": TEXT, "date": DATE, "paper_type": TEXT,
        "main_file": Link("file"), "auxiliary_files": Link("file", many=True),
        "originator_persons": Link("person", many=True),
        "originator_organizations": Link("organization", many=True),
        "under_direction_of": Link("organization", many=True),
        "related_papers": Link("paper", many=True),
        "superordinated_papers": Link("paper", many=True),
        "subordinated_papers": Link("paper", many=True), **_COMMON,
    },
    "consultation": {
        "paper": Link("paper"), "meeting": Link("meeting"), "agenda_item": Link("agenda_item"),
        "organizations": Link("organization", many=True), "role": TEXT, "authoritative": BOOL,
    },
    "file": {
        "name": TEXT, "file_name": TEXT, "mime_type": TEXT, "date": DATE, "size": INT,
        "sha512": TEXT, "sha1": TEXT, "access_url": URL, "download_url": URL, "text": LONG_TEXT, **_COMMON,
        "content": CONTENT, "path": PATH,
    },
}

# Kinds that live inside another object in content/, and the field naming it.
PARENTS = {"membership": "person", "agenda_item": "meeting", "consultation": "paper"}

# Fields the mapping must name for a kind to make sense.
REQUIRED = {kind: (parent,) for kind, parent in PARENTS.items()}
