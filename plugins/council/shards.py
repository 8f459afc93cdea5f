"""Splitting the search index for big cities.

Pagefind needs about 150 KB of memory per page and re-indexes everything on
every run (research/pelican.md §3.3.4: 4.3 GB at 30k pages). Above
SEARCH_SHARD_PAGES detail pages, the index is split into bundles by kind and
year (sitzungen-2024, vorlagen-2025, …; which pages and which bundle: search_entries.py); the search page merges them in the
browser (Pagefind's mergeIndex), and a rebuild re-indexes only the bundles
whose pages changed (plugins/search).

Pagefind's memory grows with the text it indexes, not only with the pages: measured with
pagefind 1.5.2 (benchmarks/README.md), ~60 KB per page plus ~55 bytes per character of a
document's text (1,000 document pages of ~9,000 characters: 550 MB). So a bundle is bounded by
pages (SHARD_MAX) and by weight (`max_weight`, SEARCH_BUNDLE_CHARS): a page weighs PAGE_WEIGHT
plus its document text's characters. A site whose pages weigh more than one bundle may is split
even below the page threshold.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict

from plugins.council.search_entries import bundle, indexed_object
from ratsinfo.contracts import SEARCH_SHARDS as MANIFEST

SHARD_MAX = 12_000
# What a page's own share of Pagefind's memory is worth in characters of document text (60 KB / 55 B).
PAGE_WEIGHT = 1_100


def is_split(shards: dict) -> bool:
    return "" not in shards


def shard_name(spec) -> str | None:
    """The bundle a page belongs to, or None for pages that are not indexed (search_entries.py)."""
    obj = indexed_object(spec)
    return bundle(obj) if obj is not None else None


def page_weight(spec) -> int:
    """PAGE_WEIGHT plus the characters of the document text the page shows (a file's reading
    view; the size of its text file in bytes, read by stat: close enough, and cheap)."""
    file = spec.context.get("file") if spec.template == "file" else None
    if file is None:
        return PAGE_WEIGHT
    if file.redacted_text is not None:
        return PAGE_WEIGHT + len(file.redacted_text)
    try:
        return PAGE_WEIGHT + (os.stat(file.text_path).st_size if file.text_path else 0)
    except OSError:
        return PAGE_WEIGHT


def plan_shards(specs, threshold: int, max_weight: int = 0) -> dict[str, dict]:
    """{bundle: {"pages": [...]}}; one bundle named "" (pagefind/ itself) when that is enough.
    `max_weight` (0: no bound) bounds each bundle's weight (page_weight)."""
    grouped = defaultdict(list)
    for spec in specs:
        name = shard_name(spec)
        if name:
            grouped[name].append((spec.path, page_weight(spec) if max_weight else 0))
    pages = sum(len(paths) for paths in grouped.values())
    weight = sum(w for paths in grouped.values() for _, w in paths)
    if pages <= threshold and (not max_weight or weight <= max_weight):
        return {"": {"pages": sorted(p for paths in grouped.values() for p, _ in paths)}}
    shards = {}
    for name, paths in sorted(grouped.items()):
        paths.sort()
        parts = _parts(paths, max_weight)
        for number, part in enumerate(parts, start=1):
            key = re.sub(r"[^a-z0-9-]", "-", name if len(parts) == 1 else f"{name}-{number}")
            shards[key] = {"pages": part}
    return shards


def _parts(paths: list[tuple[str, int]], max_weight: int) -> list[list[str]]:
    """Consecutive parts of at most SHARD_MAX pages and, with max_weight, at most that weight
    (a single page heavier than that is a part of its own)."""
    parts, part, weight = [], [], 0
    for path, w in paths:
        if part and (len(part) >= SHARD_MAX or max_weight and weight + w > max_weight):
            parts.append(part)
            part, weight = [], 0
        part.append(path)
        weight += w
    return parts + [part] if part else parts
