"""How much one run may take from a source: time, list pages, size of an answer."""

from __future__ import annotations

import time
from dataclasses import dataclass

from importers.errors import ImportFailed


class LimitExceeded(ImportFailed):
    """A limit of the run was reached (time, list pages, size of an answer). Never a
    problem to note and go on: what was not read would look deleted or unchanged."""


@dataclass(frozen=True)
class Limits:
    """How much one run may take from a source; `ratsinfo import oparl --help` names them.

    The defaults fit a large city (100,000 papers, 20 per page) on a slow server,
    and stop a source that never ends: an endless `links.next`, a JSON answer of
    gigabytes, a server that answers byte by byte.
    """

    run_seconds: float | None = 8 * 3600  # None: no limit
    list_pages: int = 20_000  # per list
    json_bytes: int = 50 * 1024 * 1024  # per answer

    def deadline(self) -> "Deadline":
        return Deadline(self.run_seconds)


class Deadline:
    """The end of a run's time, checked before and while every request."""

    def __init__(self, seconds: float | None):
        self.seconds = seconds
        self.end = time.monotonic() + seconds if seconds else None

    def remaining(self) -> float | None:
        return None if self.end is None else self.end - time.monotonic()

    def check(self, url: str | None = None):
        remaining = self.remaining()
        if remaining is not None and remaining <= 0:
            where = f" (zuletzt bei {url})" if url else ""
            raise LimitExceeded(
                f"Der Import hat sein Zeitlimit von {self.seconds / 60:g} Minuten überschritten{where}. "
                "Nichts wurde geändert. Ist die Quelle so langsam oder so groß, das Limit mit "
                "--max-run-time erhöhen; sonst später wiederholen (ein abgebrochener Lauf setzt fort)."
            )


def too_large(url: str, limit: int) -> LimitExceeded:
    return LimitExceeded(
        f"Die Antwort von {url} ist größer als {limit / 1024 / 1024:g} MB; so große JSON-Antworten "
        "nimmt der Import nicht an. Nichts wurde geändert. Liefert die Quelle wirklich so große "
        "Listenseiten, das Limit mit --max-json-size erhöhen."
    )
