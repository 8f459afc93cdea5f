"""Stadt Karlsruhe's OParl 1.1 server (SOMACOS SessionNet), rebuilt on 127.0.0.1.

The sample in shared/oparl-samples/karlsruhe-oparl-syndication/docs/ holds real
Karlsruhe objects, one per file, but no System, no Body and no list pages. This
server adds exactly those, the way the spec (2-05, 2-08, 2-10) and the live
server do them, and serves every object as stored:

- `oparl/system` and `oparl/bodies` (a list with the one Body `bodies/0001`);
  both are synthesized, everything below them is real.
- the Body's external lists `meetings`, `papers`, `organizations` (and the
  mandatory `people`, empty: the sample stores no persons), plus each
  Organization's `…/meetings` list. Ten objects a page, whatever `limit` says
  (the live server's fixed `elementsPerPage`), `links.next` on every page but
  the last, stable order by id.
- deleted objects (the 3 paper tombstones) only when `modified_since` is given
  (spec 2-08); `created_since/until` and `modified_since/until` filter and are
  kept in every `links` URL.
- every object, embedded ones included, at its own id path. The objects keep
  their quirks untouched: `end` before `start`, `order` from 1, no `mainFile`,
  a consultation embedded twice in paper vo/51796 with different `modified`,
  consultations that link agenda items of meetings outside the sample.
- files' `accessUrl`/`downloadUrl` are not in the sample: 404.
- `unlist()` and `withdraw()` let a test take objects out of the lists, or out
  of the public (401 without tombstone, as Karlsruhe does it).

Ids live under `https://web1.karlsruhe.de/oparl/…`; that origin is rewritten to
this server's address in every response, as DumpServer does.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tests.support.loopback import LoopbackServer, QuietHandler

ORIGIN = "https://web1.karlsruhe.de/"
SYSTEM_ID = ORIGIN + "oparl/system"
BODIES_URL = ORIGIN + "oparl/bodies"
BODY_ID = ORIGIN + "oparl/bodies/0001"
SCHEMA = "https://schema.oparl.org/1.1/"
PAGE_SIZE = 10
# Not in the sample; fixed so that responses are stable.
SYNTHESIZED_AT = "2025-01-01T00:00:00+01:00"
FILTERS = ("created_since", "created_until", "modified_since", "modified_until")

SYSTEM = {
    "id": SYSTEM_ID,
    "type": SCHEMA + "System",
    "oparlVersion": SCHEMA,
    "name": "Ratsinformationssystem der Stadt Karlsruhe",
    "body": BODIES_URL,
    "website": "https://www.karlsruhe.de/",
    # How meine-stadt-transparent recognises SessionNet (research/oparl.md M15).
    "vendor": "http://www.somacos.de",
    "product": "Sitzungsmanagementsystem Session  Copyright SOMACOS GmbH & Co. KG",
    "created": SYNTHESIZED_AT,
    "modified": SYNTHESIZED_AT,
}

BODY = {
    "id": BODY_ID,
    "type": SCHEMA + "Body",
    "system": SYSTEM_ID,
    "name": "Stadt Karlsruhe",
    "shortName": "Karlsruhe",
    "website": "https://www.karlsruhe.de/",
    "ags": "08212000",
    "organization": BODY_ID + "/organizations",
    "person": BODY_ID + "/people",
    "meeting": BODY_ID + "/meetings",
    "paper": BODY_ID + "/papers",
    # Mandatory; the sample knows no terms, and a mandatory array is output as [] (spec 2-04).
    "legislativeTerm": [],
    "created": SYNTHESIZED_AT,
    "modified": SYNTHESIZED_AT,
}

_ORG_MEETINGS = re.compile(r"^(oparl/bodies/0001/organizations/[a-z]+/\d+)/meetings$")


def _id_key(object_id: str):
    """Stable order by id, numbers compared as numbers (`vo/9` before `vo/10`)."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", object_id)]


