"""The mapping file: which table, view or query holds each kind, and which column each field.

A mapping is YAML (docs/sql-export.md describes every key). It is checked here
in full before the database is asked anything, and every mistake names the
mapping file and the line, from PyYAML's node marks, so the webmaster can fix
it without reading code. The database side (do the tables and columns exist,
do their types fit) is checked in database.py with the same lines.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

import boundedyaml
from importers.errors import ImportFailed
from importers.sql.fields import FIELDS, LOCATION, LOCATION_PARTS, PARENTS, REQUIRED, Link

DEFAULT_MAPPING = Path(__file__).resolve().parent / "mappings" / "neutral.yaml"

_TOP_KEYS = ("version", "description", "timezone", "schema", "objects")
_KIND_KEYS = ("table", "query", "key", "incremental", "order", "publish", "fields", "root")
_LIST_KEYS = ("table", "query", "key", "value", "order", "where")
_PUBLISH_KEYS = ("public", "not_public", "released", "status")
_STATUS_KEYS = ("column", "values")


class MappingError(ImportFailed):
    """The mapping does not fit the schema or the database; nothing was written."""


@dataclass(frozen=True)
class Column:
    name: str
    line: int


@dataclass
class Relation:
    """A table or view by name, or a SELECT query."""

    table: str | None
    query: str | None
    line: int

    @property
    def label(self) -> str:
        return f"Tabelle {self.table!r}" if self.table else "Abfrage"


@dataclass
class ListSpec:
    """A list field read from another table: the rows whose `key` is the owner's key."""

    relation: Relation
    key: Column
    value: Column
    order: list[Column]
    where: dict[Column, tuple]
    line: int


@dataclass
class Publish:
    public: Column | None = None
    not_public: Column | None = None
    released: Column | None = None
    status: Column | None = None
    status_values: tuple = ()


FieldSpec = Column | ListSpec | dict  # dict: location part -> Column


@dataclass
class KindSpec:
    kind: str
    relation: Relation
    key: Column
    incremental: Column | None
    order: list[Column]
    publish: Publish | None
    fields: dict[str, FieldSpec]
    root: Path | None
    line: int


@dataclass
class Mapping:
    path: Path
    digest: str
    timezone: ZoneInfo
    schema: str | None
    objects: dict[str, KindSpec] = field(default_factory=dict)

    def at(self, line: int) -> str:
        return f"Zuordnung {self.path}, Zeile {line}"


def load_mapping(path: Path | str | None = None) -> Mapping:
    """Read and check a mapping file; the neutral export schema's mapping by default."""
    path = Path(path) if path else DEFAULT_MAPPING
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise MappingError(f"Zuordnung {path} nicht lesbar: {exc.strerror or exc}") from exc
    return _Reader(path, raw).mapping()


