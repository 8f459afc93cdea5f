"""The demo town as a database export in the neutral schema (docs/sql-export.md).

Built from the same objects as the OParl dump (town.py, model.py), with the
same names, timestamps and documents, so that `ratsinfo import sql` of this
export and `ratsinfo import oparl` of the dump give the same content/. Only
the body, which has no model object of its own, is taken from the OParl
serializer. Times are stored as the town's local wall-clock time (columns
without time zone), as council systems keep them.

`SCHEMA` is the neutral export schema itself; docs/sql-export.md prints it
as CREATE TABLE statements, and a test keeps the two the same.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import Boolean, Column, Date, DateTime, Integer, LargeBinary, MetaData, String, Table, Text
from sqlalchemy.dialects import mysql

from ratsinfo.demo import names, timestamps
from ratsinfo.demo.meetings import meeting_name, state_of
from ratsinfo.demo.model import Location, Town
from ratsinfo.demo.oparl import PATHS, WEB_URL, Serializer, document_url
from ratsinfo.demo.town import build_town

KEY = String(100)
NAME = String(500)
SHORT = String(200)
URL = String(1000)
# MariaDB's BLOB and TEXT end at 64 KiB; documents and their text are longer.
BLOB = LargeBinary().with_variant(mysql.LONGBLOB(), "mysql", "mariadb")
LONG_TEXT = Text().with_variant(mysql.LONGTEXT(), "mysql", "mariadb")

SCHEMA = MetaData()


def _location_columns() -> list[Column]:
    return [Column("location_description", NAME), Column("location_street_address", NAME),
            Column("location_room", SHORT), Column("location_postal_code", String(20)),
            Column("location_locality", SHORT)]


def _key() -> Column:
    return Column("id", KEY, primary_key=True)


def _stamps() -> list[Column]:
    return [Column("web", URL), Column("modified", DateTime)]


Table("bodies", SCHEMA, _key(), Column("name", NAME, nullable=False), Column("short_name", SHORT),
      Column("website", URL), Column("ags", String(8)), *_stamps())
Table("terms", SCHEMA, _key(), Column("body_id", KEY), Column("name", NAME, nullable=False),
      Column("start_date", Date), Column("end_date", Date), *_stamps())
Table("organizations", SCHEMA, _key(), Column("name", NAME, nullable=False), Column("short_name", SHORT),
      Column("organization_type", SHORT), Column("classification", SHORT),
      Column("start_date", Date), Column("end_date", Date), Column("parent_id", KEY),
      Column("website", URL), *_location_columns(), *_stamps())
Table("persons", SCHEMA, _key(), Column("name", NAME), Column("family_name", SHORT),
      Column("given_name", SHORT), Column("form_of_address", SHORT), Column("title", SHORT),
      Column("affix", SHORT), Column("gender", String(20)), Column("email", SHORT),
      Column("phone", SHORT), *_stamps())
Table("memberships", SCHEMA, _key(), Column("person_id", KEY, nullable=False),
      Column("organization_id", KEY, nullable=False), Column("role", SHORT),
      Column("voting_right", Boolean), Column("start_date", Date), Column("end_date", Date),
      Column("on_behalf_of_id", KEY), Column("modified", DateTime))
Table("meetings", SCHEMA, _key(), Column("name", NAME), Column("starts_at", DateTime),
      Column("ends_at", DateTime), Column("cancelled", Boolean), Column("meeting_state", SHORT),
      *_location_columns(), Column("invitation_file_id", KEY),
      Column("results_protocol_file_id", KEY), Column("verbatim_protocol_file_id", KEY),
      Column("is_public", Boolean, nullable=False), Column("released_at", DateTime), *_stamps())
Table("meeting_organizations", SCHEMA, Column("meeting_id", KEY, nullable=False),
      Column("organization_id", KEY, nullable=False), Column("position", Integer))
Table("agenda_items", SCHEMA, _key(), Column("meeting_id", KEY, nullable=False),
      Column("position", Integer), Column("item_number", String(50)), Column("name", Text),
      Column("is_public", Boolean, nullable=False), Column("paper_id", KEY), Column("result", NAME),
      Column("resolution_text", LONG_TEXT), Column("resolution_file_id", KEY),
      Column("starts_at", DateTime), Column("ends_at", DateTime), Column("modified", DateTime))
Table("papers", SCHEMA, _key(), Column("name", Text), Column("reference", SHORT),
      Column("paper_date", Date), Column("paper_type", SHORT), Column("main_file_id", KEY),
      Column("is_public", Boolean, nullable=False), Column("released_at", DateTime), *_stamps())
Table("paper_originators", SCHEMA, Column("paper_id", KEY, nullable=False), Column("person_id", KEY),
      Column("organization_id", KEY), Column("position", Integer))
Table("paper_under_direction_of", SCHEMA, Column("paper_id", KEY, nullable=False),
      Column("organization_id", KEY, nullable=False), Column("position", Integer))
Table("paper_relations", SCHEMA, Column("paper_id", KEY, nullable=False),
      Column("related_paper_id", KEY, nullable=False), Column("position", Integer))
Table("paper_hierarchy", SCHEMA, Column("superordinated_id", KEY, nullable=False),
      Column("subordinated_id", KEY, nullable=False), Column("position", Integer))
Table("consultations", SCHEMA, _key(), Column("paper_id", KEY, nullable=False),
      Column("position", Integer), Column("meeting_id", KEY), Column("agenda_item_id", KEY),
      Column("organization_id", KEY), Column("role", SHORT), Column("authoritative", Boolean),
      Column("modified", DateTime))
Table("files", SCHEMA, _key(), Column("name", NAME), Column("file_name", NAME),
      Column("mime_type", SHORT), Column("file_date", Date), Column("file_size", Integer),
      Column("sha512", String(128)), Column("access_url", URL), Column("download_url", URL),
      Column("full_text", LONG_TEXT), Column("content", BLOB), Column("file_path", URL), *_stamps())
Table("auxiliary_files", SCHEMA, Column("file_id", KEY, nullable=False), Column("meeting_id", KEY),
      Column("agenda_item_id", KEY), Column("paper_id", KEY), Column("position", Integer))


def write_demo_sql(target: str | sa.Engine) -> dict[str, int]:
    """Create the neutral schema in an empty database and fill it with Muldenau; rows per table."""
    engine = sa.create_engine(target) if isinstance(target, str) else target
    rows = export_rows(build_town())
    try:
        with engine.begin() as connection:
            SCHEMA.create_all(connection)
            for table in SCHEMA.sorted_tables:
                if rows[table.name]:
                    connection.execute(table.insert(), rows[table.name])
    finally:
        if isinstance(target, str):
            engine.dispose()
    return {name: len(table_rows) for name, table_rows in rows.items()}


def write_demo_sqlite(path: Path) -> dict[str, int]:
    """The export as one SQLite file (replaced if it exists)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    return write_demo_sql(f"sqlite:///{path.resolve()}")


