"""The resume cache: answers of an interrupted run, for the one run that continues it."""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
import time
from pathlib import Path

from ratsinfo.files import write_atomic


class ResumeCache:
    """The answers of one interrupted attempt, for the run that continues it.

    A run that fails (server gone, machine stopped) leaves its answers here. Only
    the next run of the same attempt (same source, same mode: everything, or the
    changes since the same moment) may use them, and only for single objects: every
    list page is asked again, because a list is where the source says what still
    exists and is public. If one list page differs from what the failed run got, the
    source has changed in between and nothing here is trusted. A resume is tried once:
    after a resumed run fails or is killed, the next run starts afresh. Success
    deletes the cache. The folder is the owner's alone (0700): the answers hold
    what the publication rule has not yet filtered.
    """

    MANIFEST = "attempt.json"

    def __init__(self, folder: Path, max_age: float = 24 * 3600):
        self.folder = Path(folder)
        self.max_age = max_age
        self.hits = 0
        self.resuming = False
        self.trusted = False
        self.lock = threading.Lock()

    def _path(self, url: str) -> Path:
        return self.folder / hashlib.sha256(url.encode("utf-8")).hexdigest()

    def begin(self, attempt: str) -> bool:
        """Start or continue `attempt`; True when the answers of its failed run are used."""
        manifest = self._read_manifest()
        self.resuming = (
            manifest.get("attempt") == attempt
            and manifest.get("resumed") is False
            and isinstance(manifest.get("started"), (int, float))
            and 0 <= time.time() - manifest["started"] <= self.max_age
        )
        if not self.resuming:
            self.clear()
            manifest = {"attempt": attempt, "started": time.time()}
        self.trusted = self.resuming
        # Written before any request: a resumed run that dies leaves "resumed" behind.
        self._write(self.folder / self.MANIFEST, json.dumps({**manifest, "resumed": self.resuming}).encode())
        return self.resuming

    def _read_manifest(self) -> dict:
        try:
            data = json.loads((self.folder / self.MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def replay(self, url: str) -> bytes | None:
        """The failed run's answer for a single object, while the source is unchanged."""
        if not self.trusted:
            return None
        try:
            payload = self._path(url).read_bytes()
        except FileNotFoundError:
            return None
        self.hits += 1
        return payload

    def record(self, url: str, payload: bytes):
        """Keep a fresh answer; one that differs from the failed run's ends all trust."""
        path = self._path(url)
        if self.trusted:
            try:
                before = path.read_bytes()
            except FileNotFoundError:
                before = None
            if before is not None and before != payload:
                with self.lock:
                    self.trusted = False
        self._write(path, payload)

    def _write(self, path: Path, payload: bytes):
        with self.lock:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            self.folder.chmod(0o700)
        write_atomic(path, payload, private=True, suffix=".tmp")  # unique name: threads write side by side

    def clear(self):
        shutil.rmtree(self.folder, ignore_errors=True)
