"""Content errors the graph steps over, told to the webmaster with file and line.

Loading never stops for an impossible date, a reference to an object that is not in content/
or a missing text file: the value is left out (fail closed, as before). But it is no longer
silent: every build warns, and `ratsinfo build --strict` (setting RATSINFO_STRICT) fails.
The graph keeps its problems per object (Graph.problems), so that a build from the snapshot
(plugins/council/reuse/snapshot.py) still knows those of files that did not change.
"""

from __future__ import annotations

import logging
import re

log = logging.getLogger(__name__)

# How a reference's target is named in a message (the kinds of plugins/council/graph.FOLDERS).
KIND_NAMES = {
    "body": "Körperschaft", "term": "Wahlperiode", "organization": "Gremium", "person": "Person",
    "meeting": "Sitzung", "paper": "Vorlage", "file": "Dokument", "agenda_item": "Tagesordnungspunkt",
}
NEXT_STEP = "Die Zeile korrigieren oder neu importieren."


class StrictContentFailed(RuntimeError):
    """A --strict build found content problems."""


def line_of(path: str, key: str, value: str | None = None) -> int:
    """The line (from 1) of `key` with `value` in a content file's front matter: the line with
    both, else the list entry `- value` below the key, else the key's line, else 1. Read only
    when a problem is found, so a clean build never pays for it."""
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().split("\n")
    except OSError:
        return 1
    key_at = re.compile(rf"^\s*(?:-\s+)?{re.escape(key)}:")
    has_value = re.compile(rf"(?<![\w-]){re.escape(value)}(?![\w-])") if value else None
    keys = [number for number, line in enumerate(lines, 1) if key_at.match(line)]
    if has_value:
        for number in keys:
            if has_value.search(lines[number - 1].split(":", 1)[1]):
                return number
        for number in keys:
            for below in range(number, len(lines)):
                entry = lines[below].strip()
                if not entry.startswith("-") or ":" in entry:
                    break
                if has_value.search(entry):
                    return below + 1
    return keys[0] if keys else 1


def content_problems(graph) -> list[str]:
    """Every problem of the graph, in the order of the files."""
    return [message for key in sorted(graph.problems) for message in graph.problems[key]]


def report(graph, strict: bool):
    """Warn of each problem; with `strict`, fail the build instead."""
    problems = content_problems(graph)
    if problems and strict:
        listed = "\n".join(problems[:50]) + (f"\n… und {len(problems) - 50} weitere" if len(problems) > 50 else "")
        raise StrictContentFailed(
            f"{len(problems)} Fehler im Inhaltsordner (--strict: jeder bricht den Build ab):\n{listed}\n"
            "Die genannten Zeilen korrigieren oder neu importieren; ohne --strict wird nur gewarnt.")
    for problem in problems:
        log.warning("%s", problem)
