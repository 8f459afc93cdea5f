"""What the store keeps of an OParl crawl (importers/store.py), as far as it may be published.

An incremental run (`modified_since`) only receives what changed; to normalise
the whole picture again, it starts from what the last run kept.

`remember` keeps only what the publication rule let through: the objects
behind published records, each with only the fields the normaliser reads,
contact data only when the town publishes it. A withheld agenda item keeps its
place (and its name only when it is a heading that splits the agenda); the
pipeline remembers its id (importers/publication.still_withheld), so it stays
withheld until the source says it is public. Tombstones keep their ids, so
deletions still apply. Not kept: persons' addresses, files only withheld items
link, consultations of papers that are not published, the roles of
consultations in withheld items.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from pathlib import Path

from importers import store
from importers.oparl import quirks
from importers.oparl.walker import Crawl
from importers.publication import Policy
from importers.records import Record
from importers.store import Memory
from ratsinfo.contracts import CONTENT_STATE_DIR

_STRUCTURE = ("id", "type", "created", "modified", "deleted", "web", "body")
# Per type, the fields importers/oparl/normalise.py reads and the walker needs to put
# a changed child back into its parent. Anything else a server sends is not kept.
_FIELDS = {
    "Body": ("name", "shortName", "website", "ags", "rgs", "legislativeTerm", "system", "location", "organization",
             "person", "meeting", "paper", "legislativeTermList", "membership", "agendaItem", "consultation",
             "file", "locationList"),
    "LegislativeTerm": ("name", "startDate", "endDate"),
    "Organization": ("name", "shortName", "organizationType", "classification", "startDate", "endDate",
                     "subOrganizationOf", "website", "location", "membership", "meeting"),
    "Person": ("name", "familyName", "givenName", "formOfAddress", "title", "affix", "formOfAdress",
               "membership"),
    "Membership": ("person", "organization", "role", "votingRight", "startDate", "endDate", "onBehalfOf"),
    "Meeting": ("name", "start", "end", "cancelled", "meetingState", "location", "organization", "invitation",
                "resultsProtocol", "verbatimProtocol", "auxiliaryFile", "agendaItem"),
    "AgendaItem": ("meeting", "number", "order", "name", "public", "consultation", "result", "resolutionText",
                   "resolutionFile", "auxiliaryFile", "start", "end"),
    "Paper": ("name", "reference", "date", "paperType", "mainFile", "auxiliaryFile", "originatorPerson",
              "originatorOrganization", "underDirectionOf", "relatedPaper", "superordinatedPaper",
              "subordinatedPaper", "consultation"),
    "Consultation": ("paper", "meeting", "agendaItem", "organization", "role", "authoritative"),
    "File": ("name", "fileName", "mimeType", "date", "size", "sha512Checksum", "sha1Checksum", "accessUrl",
             "downloadUrl", "text", "meeting", "paper", "agendaItem", "masterFile", "derivativeFile"),
    "Location": ("description", "streetAddress", "street_address", "room", "postalCode", "postal_code",
                 "locality"),
}
# Personal data the town publishes only with PUBLISH_CONTACT_DATA (importers/publication.py).
CONTACT_FIELDS = ("email", "phone", "gender")
# A withheld agenda item: its place in the agenda, never its text.
_WITHHELD_ITEM = ("id", "type", "number", "order", "meeting", "created", "modified")
# A consultation in a withheld item: that the meeting dealt with the paper, not its role.
_CLOSED_CONSULTATION = ("id", "type", "paper", "meeting", "agendaItem", "organization", "created", "modified")
# The System is fetched anew every run; the walker needs only its version.
_SYSTEM_FIELDS = ("id", "type", "oparlVersion", "body", "vendor", "product")


@functools.cache
def _union(kept: frozenset[str], more: frozenset[str]) -> frozenset[str]:
    """The fields kept of an object. A few combinations for every object of a city: shared, not a
    set of its own per object (issue 19: the import's memory as the archive grows)."""
    return kept | more


def legacy_store_path(content: Path, source_key: str) -> Path:
    """Where versions before issue 13 kept the store: in content/, with non-public data."""
    return Path(content) / CONTENT_STATE_DIR / f"oparl-{store.source_digest(source_key)}.sqlite"


def crawl_of(memory: Memory) -> Crawl:
    """The last run's crawl, as the walker and the normaliser take it."""
    crawl = Crawl(oparl_version=memory.meta.get("oparl_version", ""), deleted=set(memory.deleted))
    # In the order of their ids, as the walker fetched them (and earlier stores kept them).
    for (type_name, object_id), data in sorted(memory.objects.items(), key=lambda item: item[0][1]):
        crawl.objects[object_id] = data
        crawl.types[object_id] = type_name
    crawl.bodies = json.loads(memory.meta.get("bodies", "[]"))
    crawl.system = json.loads(memory.meta["system"]) if memory.meta.get("system") else None
    return crawl


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
        store.save(path, Memory(meta={"last_full": "", "withheld": json.dumps(sorted(withheld))}))
    legacy.unlink()
    legacy.with_name(legacy.name + ".tmp").unlink(missing_ok=True)


def remember(crawl: Crawl, records: list[Record], policy: Policy) -> Memory:
    """The part of the crawl behind the published records."""
    keep: dict[str, frozenset[str]] = {}  # object id -> fields kept

    def take(object_id, fields=None):
        if isinstance(object_id, str) and object_id in crawl.objects:
            kind = crawl.types[object_id]
            keep[object_id] = _union(keep.get(object_id, frozenset()),
                                     frozenset(fields or (_STRUCTURE + _FIELDS.get(kind, ()))))

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
                    take(item["source"], _WITHHELD_ITEM + (("name",) if quirks.is_agenda_heading(raw) else ()))
    # Locations of organizations and meetings (the normaliser reads them) and of bodies
    # (the walker would fetch a missing one again), never of persons: their homes.
    for object_id in list(keep):
        if crawl.types[object_id] in ("Body", "Organization", "Meeting"):
            take(quirks.link(crawl.objects[object_id].get("location")))

    system = {k: crawl.system[k] for k in _SYSTEM_FIELDS if k in crawl.system} if crawl.system else None
    memory = Memory(meta={"bodies": json.dumps(crawl.bodies), "system": json.dumps(system) if system else "",
                          "oparl_version": crawl.oparl_version}, deleted=set(crawl.deleted))
    for object_id, fields in keep.items():
        kind, obj = crawl.types[object_id], crawl.objects[object_id]
        if kind == "Person" and policy.publish_contact_data:
            fields = fields | set(CONTACT_FIELDS)
        memory.objects[(kind, object_id)] = {k: obj[k] for k in sorted(fields) if k in obj}
    return memory
