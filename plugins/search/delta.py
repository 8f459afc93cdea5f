"""The delta search index: a small Pagefind bundle for the pages changed since the last full
index of their bundle, so that one changed meeting is searchable in seconds, not after the whole
bundle (thousands of pages) has been indexed again.

After an overlay build (ratsinfo/build.py) whose changed indexed pages are few (at most
SEARCH_DELTA_PAGES), the bundles those pages belong to stay as they are, file for file, and the
changed and added pages are indexed into pagefind/_delta/ (no bundle can be named so: shards.py
names them [a-z0-9-]). Beside it, pagefind/_delta/stale.json names the entries of the main
bundles that are out of date: the Pagefind id of each stale page's old entry and the filter
values it counts for. The search page (theme/static/js/search.js) merges the delta like any
bundle and drops the stale entries from results and filter counts, so a search gives the same
hits as after a full rebuild. The delta is cumulative: each build indexes all pages changed since
the fold again, so it is always complete on its own.

Folding: above SEARCH_DELTA_PAGES changed pages, after a build that is not an overlay, when the
site's fingerprint changed (settings, theme, the takedown ledger: reuse/fingerprints.py) or
without a readable previous state, the bundles with changes are indexed anew as before and the
delta is dropped.

Fail closed. The main bundles are public files: a stale entry keeps its page's old text
downloadable (its fragment, and its words in the index chunks) until the fold. So only changes
that remove nothing may use the delta. A changed page may go to the delta only if, compared with
its previous version (and so, step by step, with the version in its main bundle):
  1. it is still planned in the same bundle, and its bundle lost no page (a page deleted,
     withheld by the ledger, depublished, or moved to another bundle);
  2. every anchor (id), link (href) and filter value of its old indexed part is still there:
     an agenda item made non-public or removed loses its anchor, a removed document, paper,
     member or committee its link;
  3. every word of its old indexed text outside names (headings and link texts) is still
     there, as often as before: a document whose text was replaced or redacted, an agenda
     item's text cut.
Otherwise its bundle is indexed again in this build (and the page leaves the delta). Renamed
objects (a new heading, new link texts), new pages and added parts use the delta; the old name
stays findable in the main bundle's files until the fold, but no result shows it. What must
vanish at once goes through the takedown ledger (loeschungen.yaml), which changes the site's
fingerprint and folds.
"""

from __future__ import annotations

import gzip
import html
import json
import logging
import re
import shutil
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from plugins.common import json_lines
from ratsinfo.contracts import SEARCH_SHARDS
from ratsinfo.contracts import SEARCH_DELTA as DELTA

log = logging.getLogger(__name__)

STALE = "stale.json"      # pagefind/_delta/stale.json, read by theme/static/js/search.js
DEFAULT_LIMIT = 500


@dataclass
class Plan:
    """What an overlay build does with the search index: the bundles left as they are although
    pages of theirs changed (`kept`), and the pages indexed into the delta with their versions."""
    kept: set[str] = field(default_factory=set)
    pages: dict[str, str | None] = field(default_factory=dict)   # path -> version
    bundle_of: dict[str, str] = field(default_factory=dict)      # delta page -> its bundle
    folded: dict[str, bool] = field(default_factory=dict)        # delta page -> has an entry in its main bundle
    reason: str = ""                                             # why there is no delta (log)


