"""Attachments: fetch with a size limit, check the type by content, extract text.

The name on disk is always ours (`<id>.<ext>`, the extension from the sniffed
type), never the `fileName` a feed sends. Text is extracted in a child process
with limits (importers/pdftext.py).
"""

from __future__ import annotations

import re

from importers.pdftext import ExtractionStopped, Limits, extract

__all__ = ["ExtractionStopped", "Limits", "MAX_SIZE", "TEXT_LIMITS", "extract_text", "sniff"]

MAX_SIZE = 50 * 1024 * 1024
TEXT_LIMITS = Limits()

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
    if mime != "application/pdf":
        return None
    text = extract(data, TEXT_LIMITS)
    text = _CONTROL.sub("", text or "").strip(" \t\r\n")  # not \f: an empty first page keeps its place
    return text if text.replace("\f", "").strip() else None
