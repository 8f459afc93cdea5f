"""A threaded HTTP server on 127.0.0.1 at a free port, started and stopped with `with`.

Every test server here (OParl dumps, fixed answers, Karlsruhe, files, endless
lists) is one of these with its own request handler, so traffic never leaves
this machine.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that keeps the test output free of access log lines."""

    def log_message(self, *args):
        pass


class LoopbackServer:
    def serve(self, handler: type[BaseHTTPRequestHandler]):
        """Bind `handler` to a free port on 127.0.0.1; `url` ends with a slash."""
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
