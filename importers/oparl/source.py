"""Where OParl JSON comes from: a server over HTTP(S) or an offline dump folder.

Both answer the same two questions, `get_json(url)` and `get_bytes(url)`, so the
walker never knows which one it talks to.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from importers.errors import ImportFailed

USER_AGENT = "ratsinfo-importer/0.1 (+https://github.com/ratsinfo)"


class NotFound(Exception):
    """The server answered that an object does not exist (or no longer, or not for us)."""

    def __init__(self, url: str, status: int):
        super().__init__(f"{url}: HTTP {status}")
        self.url = url
        self.status = status


class TooLarge(Exception):
    pass


def parse_json(raw: bytes | str, url: str):
    """Parse a response; control characters inside strings are accepted.

    CC e-gov ALLRIS (Braunschweig) sends raw control characters inside JSON
    strings (research/oparl.md C3), which strict parsing rejects.
    """
    text = raw.decode("utf-8-sig", errors="replace") if isinstance(raw, bytes) else raw
    try:
        return json.loads(text, strict=False)
    except json.JSONDecodeError as exc:
        raise ImportFailed(f"Ungültiges JSON von {url}: {exc}") from exc


class HttpSource:
    """OParl over HTTP(S) with timeouts and retries on 5xx and connection errors."""

    def __init__(self, timeout: float = 30.0, retries: int = 3, backoff: float = 0.5):
        self.client = httpx.Client(
            timeout=timeout, follow_redirects=True, headers={"User-Agent": USER_AGENT}
        )
        self.retries = retries
        self.backoff = backoff
        self.requests = 0

    def close(self):
        self.client.close()

    def _get(self, url: str, max_size: int | None = None) -> httpx.Response:
        last_error: Exception | None = None
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                self.requests += 1
                with self.client.stream("GET", url) as response:
                    if response.status_code >= 500:
                        last_error = ImportFailed(f"{url}: HTTP {response.status_code}")
                        continue
                    if response.status_code in (401, 403, 404, 410):
                        raise NotFound(url, response.status_code)
                    if response.status_code >= 400:
                        raise ImportFailed(f"{url}: HTTP {response.status_code}")
                    chunks, size = [], 0
                    for chunk in response.iter_bytes():
                        size += len(chunk)
                        if max_size is not None and size > max_size:
                            raise TooLarge(f"{url}: größer als {max_size} Bytes")
                        chunks.append(chunk)
                    response._content = b"".join(chunks)
                    return response
            except (httpx.TransportError,) as exc:
                last_error = exc
        raise ImportFailed(f"{url} nicht erreichbar nach {self.retries + 1} Versuchen: {last_error}")

    def get_json(self, url: str):
        return parse_json(self._get(url).content, url)

    def get_bytes(self, url: str, max_size: int | None = None) -> tuple[bytes, str]:
        response = self._get(url, max_size)
        return response.content, response.headers.get("content-type", "")


class DumpSource:
    """An offline OParl dump: a folder whose files mirror the server's URL paths.

    `BASE + "bodies/1/papers?page=2"` is the file `bodies/1/papers?page=2.json`;
    binary files keep their own name. BASE is the System id without its last
    segment. This is the layout of `ratsinfo demo` and of the oparl-validator-rs
    HTTP cache.
    """

    def __init__(self, folder: Path, entry_file: Path):
        self.folder = folder.resolve()
        self.entry_file = entry_file
        entry = parse_json(entry_file.read_bytes(), str(entry_file))
        entry_id = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(entry_id, str) or "/" not in entry_id:
            raise ImportFailed(f"{entry_file} enthält kein OParl-Objekt mit id")
        relative = entry_file.resolve().relative_to(self.folder).as_posix()
        relative = relative.removesuffix(".json")
        if not entry_id.endswith(relative):
            raise ImportFailed(
                f"{entry_file}: die id {entry_id} passt nicht zum Dateipfad {relative}"
            )
        self.base = entry_id[: len(entry_id) - len(relative)]
        self.entry_url = entry_id
        self.requests = 0

    def close(self):
        pass

    def _path_for(self, url: str) -> Path:
        if not url.startswith(self.base):
            raise NotFound(url, 404)
        relative = url[len(self.base):]
        candidates = [relative, relative + ".json"]
        # The first list page is stored without "?page=1" (oparl-validator-rs cache).
        path, _, query = relative.partition("?")
        if query in ("page=1", "page=0"):
            candidates.append(path + ".json")
        for candidate in candidates:
            target = (self.folder / candidate).resolve()
            # Never leave the dump folder, whatever the URL says.
            if not target.is_relative_to(self.folder):
                raise NotFound(url, 404)
            if target.is_file():
                return target
        raise NotFound(url, 404)

    def get_json(self, url: str):
        self.requests += 1
        return parse_json(self._path_for(url).read_bytes(), url)

    def get_bytes(self, url: str, max_size: int | None = None) -> tuple[bytes, str]:
        self.requests += 1
        path = self._path_for(url)
        if max_size is not None and path.stat().st_size > max_size:
            raise TooLarge(f"{url}: größer als {max_size} Bytes")
        return path.read_bytes(), ""


def open_source(location: str):
    """Return (source, entry URL) for an http(s) URL or a dump folder/file."""
    scheme = urlsplit(location).scheme.lower()
    if scheme in ("http", "https"):
        return HttpSource(), location
    if scheme and len(scheme) > 1:
        raise ImportFailed(f"Nur http(s)-URLs oder lokale Ordner werden unterstützt, nicht {scheme}:")
    path = Path(location)
    if path.is_dir():
        for name in ("system.json", "body.json", "bodies.json"):
            if (path / name).is_file():
                source = DumpSource(path, path / name)
                return source, source.entry_url
        raise ImportFailed(f"{path}: kein system.json in diesem Ordner gefunden")
    if path.is_file():
        source = DumpSource(path.parent, path)
        return source, source.entry_url
    raise ImportFailed(f"{location}: weder URL noch vorhandener Ordner oder Datei")

