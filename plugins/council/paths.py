"""Every output path once: two pages (or a page and a document's file) never share a file.

Checked after planning and before anything is written, also ignoring case (IIS and Windows
shares do not tell Anfrage.html from anfrage.html).
"""

from __future__ import annotations

from plugins.council.graph import FOLDERS
from plugins.council.plan import PageSpec
from plugins.urls import media


class PathCollision(Exception):
    """Two pages would be written to one file; the message names both and what to do."""


def check_unique_paths(specs: list[PageSpec], paths=(), files=()):
    """Every output path once, also ignoring case: IIS and Windows shares serve Anfrage.html and
    anfrage.html as one file, and a second page written to a path silently replaces the first.
    `paths`: pages planned before (no spec at hand), `files`: documents whose file is copied to
    dateien/."""
    lowered = [spec.path.lower() for spec in specs] + [path.lower() for path in paths]
    lowered += [media(f.media).lower() for f in files]
    if len(set(lowered)) == len(lowered):  # the usual case, in a twentieth of a second at city scale
        return
    entries = [(spec.path, spec) for spec in specs] + [(path, None) for path in paths]
    entries += [(media(f.media), f) for f in files]
    seen = {}
    for path, what in entries:
        key = path.lower()
        if key in seen:
            other_path, other = seen[key]
            raise PathCollision(
                f"Zwei Seiten hätten dieselbe Adresse: {other_path} zeigt {describe(other)}, {path} zeigt "
                f"{describe(what)}"
                + ("" if other_path == path else " (gleich für IIS und Windows-Freigaben, die Groß- und "
                                                 "Kleinschreibung nicht unterscheiden)")
                + ". Eine der beiden Inhaltsdateien umbenennen (Id) oder in der Quelle korrigieren und neu "
                  "bauen. Es wurde nichts geschrieben.")
        seen[key] = (path, what)


_SHOWN = {"paper": "die Vorlage", "meeting": "die Sitzung", "person": "die Person", "organization": "das Gremium",
          "term": "die Wahlperiode", "file": "das Dokument"}


def describe(what) -> str:
    """A page or attachment in words, with the content file it comes from."""
    if getattr(what, "kind", None) == "file":  # an attachment copied to dateien/
        return f"die Datei {what.media} des Dokuments „{what.name}“ (Inhaltsdatei {FOLDERS['file']}/{what.id}.md)"
    for key, label in _SHOWN.items():
        obj = what.context.get(key) if isinstance(what, PageSpec) else None
        if obj is not None:
            return f"{label} „{obj.name}“ (Inhaltsdatei {FOLDERS[obj.kind]}/{obj.id}.md)"
    if isinstance(what, PageSpec):
        topic = {k: what.context[k] for k in ("year", "paper_type") if k in what.context}
        return f"eine Liste ({what.template}{', ' + repr(topic) if topic else ''})"
    return "eine Seite"
