"""Permalinks that changed get a redirect, and the redirects are kept across builds.

Every build writes `_ratsinfo/permalinks.json` (object → URL) and
`_ratsinfo/redirects.json` (old URL → new URL) into the output. The next
build reads both from the previous output: an object whose URL changed
adds a redirect from its old URL; chains are collapsed; a redirect whose
old URL is a real page again is dropped.
"""

from __future__ import annotations

import json
from pathlib import Path

from plugins.common import json_lines
from ratsinfo.contracts import PERMALINKS, REDIRECTS


def current_permalinks(graph) -> dict[str, str]:
    links = {}
    for kind, objects in (("meeting", graph.meetings), ("paper", graph.papers), ("person", graph.persons),
                          ("organization", graph.organizations), ("term", graph.terms)):
        for obj in objects.values():
            links[f"{kind}:{obj.source or obj.id}"] = obj.url
    for f in graph.published_files():
        links[f"file:{f.source or f.id}"] = f.url
    return links


def _read(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def redirects(moved: dict[str, str], live: set[str]) -> dict[str, str]:
    """Old address → current address, for every page that moved and is still a page. `moved`: moves()."""
    return {old: new for old, new in moved.items() if old not in live and new in live and old != new}


def moved_to(moved: dict[str, str], live: set[str], targets: set[str]) -> set[str]:
    """The old addresses that led to one of `targets`: a withheld page's earlier addresses answer
    410 like the page itself (plugins/deploy/generator.py), not 404."""
    return {old for old, new in moved.items() if new in targets and old not in live}


def moves(previous_output: Path | None, permalinks: dict[str, str]) -> dict[str, str]:
    """Every redirect the last build kept and every page that moved since, chains collapsed."""
    if previous_output is None:
        return {}
    before = _read(previous_output / PERMALINKS)
    kept = _read(previous_output / REDIRECTS)
    for key, old_url in before.items():
        new_url = permalinks.get(key)
        if new_url and new_url != old_url:
            kept[old_url] = new_url
    result = {}
    for old, new in kept.items():
        seen = {old}
        while new in kept and new not in seen:  # a moved page moved again
            seen.add(new)
            new = kept[new]
        result[old] = new
    return dict(sorted(result.items()))


def serialise(mapping: dict[str, str]) -> bytes:
    return json_lines(mapping).encode("utf-8")
