"""A real OParl server on 127.0.0.1 that serves a dump folder.

The dump's own base URL (e.g. https://oparl.muldenau.example/oparl/v1.1/) is
rewritten to this server's address in every JSON response, so the importer
talks plain HTTP to loopback and never to the internet. `faults` lets a test
make a path answer with an error status a number of times, `missing_prefixes`
makes whole parts of the API disappear.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote


class DumpServer:
    def __init__(self, folder: Path, base: str):
        self.folder = Path(folder).resolve()
        self.base = base
        self.faults: dict[str, list[int]] = {}
        # Paths under these prefixes answer 404, as if the server had lost them.
        self.missing_prefixes: set[str] = set()
        self.requests: list[str] = []
        handler = self._handler()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

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

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                relative = unquote(self.path.lstrip("/"))
                server.requests.append(relative)
                planned = server.faults.get(relative)
                if planned:
                    status = planned.pop(0)
                    self._send(status, b'{"error": "injected"}', "application/json")
                    return
                target = server.file_for(relative)
                if target is None or any(relative.startswith(p) for p in server.missing_prefixes):
                    self._send(404, b'{"error": "not found"}', "application/json")
                    return
                payload = target.read_bytes()
                if target.suffix == ".json":
                    payload = payload.replace(server.base.encode(), server.url.encode())
                    self._send(200, payload, "application/json; charset=utf-8")
                else:
                    self._send(200, payload, "application/pdf" if target.suffix == ".pdf" else "application/octet-stream")

            def _send(self, status: int, payload: bytes, content_type: str):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        return Handler
