"""CouncilGenerator: Pelican meets our object graph here, through `get_generators`."""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import shutil
import sys
from dataclasses import replace
from datetime import date, datetime
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2
import yaml
from jinja2 import FileSystemBytecodeCache
from pelican.generators import Generator

import boundedyaml
from plugins.common import site_today, write_if_changed
from plugins.council import format as fmt
from plugins.council import incremental
from plugins.council import plan_index, problems, snapshot
from plugins.council.graph import ContentError, list_content, load_graph
from plugins.council.incremental import ParseCache
from plugins.council.links import warn_skipped
from plugins.council.pages import PageSpec, check_unique_paths, plan
from plugins.council.shards import MANIFEST, is_split, plan_shards
from plugins.i18n import install_translations
from ratsinfo import portable
from ratsinfo.contracts import SITE_FILE

log = logging.getLogger(__name__)


class CouncilGenerator(Generator):
    """Reads content/ into a graph, then renders one page per object and the lists."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Every source string is untrusted; escaping is not a setting one can turn off.
        self.env.autoescape = True
        self.env.filters.update(fmt.FILTERS)
        # The portal's texts in RATSINFO_LANGUAGE, German without a catalogue (docs/i18n.md).
        install_translations(self.env, self.settings)
        if self.settings.get("RATSINFO_CACHE", True):
            self.env.bytecode_cache = template_cache(self.env)
        self.graph = None
        self._compare_with = None
        self._redate_from = None
        self._stand = None
        self._patched = None
        self._plan_file = None
        self._offers = {}

    def generate_context(self):
        content = Path(self.settings["PATH"])
        publish_contact_data = self.settings.get("PUBLISH_CONTACT_DATA", False)
        cached = self.settings.get("RATSINFO_CACHE", True)
        folder = incremental.cache_folder(content)
        snapshot_file = snapshot.snapshot_path(folder, publish_contact_data)
        self._plan_file = plan_index.index_path(folder, publish_contact_data) if cached else None
        with incremental.bulk_allocation():
            listing = list_content(content)
            self._patched = snapshot.load(snapshot_file, content, listing, publish_contact_data) if cached else None
            if self._patched is None:
                cache = ParseCache(folder if cached else None)
                try:
                    self.graph = load_graph(content, publish_contact_data, cache, listing)
                except ContentError as exc:
                    raise RuntimeError(f"Inhalt fehlerhaft: {exc}") from exc
                # What pages show of each object, for their fingerprints; kept in the snapshot.
                self.graph.tokens = self._key_tokens(self.graph.stamps)
            else:
                cache = None
                self.graph = self._patched.graph
                edited = self._patched.edited
                self.graph.tokens.update(self._key_tokens({key: self.graph.stamps[key] for key in edited}))
        if cache is not None:
            cache.save()
            if cached:
                snapshot.write_graph_in_background(snapshot_file, self.graph, listing["file"][1])
        # Warn of what loading stepped over, every build until it is fixed; --strict stops here.
        problems.report(self.graph, strict=self.settings.get("RATSINFO_STRICT", False))
        bodies = list(self.graph.bodies.values())
        self.context["council_body"] = bodies[0] if bodies else None
        # The portal's name in the header, title and feeds: the town's SITENAME, else the body's name.
        self.context["portal_name"] = self.settings.get("SITENAME") or (bodies[0].name if bodies else None) \
            or "Ratsinformation"
        # Other plugins (feeds, calendars, sitemap) render from the same graph.
        self.context["council_graph"] = self.graph

    def data_as_of(self) -> datetime | None:
        """"Stand der Daten": `data_as_of` in content/site.yaml (docs/content-format.md)."""
        path = Path(self.settings["PATH"]) / SITE_FILE
        try:
            value = boundedyaml.load(path.read_text(encoding="utf-8"), str(path))["data_as_of"]
            moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("ratsinfo: %s: kein gültiges data_as_of (%s); die Seiten zeigen keinen Stand der "
                        "Daten. Die Datei korrigieren oder neu importieren.", path, exc)
            return None
        except yaml.YAMLError as exc:
            raise RuntimeError(f"Inhalt fehlerhaft: {exc}") from exc
        if moment.tzinfo is None:
            return None
        return moment.astimezone(ZoneInfo(self.settings.get("TIMEZONE") or "Europe/Berlin"))

    def today(self) -> date:
        return site_today(self.settings)

    def generate_output(self, writer):
        with incremental.bulk_allocation():
            to_render, redated, fingerprints, shards, reused = self._plan_build()
        output = Path(self.output_path)
        written = self._render_all(to_render, output)
        attachments, copied = self._copy_attachments("dateien", output)
        write_if_changed(output / incremental.STATE_FILE,
                         incremental.state_bytes(fingerprints, attachments, self._stand))
        write_if_changed(output / MANIFEST, incremental.json_lines(shards).encode("utf-8"))
        log.info("ratsinfo: %d Seiten gerendert (%d neu geschrieben), %d übernommen (%d davon neu datiert), "
                 "%d Dateien kopiert", len(to_render) - redated, written, reused, redated, copied)

    def _plan_build(self):
        """Which pages to render: those whose fingerprint changed since the previous build."""
        output = Path(self.output_path)
        today = self.today()
        data_as_of = self.data_as_of()
        site = {
            "name": self.settings.get("SITENAME"),
            "body": self.context.get("council_body"),
            "pages": [p for p in self.context.get("pages", [])],
            "data_as_of": data_as_of,
            "has_terms": bool(self.graph.terms),
        }
        self._site = site
        previous_output = self.settings.get("RATSINFO_PREVIOUS_OUTPUT")
        previous = Path(previous_output) if previous_output else None
        use_cache = self.settings.get("RATSINFO_CACHE", True)
        before, before_stand = incremental.load_state(previous) if use_cache else ({}, None)
        self._stand = stand_of(data_as_of)
        global_fp = self._global_fingerprint(site)
        # What other plugins offer on objects' pages (plugins/feeds: calendars, feeds). A plan
        # taken over from the index must have been made with the same offers.
        self._offers = self.context.get("council_offers") or {}
        plan_fp = hashlib.sha1(repr((global_fp, sorted(self._offers.items()))).encode("utf-8")).hexdigest()
        # Overlay (ratsinfo/build.py): output/ receives only what changed, the previous
        # output/ keeps the rest. Otherwise unchanged pages are hard-linked from it.
        overlay = bool(self.settings.get("RATSINFO_OVERLAY")) and previous is not None
        self._compare_with = previous if overlay else None
        in_previous = site_files(previous) if overlay else None
        index = self._plan_index(today, data_as_of, plan_fp) if overlay and before_stand == self._stand else None
        replanned = self._replan(index, today, data_as_of, before, in_previous) if index else None
        if replanned is not None:
            # Only edits that templates show since the last full planning: its plan holds.
            council, fingerprints = replanned
            shards = index.shards
        else:
            index, fingerprints = None, {}
            council = plan(self.graph, today, data_as_of, offers=self._offers)
            # The search page must know the index bundles before it is rendered.
            shards = plan_shards(council, int(self.settings.get("SEARCH_SHARD_PAGES") or 20_000))
        self._site["search_bundles"] = sorted(shards) if is_split(shards) else []
        for spec in council:
            if spec.path == "suche.html":
                spec.salt = repr(self._site["search_bundles"])
        # Other plugins add files that follow the same plan: calendars (plugins/feeds).
        specs = council + list(self.context.get("council_extra_specs", []))
        # A plan taken over from the index keeps the paths it was checked with; new pages and
        # attachments are checked against them.
        check_unique_paths(specs, fingerprints, [f for f in self.graph.published_files() if f.media])
        tokens = self.graph.tokens
        to_render, to_redate, reused = [], [], len(fingerprints)
        computed = incremental.page_fingerprints(global_fp, [(s.depends_on, s.salt) for s in specs], tokens)
        for spec, fingerprint in zip(specs, computed):
            fingerprints[spec.path] = fingerprint
            if (fingerprint is not None and before.get(spec.path) == fingerprint
                    and _reuse(previous, output, spec.path, in_previous)):
                reused += 1
                if before_stand != self._stand and spec.path.endswith(".html"):
                    to_redate.append(spec)
            else:
                to_render.append(spec)
        if index is None:
            self._keep_plan(today, data_as_of, plan_fp, council, fingerprints, shards)
        if to_redate:
            # The day of the data changed, nothing else on these pages: only their footer is new.
            footer = self.get_template(STAND_TEMPLATE).render({**self.context, "site": self._site})
            redated = STAND_OPEN + footer.encode("utf-8") + STAND_CLOSE
            self._redate_from = previous
            to_redate = [replace(s, produce=partial(self._redated, s, redated)) for s in to_redate]
        return to_render + to_redate, len(to_redate), fingerprints, shards, reused

    def _plan_index(self, today: date, data_as_of, global_fp: str) -> plan_index.PlanIndex | None:
        """The last full planning's plan, if it is this build's: same snapshot, only edits that
        templates show since, same day, import time, code and settings."""
        if self._plan_file is None or self._patched is None or not self._patched.render_only:
            return None
        index = plan_index.load(self._plan_file)
        if index is None or (index.snapshot_id, index.day, index.data_as_of, index.global_fp) != (
                self.graph.snapshot_id, today.isoformat(), repr(data_as_of), global_fp):
            return None
        return index

    def _replan(self, index, today, data_as_of, before: dict, in_previous: set[str]):
        """Plan again only the pages that show an edited object, and those that output/ has not
        as planned (a build in between had other edits, or a page is missing). Returns their
        specs and the other pages' fingerprints, or None if the index does not fit after all."""
        again = index.pages_showing(self._patched.edited)
        for path, fingerprint in zip(index.paths, index.fingerprints):
            if fingerprint is None or before.get(path) != fingerprint or path not in in_previous:
                again.add(path)
        specs = plan(self.graph, today, data_as_of, offers=self._offers,
                     only={path: section for path, section in zip(index.paths, index.sections) if path in again})
        if {spec.path for spec in specs} != again:  # not the plan it was: plan everything
            log.warning("ratsinfo: gespeicherter Seitenplan passt nicht, plane alle Seiten")
            return None
        log.info("ratsinfo: Seitenplan übernommen, %d Seiten neu geplant", len(again))
        return specs, {path: fingerprint for path, fingerprint in zip(index.paths, index.fingerprints)
                       if path not in again}

    def _keep_plan(self, today, data_as_of, global_fp: str, council: list, fingerprints: dict, shards: dict):
        """The plan of the graph as its snapshot has it (loaded in full, or edited only where
        templates show it): a later build may take it (plan_index)."""
        if self._plan_file is None or self.graph.snapshot_id is None:
            return
        if self._patched is not None and not self._patched.render_only:
            return
        plan_index.write_in_background(self._plan_file, self.graph.snapshot_id, today.isoformat(), repr(data_as_of),
                                       global_fp, council, fingerprints, shards, self._site["search_bundles"])

    def _redated(self, spec: PageSpec, footer: bytes) -> bytes:
        """The previous page with the new "Stand der Daten"; rendered in full if it has none."""
        page = (self._redate_from / spec.path).read_bytes()
        start = page.rfind(STAND_OPEN)
        end = page.find(STAND_CLOSE, start) if start >= 0 else -1
        if end < 0:
            return self._render_bytes(replace(spec, produce=None))
        return page[:start] + footer + page[end + len(STAND_CLOSE):]

    def _key_tokens(self, stamps: dict) -> dict:
        """A page shows of an object what its file holds, and links to its URL."""
        return incremental.key_tokens({key: (stamp, self._url_of(key)) for key, stamp in stamps.items()})

    def _url_of(self, key):
        kind, object_id = key
        objects = getattr(self.graph, {"body": "bodies", "term": "terms", "organization": "organizations",
                                      "person": "persons", "meeting": "meetings", "paper": "papers",
                                      "file": "files"}[kind])
        obj = objects.get(object_id)
        return obj.url if obj is not None and kind != "body" else None

    def _global_fingerprint(self, site: dict) -> str:
        """Everything every page shows besides its own objects (header, footer, settings).
        Not the footer's "Stand der Daten": a new one re-dates pages without rendering them."""
        body = site["body"]
        shown = {
            "body": (body.name, self.graph.stamps.get(("body", body.id))) if body else None,
            "pages": [(p.title, p.url) for p in site["pages"]],
            "has_terms": site["has_terms"],
            # Whether the footer has a date at all: re-dating only replaces one date by another.
            "has_data_as_of": site["data_as_of"] is not None,
            "shard_threshold": self.settings.get("SEARCH_SHARD_PAGES"),
            # The site's calendar and feed, linked on every page by the plugin that writes them.
            "site_subscribe": repr(self.context.get("site_subscribe")),
            "settings": {k: self.settings.get(k) for k in ("SITENAME", "PUBLIC_URL", "PUBLISH_CONTACT_DATA",
                                                           "TIMEZONE", "BASE_PATH", "RATSINFO_LANGUAGE",
                                                           "RATSINFO_TRANSLATIONS", "CALENDAR_PAST_DAYS",
                                                           "DATA_LICENCE")},
        }
        return incremental.global_fingerprint(Path(self.theme), shown)

    def _render(self, spec: PageSpec, output: Path) -> int:
        return self._write(output, spec.path, self._render_bytes(spec))

    def _render_bytes(self, spec: PageSpec) -> bytes:
        if spec.produce is not None:
            return spec.produce()
        template = self.get_template(spec.template)
        depth = spec.path.count("/")
        context = {**self.context, "site": self._site, "root": "../" * depth, "page_path": spec.path}
        context.update(spec.context)
        if spec.load:
            context.update(spec.load())
        return template.render(context).encode("utf-8")

    def _write(self, output: Path, path: str, payload: bytes) -> int:
        """In an overlay, a page whose bytes equal those in output/ is not written at all."""
        if self._compare_with is not None:
            try:
                old = self._compare_with / path
                if old.stat().st_size == len(payload) and old.read_bytes() == payload:
                    return 0
            except (FileNotFoundError, NotADirectoryError):
                pass
        return write_if_changed(output / path, payload)

    def _render_all(self, specs: list[PageSpec], output: Path) -> int:
        """Render on every core: forked workers share the graph without copying it."""
        workers = min(int(self.settings.get("RATSINFO_WORKERS") or os.cpu_count() or 1), os.cpu_count() or 1)
        if workers < 2 or len(specs) < PARALLEL_FROM or not portable.can_fork():
            return sum(self._render(spec, output) for spec in specs)
        global _WORK
        _WORK = (self, specs, output)
        chunks = [range(i, len(specs), workers) for i in range(workers)]
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                return sum(pool.map(_render_chunk, chunks))
        finally:
            _WORK = None

    def _copy_attachments(self, folder: str, output: Path) -> tuple[list[str], int]:
        """Published documents into dateien/, as hard links (no second copy on disk)."""
        paths, copied = [], 0
        source_dir = Path(self.settings["PATH"]) / "files"
        for f in self.graph.published_files():
            source = source_dir / f.media if f.media else None
            if source is None or source.is_symlink():  # listed as a real file, made a link since
                if source is not None:
                    warn_skipped(str(source))
                continue
            paths.append(f"{folder}/{f.media}")
            places = [output / folder / f.media] + ([self._compare_with / folder / f.media] if self._compare_with else [])
            if not any(_same_file(source, place) for place in places):
                dest = output / folder / f.media
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.unlink(missing_ok=True)
                try:
                    os.link(source, dest)
                except OSError:
                    shutil.copy2(source, dest)
                copied += 1
        return paths, copied