def _each_file(folder: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def _array(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []


def _parse_time(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


class KarlsruheData:
    """The sample, loaded once: the three lists and every object by id."""

    def __init__(self, docs: Path):
        docs = Path(docs)
        self.meetings = sorted(_each_file(docs / "meetings"), key=lambda m: _id_key(m["id"]))
        self.papers = sorted(_each_file(docs / "papers"), key=lambda p: _id_key(p["id"]))
        self.organizations = sorted(_array(docs / "organizations.json"), key=lambda o: _id_key(o["id"]))
        consultations = _array(docs / "consultations.json")
        self.objects: dict[str, dict] = {}
        # Embedded copies first; an object stored on its own (fetched by id) wins.
        for top in self.meetings + self.papers + self.organizations:
            for child in _embedded_objects(top):
                self.objects.setdefault(child["id"], child)
        for obj in consultations + self.meetings + self.papers + self.organizations:
            self.objects[obj["id"]] = obj
        self.objects[SYSTEM_ID] = SYSTEM
        self.objects[BODY_ID] = BODY

    def list_for(self, path: str) -> list[dict] | None:
        """The objects of the external list at `path` (without query), or None."""
        lists = {
            "oparl/bodies": [BODY],
            "oparl/bodies/0001/meetings": self.meetings,
            "oparl/bodies/0001/papers": self.papers,
            "oparl/bodies/0001/organizations": self.organizations,
            "oparl/bodies/0001/people": [],
        }
        if path in lists:
            return lists[path]
        match = _ORG_MEETINGS.match(path)
        if match and ORIGIN + match[1] in self.objects:
            organization = ORIGIN + match[1]
            return [m for m in self.meetings if organization in (m.get("organization") or [])]
        return None


def _filtered(objects: list[dict], params: dict[str, str]) -> list[dict] | None:
    """Apply the spec's four filters; None when a filter value is not a date-time."""
    bounds = {}
    for name in FILTERS:
        if name in params:
            bound = _parse_time(params[name])
            if bound is None:
                return None
            bounds[name] = bound
    kept = []
    for obj in objects:
        # Deleted objects only when the client asks for changes (spec 2-08, 1.1).
        if obj.get("deleted") and "modified_since" not in bounds:
            continue
        created = _parse_time(obj.get("created", "")) if obj.get("created") else None
        modified = _parse_time(obj.get("modified", "")) if obj.get("modified") else None
        if "created_since" in bounds and not (created and created >= bounds["created_since"]):
            continue
        if "created_until" in bounds and not (created and created <= bounds["created_until"]):
            continue
        if "modified_since" in bounds and not (modified and modified >= bounds["modified_since"]):
            continue
        if "modified_until" in bounds and not (modified and modified <= bounds["modified_until"]):
            continue
        kept.append(obj)
    return kept


class KarlsruheServer(LoopbackServer):
    def __init__(self, docs: Path, page_size: int = PAGE_SIZE):
        self.data = KarlsruheData(docs)
        self.page_size = page_size
        self.requests: list[str] = []
        # Ids left out of every list (see unlist()), and ids answering a status (withdraw()).
        self.unlisted: set[str] = set()
        self.withdrawn: dict[str, int] = {}
        self.serve(self._handler())
        self.system_url = self.url + "oparl/system"

    def unlist(self, object_id: str):
        """Leave an object out of every list; it stays reachable under its id
        (objects linked but in no list, research/oparl.md S15, S16, M4)."""
        self.unlisted.add(object_id)

    def withdraw(self, object_id: str, status: int = 401):
        """Take a record out of the public the way Karlsruhe does: it leaves every
        list without a tombstone, and its URL and those of the objects embedded in
        it answer `status` (401 when it became member-only; research/oparl.md M13)."""
        self.unlist(object_id)
        self.withdrawn[object_id] = status
        for child in _embedded_objects(self.data.objects[object_id]):
            self.withdrawn[child["id"]] = status

    # -- answers -----------------------------------------------------------

    def answer(self, raw_path: str) -> tuple[int, object]:
        parts = urlsplit(raw_path)
        path = unquote(parts.path).strip("/")
        # Keep the client's spelling of every parameter for the links (spec 2-05).
        raw_params = [p for p in parts.query.split("&") if p]
        # `+` stays `+`: clients send the offset both encoded (%2B) and plain.
        params = {}
        for pair in raw_params:
            name, _, value = pair.partition("=")
            params[unquote(name)] = unquote(value)
        if ORIGIN + path in self.withdrawn:
            return self.withdrawn[ORIGIN + path], _error("Keine Berechtigung", path)
        objects = self.data.list_for(path)
        if objects is not None:
            objects = [o for o in objects if o["id"] not in self.unlisted]
            return self._list_page(path, objects, params, raw_params)
        obj = self.data.objects.get(ORIGIN + path)
        if obj is None:
            return 404, _error("Die angeforderte Ressource wurde nicht gefunden.", path)
        return 200, obj

    def _list_page(self, path: str, objects: list[dict], params: dict, raw_params: list[str]):
        selected = _filtered(objects, params)
        if selected is None:
            return 400, _error("Ungültiger Filterwert", path)
        page_text = params.get("page", "1")
        if not page_text.isdigit() or int(page_text) < 1:
            return 400, _error("Ungültige Seitenzahl", path)
        page = int(page_text)
        total_pages = max(1, -(-len(selected) // self.page_size))
        if page > total_pages:
            return 404, _error("Die angeforderte Seite gibt es nicht.", path)
        kept = [p for p in raw_params if p.partition("=")[0] != "page"]

        def link(number: int) -> str:
            return ORIGIN + path + "?" + "&".join(kept + [f"page={number}"])

        links = {"first": link(1), "self": link(page), "last": link(total_pages)}
        if page > 1:
            links["prev"] = link(page - 1)
        if page < total_pages:
            links["next"] = link(page + 1)
        start = (page - 1) * self.page_size
        return 200, {
            "data": selected[start:start + self.page_size],
            "pagination": {
                "totalElements": len(selected),
                "elementsPerPage": self.page_size,
                "currentPage": page,
                "totalPages": total_pages,
            },
            "links": links,
        }

    def _handler(self):
        server = self

        class Handler(QuietHandler):
            def do_GET(self):
                server.requests.append(self.path.lstrip("/"))
                status, payload = server.answer(self.path)
                body = json.dumps(payload, ensure_ascii=False).replace(ORIGIN, server.url).encode("utf-8")
                # Every JSON response carries Access-Control-Allow-Origin (spec 2-06).
                self.reply(status, body, "application/json; charset=utf-8", {"Access-Control-Allow-Origin": "*"})

        return Handler


def _embedded_objects(value) -> list[dict]:
    """Every OParl object (with id and type) nested anywhere inside `value`."""
    found = []
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for child in children:
        if isinstance(child, dict) and isinstance(child.get("id"), str) and "type" in child:
            found.append(child)
        found.extend(_embedded_objects(child))
    return found


def _error(message: str, debug: str) -> dict:
    """The error object of OParl 1.1 (spec 2-09)."""
    return {"type": SCHEMA + "Error", "message": message, "debug": debug}
