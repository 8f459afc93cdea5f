"""A real OParl server on 127.0.0.1 that serves a dump folder.

The dump's own base URL (e.g. https://oparl.muldenau.example/oparl/v1.1/) is
rewritten to this server's address in every JSON response, so the importer
talks plain HTTP to loopback and never to the internet. `faults` lets a test
make a path answer with an error status a number of times, `missing_prefixes`
makes whole parts of the API disappear.
"""

from __future__ import annotations

import hashlib
import json
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from tests.support.loopback import LoopbackServer, QuietHandler

# What `omit_internal=true` leaves out, per type (OParl 1.1, 2-05).
INTERNAL_LISTS = {
    "AgendaItem": ("auxiliaryFile",), "Meeting": ("auxiliaryFile", "agendaItem"),
    "Paper": ("auxiliaryFile", "location"), "Person": ("membership",), "Body": ("legislativeTerm",),
}


class DumpServer(LoopbackServer):
    def __init__(self, folder: Path, base: str, port: int = 0):
        """`port`: 0 for a free one; a fixed one keeps the source's address the same across processes
        (benchmarks/city_build.py imports twice, each time in a new process: the second incrementally)."""
        self.folder = Path(folder).resolve()
        self.base = base
        self.faults: dict[str, list[int]] = {}
        # Paths under these prefixes answer 404, as if the server had lost them.
        self.missing_prefixes: set[str] = set()
        # After this many requests the server dies: connections close without an answer.
        self.die_after: int | None = None
        # path -> seconds to wait before answering, once per entry.
        self.delays: dict[str, list[float]] = {}
        self.requests: list[str] = []
        self.serve(self._handler(), port)

    def file_for(self, relative: str) -> Path | None:
        path, _, query = relative.partition("?")
        candidates = [relative, relative + ".json"]
        if query in ("page=1", "page=0"):
            candidates.append(path + ".json")
        for candidate in candidates:
            target = (self.folder / candidate).resolve()
            if target.is_relative_to(self.folder) and target.is_file():
                return target
        return None

    def filtered_list(self, path: str, since: str, omit_internal: bool) -> bytes | None:
        """A list answer to `modified_since`, built from all pages of the static list."""
        first = self.file_for(path)
        if first is None:
            return None
        moment = datetime.fromisoformat(since)
        page, objects = json.loads(first.read_text(encoding="utf-8")), []
        seen = set()
        while True:
            objects += page.get("data", [])
            next_url = page.get("links", {}).get("next")
            if not next_url or next_url in seen:
                break
            seen.add(next_url)
            target = self.file_for(next_url[len(self.base):])
            if target is None:
                break
            page = json.loads(target.read_text(encoding="utf-8"))
        selected = []
        for obj in objects:
            if datetime.fromisoformat(obj.get("modified", "1970-01-01T00:00:00+00:00")) >= moment:
                if omit_internal:
                    omitted = INTERNAL_LISTS.get(str(obj.get("type", "")).rsplit("/", 1)[-1], ())
                    obj = {k: v for k, v in obj.items() if k not in omitted}
                selected.append(obj)
        return json.dumps({"data": selected, "pagination": {"totalElements": len(selected)}, "links": {}},
                          ensure_ascii=False).encode("utf-8")

    def _handler(self):
        server = self

        class Handler(QuietHandler):
            def do_GET(self):
                relative = unquote(self.path.lstrip("/"))
                if server.die_after is not None and len(server.requests) >= server.die_after:
                    self.close_connection = True
                    return
                server.requests.append(relative)
                path, query = urlsplit(relative).path, parse_qs(urlsplit(self.path).query)
                delay = server.delays.get(path)
                if delay:
                    time.sleep(delay.pop(0))
                planned = server.faults.get(relative) or server.faults.get(path)
                if planned:
                    status = planned.pop(0)
                    self.reply(status, b'{"error": "injected"}', "application/json")
                    return
                if any(relative.startswith(p) for p in server.missing_prefixes):
                    self.reply(404, b'{"error": "not found"}', "application/json")
                    return
                if "modified_since" in query:
                    payload = server.filtered_list(path, query["modified_since"][0],
                                                   query.get("omit_internal") == ["true"])
                    if payload is None:
                        self.reply(404, b'{"error": "not found"}', "application/json")
                    else:
                        payload = payload.replace(server.base.encode(), server.url.encode())
                        self.reply(200, payload, "application/json; charset=utf-8")
                    return
                target = server.file_for(relative)
                if target is None:
                    self.reply(404, b'{"error": "not found"}', "application/json")
                    return
                payload = target.read_bytes()
                if target.suffix == ".json":
                    payload = payload.replace(server.base.encode(), server.url.encode())
                    self.reply(200, payload, "application/json; charset=utf-8")
                else:
                    # Files answer conditional GETs, as the spec recommends (2-07).
                    etag = '"' + hashlib.sha1(payload).hexdigest() + '"'
                    if self.headers.get("If-None-Match") == etag:
                        self.reply(304, b"", "application/pdf", {"ETag": etag})
                        return
                    kind = "application/pdf" if target.suffix == ".pdf" else "application/octet-stream"
                    self.reply(200, payload, kind, {"ETag": etag})

        return Handler
