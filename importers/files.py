"""Attachments: fetch with a size limit, check the type by content, extract text.

The name on disk is always ours (`<id>.<ext>`, the extension from the sniffed
type), never the `fileName` a feed sends. Text is extracted in a child process
with limits (importers/pdftext.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from importers import pdftext
from importers.pdftext import Extracted, ExtractionStopped, Limits

__all__ = ["Extracted", "ExtractionStopped", "Limits", "MAX_SIZE", "OCR", "TEXT_LIMITS", "TextReaders",
           "extract_text", "read_text", "sniff"]

MAX_SIZE = 50 * 1024 * 1024
TEXT_LIMITS = Limits()
# The OCR setting (ratsinfo/settings.py): None is on when Tesseract is installed. The import
# commands set it from the site's settings.
OCR: bool | None = None

# Types we mirror, recognised by their first bytes. HTML, SVG and scripts are
# never mirrored: served from our host they could run in the portal's origin.
_SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
)
_OFFICE = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}


def sniff(data: bytes, declared_mime: str | None) -> tuple[str, str] | None:
    """(mime type, extension) of an attachment we are willing to serve, else None."""
    for signature, mime, ext in _SIGNATURES:
        if data.startswith(signature):
            return mime, ext
    if data.startswith(b"PK\x03\x04") and declared_mime in _OFFICE:
        return declared_mime, _OFFICE[declared_mime]
    return None


# Control characters except the form feed that separates pages (importers/pdftext.py).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def extract_text(data: bytes, mime: str) -> str | None:
    """Plain text of a PDF's text layer, or None (scans, other types, broken files).
    Raises ExtractionStopped when a limit of TEXT_LIMITS stopped it."""
    found = read_text(data, mime, ocr=False)
    return found.text if found else None


def ocr_on() -> bool:
    return pdftext.ocr_available() if OCR is None else OCR and pdftext.ocr_available()


def read_text(data: bytes, mime: str, cache: Path | None = None, ocr: bool | None = None,
              digest: str | None = None) -> Extracted | None:
    """A PDF's text, with pages without a text layer recognised by OCR when `ocr` (default: the OCR
    setting). With `cache` (a private folder), a file's text is read once: it is kept by the
    sha256 of the file's bytes, so the same file in another run or at another address is not read
    again. None for other types; raises ExtractionStopped (not kept) when a limit stopped it."""
    if mime != "application/pdf":
        return None
    ocr = ocr_on() if ocr is None else ocr
    kept = None
    if cache is not None:
        variant = f"{pdftext.backend()}{'-ocr-deu' if ocr else ''}"
        digest = digest or hashlib.sha256(data).hexdigest()  # handed in where the caller made it
        kept = cache / digest[:2] / f"{digest}-{variant}.json"
        if kept.is_file():
            try:
                stored = json.loads(kept.read_text(encoding="utf-8"))
                return Extracted(stored["text"], stored.get("ocr_pages", []))
            except (OSError, ValueError, KeyError):
                pass  # a torn entry: read the file again
    found = pdftext.extract_document(data, TEXT_LIMITS, ocr=ocr)
    text = _CONTROL.sub("", found.text or "").strip(" \t\r\n")  # not \f: an empty first page keeps its place
    found.text = text if text.replace("\f", "").strip() else None
    if kept is not None:
        kept.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = kept.with_name(f".{kept.name}.{os.getpid()}.{threading.get_ident()}")
        temporary.write_text(json.dumps({"text": found.text, "ocr_pages": found.ocr_pages}, ensure_ascii=False),
                             encoding="utf-8")
        os.replace(temporary, kept)
    return found


def forget_texts(cache: Path, digests: set[str]):
    """Delete the cached texts (every variant) of files with these sha256 digests."""
    for digest in digests:
        if not re.fullmatch(r"[0-9a-f]{64}", digest):  # the state is a file in content/: never a path
            continue
        for kept in (cache / digest[:2]).glob(f"{digest}-*.json"):
            kept.unlink(missing_ok=True)


class TextReaders:
    """Texts read side by side, one file per core (each a pdftotext or Tesseract process of its own),
    while the import goes on downloading. At most two files per reader wait, so that downloads
    running ahead do not hold a whole archive in memory."""

    def __init__(self, workers: int | None = None):
        self.workers = workers or os.cpu_count() or 1
        self.pool: ThreadPoolExecutor | None = None
        self.waiting = threading.BoundedSemaphore(2 * self.workers)

    def read(self, data: bytes, mime: str, cache: Path | None, digest: str | None = None) -> Future:
        if self.pool is None:
            self.pool = ThreadPoolExecutor(self.workers, thread_name_prefix="text")
        self.waiting.acquire()
        future = self.pool.submit(read_text, data, mime, cache, digest=digest)
        future.add_done_callback(lambda _done: self.waiting.release())
        return future

    def close(self):
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
