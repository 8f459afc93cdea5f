"""Where OParl JSON comes from: a server over HTTP(S) or an offline dump folder.

Both answer the same two questions, `get_json(url)` and `get_bytes(url)`, so the
walker never knows which one it talks to.
"""

from __future__ import annotations

import json
import re
import threading
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from importers.errors import ImportFailed
from importers.oparl.limits import Limits, too_large
from importers.oparl.resume import ResumeCache
from importers.report import Report
from importers.values import LONE_SURROGATE_PROBLEM, without_lone_surrogates
from importers.hosts import HostPolicy, guarded_client

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


class Unreachable(ImportFailed):
    """The source did not answer (connection, timeout, 5xx, 429) even after retries.
    Unlike 404 for one object, this says nothing about the object: never read as absent."""


# Only a \u escape can put a surrogate into a parsed string (the bytes are decoded
# with replacement); answers without one skip the walk through every string.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class TooSlow(Exception):
    """A file did not arrive within its total time (a server trickling bytes)."""


# A file's whole download, redirects and retries included, may take this long.
# A timeout per read alone never ends a server that sends one byte every few seconds.
FILE_DEADLINE = 300.0
MAX_REDIRECTS = 5
REDIRECTS = (301, 302, 303, 307, 308)


def parse_json(raw: bytes | str, url: str, report: Report | None = None, content_type: str = ""):
    """Parse a response; control characters inside strings are accepted.

    CC e-gov ALLRIS (Braunschweig) sends raw control characters inside JSON
    strings (research/oparl.md C3), which strict parsing rejects. Every OParl
    string enters here, so lone surrogates are replaced here, once for all.
    """
    text = raw.decode("utf-8-sig", errors="replace") if isinstance(raw, bytes) else raw
    # The body decides, not the header: SD.NET sends JSON as text/html (research/oparl.md S3).
    if text.lstrip().startswith("<"):
        raise ImportFailed(_web_page(url))
    try:
        data = json.loads(text, strict=False)
    except json.JSONDecodeError as exc:
        if "html" in content_type.lower():
            raise ImportFailed(_web_page(url)) from exc
        raise ImportFailed(f"Ungültiges JSON von {url}: {exc}") from exc
    except RecursionError as exc:
        # A hostile answer nests arrays thousands deep; no OParl object does.
        raise ImportFailed(f"Ungültiges JSON von {url}: zu tief verschachtelt") from exc
    if _SURROGATE_ESCAPE.search(text):
        data, replaced = without_lone_surrogates(data)
        if replaced and report is not None:
            report.problem(LONE_SURROGATE_PROBLEM, url)
    return data


def _web_page(url: str) -> str:
    return (f"{url} liefert HTML: das ist eine Webseite, keine OParl-Schnittstelle. Bitte die "
            "OParl-System-URL angeben (sie endet oft auf /oparl/v1/system oder /oparl/system und steht "
            "in der Dokumentation des Ratsinformationssystems).")


