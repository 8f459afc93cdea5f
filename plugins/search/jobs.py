"""Pagefind runs side by side: each bundle of a split index is a process of its own, so two of
them use two cores. How many at once is SEARCH_JOBS; the memory they take together is bounded by
the bundles' size (SEARCH_BUNDLE_CHARS, plugins/council/shards.py): two runs of at most ~450 MB.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

# Without a setting: as many as cores, but not more than this (the memory bound above).
MAX_DEFAULT_JOBS = 2


def search_jobs(settings: dict) -> int:
    jobs = int(settings.get("SEARCH_JOBS") or 0)
    return jobs if jobs > 0 else max(1, min(os.cpu_count() or 1, MAX_DEFAULT_JOBS))


def run_side_by_side(tasks: list, jobs: int):
    """Run the callables, `jobs` at a time (threads, each waiting for its process); the first
    error is raised once the runs that had started have ended, and no new run starts after it."""
    if jobs <= 1 or len(tasks) <= 1:
        for task in tasks:
            task()
        return
    failed: list[BaseException] = []

    def guarded(task):
        if not failed:
            try:
                task()
            except BaseException as exc:  # noqa: BLE001 — raised again below, in the caller's thread
                failed.append(exc)

    with ThreadPoolExecutor(min(jobs, len(tasks)), thread_name_prefix="pagefind") as pool:
        list(pool.map(guarded, tasks))
    if failed:
        raise failed[0]
