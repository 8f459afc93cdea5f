"""Search a folder for canary strings the way a visitor or crawler could find them: every file,
gzip (the search index's fragments and word index) opened, HTML entities undone, case ignored.
Written apart from ratsinfo/takedown_scan.py, so that the tests do not trust the code they test."""

from __future__ import annotations

import gzip
import html
from pathlib import Path

LEDGER_ENTRY = """\
- nr: {nr}
  {action}: {what}
  grund: Antrag nach Art. 17 DSGVO
  entschieden_von: Hauptamt
  am: 2026-03-01
"""


def ledger_text(*entries: tuple[str, str]) -> str:
    return "eintraege:\n" + "".join(LEDGER_ENTRY.format(nr=nr, action=action, what=what)
                                    for nr, (action, what) in enumerate(entries, start=1))


def readable(path: Path) -> str:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    text = data.decode("utf-8", errors="replace")
    return (text + "\n" + html.unescape(text)).casefold()


def occurrences(folder: Path, canaries) -> dict[str, list[str]]:
    """canary -> the files (relative) that hold it."""
    found = {canary: [] for canary in canaries}
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file() and not path.is_symlink() and path.suffix.lower() != ".pdf":
            text = readable(path)
            for canary in canaries:
                if canary.casefold() in text:
                    found[canary].append(path.relative_to(folder).as_posix())
    return {canary: places for canary, places in found.items() if places}