class _Reader:
    def __init__(self, path: Path, raw: bytes):
        self.path = path
        self.raw = raw
        self.constructor = yaml.SafeLoader("")

    # -- nodes ---------------------------------------------------------------

    def fail(self, node, text: str):
        line = node.start_mark.line + 1 if node is not None else 1
        raise MappingError(f"Zuordnung {self.path}, Zeile {line}: {text}")

    def keys(self, node, where: str, allowed, required=()) -> dict[str, tuple]:
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, f"{where} muss eine Zuordnung (Schlüssel: Wert) sein")
        entries: dict[str, tuple] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key not in allowed:
                if isinstance(allowed, _AnyKey):
                    self.fail(key_node, f"in {where} gehört ein Spaltenname vor den Doppelpunkt")
                self.fail(key_node, f"unbekannter Schlüssel {key!r} in {where} "
                                    f"(erlaubt: {', '.join(allowed)})")
            if key in entries:
                self.fail(key_node, f"Schlüssel {key!r} steht in {where} doppelt")
            entries[key] = (key_node, value_node)
        for key in required:
            if key not in entries:
                self.fail(node, f"in {where} fehlt {key!r}")
        return entries

    def value(self, node):
        return self.constructor.construct_object(node, deep=True)

    def text(self, node, what: str) -> str:
        value = self.value(node) if isinstance(node, yaml.ScalarNode) else None
        if not isinstance(value, str) or not value.strip():
            self.fail(node, f"{what} muss ein Text sein, nicht {_shape(node, value)}")
        return value.strip()

    def column(self, node, what: str) -> Column:
        return Column(self.text(node, what), node.start_mark.line + 1)

    def columns(self, node, what: str) -> list[Column]:
        if isinstance(node, yaml.SequenceNode):
            return [self.column(item, what) for item in node.value]
        return [self.column(node, what)]

    def scalars(self, node, what: str) -> tuple:
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        values = []
        for item in items:
            value = self.value(item) if isinstance(item, yaml.ScalarNode) else None
            if not isinstance(value, (str, int, bool)):
                self.fail(item, f"{what} muss ein Text, eine Zahl oder ja/nein sein")
            values.append(value)
        return tuple(values)

    # -- the file ------------------------------------------------------------

    def mapping(self) -> Mapping:
        try:
            root = boundedyaml.compose(self.raw.decode("utf-8"), f"Zuordnung {self.path}")
        except UnicodeDecodeError:
            raise MappingError(f"Zuordnung {self.path}: keine UTF-8-Datei") from None
        except boundedyaml.TooManyAliases as exc:
            raise MappingError(str(exc)) from None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 1
            raise MappingError(f"Zuordnung {self.path}, Zeile {line}: kein gültiges YAML "
                               f"({exc.problem or exc.context})") from None
        if root is None:
            raise MappingError(f"Zuordnung {self.path} ist leer")
        top = self.keys(root, "der Zuordnung", _TOP_KEYS, required=("objects",))
        if "version" in top and self.value(top["version"][1]) != 1:
            self.fail(top["version"][1], "nur version: 1 wird unterstützt")
        zone = "Europe/Berlin"
        if "timezone" in top:
            zone = self.text(top["timezone"][1], "timezone")
            try:
                ZoneInfo(zone)
            except (ZoneInfoNotFoundError, ValueError):
                self.fail(top["timezone"][1], f"unbekannte Zeitzone {zone!r} (z. B. Europe/Berlin)")
        schema = self.text(top["schema"][1], "schema") if "schema" in top else None
        mapping = Mapping(self.path, hashlib.sha256(self.raw).hexdigest(), ZoneInfo(zone), schema)
        objects = self.keys(top["objects"][1], "objects", tuple(FIELDS))
        for kind, (_key_node, node) in objects.items():
            mapping.objects[kind] = self.kind(kind, node)
        for kind, parent in PARENTS.items():
            if kind in mapping.objects and parent not in mapping.objects:
                self.fail(objects[kind][0], f"{kind} gehört zu {parent}, aber objects.{parent} fehlt")
        return mapping

    def relation(self, entries: dict, node, where: str) -> Relation:
        if ("table" in entries) == ("query" in entries):
            self.fail(node, f"{where} braucht genau eines von table oder query")
        if "table" in entries:
            table_node = entries["table"][1]
            return Relation(self.text(table_node, "table"), None, table_node.start_mark.line + 1)
        query_node = entries["query"][1]
        return Relation(None, self.text(query_node, "query").rstrip(";"), query_node.start_mark.line + 1)

    def kind(self, kind: str, node) -> KindSpec:
        where = f"objects.{kind}"
        entries = self.keys(node, where, _KIND_KEYS, required=("key", "fields"))
        relation = self.relation(entries, node, where)
        if "order" in entries and kind not in PARENTS:
            self.fail(entries["order"][0], f"order gibt es nur für {', '.join(PARENTS)}")
        if "root" in entries and kind != "file":
            self.fail(entries["root"][0], "root (Ordner der Dateien) gibt es nur für file")
        root = None
        if "root" in entries:
            root = Path(self.text(entries["root"][1], "root")).expanduser()
            if not root.is_absolute():
                root = self.path.resolve().parent / root
        fields = {}
        field_entries = self.keys(entries["fields"][1], f"{where}.fields", tuple(FIELDS[kind]),
                                  required=REQUIRED.get(kind, ()))
        for name, (_key_node, value_node) in field_entries.items():
            fields[name] = self.field(kind, name, value_node)
        return KindSpec(
            kind=kind,
            relation=relation,
            key=self.column(entries["key"][1], "key"),
            incremental=self.column(entries["incremental"][1], "incremental") if "incremental" in entries else None,
            order=self.columns(entries["order"][1], "order") if "order" in entries else [],
            publish=self.publish(entries["publish"][1], where) if "publish" in entries else None,
            fields=fields,
            root=root,
            line=node.start_mark.line + 1,
        )

    def field(self, kind: str, name: str, node) -> FieldSpec:
        field_type = FIELDS[kind][name]
        where = f"objects.{kind}.fields.{name}"
        if field_type is LOCATION:
            parts = self.keys(node, where, LOCATION_PARTS)
            return {part: self.column(value, f"{where}.{part}") for part, (_k, value) in parts.items()}
        if isinstance(node, yaml.MappingNode):
            if PARENTS.get(kind) == name:
                self.fail(node, f"{name} sagt, wozu ein {kind} gehört: hier gehört ein Spaltenname hin")
            if not (isinstance(field_type, Link) or field_type.name == "strings"):
                self.fail(node, f"{name} ist ein einzelner Wert: hier gehört ein Spaltenname hin, "
                                "keine Tabelle")
            return self.list_spec(node, where)
        return self.column(node, f"{where} (Spaltenname)")

    def list_spec(self, node, where: str) -> ListSpec:
        entries = self.keys(node, where, _LIST_KEYS, required=("key", "value"))
        where_filter = {}
        if "where" in entries:
            for column_node, value_node in self.keys(
                entries["where"][1], f"{where}.where", _AnyKey()
            ).values():
                where_filter[self.column(column_node, "Spaltenname")] = self.scalars(value_node, "where-Wert")
        return ListSpec(
            relation=self.relation(entries, node, where),
            key=self.column(entries["key"][1], "key"),
            value=self.column(entries["value"][1], "value"),
            order=self.columns(entries["order"][1], "order") if "order" in entries else [],
            where=where_filter,
            line=node.start_mark.line + 1,
        )

    def publish(self, node, where: str) -> Publish:
        entries = self.keys(node, f"{where}.publish", _PUBLISH_KEYS)
        rule = Publish()
        for name in ("public", "not_public", "released"):
            if name in entries:
                setattr(rule, name, self.column(entries[name][1], f"publish.{name}"))
        if "status" in entries:
            status = self.keys(entries["status"][1], f"{where}.publish.status", _STATUS_KEYS,
                               required=_STATUS_KEYS)
            rule.status = self.column(status["column"][1], "publish.status.column")
            rule.status_values = tuple(str(v) for v in self.scalars(status["values"][1], "publish.status.values"))
        if not entries:
            self.fail(node, f"{where}.publish nennt keine Regel ({', '.join(_PUBLISH_KEYS)})")
        return rule


class _AnyKey(tuple):
    """Any column name is a valid key of `where`."""

    def __contains__(self, item) -> bool:
        return isinstance(item, str) and bool(item.strip())


def _shape(node, value) -> str:
    if isinstance(node, yaml.MappingNode):
        return "eine Zuordnung"
    if isinstance(node, yaml.SequenceNode):
        return "eine Liste"
    if value is None:
        return "leer"
    return f"{value!r}"
