"""Where OParl JSON comes from: a server over HTTP(S) or an offline dump folder.

Both answer the same two questions, `get_json(url)` and `get_bytes(url)`, so the
walker never knows which one it talks to.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from importers.errors import ImportFailed

USER_AGENT = "ratsinfo-importer/0.1"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class NotFound(Exception):
    """The server answered that an object does not exist (or no longer, or not for us)."""

    def __init__(self, url: str, status: int):
        super().__init__(f"{url}: HTTP {status}")
        self.url = url
        self.status = status


class TooLarge(Exception):
    pass


class LimitExceeded(ImportFailed):
    """A limit of the run was reached (time, list pages, size of an answer). Never a
    problem to note and go on: what was not read would look deleted or unchanged."""


@dataclass(frozen=True)
class Limits:
    """How much one run may take from a source; `ratsinfo import oparl --help` names them.

    The defaults fit a large city (100,000 papers, 20 per page) on a slow server,
    and stop a source that never ends: an endless `links.next`, a JSON answer of
    gigabytes, a server that answers byte by byte.
    """

    run_seconds: float | None = 8 * 3600  # None: no limit
    list_pages: int = 20_000  # per list
    json_bytes: int = 50 * 1024 * 1024  # per answer

    def deadline(self) -> "Deadline":
        return Deadline(self.run_seconds)


class Deadline:
    """The end of a run's time, checked before and while every request."""

    def __init__(self, seconds: float | None):
        self.seconds = seconds
        self.end = time.monotonic() + seconds if seconds else None

    def remaining(self) -> float | None:
        return None if self.end is None else self.end - time.monotonic()

    def check(self, url: str | None = None):
        remaining = self.remaining()
        if remaining is not None and remaining <= 0:
            where = f" (zuletzt bei {url})" if url else ""
            raise LimitExceeded(
                f"Der Import hat sein Zeitlimit von {self.seconds / 60:g} Minuten überschritten{where}. "
                "Nichts wurde geändert. Ist die Quelle so langsam oder so groß, das Limit mit "
                "--max-run-time erhöhen; sonst später wiederholen (ein abgebrochener Lauf setzt fort)."
            )


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
    except RecursionError as exc:
        # A hostile answer nests arrays thousands deep; no OParl object does.
        raise ImportFailed(f"Ungültiges JSON von {url}: zu tief verschachtelt") from exc


def too_large(url: str, limit: int) -> LimitExceeded:
    return LimitExceeded(
        f"Die Antwort von {url} ist größer als {limit / 1024 / 1024:g} MB; so große JSON-Antworten "
        "nimmt der Import nicht an. Nichts wurde geändert. Liefert die Quelle wirklich so große "
        "Listenseiten, das Limit mit --max-json-size erhöhen."
    )


class RateLimit:
    """At most `rate` requests per second across all threads (politeness to slow RIS)."""

    def __init__(self, rate: float):
        self.interval = 1.0 / rate if rate and rate > 0 else 0.0
        self.lock = threading.Lock()
        self.next_slot = 0.0

    def wait(self):
        if not self.interval:
            return
        with self.lock:
            now = time.monotonic()
            slot = max(now, self.next_slot)
            self.next_slot = slot + self.interval
        if slot > now:
            time.sleep(slot - now)


class ResumeCache:
    """Raw responses of the current run, kept until the run succeeds.

    An import that is interrupted (server gone, machine stopped) leaves its
    responses here; the next run asks only for what is missing. A successful
    run clears the cache. Entries older than `max_age` are not trusted.
    """

    def __init__(self, folder: Path, max_age: float = 24 * 3600):
        self.folder = Path(folder)
        self.max_age = max_age
        self.hits = 0

    def _path(self, url: str) -> Path:
        return self.folder / hashlib.sha256(url.encode("utf-8")).hexdigest()

    def get(self, url: str) -> bytes | None:
        path = self._path(url)
        try:
            if time.time() - path.stat().st_mtime > self.max_age:
                return None
            payload = path.read_bytes()
        except FileNotFoundError:
            return None
        self.hits += 1
        return payload

    def put(self, url: str, payload: bytes):
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._path(url)
        tmp = path.with_name(path.name + f".{threading.get_ident()}.tmp")
        tmp.write_bytes(payload)
        tmp.replace(path)

    def clear(self):
        shutil.rmtree(self.folder, ignore_errors=True)