# "ris.stadt.de/oparl", "ris.stadt.de:8443/…", "localhost:8080/…", "10.1.2.3/…": a host typed
# without http(s)://.
_HOST_WITHOUT_SCHEME = re.compile(
    r"(?i)^(?:(?:[a-z0-9-]+\.)+[a-z]{2,}|localhost|\d{1,3}(?:\.\d{1,3}){3})(?::\d+)?(?:/|$)")


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
        report: Report | None = None,
        source_url: str = "",
        allow_hosts: tuple[str, ...] = (),
        file_deadline: float = FILE_DEADLINE,
    ):
        self.report = report
        self.client = httpx.Client(
            timeout=timeout, follow_redirects=True, headers={"User-Agent": USER_AGENT}
        )
        self.timeout = timeout
        self.limits = limits
        self.deadline = limits.deadline()
        # Attachments go through their own client: the host rule (importers/hosts.py)
        # checks every hop and every address connected to.
        self.hosts = HostPolicy(source_url, frozenset(allow_hosts))
        self.file_client = guarded_client(self.hosts, timeout, USER_AGENT)
        self.file_deadline = file_deadline
        self.retries = retries
        self.backoff = backoff
        self.rate = RateLimit(rate)
        self.cache = cache
        self.requests = 0

    def close(self):
        self.client.close()
        self.file_client.close()

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
                    if response.status_code >= 500 or response.status_code == 429:
                        last_error = ImportFailed(f"{url}: HTTP {response.status_code}")
                        continue
                    if response.status_code in (401, 403, 404, 410):
                        raise NotFound(url, response.status_code)
                    if response.status_code >= 400:
                        raise ImportFailed(f"{url}: HTTP {response.status_code}")
                    declared = response.headers.get("content-length", "")
                    if max_size is not None and declared.isdigit() and int(declared) > max_size:
                        raise TooLarge(f"{url}: größer als {max_size} Bytes")
                    response._content = _read_capped(response, url, max_size, lambda: self.deadline.check(url))
                    return response
            except (httpx.TransportError,) as exc:
                last_error = exc
        raise Unreachable(f"{url} nicht erreichbar nach {self.retries + 1} Versuchen: {last_error}")

    def begin(self, attempt: str):
        """Name this run's attempt (source and mode) before the first request."""
        if self.cache:
            self.cache.begin(attempt)

    def finished(self):
        """The run succeeded: what the resume cache held is in content/ now."""
        if self.cache:
            self.cache.clear()

    def failed(self):
        """The run failed. Its answers stay for one resume; a failed resume keeps nothing."""
        if self.cache and self.cache.resuming:
            self.cache.clear()

    def get_json(self, url: str, *, replay: bool = False):
        """The parsed answer. `replay`: a single object that an interrupted run of the same
        attempt already got may come from the resume cache (never a list page)."""
        cached = self.cache.replay(url) if self.cache and replay else None
        if cached is not None:
            return parse_json(cached, url, self.report)
        try:
            response = self._get(url, self.limits.json_bytes)
        except TooLarge as exc:
            raise too_large(url, self.limits.json_bytes) from exc
        payload = response.content
        data = parse_json(payload, url, self.report, response.headers.get("content-type", ""))
        if self.cache:
            self.cache.record(url, payload)
        return data

    def get_bytes(self, url: str, max_size: int | None = None, validators: dict | None = None):
        """(bytes or None when unchanged (304), content type, validators for next time)."""
        headers = {}
        if validators and validators.get("etag"):
            headers["If-None-Match"] = validators["etag"]
        if validators and validators.get("last_modified"):
            headers["If-Modified-Since"] = validators["last_modified"]
        response = self._get_file(url, max_size, headers or None)
        fresh = {k: v for k, v in (("etag", response.headers.get("etag")),
                                   ("last_modified", response.headers.get("last-modified"))) if v}
        if response.status_code == 304:
            return None, "", validators or fresh
        return response.content, response.headers.get("content-type", ""), fresh

    def _get_file(self, url: str, max_size: int | None, headers: dict | None) -> httpx.Response:
        """Follow redirects ourselves, hop by hop, each hop checked by the host rule,
        all within one deadline for the whole file."""
        deadline = time.monotonic() + self.file_deadline
        run_remaining = self.deadline.remaining()
        if run_remaining is not None:
            # No file outlives the run: after it, the run ends at its own deadline (_within).
            deadline = min(deadline, time.monotonic() + max(0.0, run_remaining))
        came_from = None
        for _hop in range(MAX_REDIRECTS + 1):
            self.hosts.check_url(url, came_from)
            response = self._file_hop(url, max_size, headers, deadline)
            if response.status_code not in REDIRECTS:
                return response
            location = response.headers.get("location")
            if not location:
                raise ImportFailed(f"{url}: Weiterleitung (HTTP {response.status_code}) ohne Ziel")
            came_from, url = url, urljoin(url, location)
        raise ImportFailed(f"{url}: mehr als {MAX_REDIRECTS} Weiterleitungen")

    def _file_hop(self, url: str, max_size: int | None, headers: dict | None, deadline: float) -> httpx.Response:
        """One request of a file download: retries as in _get, but never past the deadline."""
        last_error: Exception | None = None
        polite = urlsplit(url).hostname not in LOOPBACK
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(min(self.backoff * 2 ** (attempt - 1), max(0.0, deadline - time.monotonic())))
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                if polite:
                    self.rate.wait()
                self.requests += 1
                with self.file_client.stream("GET", url, headers=headers,
                                             timeout=min(self.timeout, remaining)) as response:
                    status = response.status_code
                    if status == 304 or status in REDIRECTS:
                        response._content = b""
                        return response
                    if status >= 500 or status == 429:
                        last_error = ImportFailed(f"{url}: HTTP {status}")
                        continue
                    if status in (401, 403, 404, 410):
                        raise NotFound(url, status)
                    if status >= 400:
                        raise ImportFailed(f"{url}: HTTP {status}")
                    response._content = _read_capped(response, url, max_size, lambda: self._in_time(url, deadline))
                    return response
            except httpx.TransportError as exc:
                last_error = exc
        self._in_time(url, deadline)
        raise ImportFailed(f"{url} nicht erreichbar nach {self.retries + 1} Versuchen: {last_error}")

    def _in_time(self, url: str, deadline: float):
        if time.monotonic() >= deadline:
            raise TooSlow(f"{url}: nicht innerhalb von {self.file_deadline:.0f} s vollständig geladen")


