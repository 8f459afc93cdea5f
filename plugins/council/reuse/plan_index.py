"""The plan of the last full planning, so that a build after a few edits need not plan again.

Planning a city and fingerprinting its 120,000 pages takes more than a second. When the
graph came from its snapshot and every edit since is of a field that only templates show
(snapshot.RENDER_ONLY: a meeting's name, an agenda item's result, a document's text …),
the plan is the one made when the snapshot was taken, on the same day, with the same code
and settings. This index keeps what a build needs of it: every page with its section and
fingerprint, which pages show which object, and the search bundles. Such a build plans
again only the pages that show an edited object, and those whose fingerprint differs from
the one in output/ (a build in between); every other page keeps its fingerprint.
"""

from __future__ import annotations

import logging
import pickle
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from ratsinfo.files import replacing
from plugins.council.reuse import cache

log = logging.getLogger(__name__)

VERSION = 1


@dataclass
class PlanIndex:
    snapshot_id: str
    day: str            # what the plan depends on besides the graph: the day, the import's time,
    data_as_of: str     # and (global_fp) code, templates and settings
    global_fp: str
    paths: list[str]
    sections: list[str]
    fingerprints: list[str | None]
    shown_on: dict      # (kind, id) -> indices of the pages that show it
    shards: dict
    search_bundles: list[str]

    def pages_showing(self, keys) -> set[str]:
        return {self.paths[i] for key in keys for i in self.shown_on.get(key, ())}


def index_path(cache_folder: Path, publish_contact_data: bool) -> Path:
    return cache.cache_file(cache_folder, "plan", publish_contact_data)


def load(path: Path) -> PlanIndex | None:
    try:
        with cache.waiting_for_writer(path), path.open("rb") as handle:
            stored = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception as exc:  # a broken or foreign index is ignored, never trusted
        log.debug("ratsinfo: Seitenplan %s unbrauchbar: %s", path, exc)
        return None
    if not isinstance(stored, dict) or stored.get("version") != VERSION:
        return None
    return stored["index"]


def write_in_background(path: Path, snapshot_id: str, day: str, data_as_of: str, global_fp: str, specs,
                        fingerprints: dict, shards: dict, search_bundles: list[str]):
    """In a forked child: listing who shows what walks a million dependencies."""
    def write(target: Path):
        paths = [spec.path for spec in specs]
        shown_on = defaultdict(list)
        for number, spec in enumerate(specs):
            for key in spec.depends_on or ():
                shown_on[key].append(number)
        index = PlanIndex(snapshot_id, day, data_as_of, global_fp, paths, [spec.section for spec in specs],
                          [fingerprints[p] for p in paths], dict(shown_on), shards, search_bundles)
        with replacing(target) as handle:
            pickle.dump({"version": VERSION, "index": index}, handle, protocol=pickle.HIGHEST_PROTOCOL)

    cache.write_in_background(path, write)
