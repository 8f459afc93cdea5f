"""Reading the export: each kind's rows, only changed ones where the mapping allows, and the list tables.

Every run reads the full set of keys of every kind, so rows deleted in the
source disappear. With an `incremental` column and the rows of the last run,
only rows at least as new as the newest value seen last time are read, plus
rows whose key is new to us. Each row is judged as it is read, by the
mapping's rule (importers/publication.row_released): a row that may not be
published is not kept (and so read again next run, when its release date may
have come); a non-public agenda item keeps only its place in the agenda.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

import sqlalchemy as sa

from importers import publication
from importers.pipeline import SINCE_OVERLAP
from importers.report import Report
from importers.sql.convert import (
    field_value, key_text, moment, newest, order_value, sort_key, tag, to_bool, untag,
)
from importers.sql.database import Database
from importers.sql.fields import (
    BOOL, CONTENT, DATETIME, FIELDS, KIND_LABELS, LOCATION, PATH, STRINGS, TEXT, Link,
)
from importers.sql.mapping import KindSpec, ListSpec, Mapping



@dataclass
class Snapshot:
    """What the export holds now, as far as it may be published."""

    rows: dict[str, dict[str, dict]] = field(default_factory=dict)  # kind -> key -> values
    raw_keys: dict[str, dict[str, object]] = field(default_factory=dict)  # key as the driver gave it
    lists: dict[tuple[str, str], dict[str, list]] = field(default_factory=dict)  # (kind, field) -> owner -> values
    since: dict[str, dict] = field(default_factory=dict)  # kind -> newest incremental value (tagged)
    read: int = 0  # rows read from the kinds' tables in this run


class KindReader:
    """The rows of one kind: columns resolved and checked against the database when built."""

    def __init__(self, db: Database, mapping: Mapping, spec: KindSpec, report: Report):
        self.spec = spec
        self.kind = spec.kind
        self.zone = mapping.timezone
        self.report = report
        self.table = db.rows(spec.relation, mapping)
        self.key = self.table.column(spec.key, "key")
        self.columns: list[tuple[str, str, object]] = []  # (field, column, type)
        for name, field_spec in spec.fields.items():
            field_type = FIELDS[self.kind][name]
            if isinstance(field_spec, ListSpec):
                continue
            if field_type is LOCATION:
                for part, column in field_spec.items():
                    self.columns.append((f"location.{part}", self.table.column(column, TEXT), TEXT))
            else:
                self.columns.append((name, self.table.column(field_spec, field_type), field_type))
        self.order = [self.table.column(c, "any") for c in spec.order]
        self.incremental = self.table.column(spec.incremental, "any") if spec.incremental else None
        rule = spec.publish
        self.rule_columns = {}
        if rule is not None:
            for name, wanted in (("public", BOOL), ("not_public", BOOL), ("released", DATETIME),
                                 ("status", TEXT)):
                if getattr(rule, name) is not None:
                    self.rule_columns[name] = self.table.column(getattr(rule, name), wanted)
        self.content_column = next((c for name, c, t in self.columns if t is CONTENT), None)

    def expressions(self) -> list:
        exprs = [self.table.c(self.key)]
        for _name, column, field_type in self.columns:
            # A BLOB is not read with the row, only whether there is one; the writer
            # fetches it later, and only when the file is new or changed.
            exprs.append(sa.case((self.table.c(column).is_(None), 0), else_=1)
                         if field_type is CONTENT else self.table.c(column))
        exprs += [self.table.c(c) for c in self.order]
        exprs += [self.table.c(c) for c in self.rule_columns.values()]
        if self.incremental:
            exprs.append(self.table.c(self.incremental))
        return exprs

    # -- reading -------------------------------------------------------------

    def read(self, snapshot: Snapshot, previous_rows: dict | None, since_tag: dict | None,
             now: datetime):
        keys: dict[str, object] = {}
        for (raw,) in self.table.all([self.table.c(self.key)]):
            key = key_text(raw)
            if key is None:
                self.report.problem(f"Zeile ohne Schlüssel ({KIND_LABELS[self.kind]})", self.spec.relation.label)
                continue
            keys.setdefault(key, raw)
        exprs = self.expressions()
        since = untag(since_tag, SINCE_OVERLAP)
        if previous_rows is None or self.incremental is None or since is None:
            fetched = self.table.all(exprs)
            kept = {}
        else:
            fetched = self.table.newer(exprs, self.incremental, since)
            seen = {key_text(row[0]) for row in fetched}
            missing = [raw for key, raw in keys.items() if key not in previous_rows and key not in seen]
            fetched += self.table.by_keys(exprs, self.key, missing)
            kept = {key: values for key, values in previous_rows.items() if key in keys}
        newest_value = untag(since_tag)
        done: set[str] = set()
        for row in fetched:
            key = key_text(row[0])
            if key not in keys:
                continue
            if key in done:
                self.report.problem(f"Schlüssel mehrfach vergeben ({KIND_LABELS[self.kind]})", key)
                continue
            done.add(key)
            if self.incremental:
                newest_value = newest(newest_value, row[-1])
            values = self.convert(key, row, now)
            if values is None:
                kept.pop(key, None)
            else:
                kept[key] = values
        snapshot.rows[self.kind] = kept
        snapshot.raw_keys[self.kind] = keys
        snapshot.read += len(fetched)
        if self.incremental and tag(newest_value):
            snapshot.since[self.kind] = tag(newest_value)

    def convert(self, key: str, row: tuple, now: datetime) -> dict | None:
        values: dict = {}
        position = 1
        for name, column, field_type in self.columns:
            raw = row[position]
            position += 1
            if field_type is CONTENT:
                if raw:
                    values["content"] = True
                continue
            value = field_value(raw, TEXT if field_type is PATH else field_type, self.zone)
            if value is None:
                if raw is not None and not (isinstance(raw, str) and not raw.strip()):
                    label = field_type.label if not isinstance(field_type, Link) else "Schlüssel"
                    self.report.problem(f"Wert in Spalte {column} ist kein {label} "
                                        f"({KIND_LABELS[self.kind]}.{name})", key)
                continue
            if name.startswith("location."):
                values.setdefault("location", {})[name.split(".", 1)[1]] = value
            elif field_type is STRINGS:
                values[name] = [value]
            else:
                values[name] = value
        if self.order:
            values["_order"] = [order_value(v) for v in row[position:position + len(self.order)]]
        position += len(self.order)
        rule = dict(zip(self.rule_columns, row[position:]))
        if "status" in rule:
            rule["status"] = key_text(rule["status"])
        released = self.spec.publish is None or publication.row_released(
            rule, self.spec.publish.status_values, self.report, key, now,
            meaning=to_bool, moment=lambda value: moment(value, self.zone))
        if self.kind == "agenda_item":
            return {**values, "public": True} if released else publication.withheld_item_row(values)
        if not released:
            self.report.withheld[f"nicht freigegeben ({KIND_LABELS[self.kind]})"] += 1
            return None
        return values


class ListReader:
    """A list field from its own table: rows with the owner's key, in their order."""

    def __init__(self, db: Database, mapping: Mapping, kind: str, name: str, spec: ListSpec):
        self.field_type = FIELDS[kind][name]
        self.table = db.rows(spec.relation, mapping)
        self.key = self.table.column(spec.key, "key")
        wanted = self.field_type if isinstance(self.field_type, Link) else TEXT
        self.value = self.table.column(spec.value, wanted)
        self.order = [self.table.column(c, "any") for c in spec.order]
        self.where = [(self.table.column(c, "any"), accepted) for c, accepted in spec.where.items()]

    def read(self) -> dict[str, list]:
        columns = [self.key, self.value, *self.order, *(c for c, _ in self.where)]
        entries: dict[str, list] = {}
        for index, row in enumerate(self.table.all([self.table.c(c) for c in columns])):
            owner = key_text(row[0])
            filters = row[2 + len(self.order):]
            if owner is None or not all(_matches(v, accepted) for v, (_, accepted) in zip(filters, self.where)):
                continue
            value = key_text(row[1]) if isinstance(self.field_type, Link) else field_value(row[1], TEXT, timezone.utc)
            if value is None:
                continue
            order = [order_value(v) for v in row[2:2 + len(self.order)]] or [value]
            entries.setdefault(owner, []).append((sort_key(order), index, value))
        result = {}
        for owner, items in entries.items():
            values = []
            for *_ignored, value in sorted(items):
                if value not in values:
                    values.append(value)
            result[owner] = values
        return result


