"""Build the site: Pelican with our plugins and Pagefind, into a staging folder, then apply it.

A failed build leaves the last good output/ untouched: everything is written
into a staging folder first. The first build (or one into a folder we did not
build) swaps the whole staging folder in. Later builds are *overlays*: the
staging folder receives only what changed (pages whose fingerprint changed and
whose bytes differ, re-indexed search bundles, the small files every build
writes), is moved into output/ file by file, and files the new build no longer
has are deleted. At city scale this saves linking and unlinking every unchanged
page (issue "Fast at city scale"); the result is byte-identical to a full build
(tests/test_incremental.py).
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from plugins.council.reuse.cache import cache_root
from ratsinfo import PROJECT_ROOT
from ratsinfo.contracts import BUILD_STATE as STATE_FILE
from ratsinfo.contracts import OPARL_STATE, PERMALINKS, REDIRECTS, SEARCH_STATE, BuildReport
from ratsinfo.contracts import SEARCH_DELTA as DELTA
from ratsinfo.files import fsync_folder, same_bytes
from ratsinfo.killpoints import kill_point
from ratsinfo.locking import Busy, exclusive
from ratsinfo.manifest import MANIFEST, known_checksums, take_vouched, write_manifest

SETTINGS_FILE = PROJECT_ROOT / "pelicanconf.py"
log = logging.getLogger(__name__)
# An overlay moves these last, in this order. Until the build state arrives, output/ has none,
# and a build killed while moving is followed by one that builds from nothing (no page is
# taken for current because an old state said so). The redirects' history before the
# permalinks they were made from: a next build reading old permalinks and new redirects
# arrives at the same redirects.
MOVED_LAST = (REDIRECTS, PERMALINKS, SEARCH_STATE, STATE_FILE)


class BuildFailed(Exception):
    pass


@dataclass
class BuildResult:
    output: Path
    pages: int
    seconds: float
    report: BuildReport  # which path the build took (full or overlay, snapshot, plan index, …)
    checksummed: int = 0  # files hashed for SHA256SUMS; the others kept their hash (ratsinfo/manifest.py)


def build_site(content: Path, output: Path, overrides: dict | None = None) -> BuildResult:
    from pelican import Pelican
    from pelican.settings import read_settings

    content, output = Path(content).resolve(), Path(output).resolve()
    if not content.is_dir():
        raise BuildFailed(f"Inhaltsordner {content} gibt es nicht. Erst importieren: ratsinfo import oparl URL")
    output.parent.mkdir(parents=True, exist_ok=True)
    with _only_build(output):
        clear_leftovers(output)
        known = known_checksums(output)  # before the new build replaces output/ or deletes from it
        take_vouched()  # what a failed build in this process left
        try:
            result = _build(content, output, overrides, Pelican, read_settings)
            known.update(take_vouched())
            started = time.monotonic()
            try:
                result.checksummed = write_manifest(output, known)
                result.seconds += time.monotonic() - started
            except OSError as exc:
                raise BuildFailed(f"Gebaut, aber {output / MANIFEST} ließ sich nicht schreiben: {exc}. "
                                  f"Platz und Rechte prüfen, dann erneut bauen.") from exc
        finally:
            # The graph stays frozen (plugins/council/loading.py) until the build is done: the overlay's
            # and the manifest's state files would otherwise start full collections over the whole graph.
            gc.unfreeze()
    _warn_missing_legal_pages(content, output)
    return result


def _warn_missing_legal_pages(content: Path, output: Path):
    """A portal without Impressum or Datenschutz may not go online; the build still succeeds (the
    town writes them once), but says which file to write. Judged on the built site, as check does."""
    from ratsinfo.check import page_warnings

    for warning in page_warnings(output, content / "pages"):
        log.warning(warning)


def _build(content: Path, output: Path, overrides: dict | None, Pelican, read_settings) -> BuildResult:
    staging = output.parent / f".{output.name}.neu-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    started = time.monotonic()
    overlay = (output / STATE_FILE).is_file() and (overrides or {}).get("RATSINFO_OVERLAY", True)
    report = BuildReport(overlay=bool(overlay))
    settings = read_settings(
        str(SETTINGS_FILE),
        override={
            "PATH": str(content), "OUTPUT_PATH": str(staging), "RATSINFO_PREVIOUS_OUTPUT": str(output),
            **(overrides or {}), "RATSINFO_OVERLAY": overlay, "RATSINFO_REPORT": report,
        },
    )
    _quiet_pelican()
    from pelican import signals

    signals.content_written.connect(_page_written)  # once: blinker keeps a receiver only once
    try:
        Pelican(settings).run()
    except Exception as exc:  # Pelican and plugins raise anything; the webmaster gets one message
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildFailed(f"Bauen fehlgeschlagen, {output} bleibt unverändert: {exc}") from exc
    kill_point("build:before-apply")
    if overlay:
        try:
            files = apply_overlay(staging, output)
        except OSError as exc:
            raise BuildFailed(f"Bauen fertig, aber {output} ließ sich nicht aktualisieren: {exc}. "
                              f"Ohne Zwischenstand neu bauen: {output} löschen und erneut bauen.") from exc
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    else:
        _swap(staging, output)
        files = (name for _, _, names in os.walk(output) for name in names)
    return BuildResult(output, sum(1 for name in files if name.endswith(".html")), time.monotonic() - started, report)


def lock_file(output: Path) -> Path:
    """Beside the parse cache, not beside output/: nothing of ours lies next to the site."""
    base = cache_root() / "locks"
    base.mkdir(parents=True, exist_ok=True)
    return base / (hashlib.sha1(str(Path(output).resolve()).encode("utf-8")).hexdigest()[:16] + ".lock")


LOCK_WAIT = 5.0  # seconds


@contextmanager
def _only_build(output: Path):
    """Two builds into one output/ would apply their overlays over each other: the second stops
    with a message (cron jobs overlapping a webmaster's manual build). It waits a few seconds
    first: the API and dump writers of a build killed a moment ago hold the lock they inherited
    until the kernel has taken them along (plugins/background.py, PR_SET_PDEATHSIG)."""
    lock_path = lock_file(output)
    try:
        with exclusive(lock_path, wait=LOCK_WAIT):
            yield
    except Busy:
        raise BuildFailed(f"In {output} baut gerade ein anderer Build (Sperrdatei {lock_path}). "
                          f"Warten, bis er fertig ist, dann erneut bauen.") from None


def clear_leftovers(output: Path):
    """What builds killed before their cleanup left (each as large as the site): staging folders
    and a previous output/ beside output/, the search index's trash inside it. Only under the
    build lock: then no live build of this output/ uses any of it."""
    staging, previous = f".{output.name}.neu-", f".{output.name}.alt-"
    beside = [Path(e.path) for e in os.scandir(output.parent) if e.name.startswith((staging, previous))]
    olds = [p for p in beside if p.name.startswith(previous) and p.is_dir() and not p.is_symlink()]
    if not output.exists() and len(olds) == 1:
        # Killed between the two renames of _swap: the site before it is the one to build on
        # (its permalinks are the history of the redirects).
        os.replace(olds[0], output)
        beside.remove(olds[0])
    inside = [Path(e.path) for folder in (output, output / "pagefind") if folder.is_dir()
              for e in os.scandir(folder) if e.name.startswith(".") and ".alt-" in e.name]
    for leftover in beside + inside:
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


def apply_overlay(staging: Path, output: Path) -> set[str]:
    """Move what the build wrote into output/, then delete what the build no longer has.
    Returns the site's files (without the search index)."""
    planned = _planned(staging / STATE_FILE)
    keep = set(planned)
    try:
        search = json.loads((staging / SEARCH_STATE).read_text(encoding="utf-8"))
        bundles, delta = set(search["bundles"]), bool(search.get("delta"))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        bundles, delta = None, False  # no index in this build (PAGEFIND off): an old one would not match the pages
    _forget_last_build(output)
    # Keys with "/" on every system, as in the build state and MOVED_LAST (os.walk gives "\\" on Windows).
    for folder, dirs, files in os.walk(staging):
        relative = os.path.relpath(folder, staging).replace(os.sep, "/")
        if relative == "pagefind":
            dirs.clear()
            continue
        for name in files:
            rel = name if relative == "." else f"{relative}/{name}"
            keep.add(rel)
            if rel in MOVED_LAST:
                continue
            if rel in planned:  # the council plugin staged it only because its bytes differ
                _move(os.path.join(folder, name), os.path.join(output, rel))
            else:
                _move_if_changed(staging / rel, output / rel)
            kill_point("build:overlay-move")
    _apply_search_index(staging, output, bundles, delta)
    for folder, dirs, files in os.walk(output, topdown=False):
        relative = os.path.relpath(folder, output).replace(os.sep, "/")
        if relative == "pagefind" or relative.startswith("pagefind/"):
            continue
        for name in files:
            rel = name if relative == "." else f"{relative}/{name}"
            if rel not in keep:
                os.unlink(os.path.join(folder, name))
        if relative != "." and not os.listdir(folder):
            os.rmdir(folder)
    for rel in MOVED_LAST:
        if (staging / rel).is_file():
            _move_if_changed(staging / rel, output / rel)
    return keep


def _forget_last_build(output: Path):
    """Before the first file moves: output/ no longer claims to be a build whose pages and search
    bundles a next build may keep (MOVED_LAST), nor one whose files SHA256SUMS names (a mirror
    would take a half-moved site for the old one). On disk before anything else changes."""
    for rel in (STATE_FILE, SEARCH_STATE, MANIFEST):
        (output / rel).unlink(missing_ok=True)
    fsync_folder(output / Path(STATE_FILE).parent)
    fsync_folder(output)


def _planned(state_file: Path) -> set[str]:
    """Pages and attachments of the new build that stayed in output/ (unchanged ones are not in
    staging), and the API's files (plugins/oparlapi keeps those the manifest vouches for)."""
    state = json.loads(state_file.read_text(encoding="utf-8"))
    planned = set(state["pages"]) | set(state.get("attachments", []))
    try:
        api = json.loads((state_file.parent / Path(OPARL_STATE).name).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return planned  # no API in this build
    return planned | {rel for rel in api if isinstance(rel, str)}


def _move(source: str, target: str):
    try:
        os.replace(source, target)
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        _move_if_changed(Path(source), Path(target))  # a new folder, or a file where one is needed


def _move_if_changed(source: Path, target: Path):
    try:
        st, new = target.stat(), source.stat()
        if (st.st_ino, st.st_dev) == (new.st_ino, new.st_dev):
            return  # a hard link to the old file (an unchanged dump, plugins/opendata): nothing to read
        if st.st_size == new.st_size and same_bytes(target, source):
            return  # same bytes: the old file keeps its mtime (mirrors and caches see no change)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
    except NotADirectoryError:
        target.parent.unlink()
        target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_dir():
        shutil.rmtree(target)
    os.replace(source, target)


def _apply_search_index(staging: Path, output: Path, bundles: set[str] | None, delta: bool = False):
    """Re-indexed bundles replace theirs as a whole; bundles the build no longer has go. The delta
    (pagefind/_delta/, plugins/search/delta.py) is replaced when staged, kept while the state
    names one, and goes with a fold: after the bundles it hides stale entries of."""
    new, old = staging / "pagefind", output / "pagefind"
    staged_delta = None
    if (new / DELTA).is_dir():
        staged_delta = staging / f".{DELTA}"
        os.replace(new / DELTA, staged_delta)
        if not any(new.iterdir()):
            new.rmdir()
    if bundles is None or "" in bundles and new.is_dir():
        _replace_dir(new if bundles is not None else None, old)
    elif "" not in bundles:
        # A split index: pagefind/<bundle>/ per bundle, and the delta.
        if old.is_dir():
            for entry in os.scandir(old):
                if entry.name not in bundles and entry.name != DELTA:
                    _replace_dir(None, Path(entry.path))
        if new.is_dir():
            for entry in os.scandir(new):
                _replace_dir(Path(entry.path), old / entry.name)
    if staged_delta is not None:
        _replace_dir(staged_delta, old / DELTA)
    elif not delta and (old / DELTA).exists():
        _replace_dir(None, old / DELTA)


def _replace_dir(source: Path | None, target: Path):
    trash = target.parent / f".{target.name}.alt-{os.getpid()}"
    if target.is_dir() and not target.is_symlink():
        os.replace(target, trash)
    elif target.exists() or target.is_symlink():
        target.unlink()
    if source is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
    shutil.rmtree(trash, ignore_errors=True)


def _swap(staging: Path, output: Path):
    previous = output.parent / f".{output.name}.alt-{os.getpid()}"
    if output.exists():
        os.replace(output, previous)
    kill_point("build:swap")
    os.replace(staging, output)
    shutil.rmtree(previous, ignore_errors=True)


def _page_written(path, context=None):
    kill_point("build:page")  # mid-build: Pelican has written some pages into the staging folder


def _quiet_pelican():
    # Pelican logs every generator at INFO and prints a summary that counts blog
    # articles (always 0 here); the webmaster wants our summary, and warnings.
    from pelican.log import console

    console.quiet = True
    logging.getLogger("pelican").setLevel(logging.WARNING)
