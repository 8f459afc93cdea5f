"""The one base of every test server: threaded HTTP on 127.0.0.1 at a free port, started and stopped with `with`.

Every test server here (OParl dumps, fixed answers, Karlsruhe, files, endless
lists, built sites for the browser) is a LoopbackServer with its own request
handler, so traffic never leaves this machine.
"""

from __future__ import annotations

import functools
import threading
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

# How often the serving thread looks for `shutdown()`. The standard 0.5 s made every
# test that starts a server wait half a second at its end.
POLL_SECONDS = 0.02


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that keeps the test output free of access log lines."""

    def log_message(self, *args):
        pass

    def reply(self, status: int, body: bytes, content_type: str | None = None, headers: dict[str, str] | None = None):
        """Send one whole answer with its length."""
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class QuietFileHandler(SimpleHTTPRequestHandler):
    """Serves the files of a folder, as a plain web server would, without access log lines."""

    log_message = QuietHandler.log_message


class LoopbackServer:
    def serve(self, handler: type[BaseHTTPRequestHandler], port: int = 0):
        """Bind `handler` to `port` (by default a free one) on 127.0.0.1; `url` ends with a slash."""
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(POLL_SECONDS,), daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


class FolderServer(LoopbackServer):
    """The files under `root`, e.g. a built site linked in at a sub-path; at `port` for a site
    built for that address."""

    def __init__(self, root: Path, port: int = 0):
        self.serve(functools.partial(QuietFileHandler, directory=str(root)), port)
