"""The change record in the model: what the importer saw change of a meeting or paper, and the
earlier versions of documents (importers/changes.py writes them, docs/content-format.md).

Part of the model (graph.py holds these objects in `Meeting.changes`, `Paper.changes` and
`File.versions`); apart only to keep each module short.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from plugins import urls
from plugins.council.format import N_

ROLE_LABELS = {
    "invitation": N_("Einladung"), "results_protocol": N_("Niederschrift"), "verbatim_protocol": N_("Wortprotokoll"),
    "main_file": N_("Vorlage"), "auxiliary_files": N_("Anlage"),
}


@dataclass(eq=False)
class Version:
    """An earlier version of a document (importers/changes.py): its number, the day it was
    replaced, and its extracted text, kept as content/files/<id>.v<n>.txt."""

    number: int
    until: date | None = None
    text_path: str | None = None
    redacted_text: str | None = None  # set by a takedown (plugins/council/withhold.py)

    def read_text(self) -> str:
        if self.redacted_text is not None:
            return self.redacted_text
        if self.text_path is None or not os.path.isfile(self.text_path):
            return ""
        return Path(self.text_path).read_text(encoding="utf-8")


@dataclass(eq=False)
class Change:
    """One entry of a meeting's or paper's change record (docs/content-format.md, "Änderungen"):
    what the importer saw change, and when. Only of public agenda items (reading.py checks again)."""

    # The kinds of change (importers/changes.py), for templates to compare with: c.change == c.ITEM_ADDED.
    AGENDA_PUBLISHED = "agenda_published"
    ITEM_ADDED = "item_added"
    ITEM_WITHDRAWN = "item_withdrawn"
    ITEM_MOVED = "item_moved"
    RESULT = "result"
    MEETING_MOVED = "meeting_moved"
    MEETING_CANCELLED = "meeting_cancelled"
    DOCUMENT_ADDED = "document_added"
    DOCUMENT_VERSION = "document_version"

    change: str                          # CHANGE_KINDS
    seen: date | None = None
    item_id: str | None = None           # the agenda item it is about (also when withdrawn)
    number: str | None = None
    name: str | None = None
    from_number: str | None = None       # item_moved: its number before
    result: str | None = None            # result: the result entered
    moved_from: datetime | None = None   # meeting_moved: the start before …
    moved_to: datetime | None = None     # … and after
    file: "File | None" = None           # document_added, document_version
    role: str | None = None              # which document of the object (invitation, results_protocol, …)
    version: int | None = None           # document_version: the new version's number

    @property
    def role_label(self) -> str:
        """Which document of its meeting or paper it is (German; templates translate with `ui_text`)."""
        return ROLE_LABELS.get(self.role or "", N_("Anlage"))

    @property
    def anchor(self) -> str | None:
        """The agenda item's anchor on its meeting's page."""
        return urls.agenda_anchor(self.item_id) if self.item_id else None


CHANGE_KINDS = ("agenda_published", "item_added", "item_withdrawn", "item_moved", "result", "meeting_moved",
                "meeting_cancelled", "document_added", "document_version")
# Meeting documents that are minutes (importers/changes.MINUTES).
MINUTES_ROLES = ("results_protocol", "verbatim_protocol")
