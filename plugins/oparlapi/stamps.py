"""What the API remembers from build to build (contracts.OPARL_STATE): each object's created and
modified, the objects that are gone, kept as tombstones for OPARL_TOMBSTONE_DAYS, and the API's
files (those not written anew stay in output/, writing.ApiFiles).

Objects whose content carries no `modified` (hand-written or SQL content) are stamped with the
build's day when their JSON changed and keep their stamps while it does not, so that a client
syncing on `modified` sees every change and nothing else (spec 2-08, research/oparl.md §1.7).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from pathlib import Path

from plugins.common import json_lines
from ratsinfo.contracts import OPARL_STATE


def read_state(previous_output: Path | None) -> dict:
    if previous_output is None:
        return {}
    try:
        data = json.loads((previous_output / OPARL_STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def fingerprint(obj: dict) -> str:
    """The object's JSON before its own created/modified are set. The stamps of the objects it
    embeds are in it: an embedded object that changed changes its owner too (spec 2-08)."""
    return hashlib.sha1(json.dumps(obj, sort_keys=True).encode("utf-8")).hexdigest()[:16]


class Clock:
    def __init__(self, previous: dict, now: datetime):
        self.before = previous.get("objects", {}) if isinstance(previous.get("objects"), dict) else {}
        self.graves = previous.get("tombstones", {}) if isinstance(previous.get("tombstones"), dict) else {}
        self.now = now.isoformat(timespec="seconds")
        self.seen: dict[str, list] = {}

    def stamp(self, obj: dict, source_modified: str | None) -> tuple[str, str]:
        """(created, modified) of `obj`: created stays from the first build that had it."""
        url = obj["id"]
        before = self.before.get(url)
        before = before if isinstance(before, list) and len(before) == 4 else None
        # The content's own `modified` decides; the fingerprint (a tenth of the API's time) is
        # needed only without one. Losing it later (other source) then counts as a change, once.
        digest = "" if source_modified else fingerprint(obj)
        if source_modified:
            modified = source_modified
        elif before and before[3] == digest:
            modified = before[2]
        else:
            modified = self.now
        created = before[1] if before and _moment(before[1]) <= _moment(modified) else modified
        self.seen[url] = [obj["type"], created, modified, digest]
        return created, modified

    def tombstones(self, keep_days: int) -> dict[str, dict]:
        """Objects of earlier builds that are gone now, deleted when they went, for keep_days."""
        limit = _moment(self.now) - timedelta(days=keep_days)
        graves = {}
        for url, entry in self.graves.items():
            if url not in self.seen and isinstance(entry, list) and len(entry) == 3 and _moment(entry[2]) >= limit:
                graves[url] = entry
        for url, entry in self.before.items():
            if url not in self.seen and isinstance(entry, list) and len(entry) == 4:
                graves[url] = [entry[0], entry[1], self.now]
        self.graves = graves
        return {url: {"id": url, "type": type_name, "created": created, "modified": deleted, "deleted": True}
                for url, (type_name, created, deleted) in sorted(graves.items())}

    def state(self, files: list[str]) -> bytes:
        """`files`: every file of this build's API, those kept in output/ too (ratsinfo/build.apply_overlay)."""
        return json_lines({"objects": self.seen, "tombstones": self.graves, "files": sorted(files)}).encode("utf-8")


def _moment(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return datetime.min.replace(tzinfo=datetime.now().astimezone().tzinfo)
