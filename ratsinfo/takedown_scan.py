"""Where the takedown ledger's items still appear in a built site (`ratsinfo takedown check`,
and `publish` for the new release and the kept ones), and in the private copies the site is made
from (content/, the importer's state, the build caches: ratsinfo/scrub.places).

Judged on the files themselves, not on what the build meant to do: every file is read, the
search index's gzip fragments opened, HTML and JSON escapes undone, case ignored. What an entry
is looked for by: a redacted text itself; a withheld object's page, a withheld person's name, a
withheld paper's name and reference (plugins/council/withhold.implied_texts); a document's mirrored
copy where the document is withheld, replaced or its text holds one of those texts.
"""

from __future__ import annotations

import gzip
import html
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ratsinfo import takedown

# Files read as text: everything but the binary kinds a build copies or writes.
BINARY = {".pdf", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff", ".woff2", ".wasm", ".ico", ".zip", ".docx",
          ".xlsx", ".odt", ".doc", ".xls"}
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


@dataclass(frozen=True)
class Finding:
    entry: int
    what: str       # the needle: a text, or "Seite"/"Datei"
    place: str      # the file, relative to the folder scanned

    def __str__(self):
        return f"Eintrag {self.entry}: {self.what} in {self.place}"


@dataclass
class Needles:
    texts: list[tuple[int, str]]    # (entry, text) to find anywhere
    paths: list[tuple[int, str]]    # (entry, site path) that must not exist

    def __bool__(self):
        return bool(self.texts or self.paths)


def needles(ledger: takedown.Ledger, content: Path, today: date | None = None) -> Needles:
    """What the active entries are looked for by; objects are found in content/ as imported."""
    today = today or date.today()
    entries = ledger.active(today)
    texts = list(dict.fromkeys((e.nr, e.text) for e in entries if e.action == "schwaerzen"))
    paths = []
    objects = [e for e in entries if e.action != "schwaerzen"]
    graph = _graph(content) if entries else None
    from plugins.council.withhold import implied_texts, resolve, target_page

    for entry in objects:
        texts += [(entry.nr, text) for text in entry.names]
        found = resolve(graph, entry.target)
        if not found and entry.action == "zurueckhalten" and target_page(entry.target):
            paths.append((entry.nr, target_page(entry.target)))  # the importer left it out of content/
        for obj in found:
            if entry.action == "zurueckhalten":
                texts += [(entry.nr, text) for text in implied_texts(obj)]
                if hasattr(obj, "kind"):
                    paths.append((entry.nr, obj.url))
            if getattr(obj, "media", None):
                paths.append((entry.nr, obj.media_url))
    # A document whose text holds one of them must not be mirrored.
    lowered = [(nr, text.casefold()) for nr, text in texts]
    if lowered:
        for f in graph.files.values():
            text = f.read_text().casefold() if f.media else ""
            paths += [(nr, f.media_url) for nr, needle in lowered if needle in text]
    return Needles(texts, paths)


def texts_only(found: Needles) -> Needles:
    """The texts alone: for content/ and the private folders, whose paths are not the portal's."""
    return Needles(found.texts, [])


def _graph(content: Path):
    from plugins.council.loading import load_graph

    return load_graph(Path(content), publish_contact_data=True)


def scan(folder: Path, found: Needles) -> list[Finding]:
    folder = Path(folder)
    findings = [Finding(nr, "Seite/Datei noch vorhanden", path) for nr, path in found.paths
                if (folder / path).is_file()]
    lowered = [(nr, text, text.casefold()) for nr, text in found.texts]
    for path in _files(folder):
        text = _text_of(path)
        if text is None:
            continue
        for nr, needle, low in lowered:
            if low in text:
                findings.append(Finding(nr, f"„{needle}“", path.relative_to(folder).as_posix()))
    return findings


def _files(folder: Path):
    for parent, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = Path(parent) / name
            if not path.is_symlink() and path.suffix.lower() not in BINARY:
                yield path


def _text_of(path: Path) -> str | None:
    """The file as lower-case text with HTML and JSON escapes undone; gzip (the search index) opened."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError):
            return None
    if data.startswith(b"pagefind_dcd"):
        data = data[len(b"pagefind_dcd"):]
    text = data.decode("utf-8", errors="replace")
    variants = [text, html.unescape(text)]
    if "\\u" in text:
        variants.append(_JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text))
    return "\n".join(variants).casefold()


def scanner(content: Path, ledger_file: Path, today: date | None = None):
    """A function folder -> findings for `publish`, or None when the ledger holds nothing active."""
    ledger = takedown.load(ledger_file)
    if not ledger.active(today or date.today()):
        return None
    found = needles(ledger, content, today)
    return (lambda folder: scan(folder, found)) if found else None
