"""The raw object store: what the last successful run knew about a source, as far as it may be published.

An incremental run (`modified_since`) only receives what changed; to normalise
the whole picture again, it starts from this store. It lives in the private
state folder (importers/state.py), never in content/, and is replaced only
after content/ was written successfully.

It keeps only what the publication rule let through (`publishable`): the
objects behind published records, each with only the fields the normaliser
reads, contact data only when the town publishes it. A withheld agenda item
keeps its place (and its name only when it is a heading that splits the
agenda); its id is remembered in `withheld`, so it stays withheld until the
source says it is public. Tombstones keep their ids, so deletions still apply.
Not kept: persons' addresses, files only withheld items link, consultations
of papers that are not published, the roles of consultations in withheld items.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

from importers.errors import ImportFailed
from importers.oparl import quirks
from importers.oparl.walker import Crawl
from importers.publication import Policy
from importers.records import Record
from importers.state import state_dir
from ratsinfo.contracts import CONTENT_STATE_DIR
from ratsinfo.files import replaced

_STRUCTURE = ("id", "type", "created", "modified", "deleted", "web", "body")
# Per type, the fields importers/oparl/normalise.py reads and the walker needs to put
# a changed child back into its parent. Anything else a server sends is not kept.
_FIELDS = {
    "Body": ("name", "shortName", "website", "ags", "legislativeTerm", "system", "location", "organization",
             "person", "meeting", "paper", "legislativeTermList", "membership", "agendaItem", "consultation",
             "file", "locationList"),
    "LegislativeTerm": ("name", "startDate", "endDate"),
    "Organization": ("name", "shortName", "organizationType", "classification", "startDate", "endDate",
                     "subOrganizationOf", "website", "location", "membership", "meeting"),
    "Person": ("name", "familyName", "givenName", "formOfAddress", "title", "affix", "gender", "membership"),
    "Membership": ("person", "organization", "role", "votingRight", "startDate", "endDate", "onBehalfOf"),
    "Meeting": ("name", "start", "end", "cancelled", "meetingState", "location", "organization", "invitation",
                "resultsProtocol", "verbatimProtocol", "auxiliaryFile", "agendaItem"),
    "AgendaItem": ("meeting", "number", "order", "name", "public", "consultation", "result", "resolutionText",
                   "resolutionFile", "auxiliaryFile", "start", "end"),
    "Paper": ("name", "reference", "date", "paperType", "mainFile", "auxiliaryFile", "originatorPerson",
              "originatorOrganization", "underDirectionOf", "relatedPaper", "superordinatedPaper",
              "subordinatedPaper", "consultation"),
    "Consultation": ("paper", "meeting", "agendaItem", "organization", "role", "authoritative"),
    "File": ("name", "fileName", "mimeType", "date", "size", "sha512Checksum", "accessUrl", "downloadUrl",
             "text", "meeting", "paper", "agendaItem", "masterFile", "derivativeFile"),
    "Location": ("description", "streetAddress", "street_address", "room", "postalCode", "postal_code",
                 "locality"),
}
CONTACT_FIELDS = ("email", "phone")
# A withheld agenda item: its place in the agenda, never its text.
_WITHHELD_ITEM = ("id", "type", "number", "order", "meeting", "created", "modified")
# A consultation in a withheld item: that the meeting dealt with the paper, not its role.
_CLOSED_CONSULTATION = ("id", "type", "paper", "meeting", "agendaItem", "organization", "created", "modified")
# The System is fetched anew every run; the walker needs only its version.
_SYSTEM_FIELDS = ("id", "type", "oparlVersion", "body", "vendor", "product")


def store_path(content: Path, source_key: str) -> Path:
    return state_dir(content) / f"oparl-{_digest(source_key)}.sqlite"


def legacy_store_path(content: Path, source_key: str) -> Path:
    """Where versions before issue 13 kept the store: in content/, with non-public data."""
    return Path(content) / CONTENT_STATE_DIR / f"oparl-{_digest(source_key)}.sqlite"


def _digest(source_key: str) -> str:
    return hashlib.sha1(source_key.encode("utf-8")).hexdigest()[:12]


def load(path: Path) -> tuple[Crawl, dict] | None:
    if not path.is_file():
        return None
    crawl = Crawl()
    try:
        with sqlite3.connect(path) as db:
            meta = dict(db.execute("SELECT key, value FROM meta"))
            for object_id, type_name, data in db.execute("SELECT id, type, data FROM objects"):
                crawl.objects[object_id] = json.loads(data)
                crawl.types[object_id] = type_name
            crawl.deleted = {row[0] for row in db.execute("SELECT id FROM deleted")}
        crawl.bodies = json.loads(meta.get("bodies", "[]"))
        crawl.system = json.loads(meta["system"]) if meta.get("system") else None
        json.loads(meta.get("withheld", "[]"))
    except (sqlite3.Error, ValueError) as exc:
        # It holds which agenda items were withheld: guessing without it could open one.
        raise ImportFailed(
            f"Importzustand {path} ist beschädigt ({exc}). Nichts wurde geändert. Die Datei löschen "
            "(der nächste Import ist dann vollständig und urteilt allein nach der Quelle) und neu starten."
        ) from exc
    crawl.oparl_version = meta.get("oparl_version", "")
    return crawl, meta


def withheld_items(meta: dict) -> set[str]:
    """Agenda items an earlier run withheld (they stay withheld, quirks.agenda_publicity)."""
    return set(json.loads(meta.get("withheld", "[]")))


def migrate_legacy(content: Path, source_key: str, path: Path):
    """Replace a store in content/.ratsinfo/ by one in the private folder.

    The old store held everything the server sent (contact data, texts of
    withheld items). Only the marks of withheld items are carried over; the
    objects are not, so the next run is a full one. The old file goes at once.
    """
    legacy = legacy_store_path(content, source_key)
    if not legacy.is_file():
        return
    if not path.is_file():
        withheld = set()
        try:
            with sqlite3.connect(legacy) as db:
                for object_id, data in db.execute("SELECT id, data FROM objects WHERE type = 'AgendaItem'"):
                    if json.loads(data).get("public", True) is not True:
                        withheld.add(object_id)
        except (sqlite3.Error, ValueError):
            pass  # a broken old store: nothing to carry over, the next run is full anyway
        save(path, Crawl(), {"last_full": "", "withheld": json.dumps(sorted(withheld))})
    legacy.unlink()
    legacy.with_name(legacy.name + ".tmp").unlink(missing_ok=True)


def publishable(crawl: Crawl, records: list[Record], policy: Policy,
                withheld_before: set[str] = frozenset()) -> tuple[Crawl, set[str]]:
    """The part of the crawl behind the published records, and the ids of withheld agenda items:
    those withheld now, and those withheld before that nothing has opened since (their meeting
    may be missing from this run)."""
    keep: dict[str, set[str]] = {}  # object id -> fields kept
    withheld: set[str] = set()

    def take(object_id, fields=None):
        if isinstance(object_id, str) and object_id in crawl.objects:
            kind = crawl.types[object_id]
            keep.setdefault(object_id, set()).update(fields or (_STRUCTURE + _FIELDS.get(kind, ())))

    for record in records:
        take(record.source)
        if record.kind == "person":
            for membership in record.data.get("memberships", []):
                take(membership.get("source"))
        elif record.kind == "paper":
            for consultation in record.data.get("consultations", []):
                closed = consultation.get("public") is False
                take(consultation.get("source"), _CLOSED_CONSULTATION if closed else None)
        elif record.kind == "meeting":
            for item in record.data.get("agenda", []):
                raw = crawl.objects.get(item["source"], {})
                if item.get("public") is True:
                    take(item["source"])
                    if item.get("paper"):
                        # The item finds its paper through the consultation (normalise.py).
                        take(quirks.link(raw.get("consultation")), _CLOSED_CONSULTATION)
                else:
                    withheld.add(item["source"])
                    take(item["source"], _WITHHELD_ITEM + (("name",) if quirks.is_agenda_heading(raw) else ()))
    # Locations of organizations and meetings (the normaliser reads them) and of bodies
    # (the walker would fetch a missing one again), never of persons: their homes.
    for object_id in list(keep):
        if crawl.types[object_id] in ("Body", "Organization", "Meeting"):
            take(quirks.link(crawl.objects[object_id].get("location")))

    opened = {item["source"] for record in records if record.kind == "meeting"
              for item in record.data.get("agenda", []) if item.get("public") is True}
    withheld |= set(withheld_before) - opened - crawl.deleted
    stored = Crawl(oparl_version=crawl.oparl_version, bodies=list(crawl.bodies), deleted=set(crawl.deleted))
    if crawl.system:
        stored.system = {k: crawl.system[k] for k in _SYSTEM_FIELDS if k in crawl.system}
    for object_id, fields in keep.items():
        kind, obj = crawl.types[object_id], crawl.objects[object_id]
        if kind == "Person" and policy.publish_contact_data:
            fields = fields | set(CONTACT_FIELDS)
        stored.objects[object_id] = {k: obj[k] for k in sorted(fields) if k in obj}
        stored.types[object_id] = kind
    return stored, withheld


def save(path: Path, crawl: Crawl, meta: dict[str, str]):
    """Replace the store at once, readable by its owner only."""
    with replaced(path, temp_name=path.name + ".tmp", private=True) as tmp:
        tmp.unlink(missing_ok=True)  # a killed run's leftover: SQLite would add to it
        with sqlite3.connect(tmp) as db:
            db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
            db.execute("CREATE TABLE objects (id TEXT PRIMARY KEY, type TEXT, data TEXT)")
            db.execute("CREATE TABLE deleted (id TEXT PRIMARY KEY)")
            all_meta = {
                **meta,
                "bodies": json.dumps(crawl.bodies),
                "system": json.dumps(crawl.system) if crawl.system else "",
                "oparl_version": crawl.oparl_version,
            }
            db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(all_meta.items()))
            db.executemany(
                "INSERT INTO objects VALUES (?, ?, ?)",
                ((i, crawl.types[i], json.dumps(crawl.objects[i], ensure_ascii=False, sort_keys=True))
                 for i in sorted(crawl.objects)),
            )
            db.executemany("INSERT INTO deleted VALUES (?)", ((i,) for i in sorted(crawl.deleted)))
