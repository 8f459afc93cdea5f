"""CouncilGenerator: Pelican meets our object graph here, through `get_generators`."""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import shutil
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican.generators import Generator

from plugins.council import format as fmt
from plugins.council import incremental
from plugins.council.graph import ContentError, load_graph
from plugins.council.incremental import ParseCache
from plugins.council.pages import PageSpec, plan
from plugins.council.shards import MANIFEST, is_split, plan_shards
from plugins.i18n import install_translations

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
        self.graph = None

    def generate_context(self):
        content = Path(self.settings["PATH"])
        cache = ParseCache(incremental.cache_folder(content) / "parse.pickle" if self.settings.get("RATSINFO_CACHE", True) else None)
        try:
            self.graph = load_graph(content, self.settings.get("PUBLISH_CONTACT_DATA", False), cache)
        except ContentError as exc:
            raise RuntimeError(f"Inhalt fehlerhaft: {exc}") from exc
        cache.save()
        bodies = list(self.graph.bodies.values())
        self.context["council_body"] = bodies[0] if bodies else None
        # Other plugins (feeds, calendars, sitemap) render from the same graph.
        self.context["council_graph"] = self.graph

    def data_as_of(self) -> datetime | None:
        """When the last import finished ("Stand der Daten"), from the importer's note in content/."""
        note = Path(self.settings["PATH"]) / ".ratsinfo" / "last-import.json"
        try:
            finished = datetime.fromisoformat(json.loads(note.read_text(encoding="utf-8"))["finished"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return finished.astimezone(ZoneInfo(self.settings.get("TIMEZONE") or "Europe/Berlin"))

    def today(self) -> date:
        configured = self.settings.get("RATSINFO_TODAY")
        return date.fromisoformat(configured) if configured else date.today()

    def generate_output(self, writer):
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
        # Other plugins add files that follow the same plan: calendars (plugins/feeds).
        specs = plan(self.graph, today, data_as_of) + list(self.context.get("council_extra_specs", []))
        # The search page must know the index bundles before it is rendered.
        shards = plan_shards(specs, int(self.settings.get("SEARCH_SHARD_PAGES") or 20_000))
        self._site["search_bundles"] = sorted(shards) if is_split(shards) else []
        for spec in specs:
            if spec.path == "suche.html":
                spec.salt = repr(self._site["search_bundles"])
        previous_output = self.settings.get("RATSINFO_PREVIOUS_OUTPUT")
        previous = Path(previous_output) if previous_output else None
        before = incremental.load_state(previous) if self.settings.get("RATSINFO_CACHE", True) else {}
        global_fp = self._global_fingerprint(site, today)
        stamps = {key: (stamp, self._url_of(key)) for key, stamp in self.graph.stamps.items()}
        fingerprints, to_render, reused = {}, [], 0
        in_place = previous is not None and previous.resolve() == output.resolve()
        for spec in specs:
            fingerprint = incremental.page_fingerprint(global_fp, spec.depends_on, stamps, spec.salt)
            if fingerprint is not None:
                fingerprints[spec.path] = fingerprint
            if (fingerprint is not None and before.get(spec.path) == fingerprint
                    and _reuse(previous, output, spec.path, in_place)):
                reused += 1
            else:
                to_render.append(spec)
        written = self._render_all(to_render, output)
        write_if_changed(output / incremental.STATE_FILE, incremental.state_bytes(fingerprints))
        write_if_changed(output / MANIFEST, (json.dumps(shards, indent=0, sort_keys=True) + "\n").encode("utf-8"))
        copied = self._copy_attachments(output / "dateien")
        log.info("ratsinfo: %d Seiten gerendert (%d neu geschrieben), %d übernommen, %d Dateien kopiert",
                 len(to_render), written, reused, copied)

    def _url_of(self, key):
        kind, object_id = key
        objects = getattr(self.graph, {"body": "bodies", "term": "terms", "organization": "organizations",
                                      "person": "persons", "meeting": "meetings", "paper": "papers",
                                      "file": "files"}[kind])
        obj = objects.get(object_id)
        return obj.url if obj is not None and kind != "body" else None

    def _global_fingerprint(self, site: dict, today: date) -> str:
        """Everything every page shows besides its own objects (header, footer, settings, the day)."""
        body = site["body"]
        shown = {
            "body": (body.name, self.graph.stamps.get(("body", body.id))) if body else None,
            "pages": [(p.title, p.url) for p in site["pages"]],
            "data_as_of": site["data_as_of"].date().isoformat() if site["data_as_of"] else None,
            "has_terms": site["has_terms"],
            "shard_threshold": self.settings.get("SEARCH_SHARD_PAGES"),
            "settings": {k: self.settings.get(k) for k in ("SITENAME", "PUBLIC_URL", "PUBLISH_CONTACT_DATA",
                                                           "TIMEZONE", "BASE_PATH", "RATSINFO_LANGUAGE",
                                                           "RATSINFO_TRANSLATIONS")},
        }
        return incremental.global_fingerprint(Path(self.theme), shown, today.isoformat())

    def _render(self, spec: PageSpec, output: Path) -> int:
        if spec.produce is not None:
            return write_if_changed(output / spec.path, spec.produce())
        template = self.get_template(spec.template)
        depth = spec.path.count("/")
        context = {**self.context, "site": self._site, "root": "../" * depth, "page_path": spec.path}
        context.update(spec.context)
        if spec.load:
            context.update(spec.load())
        return write_if_changed(output / spec.path, template.render(context).encode("utf-8"))

    def _render_all(self, specs: list[PageSpec], output: Path) -> int:
        """Render on every core: forked workers share the graph without copying it."""
        workers = min(int(self.settings.get("RATSINFO_WORKERS") or os.cpu_count() or 1), os.cpu_count() or 1)
        if workers < 2 or len(specs) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
            return sum(self._render(spec, output) for spec in specs)
        global _WORK
        _WORK = (self, specs, output)
        chunks = [range(i, len(specs), workers) for i in range(workers)]
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                return sum(pool.map(_render_chunk, chunks))
        finally:
            _WORK = None

    def _copy_attachments(self, target: Path) -> int:
        copied = 0
        source_dir = Path(self.settings["PATH"]) / "files"
        for f in self.graph.published_files():
            if not f.media:
                continue
            source, dest = source_dir / f.media, target / f.media
            if dest.is_file() and dest.stat().st_size == source.stat().st_size and dest.stat().st_mtime >= source.stat().st_mtime:
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.unlink(missing_ok=True)
            try:
                os.link(source, dest)  # no second copy of every document on disk
            except OSError:
                shutil.copy2(source, dest)
            copied += 1
        return copied


# Below this many pages, forking costs more than it saves.
PARALLEL_FROM = 400
_WORK = None


def _render_chunk(indices) -> int:
    generator, specs, output = _WORK
    return sum(generator._render(specs[i], output) for i in indices)


def _reuse(previous: Path | None, output: Path, path: str, in_place: bool) -> bool:
    """Take an unchanged page from the previous build (a hard link, or nothing to do in place)."""
    if previous is None:
        return False
    source, target = previous / path, output / path
    if in_place:
        return target.is_file()
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


def write_if_changed(path: Path, payload: bytes) -> int:
    """Write only when the bytes differ, so unchanged pages keep their mtime."""
    try:
        if path.stat().st_size == len(payload) and path.read_bytes() == payload:
            return 0
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(payload)
    os.replace(tmp, path)
    return 1