def _read_capped(response: httpx.Response, url: str, max_size: int | None, after_chunk) -> bytes:
    """The body, refused past `max_size`. `after_chunk` checks a deadline after every chunk:
    a server that answers byte by byte never trips the read timeout."""
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if max_size is not None and size > max_size:
            raise TooLarge(f"{url}: größer als {max_size} Bytes")
        after_chunk()
        chunks.append(chunk)
    return b"".join(chunks)


class DumpSource:
    supports_filters = False

    """An offline OParl dump: a folder whose files mirror the server's URL paths.

    `BASE + "bodies/1/papers?page=2"` is the file `bodies/1/papers?page=2.json`;
    binary files keep their own name. BASE is the System id without its last
    segment. This is the layout of `ratsinfo demo` and of the oparl-validator-rs
    HTTP cache.
    """

    def __init__(self, folder: Path, entry_file: Path, limits: Limits = Limits(), report: Report | None = None):
        self.report = report
        self.limits = limits
        self.deadline = limits.deadline()
        self.folder = folder.resolve()
        self.entry_file = entry_file
        entry = parse_json(entry_file.read_bytes(), str(entry_file), report)
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

    def begin(self, attempt: str):
        pass

    def finished(self):
        pass

    def failed(self):
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

    def get_json(self, url: str, *, replay: bool = False):
        self.requests += 1
        self.deadline.check(url)
        path = self._path_for(url)
        if path.stat().st_size > self.limits.json_bytes:
            raise too_large(url, self.limits.json_bytes)
        return parse_json(path.read_bytes(), url, self.report)

    def get_bytes(self, url: str, max_size: int | None = None, validators: dict | None = None):
        self.requests += 1
        path = self._path_for(url)
        if max_size is not None and path.stat().st_size > max_size:
            raise TooLarge(f"{url}: größer als {max_size} Bytes")
        return path.read_bytes(), "", {}


def open_source(location: str, *, rate: float = 10.0, timeout: float = 30.0, cache_dir: Path | None = None,
                limits: Limits = Limits(), report: Report | None = None,
                allow_hosts: tuple[str, ...] = (), file_deadline: float = FILE_DEADLINE):
    """Return (source, entry URL) for an http(s) URL or a dump folder/file.
    `allow_hosts`: hosts besides the source's own that attachments may come from."""
    if "://" not in location and not Path(location).exists() and _HOST_WITHOUT_SCHEME.match(location):
        # Never guessed into a request: the webmaster confirms the scheme by typing it.
        raise ImportFailed(f"{location}: weder Ordner noch vollständige URL – meinten Sie https://{location}? "
                           "Bitte die Adresse mit https:// (oder http://) angeben.")
    scheme = urlsplit(location).scheme.lower()
    if scheme in ("http", "https"):
        cache = ResumeCache(cache_dir) if cache_dir else None
        return HttpSource(timeout=timeout, rate=rate, cache=cache, limits=limits, report=report,
                          source_url=location, allow_hosts=allow_hosts, file_deadline=file_deadline), location
    if scheme and len(scheme) > 1:
        raise ImportFailed(f"Nur http(s)-URLs oder lokale Ordner werden unterstützt, nicht {scheme}:")
    path = Path(location)
    if path.is_dir():
        for name in ("system.json", "body.json", "bodies.json"):
            if (path / name).is_file():
                source = DumpSource(path, path / name, limits, report)
                return source, source.entry_url
        raise ImportFailed(f"{path}: kein system.json in diesem Ordner gefunden")
    if path.is_file():
        source = DumpSource(path.parent, path, limits, report)
        return source, source.entry_url
    raise ImportFailed(f"{location}: weder URL noch vorhandener Ordner oder Datei")