def plan(output: Path, shards: dict, previous: Path, before: dict, versions: dict, overlay: bool,
         limit: int, page, sites: tuple[str | None, str | None]) -> Plan:
    """Which changed pages may go to the delta (module docstring). `page(path)` is the new file;
    `sites`: the site's fingerprint in this build's state and in the previous one's."""
    old_delta = before.get("delta") or {}
    if limit <= 0:
        return Plan(reason="abgeschaltet")
    if not overlay or "bundles" not in before:
        return Plan(reason="vollständiger Build")
    if sites[0] != sites[1] or sites[0] is None:
        return Plan(reason="Einstellungen, Layout oder Löschliste geändert")
    try:
        old_shards = json.loads((previous / SEARCH_SHARDS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Plan(reason="kein voriger Plan")
    old_bundle = {p: name for name, shard in old_shards.items() for p in shard.get("pages", [])}
    new_bundle = {p: name for name, shard in shards.items() for p in shard["pages"]}
    before_pages, old_main = before.get("pages", {}), old_delta.get("main", {})
    result, fold = Plan(), set()
    # 1. A bundle that lost a page (deleted, withheld, moved) is indexed anew.
    for path, name in old_bundle.items():
        if new_bundle.get(path) != name:
            fold.add(name)
    candidates: dict[str, set[str]] = {}
    for path, name in new_bundle.items():
        changed = versions.get(path) != before_pages.get(path) or path not in before_pages
        if path in old_delta.get("pages", {}) or changed:
            candidates.setdefault(name, set()).add(path)
        if not changed or name in fold or path not in old_bundle:
            continue  # unchanged, already folded, or new (nothing of it can be stale)
        # 2. and 3.: the page lost nothing against its previous version.
        if not _keeps_everything(previous / path, page(path)):
            log.debug("Suchindex: %s verliert Teile, Teil %r wird neu indiziert", path, name)
            fold.add(name)
    for name in fold:
        candidates.pop(name, None)
    if sum(map(len, candidates.values())) > limit:
        return Plan(reason=f"mehr als {limit} geänderte Seiten")
    for name, paths in candidates.items():
        main = previous / "pagefind" / name if name else previous / "pagefind"
        if name not in before.get("bundles", {}) or not (main / "pagefind-entry.json").is_file():
            continue  # a new bundle (or one gone from disk) is indexed as a whole
        result.kept.add(name)
        for path in paths:
            result.pages[path] = versions.get(path)
            result.bundle_of[path] = name
            # In its main bundle if it was there at the fold: before the delta, or kept since.
            result.folded[path] = old_main.get(path, path in old_bundle and path not in old_delta.get("pages", {}))
    return result


def index(output: Path, previous: Path, before: dict, delta: Plan, run_indexer) -> dict | None:
    """Index the delta's pages into output/pagefind/_delta/ unless it is the previous one; returns
    the state's "delta" entry (None: no delta, an old one goes)."""
    target = output / "pagefind" / DELTA
    if not delta.pages:
        # Only the list, saying there is none: the search page asks for it on every visit, and a
        # request that fails is an error in the browser's console and the server's log.
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        (target / STALE).write_text(json_lines({"stale": None}), encoding="utf-8")
        return None
    old = before.get("delta") or {}
    state = {"pages": delta.pages, "main": delta.folded, "ids": {}}
    if old.get("pages") == delta.pages and old.get("main") == delta.folded \
            and (previous / "pagefind" / DELTA / "pagefind-entry.json").is_file():
        state["ids"] = old.get("ids", {})
        return state  # the same delta: it stays where it is (an overlay moves only what was staged)
    # The stale entries: each changed page's old entry in its main bundle, by Pagefind's id.
    stale_pages = {p for p, folded in delta.folded.items() if folded}
    known = {p: v for p, v in old.get("ids", {}).items() if p in stale_pages}
    wanted: dict[str, set[str]] = {}
    for path in stale_pages - set(known):
        wanted.setdefault(delta.bundle_of[path], set()).add(path)
    for name, paths in wanted.items():
        found = _entries(previous / "pagefind" / name if name else previous / "pagefind", paths)
        missing = paths - set(found)
        if missing:  # cannot be: its bundle would not drop it in the browser
            raise RuntimeError(f"Suchindex: kein Eintrag für {sorted(missing)[:3]} in Teil {name!r}")
        known.update(found)
    state["ids"] = known
    shutil.rmtree(target, ignore_errors=True)
    run_indexer(list(delta.pages), target)
    stale = {entry[0]: entry[1] for entry in known.values()}
    (target / STALE).write_text(json_lines({"stale": stale}), encoding="utf-8")
    log.info("ratsinfo: Suchindex-Nachtrag mit %d Seiten, %d veraltete Einträge ausgeblendet",
             len(delta.pages), len(stale))
    return state


def _entries(bundle: Path, paths: set[str]) -> dict[str, list]:
    """path -> [Pagefind id, filters] of the pages' entries in a bundle. A fragment begins with
    its URL: only that much of each is unpacked, the found ones in full."""
    urls = {"/" + p: p for p in paths}
    found = {}
    for fragment in (bundle / "fragment").glob("*.pf_fragment"):
        head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(fragment.read_bytes(), 600)
        match = re.match(rb'pagefind_dcd\{"url":"((?:[^"\\]|\\.)*)"', head)
        if not match:
            continue
        url = json.loads(b'"' + match.group(1) + b'"')
        if url in urls:
            data = json.loads(gzip.decompress(fragment.read_bytes())[len(b"pagefind_dcd"):])
            found[urls[url]] = [fragment.name[:-len(".pf_fragment")], data.get("filters", {})]
    return found


# What of a page Pagefind indexes: from the element with data-pagefind-body to the end of <main>.
_BODY = re.compile(r"<[^<>]*data-pagefind-body.*?</main>", re.S)
_MARKS = re.compile(r'\s(id|href|data-pagefind-filter)="([^"]*)"')
_NAMES = re.compile(r"<(a|h1|h2|h3)\b[^>]*>.*?</\1>", re.S)
_TAGS = re.compile(r"<[^>]+>")
_WORDS = re.compile(r"\w+")


def parts(text: str) -> tuple[set, Counter]:
    """(anchors, links and filter values; words outside names, counted) of a page's indexed part.
    Counted: a word cut where it occurs once more elsewhere on the page is cut all the same."""
    match = _BODY.search(text)
    body = match.group(0) if match else text
    marks = {(name, html.unescape(value)) for name, value in _MARKS.findall(body)}
    words = Counter(_WORDS.findall(html.unescape(_TAGS.sub(" ", _NAMES.sub(" ", body))).lower()))
    return marks, words


def _keeps_everything(old_file: Path, new_file: Path) -> bool:
    try:
        old = parts(old_file.read_text(encoding="utf-8"))
        new = parts(new_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return False
    return old[0] <= new[0] and not old[1] - new[1]

