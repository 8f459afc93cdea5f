"""Index the built site with the Pagefind CLI.

Only pages that carry `data-pagefind-body` (the detail templates) are indexed,
so lists and navigation stay out of the results. We drive the CLI, not the
Python API, because the API sleeps 0.1 s per call (research/pelican.md §2.5).

A big city's index is split into bundles (plugins/council/shards.py). Each
bundle is indexed from a folder of hard links to its pages; a bundle whose
pages did not change since the previous build is taken over as it is. After a
build with few changed pages, those go to the delta bundle instead and every
bundle stays as it is (plugins/search/delta.py; index_shards only asks it).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pagefind_bin

from plugins.common import json_lines
from plugins.search import delta as search_delta
from plugins.i18n import page_language
from plugins.search.jobs import run_side_by_side, search_jobs
from plugins.urls import SEARCH_PAGE
from ratsinfo.contracts import BUILD_STATE
from ratsinfo.contracts import SEARCH_SHARDS as MANIFEST
from ratsinfo.contracts import SEARCH_STATE as STATE

log = logging.getLogger(__name__)


class SearchIndexFailed(RuntimeError):
    pass


def pagefind_command(site: str, language: str, output_path: str | None = None) -> list[str]:
    """`language` is the pages' own (plugins.i18n.page_language): Pagefind stems words by it, and
    forcing it keeps one index even if a hand-written page said otherwise."""
    command = [str(pagefind_bin.get_executable()), "--site", site, "--force-language", language, "--silent"]
    if output_path:
        command += ["--output-path", output_path]
    else:
        command += ["--output-subdir", "pagefind"]
    return command


# What Pagefind writes for its own search UIs: our search page is theme/static/js/search.js on
# pagefind.js, so these (~420 KB per bundle) are not published.
PAGEFIND_UI = ("pagefind-ui.*", "pagefind-modular-ui.*", "pagefind-component-ui.*", "pagefind-highlight.js")


def _run(command: list[str], index: Path):
    """Pagefind, then its UI files out of the index folder it wrote."""
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SearchIndexFailed(
            f"Pagefind ist fehlgeschlagen (Exit {result.returncode}): {result.stderr.strip() or result.stdout.strip()}"
        )
    for pattern in PAGEFIND_UI:
        for unused in index.glob(pattern):
            unused.unlink()


def offer_search(generators):
    """The search page exists only where there will be an index: with PAGEFIND = False ("Portal
    ohne Suche") no page, box or link offers a search that cannot answer. The council plans the
    page and the templates link it only when this is set (`site_search`, ratsinfo/contracts.py)."""
    for generator in generators[:1]:  # every generator shares one context
        if generator.settings.get("PAGEFIND", True):
            generator.context["site_search"] = SEARCH_PAGE


def run_pagefind(pelican):
    settings = pelican.settings
    if not settings.get("PAGEFIND", True):
        return
    output = Path(settings["OUTPUT_PATH"])
    language = page_language(settings)
    manifest = output / MANIFEST
    if not manifest.is_file():  # a site without council pages (no plugins.council)
        _run(pagefind_command(str(output), language), output / "pagefind")
        log.info("ratsinfo: Suchindex geschrieben")
        return
    shards = json.loads(manifest.read_text(encoding="utf-8"))
    previous = Path(settings.get("RATSINFO_PREVIOUS_OUTPUT") or output)
    limit = settings.get("SEARCH_DELTA_PAGES", search_delta.DEFAULT_LIMIT)
    indexed, kept = index_shards(output, shards, previous, language, overlay=bool(settings.get("RATSINFO_OVERLAY")),
                                 delta_limit=int(limit or 0), jobs=search_jobs(settings))
    report = settings.get("RATSINFO_REPORT")
    if report is not None:
        report.bundles_indexed, report.bundles_kept = indexed, kept
    log.info("ratsinfo: Suchindex in %d Teilen, %d neu indexiert, %d übernommen", len(shards), indexed, kept)


def index_shards(output: Path, shards: dict, previous: Path, language: str, overlay: bool = False,
                 delta_limit: int = 0, jobs: int = 1) -> tuple[int, int]:
    """With `overlay`, output/ holds only the pages that changed and `previous` the rest
    (ratsinfo/build.py); an unchanged bundle then stays where it is. With `delta_limit`, up to
    that many changed pages go to the delta instead (plugins/search/delta.py). `jobs` bundles
    are indexed side by side (plugins/search/jobs.py)."""
    def page(path: str) -> Path:
        fresh = output / path
        return fresh if not overlay or fresh.is_file() else previous / path

    before = _read_json(previous / STATE)
    if "bundles" not in before:
        before = {}  # none, or written before pages had versions: every bundle is indexed once
    # Each build state once (both builds' page fingerprints and site fingerprints): at city scale
    # a read is a tenth of a second, and the versions and the delta's plan read them five times.
    shown, shown_before = _read_json(output / BUILD_STATE), _read_json(previous / BUILD_STATE)
    versions = _page_versions(output, shards, shown.get("pages", {}), shown_before.get("pages", {}) if before else {},
                              before.get("pages", {}), overlay)
    kept = 0
    todo = []
    state = {"bundles": {}, "pages": versions}
    delta = search_delta.plan(output, shards, previous, before, versions, overlay, delta_limit, page,
                              sites=(shown.get("site"), shown_before.get("site")))
    for name, shard in sorted(shards.items()):
        if name in delta.kept:  # its changed pages are in the delta; its files stay as they were indexed
            state["bundles"][name] = before["bundles"][name]
            kept += 1
            continue
        # The bundle "" is the whole index in pagefind/ itself (sites below the split threshold).
        target = output / "pagefind" / name if name else output / "pagefind"
        # What Pagefind reads is the HTML, so the bundle is as current as its pages' files.
        state["bundles"][name] = fingerprint = _pages_digest(shard["pages"], versions, page)
        old = previous / "pagefind" / name if name else previous / "pagefind"
        if before.get("bundles", {}).get(name) == fingerprint and old.is_dir():
            if not overlay and old.resolve() != target.resolve():
                _link_tree(old, target)
            kept += 1
            continue
        shutil.rmtree(target, ignore_errors=True)
        todo.append((shard["pages"], target))
    # The heaviest first, so that the last one to end is a small one.
    todo.sort(key=lambda job: -len(job[0]))
    run_side_by_side([lambda pages=pages, target=target: _index_bundle(output, pages, page, language, target)
                      for pages, target in todo], jobs)
    state["delta"] = _index_delta(output, previous, before, delta, language, page)
    (output / STATE).write_text(json_lines(state), encoding="utf-8")
    return len(todo), kept


def _index_bundle(output: Path, pages: list[str], page, language: str, target: Path):
    # Named after the build's staging folder: a build killed here leaves it where the next
    # one clears leftovers (ratsinfo.build.clear_leftovers).
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=f".{output.name}.pagefind-") as tmp:
        for path in pages:
            link = Path(tmp) / path
            link.parent.mkdir(parents=True, exist_ok=True)
            os.link(page(path), link)
        _run(pagefind_command(tmp, language, str(target)), target)


def _index_delta(output: Path, previous: Path, before: dict, delta, language: str, page) -> dict | None:
    """The delta bundle (plugins/search/delta.py), indexed like a bundle from links to its pages."""
    if delta.reason and before.get("delta"):
        log.info("ratsinfo: Suchindex-Nachtrag eingearbeitet (%s)", delta.reason)
    return search_delta.index(output, previous, before, delta,
                              lambda paths, target: _index_bundle(output, paths, page, language, target))


def _page_versions(output: Path, shards: dict, shown: dict, shown_before: dict, before: dict, overlay: bool) -> dict:
    """Each page's version: the fingerprint (plugins/council/reuse/fingerprints.py) of the build that
    last changed its HTML. A page rendered again with the same bytes (a document page after its
    paper's meeting was renamed: it shows the paper's committees, not the meeting) or only
    re-dated (the footer is not indexed) keeps its version, so its bundle is not indexed again.
    In an overlay a page is in output/ only if its bytes changed (ratsinfo/build.py). `shown` and
    `shown_before`: the page fingerprints of this build's state and the previous one's."""
    versions = {}
    for shard in shards.values():
        for path in shard["pages"]:
            fingerprint, kept = shown.get(path), before.get(path)
            if fingerprint and kept and (fingerprint == shown_before.get(path)
                                         or overlay and not (output / path).is_file()):
                versions[path] = kept
            else:
                versions[path] = fingerprint
    return versions


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _pages_digest(pages: list[str], versions: dict, page) -> str:
    """What the bundle was indexed from, without reading 100,000 pages on every build: a page's
    version (_page_versions) where it has one, else its file's identity (a page whose bytes
    change gets a new file: written and renamed). `page(path)` finds the file, only for pages
    without a version: asking it for every page (a stat in each of two folders) was a second
    of a one-change build at 50,000 pages."""
    digest = hashlib.sha1()
    for path in pages:
        version = versions.get(path)
        if version:
            digest.update(f"{path}\0{version}\0".encode("utf-8"))
            continue
        st = os.stat(page(path))
        digest.update(f"{path}\0{st.st_ino}\0{st.st_size}\0{st.st_mtime_ns}\0".encode("utf-8"))
    return digest.hexdigest()


def _link_tree(source: Path, target: Path):
    for path in source.rglob("*"):
        destination = target / path.relative_to(source)
        if path.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
        else:
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.link(path, destination)
