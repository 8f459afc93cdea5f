"""Which pages a build renders, which it takes unchanged from the previous output, and which
it only re-dates; and where its page plan comes from: planned anew, or taken over from the
last full planning (reuse/plan_index.py) with only the pages that show an edited object
planned again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from plugins.common import load_build_state
from plugins.council.paths import check_unique_paths
from plugins.council.plan import PageSpec, plan
from plugins.council.reuse import fingerprints as fp
from plugins.council.reuse import plan_index
from plugins.council.reuse.redating import STAND_TEMPLATE, redating, stand_of
from plugins.council.shards import is_split, plan_shards
from plugins.urls import search_bundle

log = logging.getLogger(__name__)


@dataclass
class Decision:
    pages: list[PageSpec]       # to render: the changed pages, then the re-dated ones
    redated: int                # of those, re-dated
    fingerprints: dict          # every planned file's (None: always rendered), for the build state
    shards: dict                # the search bundles (plugins/council/shards.py)
    reused: int                 # taken from the previous output (re-dated ones included)
    replanned: int | None       # pages planned again, when the plan was taken over


@dataclass
class Rebuild:
    """What a build knows before it decides: the graph and how it was loaded, the day, the
    site-wide context (`site`, which receives the search bundles) and its fingerprint."""

    graph: object
    loaded: object              # reuse.snapshot.Patched, or None when loaded in full
    plan_file: Path | None      # the plan index, None without cache
    today: date
    data_as_of: object
    site: dict
    global_fp: str
    offers: dict                # what other plugins offer on objects' pages (plugins/feeds)

    def decide(self, previous: Path | None, overlay: bool, use_cache: bool, shard_pages: int | tuple[int, int],
               extra_specs: list, output: Path, renderer) -> Decision:
        """Which pages to render: those whose fingerprint changed since the previous build."""
        before, before_stand = load_build_state(previous) if use_cache else ({}, None)
        stand = stand_of(self.data_as_of)
        # A plan taken over from the index must have been made with the same offers.
        plan_fp = hashlib.sha1(repr((self.global_fp, sorted(self.offers.items()))).encode("utf-8")).hexdigest()
        # Overlay (ratsinfo/build.py): output/ receives only what changed, the previous
        # output/ keeps the rest. Otherwise unchanged pages are hard-linked from it.
        in_previous = site_files(previous) if overlay else None
        index = self._plan_index(plan_fp) if overlay and before_stand == stand else None
        replanned = self._replan(index, before, in_previous) if index else None
        if replanned is not None:
            # Only edits that templates show since the last full planning: its plan holds.
            council, fingerprints, _ = replanned
            shards = index.shards
        else:
            index, fingerprints = None, {}
            council = plan(self.graph, self.today, self.data_as_of, offers=self.offers,
                           search_page=self.site["search_page"])
            # The search page must know the index bundles before it is rendered.
            # (pages, characters): SEARCH_SHARD_PAGES and SEARCH_BUNDLE_CHARS (plugins/council/shards.py)
            shards = plan_shards(council, *(shard_pages if isinstance(shard_pages, tuple) else (shard_pages,)))
        self.site["search_bundles"] = bundles = sorted(shards) if is_split(shards) else []
        # With a split index (big cities) every bundle carries the search UI's files; the first serves them.
        self.site["search_files"] = search_bundle(bundles[0] if bundles else "")
        for spec in council:
            if spec.path == self.site["search_page"]:
                spec.salt = repr(bundles)
        # Other plugins add files that follow the same plan: calendars (plugins/feeds).
        specs = council + list(extra_specs)
        # A plan taken over from the index keeps the paths it was checked with; new pages and
        # attachments are checked against them.
        check_unique_paths(specs, fingerprints, [f for f in self.graph.published_files() if f.media])
        to_render, to_redate, reused = [], [], len(fingerprints)
        computed = fp.page_fingerprints(self.global_fp, [(s.depends_on, s.salt) for s in specs], self.graph.tokens)
        for spec, fingerprint in zip(specs, computed):
            fingerprints[spec.path] = fingerprint
            if (fingerprint is not None and before.get(spec.path) == fingerprint
                    and _reuse(previous, output, spec.path, in_previous)):
                reused += 1
                if before_stand != stand and spec.path.endswith(".html"):
                    to_redate.append(spec)
            else:
                to_render.append(spec)
        if index is None:
            self._keep_plan(plan_fp, council, fingerprints, shards)
        if to_redate:
            # The day of the data changed, nothing else on these pages: only their footer is new.
            footer = renderer.get_template(STAND_TEMPLATE).render({**renderer.context, "site": self.site})
            to_redate = redating(to_redate, previous, footer, renderer.render_bytes)
        return Decision(to_render + to_redate, len(to_redate), fingerprints, shards, reused,
                        replanned[2] if replanned is not None else None)

    def _plan_index(self, global_fp: str) -> plan_index.PlanIndex | None:
        """The last full planning's plan, if it is this build's: same snapshot, only edits that
        templates show since, same day, import time, code and settings."""
        if self.plan_file is None or self.loaded is None or not self.loaded.render_only:
            return None
        index = plan_index.load(self.plan_file)
        if index is None or (index.snapshot_id, index.day, index.data_as_of, index.global_fp) != (
                self.graph.snapshot_id, self.today.isoformat(), repr(self.data_as_of), global_fp):
            return None
        return index

    def _replan(self, index, before: dict, in_previous: set[str]):
        """Plan again only the pages that show an edited object, and those that output/ has not
        as planned (a build in between had other edits, or a page is missing). Returns their
        specs, the other pages' fingerprints and how many were planned again, or None if the
        index does not fit after all."""
        again = index.pages_showing(self.loaded.edited)
        for path, fingerprint in zip(index.paths, index.fingerprints):
            if fingerprint is None or before.get(path) != fingerprint or path not in in_previous:
                again.add(path)
        specs = plan(self.graph, self.today, self.data_as_of, offers=self.offers, search_page=self.site["search_page"],
                     only={path: section for path, section in zip(index.paths, index.sections) if path in again})
        if {spec.path for spec in specs} != again:  # not the plan it was: plan everything
            log.warning("ratsinfo: gespeicherter Seitenplan passt nicht, plane alle Seiten")
            return None
        return specs, {path: fingerprint for path, fingerprint in zip(index.paths, index.fingerprints)
                       if path not in again}, len(again)

    def _keep_plan(self, global_fp: str, council: list, fingerprints: dict, shards: dict):
        """The plan of the graph as its snapshot has it (loaded in full, or edited only where
        templates show it): a later build may take it (plan_index)."""
        if self.plan_file is None or self.graph.snapshot_id is None:
            return
        if self.loaded is not None and not self.loaded.render_only:
            return
        plan_index.write_in_background(self.plan_file, self.graph.snapshot_id, self.today.isoformat(),
                                       repr(self.data_as_of), global_fp, council, fingerprints, shards,
                                       self.site["search_bundles"])


def site_files(folder: Path) -> set[str]:
    """The files of a built site, without its search index: one listing instead of a stat per page."""
    found = set()
    for parent, dirs, files in os.walk(folder):
        relative = os.path.relpath(parent, folder)
        if relative == ".":
            dirs[:] = [d for d in dirs if d != "pagefind"]
            found.update(files)
        else:
            relative = relative.replace(os.sep, "/")
            found.update(f"{relative}/{name}" for name in files)
    return found


def _reuse(previous: Path | None, output: Path, path: str, in_previous: set[str] | None) -> bool:
    """Take an unchanged page from the previous build: nothing to do in an overlay (`in_previous`:
    the previous output's files), else a hard link."""
    if previous is None:
        return False
    if in_previous is not None:
        return path in in_previous
    source, target = previous / path, output / path
    if not source.is_file():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except FileExistsError:
        return True
    except OSError:
        shutil.copy2(source, target)
    return True
