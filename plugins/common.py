"""What every plugin may use: the kind folders in content/, the build's day, and how output files are written.

No plugin imports another plugin's internals; what they share lives here (ratsinfo/contracts.py
lists the rest of what they hand each other).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from ratsinfo.contracts import BUILD_STATE
from ratsinfo.files import write_atomic

# kind -> folder under content/ (docs/content-format.md; the importers' importers/records.KINDS).
FOLDERS = {
    "body": "bodies", "term": "terms", "organization": "organizations", "person": "persons",
    "meeting": "meetings", "paper": "papers", "file": "files",
}

# Where pages are in output/ (URL_FOLDERS and the rest of the URL scheme): plugins/urls.py.


def site_today(settings) -> date:
    """The day the site is built for (RATSINFO_TODAY pins it, for tests and screenshots)."""
    configured = settings.get("RATSINFO_TODAY")
    return date.fromisoformat(configured) if configured else date.today()


def write_if_changed(path: Path, payload: bytes) -> int:
    """Write only when the bytes differ, so unchanged pages keep their mtime."""
    try:
        if path.stat().st_size == len(payload) and path.read_bytes() == payload:
            return 0
    except FileNotFoundError:
        pass
    # One writer per output file: a fixed temporary name, and the umask's mode as any page.
    write_atomic(path, payload, temp_name=f".{path.name}.tmp")
    return 1


def load_build_state(output: Path | None) -> tuple[dict[str, str], str | None]:
    """The page fingerprints and the data's day ("Stand der Daten") of the build in `output`
    (BUILD_STATE, written by plugins.council); nothing if there is none."""
    if output is None:
        return {}, None
    try:
        data = json.loads((Path(output) / BUILD_STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, None
    if not isinstance(data, dict):
        return {}, None
    return data.get("pages", {}), data.get("stand")


def json_lines(data) -> str:
    """JSON with one entry per line, so that two builds' files can be compared with diff.
    Not indent=: that takes Python's slow encoder (0.1 s per 100,000 entries)."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",\n", ":")) + "\n"
