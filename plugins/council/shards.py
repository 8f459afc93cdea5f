"""Splitting the search index for big cities.

Pagefind needs about 150 KB of memory per page and re-indexes everything on
every run (research/pelican.md §3.3.4: 4.3 GB at 30k pages). Above
SEARCH_SHARD_PAGES detail pages, the index is split into bundles by kind and
year (sitzungen-2024, vorlagen-2025, …; which pages and which bundle: search_entries.py); the search page merges them in the
browser (Pagefind's mergeIndex), and a rebuild re-indexes only the bundles
whose pages changed (plugins/search).
"""

from __future__ import annotations

import re
from collections import defaultdict

from plugins.council.search_entries import bundle, indexed_object
from ratsinfo.contracts import SEARCH_SHARDS as MANIFEST

SHARD_MAX = 12_000


def is_split(shards: dict) -> bool:
    return "" not in shards


def shard_name(spec) -> str | None:
    """The bundle a page belongs to, or None for pages that are not indexed (search_entries.py)."""
    obj = indexed_object(spec)
    return bundle(obj) if obj is not None else None


def plan_shards(specs, threshold: int) -> dict[str, dict]:
    """{bundle: {"pages": [...]}}; one bundle named "" (pagefind/ itself) when that is enough."""
    grouped = defaultdict(list)
    for spec in specs:
        name = shard_name(spec)
        if name:
            grouped[name].append(spec.path)
    if sum(len(paths) for paths in grouped.values()) <= threshold:
        return {"": {"pages": sorted(p for paths in grouped.values() for p in paths)}}
    shards = {}
    for name, paths in sorted(grouped.items()):
        paths.sort()
        parts = [paths[i:i + SHARD_MAX] for i in range(0, len(paths), SHARD_MAX)]
        for number, part in enumerate(parts, start=1):
            key = re.sub(r"[^a-z0-9-]", "-", name if len(parts) == 1 else f"{name}-{number}")
            shards[key] = {"pages": part}
    return shards