def _web(kind: str, number: int) -> str:
    return f"{WEB_URL}{PATHS[kind][1]}/{number}"


def _id(obj) -> str | None:
    return str(obj.number) if obj is not None else None


def _location(location: Location | None) -> dict:
    if location is None:
        return {}
    return {"location_description": location.description,
            "location_street_address": location.street_address, "location_room": location.room,
            "location_postal_code": names.POSTAL_CODE, "location_locality": names.TOWN}


def export_rows(town: Town) -> dict[str, list[dict]]:
    """The town as rows of the neutral schema, table by table."""
    council = town.council
    rows: dict[str, list[dict]] = {table: [] for table in SCHEMA.tables}
    body = Serializer(town).body()
    rows["bodies"].append({"id": "1", "name": body["name"], "short_name": body["shortName"],
                           "website": body["website"], "ags": body["ags"], "web": body["web"],
                           "modified": timestamps.system()[1]})
    for term in council.terms:
        rows["terms"].append({"id": _id(term), "body_id": "1", "name": term.name,
                              "start_date": term.start_date, "end_date": term.end_date,
                              "web": _web("LegislativeTerm", term.number),
                              "modified": timestamps.legislative_term(term)[1]})
    for o in council.organizations:
        rows["organizations"].append({
            "id": _id(o), "name": o.name, "short_name": o.short_name,
            "organization_type": o.organization_type, "classification": o.classification,
            "start_date": o.start_date, "parent_id": _id(o.sub_organization_of),
            **_location(o.location), "web": _web("Organization", o.number),
            "modified": timestamps.organization(o)[1]})
    for p in council.persons:
        rows["persons"].append({
            "id": _id(p), "name": p.name, "family_name": p.family_name, "given_name": p.given_name,
            "form_of_address": p.form_of_address, "title": p.title, "affix": p.affix, "gender": p.gender,
            "email": p.email, "phone": p.phone, "web": _web("Person", p.number),
            "modified": timestamps.person(p)[1]})
    for m in council.memberships:
        rows["memberships"].append({
            "id": _id(m), "person_id": _id(m.person), "organization_id": _id(m.organization),
            "role": m.role, "voting_right": m.voting_right, "start_date": m.start_date,
            "end_date": m.end_date, "on_behalf_of_id": _id(m.on_behalf_of),
            "modified": timestamps.membership(m)[1]})
    _meetings(town, rows)
    _papers(town, rows)
    for f in town.files:
        rows["files"].append({
            "id": _id(f), "name": f.name, "file_name": f.file_name, "mime_type": "application/pdf",
            "file_date": f.day, "file_size": len(f.content),
            "sha512": hashlib.sha512(f.content).hexdigest(), "access_url": document_url(f),
            "download_url": document_url(f), "content": f.content, "web": _web("File", f.number),
            "modified": timestamps.file(f)[1]})
    # executemany wants the same columns in every row of a table.
    for table_name, table_rows in rows.items():
        columns = [c.name for c in SCHEMA.tables[table_name].columns]
        table_rows[:] = [{c: row.get(c) for c in columns} for row in table_rows]
    return rows


