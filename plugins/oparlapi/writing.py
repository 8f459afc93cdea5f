"""Writing the API's files: each object encoded once, unchanged files kept as hard links, and the
whole of it in a child process beside the rest of the build where the system can fork
(plugins/background.py).

At 2,000 papers the API is 20,000 files; encoding and creating them took longer than rendering
the site's 8,000 pages (benchmarks/RESULTS.md). The parent goes on with the dumps, feeds and
server files meanwhile and waits for the child when Pelican is done (signal `finalized`).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from plugins.common import write_if_changed
from ratsinfo.manifest import known_checksums, vouch


def encode(obj) -> bytes:
    """Compact JSON: indent= would take Python's slow encoder, and the API is read by programs."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class ApiFiles:
    """Writes the API into the build's staging folder, and hands each new file's SHA-256 to the
    manifest (ratsinfo/manifest.vouch), which need not read it again.

    A file whose bytes the last build's output holds already (by the manifest's checksums, whose
    size, mtime and inode still match: what `ratsinfo check` trusts) is not written: an overlay
    build keeps it where it is (apply_overlay reads `files` of OPARL_STATE), a build from nothing
    takes a hard link to it. A killed build leaves no checksums (ratsinfo/build.py), so nothing
    is kept that was not verified."""

    def __init__(self, output: Path, previous: Path | None, overlay: bool):
        self.output, self.written = str(output), 0
        # Only from another folder: never link a file onto itself.
        self.previous = str(previous) if previous is not None and previous.resolve() != output.resolve() else None
        self.known = known_checksums(previous) if self.previous is not None else {}
        self.overlay = overlay
        self.paths: list[str] = []
        self.vouched: dict[str, list] = {}
        self.folders: set[str] = set()

    def put(self, path: str, payload: bytes):
        self.paths.append(path)
        digest = hashlib.sha256(payload).hexdigest()
        known = self.known.get(path)
        if known is not None and known[3] == digest:
            old = os.path.join(self.previous, path)
            try:
                st = os.stat(old)
            except OSError:
                st = None
            if st is not None and [st.st_size, st.st_mtime_ns, st.st_ino] == known[:3]:
                if self.overlay:
                    return  # stays in output/ as it is
                try:
                    self._folder(path)
                    os.link(old, os.path.join(self.output, path))
                    return
                except OSError:  # on another file system, links not allowed: write it
                    pass
        self._folder(path)
        target = os.path.join(self.output, path)  # strings, not Paths: 20,000 files at 2,000 papers
        try:
            handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        except FileExistsError:  # not a fresh staging folder: replace it at once, if it differs
            self.written += write_if_changed(Path(target), payload)
            return
        try:
            view = memoryview(payload)
            while view:  # os.write may write less than it was given
                view = view[os.write(handle, view):]
            st = os.fstat(handle)
        finally:
            os.close(handle)
        self.vouched[path] = [st.st_size, st.st_mtime_ns, st.st_ino, digest]
        self.written += 1

    def _folder(self, path: str):
        folder = path.rpartition("/")[0]
        if folder not in self.folders:
            os.makedirs(os.path.join(self.output, folder), exist_ok=True)
            self.folders.add(folder)


def hand_on(result: dict):
    """In the parent: the hashes the child took, for the manifest."""
    for path, entry in result.pop("vouched").items():
        vouch(path, entry)
