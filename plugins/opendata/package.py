"""datapackage.json (Frictionless Data Package v1): every dump file with its Table Schema,
the SQLite database as a resource of its own, and the data licence."""

from __future__ import annotations

import json

from plugins.opendata.tables import TABLES, Table

SQLITE = "ratsinfo.sqlite"
PACKAGE = "datapackage.json"
# Table Schema formats of our values: dates and moments as ISO 8601 with offset (Objects.moment).
FORMATS = {"date": "%Y-%m-%d", "datetime": "%Y-%m-%dT%H:%M:%S%z"}


def schema(table: Table, *, csv: bool) -> dict:
    fields = []
    for c in table.all_columns:
        if csv and not c.csv:
            continue
        field = {"name": c.name, "type": c.type}
        if c.type in FORMATS:
            field["format"] = FORMATS[c.type]
        if c.description:
            field["description"] = c.description
        if c.name == "id":
            field["constraints"] = {"required": True, "unique": True}
        fields.append(field)
    suffix = "" if csv else "-jsonl"
    # A key into its own table (organizations.sub_organization_of) names the resource "" (Table Schema).
    return {"fields": fields, "primaryKey": ["id"], "missingValues": [""], "foreignKeys": [
        {"fields": [c.name], "reference": {"resource": "" if c.refers == table.name else c.refers + suffix,
                                           "fields": ["id"]}}
        for c in table.all_columns if c.refers and c.type != "array"]}


def package(name: str, licence_id: str | None, licence: str | None) -> bytes:
    resources = []
    for table in TABLES:
        resources.append({"name": table.name, "title": table.title, "path": f"{table.name}.csv", "format": "csv",
                          "mediatype": "text/csv", "encoding": "utf-8", "profile": "tabular-data-resource",
                          "schema": schema(table, csv=True)})
    for table in TABLES:
        resources.append({"name": f"{table.name}-jsonl", "title": f"{table.title} (JSON Lines)",
                          "path": f"{table.name}.jsonl", "format": "jsonl", "mediatype": "application/jsonl",
                          "encoding": "utf-8", "profile": "tabular-data-resource",
                          "schema": schema(table, csv=False)})
    resources.append({"name": "ratsinfo-sqlite", "title": "Alle Tabellen als SQLite-Datenbank mit Volltextsuche",
                      "path": SQLITE, "format": "sqlite", "mediatype": "application/vnd.sqlite3"})
    data = {"profile": "data-package", "name": "ratsinfo",
            "title": f"Öffentliche Ratsinformationen: {name}", "resources": resources}
    if licence:
        data["licenses"] = [{"name": licence_id, "path": licence} if licence_id else {"path": licence}]
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