def _meetings(town: Town, rows: dict[str, list[dict]]):
    for m in town.meetings:
        rows["meetings"].append({
            "id": _id(m), "name": meeting_name(m), "starts_at": m.start, "ends_at": m.end,
            "cancelled": m.cancelled, "meeting_state": state_of(m), **_location(m.location),
            "invitation_file_id": _id(m.invitation), "results_protocol_file_id": _id(m.results_protocol),
            "is_public": True, "web": _web("Meeting", m.number), "modified": timestamps.meeting(m)[1]})
        rows["meeting_organizations"].append(
            {"meeting_id": _id(m), "organization_id": _id(m.organization), "position": 0})
    for item in town.agenda_items:
        rows["agenda_items"].append({
            "id": _id(item), "meeting_id": _id(item.meeting), "position": item.order,
            "item_number": item.label, "name": item.name, "is_public": item.public,
            "paper_id": _id(item.consultation.paper) if item.consultation else None,
            "result": item.result, "resolution_text": item.resolution_text,
            "resolution_file_id": _id(item.resolution_file),
            "starts_at": item.times[0], "ends_at": item.times[1],
            "modified": timestamps.agenda_item(item)[1]})


def _papers(town: Town, rows: dict[str, list[dict]]):
    for p in town.papers:
        rows["papers"].append({
            "id": _id(p), "name": p.name, "reference": p.reference, "paper_date": p.day,
            "paper_type": p.paper_type, "main_file_id": _id(p.main_file), "is_public": True,
            "web": _web("Paper", p.number), "modified": timestamps.paper(p)[1]})
        if p.originator_person or p.originator_organization:
            rows["paper_originators"].append({"paper_id": _id(p), "person_id": _id(p.originator_person),
                                              "organization_id": _id(p.originator_organization),
                                              "position": 0})
        rows["paper_under_direction_of"].append(
            {"paper_id": _id(p), "organization_id": _id(p.under_direction_of), "position": 0})
        for position, related in enumerate(p.related):
            rows["paper_relations"].append(
                {"paper_id": _id(p), "related_paper_id": _id(related), "position": position})
        for position, sub in enumerate(p.subordinated):
            rows["paper_hierarchy"].append(
                {"superordinated_id": _id(p), "subordinated_id": _id(sub), "position": position})
        for position, f in enumerate(p.auxiliary_files):
            rows["auxiliary_files"].append({"file_id": _id(f), "paper_id": _id(p), "position": position})
        for position, c in enumerate(p.consultations):
            rows["consultations"].append({
                "id": _id(c), "paper_id": _id(p), "position": position, "meeting_id": _id(c.meeting),
                "agenda_item_id": _id(c.agenda_item), "organization_id": _id(c.organization),
                "role": c.role, "authoritative": c.authoritative,
                "modified": timestamps.consultation(c)[1]})
