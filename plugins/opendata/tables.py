"""The dumps' tables: one per kind, its columns taken from the API's OParl objects.

The rows come from plugins/oparlapi/objects.Objects, the same public view the API and the pages
show; here every reference becomes the referenced object's local id (its last path part under
oparl/<type>/), so that the tables join on `id` with or without a public address. A reference
to one object is a foreign key; a list of references is a JSON array of ids.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import unquote

from plugins.oparlapi.layout import FOLDER, TYPES

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Column:
    name: str
    key: str                    # the OParl property it comes from
    type: str = "string"        # Table Schema type: string, integer, boolean, date, datetime, array
    refers: str | None = None   # the table its id(s) refer to
    description: str = ""
    csv: bool = True            # document texts: only in JSON Lines and SQLite (docs/opendata.md)


def _ref(name: str, key: str, table: str, description: str = "") -> Column:
    return Column(name, key, "string", table, description)


def _refs(name: str, key: str, table: str, description: str = "") -> Column:
    return Column(name, key, "array", table, description)


@dataclass(frozen=True)
class Table:
    name: str          # table and file name: meetings -> daten/meetings.csv
    oparl: str         # the OParl type its rows are
    title: str         # German, for the data package and the page
    columns: tuple[Column, ...]
    search: tuple[str, ...] = ()   # columns in its full-text index (SQLite FTS5)

    @cached_property  # read for every row
    def all_columns(self) -> tuple[Column, ...]:
        return (Column("id", "id", description="Id, stabil von Build zu Build"), *self.columns,
                Column("web", "web", description="Seite des Objekts im Portal"),
                Column("created", "created", "datetime"), Column("modified", "modified", "datetime"))


TABLES = (
    Table("bodies", "Body", "Körperschaften", (
        Column("name", "name"), Column("short_name", "shortName"), Column("website", "website"),
        Column("license", "license", description="Lizenz der Daten (URL, aus DATA_LICENCE)"),
        Column("ags", "ags", description="Amtlicher Gemeindeschlüssel"),
        Column("rgs", "rgs", description="Regionalschlüssel"),
    ), search=("name", "short_name")),
    Table("legislative_terms", "LegislativeTerm", "Wahlperioden", (
        _ref("body", "body", "bodies"),
        Column("name", "name"), Column("start_date", "startDate", "date"), Column("end_date", "endDate", "date"),
    ), search=("name",)),
    Table("locations", "Location", "Orte", (
        Column("description", "description"), Column("street_address", "streetAddress"), Column("room", "room"),
        Column("postal_code", "postalCode"), Column("locality", "locality"),
    ), search=("description", "street_address", "room", "locality")),
    Table("organizations", "Organization", "Gremien und Fraktionen", (
        _ref("body", "body", "bodies"),
        Column("name", "name"), Column("short_name", "shortName"), Column("organization_type", "organizationType"),
        Column("classification", "classification"), Column("start_date", "startDate", "date"),
        Column("end_date", "endDate", "date"), Column("website", "website"),
        _ref("location", "location", "locations"),
        _ref("sub_organization_of", "subOrganizationOf", "organizations", "übergeordnetes Gremium"),
    ), search=("name", "short_name")),
    Table("persons", "Person", "Personen", (
        _ref("body", "body", "bodies"),
        Column("name", "name"), Column("family_name", "familyName"), Column("given_name", "givenName"),
        Column("form_of_address", "formOfAddress"), Column("title", "title", "array"), Column("affix", "affix"),
        Column("gender", "gender", description="nur mit PUBLISH_CONTACT_DATA"),
        Column("email", "email", "array", description="nur mit PUBLISH_CONTACT_DATA"),
        Column("phone", "phone", "array", description="nur mit PUBLISH_CONTACT_DATA"),
    ), search=("name",)),
    Table("memberships", "Membership", "Mitgliedschaften", (
        _ref("person", "person", "persons"), _ref("organization", "organization", "organizations"),
        Column("role", "role"), Column("voting_right", "votingRight", "boolean"),
        Column("start_date", "startDate", "date"), Column("end_date", "endDate", "date"),
        _ref("on_behalf_of", "onBehalfOf", "organizations"),
    )),
    Table("files", "File", "Dokumente", (
        Column("name", "name"), Column("file_name", "fileName", description="Dateiname aus der Quelle"),
        Column("mime_type", "mimeType"), Column("date", "date", "date"),
        Column("size", "size", "integer"),
        Column("sha512_checksum", "sha512Checksum", description="SHA-512 der Datei unter access_url"),
        Column("sha1_checksum", "sha1Checksum", description="SHA-1 der Quelle, nur wo es zu access_url passt"),
        Column("access_url", "accessUrl"), Column("download_url", "downloadUrl"),
        _refs("meetings", "meeting", "meetings"), _refs("papers", "paper", "papers"),
        Column("text", "text", description="aus dem Dokument gewonnener Text", csv=False),
    ), search=("name", "text")),
    Table("meetings", "Meeting", "Sitzungen", (
        Column("name", "name"), Column("meeting_state", "meetingState"), Column("cancelled", "cancelled", "boolean"),
        Column("start", "start", "datetime"), Column("end", "end", "datetime"),
        _ref("location", "location", "locations"), _refs("organizations", "organization", "organizations"),
        _ref("invitation", "invitation", "files"), _ref("results_protocol", "resultsProtocol", "files"),
        _ref("verbatim_protocol", "verbatimProtocol", "files"), _refs("auxiliary_files", "auxiliaryFile", "files"),
    ), search=("name",)),
    Table("papers", "Paper", "Vorlagen", (
        _ref("body", "body", "bodies"),
        Column("name", "name"), Column("reference", "reference"), Column("date", "date", "date"),
        Column("paper_type", "paperType"), _ref("main_file", "mainFile", "files"),
        _refs("auxiliary_files", "auxiliaryFile", "files"),
        _refs("originator_persons", "originatorPerson", "persons"),
        _refs("originator_organizations", "originatorOrganization", "organizations"),
        _refs("under_direction_of", "underDirectionOf", "organizations"),
        _refs("related_papers", "relatedPaper", "papers"),
        _refs("superordinated_papers", "superordinatedPaper", "papers"),
        _refs("subordinated_papers", "subordinatedPaper", "papers"),
    ), search=("name", "reference")),
    Table("agenda_items", "AgendaItem", "Tagesordnungspunkte", (
        _ref("meeting", "meeting", "meetings"), Column("number", "number"), Column("order", "order", "integer"),
        Column("public", "public", "boolean", description="false: nichtöffentlich, nur Nummer und Platz"),
        Column("name", "name"), Column("start", "start", "datetime"), Column("end", "end", "datetime"),
        _ref("consultation", "consultation", "consultations"), Column("result", "result"),
        Column("resolution_text", "resolutionText"), _ref("resolution_file", "resolutionFile", "files"),
        _refs("auxiliary_files", "auxiliaryFile", "files"),
    ), search=("name", "resolution_text")),
    Table("consultations", "Consultation", "Beratungen", (
        _ref("paper", "paper", "papers"), _ref("meeting", "meeting", "meetings"),
        _ref("agenda_item", "agendaItem", "agenda_items"), _refs("organizations", "organization", "organizations"),
        Column("role", "role"), Column("authoritative", "authoritative", "boolean"),
    )),
)

# What the API writes and the tables leave out, by OParl type, and why (docs/opendata.md "Dumps";
# tests/test_opendata.py fails on any other property the API writes and no column takes).
LEFT_OUT = {
    "*": {"type": "die Tabelle ist der Typ"},
    "Body": {"system": "Verweis auf das System der Schnittstelle",
             "legislativeTerm": "Tabelle legislative_terms, Spalte body",
             **{key: "Adresse einer Liste der Schnittstelle" for key in (
                 "organization", "person", "meeting", "paper", "agendaItem", "consultation", "file",
                 "locationList", "legislativeTermList", "membership")}},
    "Location": {"organizations": "Rückverweis: organizations.location", "meetings": "Rückverweis: meetings.location"},
    "Organization": {"membership": "Rückverweis: memberships.organization"},
    "Person": {"membership": "Tabelle memberships, Spalte person"},
    "Meeting": {"agendaItem": "Tabelle agenda_items, Spalte meeting"},
    "Paper": {"consultation": "Tabelle consultations, Spalte paper"},
}

# What a non-public agenda item may carry, as its page shows it: its place and nothing else.
CLOSED_ITEM = frozenset({"id", "meeting", "number", "order", "public", "web", "created", "modified"})


def local_id(value, base: str) -> str | None:
    """The id under oparl/<type>/ of an OParl id (or embedded object) under `base`."""
    if isinstance(value, dict):
        value = value.get("id")
    if not isinstance(value, str):
        return None
    folder, _, key = value[len(base):].removeprefix(f"{FOLDER}/").partition("/")
    if not value.startswith(base) or not key or folder not in FOLDERS:
        raise ValueError(f"keine Id der Schnittstelle: {value!r}")
    return unquote(key)


FOLDERS = frozenset(folder for folder, _ in TYPES.values())


class LocalIds(dict):
    """local_id of each URL under `base`, each worked out once: a city's rows name every object
    several times (90,000 references at 2,000 papers)."""

    def __init__(self, base: str):
        super().__init__()
        self.base = base

    def __missing__(self, url: str) -> str:
        self[url] = found = local_id(url, self.base)
        return found

    def __call__(self, value) -> str | None:
        if isinstance(value, dict):
            value = value.get("id")
        return self[value] if isinstance(value, str) else None


def row(table: Table, obj: dict, base: str, text=None, ids: LocalIds | None = None) -> dict:
    """One object as the table's row: every column, None where the object has no value. `text`,
    when given, reads a File's text by its id at this moment (the objects need not hold it)."""
    ids = ids if ids is not None else LocalIds(base)
    out = {}
    for column in table.all_columns:
        value = obj.get(column.key)
        if column.key == "id":
            value = ids(value)
        elif column.refers and column.type == "array":
            value = [ids(v) for v in value or ()]
        elif column.refers:
            value = ids(value)
        elif column.type == "array":
            value = list(value or ())
        elif column.key == "text" and text is not None:
            value = text(out["id"])
        out[column.name] = value
    if table.name == "agenda_items" and out["public"] is not True:
        # Re-checked here as everywhere that publishes: a closed item is its place only (fail closed).
        out = {k: (v if k in CLOSED_ITEM else ([] if isinstance(v, list) else None)) for k, v in out.items()}
        out["public"] = False
    return out


def rows(table: Table, objects, base: str, text=None, local: LocalIds | None = None) -> Iterator[dict]:
    """The table's rows from an Objects made under `base`, one at a time, in the API's stable
    order. An id the API gives twice (one URL, one file: the last one written wins there) is one
    row, the last."""
    local = local if local is not None else LocalIds(base)
    found = objects.by_type[table.oparl]
    ids = [local(obj.get("id")) for obj in found]
    last = {key: position for position, key in enumerate(ids)}
    for position, obj in enumerate(found):
        if last[ids[position]] != position:
            log.warning("ratsinfo: Offene Daten: %s %s steht zweimal in der Schnittstelle; die Tabelle "
                        "%s nimmt das letzte", table.oparl, ids[position], table.name)
            continue
        yield row(table, obj, base, text, local)