def _matches(value, accepted: tuple) -> bool:
    for wanted in accepted:
        if isinstance(wanted, bool):
            if to_bool(value) is wanted:
                return True
        elif key_text(value) == key_text(wanted):
            return True
    return False


class Reader:
    """All of a mapping's kinds and lists; building one checks the whole mapping against the database."""

    def __init__(self, db: Database, mapping: Mapping, report: Report,
                 on_rows: Callable[[str, int], None] | None = None):
        self.kinds = {kind: KindReader(db, mapping, spec, report) for kind, spec in mapping.objects.items()}
        self.lists = {
            (kind, name): ListReader(db, mapping, kind, name, field_spec)
            for kind, spec in mapping.objects.items()
            for name, field_spec in spec.fields.items() if isinstance(field_spec, ListSpec)
        }
        self.on_rows = on_rows or (lambda kind, n: None)

    def read(self, previous_rows: dict | None, previous_since: dict) -> Snapshot:
        snapshot = Snapshot()
        now = datetime.now(timezone.utc)
        for kind, reader in self.kinds.items():
            before = snapshot.read
            reader.read(snapshot, None if previous_rows is None else previous_rows.get(kind, {}),
                        previous_since.get(kind), now)
            self.on_rows(kind, snapshot.read - before)
        for (kind, name), reader in self.lists.items():
            snapshot.lists[(kind, name)] = reader.read()
        return snapshot
