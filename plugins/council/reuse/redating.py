"""Re-dating: a new day of data changes one thing on an unchanged page, its footer's date.

The footer's "Stand der Daten" (theme/templates/_stand.html, in base.html) is the one thing
every page shows that changes daily. A page whose fingerprint is unchanged but whose day of
data is not is taken from the previous output with only that span replaced, instead of
being rendered again (reuse/rebuild.py decides which).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from functools import partial
from pathlib import Path

STAND_TEMPLATE = "_stand"  # theme/templates/_stand.html
STAND_OPEN = b'<span id="stand-der-daten">'
STAND_CLOSE = b"</span>"


def stand_of(data_as_of: datetime | None) -> str | None:
    return data_as_of.date().isoformat() if data_as_of else None


def redating(specs: list, previous: Path, footer: str, render_bytes) -> list:
    """The specs as files made from the previous page with `footer` (the rendered STAND_TEMPLATE)
    in place of its own; `render_bytes` renders a spec in full, for a page that has none."""
    span = STAND_OPEN + footer.encode("utf-8") + STAND_CLOSE
    return [replace(spec, produce=partial(_redated, spec, previous, span, render_bytes)) for spec in specs]


def _redated(spec, previous: Path, footer: bytes, render_bytes) -> bytes:
    """The previous page with the new "Stand der Daten"; rendered in full if it has none."""
    page = (previous / spec.path).read_bytes()
    start = page.rfind(STAND_OPEN)
    end = page.find(STAND_CLOSE, start) if start >= 0 else -1
    if end < 0:
        return render_bytes(replace(spec, produce=None))
    return page[:start] + footer + page[end + len(STAND_CLOSE):]