class HttpSource:
    """OParl over HTTP(S): timeouts, retries with backoff on 5xx and connection
    errors, a politeness limit, and a resume cache for interrupted runs."""

    supports_filters = True

    def __init__(
        self,
        timeout: float = 30.0,
        retries: int = 3,
        backoff: float = 0.5,
        rate: float = 10.0,
        cache: ResumeCache | None = None,
        limits: Limits = Limits(),
    ):
        self.client = httpx.Client(
            timeout=timeout, follow_redirects=True, headers={"User-Agent": USER_AGENT}
        )
        self.timeout = timeout
        self.limits = limits
        self.deadline = limits.deadline()
        self.retries = retries
        self.backoff = backoff
        self.rate = RateLimit(rate)
        self.cache = cache
        self.requests = 0

    def close(self):
        self.client.close()

    def _get(self, url: str, max_size: int | None = None, headers: dict | None = None) -> httpx.Response:
        last_error: Exception | None = None
        # Politeness protects remote servers; one on this machine (tests, a local
        # mirror) is asked at full speed.
        polite = urlsplit(url).hostname not in LOOPBACK
        for attempt in range(self.retries + 1):
            if attempt:
                pause = self.backoff * 2 ** (attempt - 1)
                remaining = self.deadline.remaining()
                time.sleep(pause if remaining is None else max(0.0, min(pause, remaining)))
            try:
                if polite:
                    self.rate.wait()
                self.deadline.check(url)
                remaining = self.deadline.remaining()
                # No single request outlives the run: its timeout ends with the run's time.
                timeout = self.timeout if remaining is None else min(self.timeout, remaining)
                self.requests += 1
                with self.client.stream("GET", url, headers=headers, timeout=timeout) as response:
                    if response.status_code == 304:
                        response._content = b""
                        return response
                    if response.status_code >= 500:
                        last_error = ImportFailed(f"{url}: HTTP {response.status_code}")
                        continue
                    if response.status_code in (401, 403, 404, 410):
                        raise NotFound(url, response.status_code)
                    if response.status_code >= 400:
                        raise ImportFailed(f"{url}: HTTP {response.status_code}")
                    declared = response.headers.get("content-length", "")
                    if max_size is not None and declared.isdigit() and int(declared) > max_size:
                        raise TooLarge(f"{url}: größer als {max_size} Bytes")
                    chunks, size = [], 0
                    for chunk in response.iter_bytes():
                        size += len(chunk)
                        if max_size is not None and size > max_size:
                            raise TooLarge(f"{url}: größer als {max_size} Bytes")
                        # A server that answers byte by byte never trips the read timeout.
                        self.deadline.check(url)
                        chunks.append(chunk)
                    response._content = b"".join(chunks)
                    return response
            except (httpx.TransportError,) as exc:
                last_error = exc
        raise ImportFailed(f"{url} nicht erreichbar nach {self.retries + 1} Versuchen: {last_error}")

    def finished(self):
        """The run succeeded: what the resume cache held is in content/ now."""
        if self.cache:
            self.cache.clear()

    def get_json(self, url: str):
        cached = self.cache.get(url) if self.cache else None
        if cached is not None:
            return parse_json(cached, url)
        try:
            payload = self._get(url, self.limits.json_bytes).content
        except TooLarge as exc:
            raise too_large(url, self.limits.json_bytes) from exc
        data = parse_json(payload, url)
        if self.cache:
            self.cache.put(url, payload)
        return data

    def get_bytes(self, url: str, max_size: int | None = None, validators: dict | None = None):
        """(bytes or None when unchanged (304), content type, validators for next time)."""
        headers = {}
        if validators and validators.get("etag"):
            headers["If-None-Match"] = validators["etag"]
        if validators and validators.get("last_modified"):
            headers["If-Modified-Since"] = validators["last_modified"]
        response = self._get(url, max_size, headers or None)
        fresh = {k: v for k, v in (("etag", response.headers.get("etag")),
                                   ("last_modified", response.headers.get("last-modified"))) if v}
        if response.status_code == 304:
            return None, "", validators or fresh
        return response.content, response.headers.get("content-type", ""), fresh


class DumpSource:
    supports_filters = False

    """An offline OParl dump: a folder whose files mirror the server's URL paths.

    `BASE + "bodies/1/papers?page=2"` is the file `bodies/1/papers?page=2.json`;
    binary files keep their own name. BASE is the System id without its last
    segment. This is the layout of `ratsinfo demo` and of the oparl-validator-rs
    HTTP cache.
    """

    def __init__(self, folder: Path, entry_file: Path, limits: Limits = Limits()):
        self.limits = limits
        self.deadline = limits.deadline()
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

    def finished(self):
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
        self.deadline.check(url)
        path = self._path_for(url)
        if path.stat().st_size > self.limits.json_bytes:
            raise too_large(url, self.limits.json_bytes)
        return parse_json(path.read_bytes(), url)

    def get_bytes(self, url: str, max_size: int | None = None, validators: dict | None = None):
        self.requests += 1
        path = self._path_for(url)
        if max_size is not None and path.stat().st_size > max_size:
            raise TooLarge(f"{url}: größer als {max_size} Bytes")
        return path.read_bytes(), "", {}


def open_source(location: str, *, rate: float = 10.0, timeout: float = 30.0, cache_dir: Path | None = None,
                limits: Limits = Limits()):
    """Return (source, entry URL) for an http(s) URL or a dump folder/file."""
    scheme = urlsplit(location).scheme.lower()
    if scheme in ("http", "https"):
        cache = ResumeCache(cache_dir) if cache_dir else None
        return HttpSource(timeout=timeout, rate=rate, cache=cache, limits=limits), location
    if scheme and len(scheme) > 1:
        raise ImportFailed(f"Nur http(s)-URLs oder lokale Ordner werden unterstützt, nicht {scheme}:")
    path = Path(location)
    if path.is_dir():
        for name in ("system.json", "body.json", "bodies.json"):
            if (path / name).is_file():
                source = DumpSource(path, path / name, limits)
                return source, source.entry_url
        raise ImportFailed(f"{path}: kein system.json in diesem Ordner gefunden")
    if path.is_file():
        source = DumpSource(path.parent, path, limits)
        return source, source.entry_url
    raise ImportFailed(f"{location}: weder URL noch vorhandener Ordner oder Datei")