def template_cache(env) -> FileSystemBytecodeCache:
    """Compiled templates in our cache folder: compiling them took longer than rendering the few
    pages a small change needs. Jinja checks each template's source; how it compiles depends on
    the environment too (autoescape, gettext style, extensions), so that is part of the folder."""
    shape = repr((jinja2.__version__, env.autoescape, getattr(env, "newstyle_gettext", None),
                  sorted(env.extensions), sys.version_info[:2]))
    folder = incremental.cache_root() / f"vorlagen-{hashlib.sha1(shape.encode()).hexdigest()[:16]}"
    folder.mkdir(parents=True, exist_ok=True)
    return FileSystemBytecodeCache(str(folder))


# The footer's "Stand der Daten" (theme/templates/base.html): the one thing every page shows that
# changes daily. A new day re-dates unchanged pages by replacing it, without rendering them.
STAND_TEMPLATE = "_stand"  # theme/templates/_stand.html
STAND_OPEN = b'<span id="stand-der-daten">'
STAND_CLOSE = b"</span>"


def stand_of(data_as_of: datetime | None) -> str | None:
    return data_as_of.date().isoformat() if data_as_of else None


# Below this many pages, forking costs more than it saves.
PARALLEL_FROM = 400
_WORK = None


def _render_chunk(indices) -> int:
    generator, specs, output = _WORK
    return sum(generator._render(specs[i], output) for i in indices)


def _same_file(source: Path, copy: Path) -> bool:
    try:
        a, b = source.stat(), copy.stat()
    except FileNotFoundError:
        return False
    return a.st_ino == b.st_ino and a.st_dev == b.st_dev or (a.st_size == b.st_size and b.st_mtime >= a.st_mtime)


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
