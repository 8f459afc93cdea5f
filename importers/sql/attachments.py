"""Attachments from the export: a BLOB column, or a file under the configured folder.

The ContentWriter fetches each file by its `access_url` (importers/content.py).
A file with its content in the export is registered under that URL, or, when
the export has no public URL for it, under a synthetic one,
`sql-export:files/<key>`, which the portal never links (only http(s) leaves
our pages). `fetch` then reads the BLOB of that one row, or the file, only
when the writer asks: new or changed files, never the whole table at once.

A path is refused when it could leave the folder: absolute paths, `..`, and
symlinks that point outside. That is reported, and the file stays a link.
"""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path, PurePosixPath, PureWindowsPath
from urllib.parse import quote

from importers.report import Report
from importers.sql.convert import plain

SYNTHETIC_SCHEME = "sql-export:"


class FileNotInExport(Exception):
    """The export has neither content nor a readable path for this file."""


class FileTooLarge(Exception):
    pass


def inside(root: Path, relative: str) -> Path | None:
    """The file `relative` names under `root`, or None when the path would leave `root`."""
    if PureWindowsPath(relative).is_absolute() or PureWindowsPath(relative).drive:
        return None
    candidate = PurePosixPath(relative.replace("\\", "/"))
    if candidate.is_absolute() or ".." in candidate.parts:
        return None
    real_root = root.resolve()
    target = (real_root / candidate).resolve()
    if target == real_root or not target.is_relative_to(real_root):
        return None  # a symlink out of the folder
    return target


class Attachments:
    def __init__(self, report: Report, root: Path | None = None):
        self.report = report
        self.root = root
        self.table = None  # importers.sql.database.Rows of the files, for BLOBs
        self.key_column = None
        self.content_column = None
        self.by_url: dict[str, tuple] = {}

    def use_blobs(self, table, key_column: str, content_column: str | None):
        self.table, self.key_column, self.content_column = table, key_column, content_column

    @property
    def any(self) -> bool:
        return bool(self.by_url)

    def register(self, key: str, raw_key, values: dict, access_url: str | None) -> str | None:
        """The URL the file record carries: its public one, or a synthetic one for its content."""
        locator = None
        if values.get("content") and self.content_column:
            locator = ("blob", raw_key, values.get("file_name"))
        elif values.get("path"):
            locator = self._path_locator(key, values["path"], values.get("file_name"))
        if locator is None:
            return access_url
        url = access_url or f"{SYNTHETIC_SCHEME}files/{quote(key, safe='')}"
        self.by_url.setdefault(url, locator)
        return url

    def _path_locator(self, key: str, relative: str, file_name: str | None):
        if self.root is None:
            self.report.problem("Dateipfad ohne Dateiordner (root in der Zuordnung oder --files-root) "
                                "nicht gelesen", key)
            return None
        path = inside(self.root, relative)
        if path is None:
            self.report.problem("Dateipfad verlässt den Dateiordner (abgelehnt)", f"{key}: {relative}")
            return None
        if not path.is_file():
            self.report.problem("Datei im Dateiordner nicht gefunden", f"{key}: {relative}")
            return None
        return ("path", relative, file_name or path.name)

    def fetch(self, url: str, max_size: int, validators: dict | None) -> tuple[bytes | None, str, dict]:
        """The ContentWriter's fetch_file: (bytes, or None when unchanged; content type; validators)."""
        locator = self.by_url.get(url)
        if locator is None:
            raise FileNotInExport(url)
        how, where, file_name = locator
        if how == "blob":
            payload = plain(self.table.one(self.table.c(self.content_column), self.key_column, where))
            if payload is None:
                raise FileNotInExport(url)
            payload = bytes(payload)
        else:
            path = inside(self.root, where)  # again: the folder may have changed since
            if path is None or not path.is_file():
                raise FileNotInExport(url)
            if path.stat().st_size > max_size:
                raise FileTooLarge(url)
            payload = path.read_bytes()
        if len(payload) > max_size:
            raise FileTooLarge(url)
        fresh = {"sha256": hashlib.sha256(payload).hexdigest()}
        if validators == fresh:
            return None, "", fresh
        return payload, mimetypes.guess_type(file_name or "")[0] or "", fresh
