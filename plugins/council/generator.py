"""CouncilGenerator: Pelican meets the council rooms here, through `get_generators`.

Thin on purpose, like Pelican's own generators: it loads the graph (loading.py, or its
snapshot: reuse/snapshot.py), hands it to the other plugins in the context, lets reuse/rebuild.py
decide which pages of the plan (plan.py) to render, renders them (render.py) and writes the
build state (reuse/fingerprints.py).
"""

from __future__ import annotations

import logging
import os
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from pelican.generators import Generator

import boundedyaml
from plugins.council import format as fmt
from plugins.council import problems, withhold
from plugins.common import json_lines, site_today, write_if_changed
from plugins.council.loading import ContentError, bulk_allocation, list_content, load_graph
from plugins.council.render import Renderer, copy_attachments, template_cache
from plugins.council.reuse import fingerprints, snapshot
from plugins.council.reuse.cache import cache_folder
from plugins.council.reuse.parse_cache import ParseCache
from plugins.council.reuse.plan_index import index_path
from plugins.council.reuse.rebuild import Rebuild
from plugins.council.reuse.redating import stand_of
from plugins.council.shards import MANIFEST
from plugins.i18n import install_translations, load_translations
from plugins.urls import URL_FOLDERS
from ratsinfo import takedown
from ratsinfo.contracts import SITE_FILE, BuildReport

log = logging.getLogger(__name__)

# The footer's line when the body's name cannot be put into a German genitive (base.html): what
# other languages translate.
FOOTER_PLAIN = "Öffentliche Ratsinformationen: %(body)s."


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
        self._patched = None
        self._plan_file = None
        self.withheld = withhold.Effect()
        # Which path this build takes, for whoever started it (ratsinfo.build): tests ask it, not the log.
        self.report = self.settings.get("RATSINFO_REPORT") or BuildReport()

    def generate_context(self):
        content = Path(self.settings["PATH"])
        publish_contact_data = self.settings.get("PUBLISH_CONTACT_DATA", False)
        cached = self.settings.get("RATSINFO_CACHE", True)
        folder = cache_folder(content)
        snapshot_file = snapshot.snapshot_path(folder, publish_contact_data)
        self._plan_file = index_path(folder, publish_contact_data) if cached else None
        with bulk_allocation():
            listing = list_content(content)
            self._patched = snapshot.load(snapshot_file, content, listing, publish_contact_data) if cached else None
            if self._patched is None:
                cache = ParseCache(folder if cached else None)
                try:
                    self.graph = load_graph(content, publish_contact_data, cache, listing)
                except ContentError as exc:
                    raise RuntimeError(f"Inhalt fehlerhaft: {exc}") from exc
                # What pages show of each object, for their fingerprints; kept in the snapshot.
                self.graph.tokens = fingerprints.object_tokens(self.graph, self.graph.stamps)
            else:
                cache = None
                self.graph = self._patched.graph
                edited = self._patched.edited
                self.graph.tokens.update(fingerprints.object_tokens(
                    self.graph, {key: self.graph.stamps[key] for key in edited}))
        if cache is not None:
            cache.save()
            if cached:
                snapshot.write_graph_in_background(snapshot_file, self.graph, listing["file"][1])
        self.report.graph = "loaded" if self._patched is None else "snapshot"
        # After the snapshot was taken (it keeps the graph as loaded): every output inherits this.
        self.withheld = self.apply_takedowns(content)
        self.context["council_gone"] = self.withheld.gone
        # Warn of what loading stepped over, every build until it is fixed; --strict stops here.
        problems.report(self.graph, strict=self.settings.get("RATSINFO_STRICT", False))
        bodies = list(self.graph.bodies.values())
        self.context["council_body"] = bodies[0] if bodies else None
        # The portal's name in the header, title and feeds: the town's SITENAME, else the body's name.
        self.context["portal_name"] = self.settings.get("SITENAME") or (bodies[0].name if bodies else None) \
            or "Ratsinformation"
        # The footer's "… der Großen Kreisstadt Muldenau": German grammar, so only where the footer
        # is German (its plain form untranslated, as also in a catalogue of nothing but msgids).
        german = load_translations(self.settings)[0].gettext(FOOTER_PLAIN) == FOOTER_PLAIN
        self.context["council_body_of"] = fmt.of_body_de(bodies[0].name) if bodies and german else None
        # Other plugins (feeds, calendars, sitemap) render from the same graph.
        self.context["council_graph"] = self.graph

    def apply_takedowns(self, content: Path) -> withhold.Effect:
        """The takedown ledger and the retention rules (plugins/council/withhold.py)."""
        path = takedown.ledger_path(content, self.settings.get("TAKEDOWN_LEDGER"))
        try:
            ledger = takedown.load(path)
        except takedown.LedgerError as exc:
            raise RuntimeError(f"Löschliste fehlerhaft: {exc}") from exc
        with bulk_allocation():
            effect = withhold.apply(self.graph, ledger, withhold.Retention.from_settings(self.settings), self.today())
        if effect.withheld or effect.reduced:
            log.info("ratsinfo: %d Objekte zurückgehalten, %d Personen nur mit Namen und Zeitraum",
                     len(effect.withheld), len(effect.reduced))
        return effect

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

    def site_context(self, data_as_of: datetime | None) -> dict:
        """`site` in every page's context: what header and footer show (the search bundles are added
        once planned)."""
        return {
            "name": self.settings.get("SITENAME"),
            "body": self.context.get("council_body"),
            "pages": [p for p in self.context.get("pages", [])],
            "data_as_of": data_as_of,
            "has_terms": bool(self.graph.terms),
            # The search page, if plugins/search will index the site (the context key site_search).
            "search_page": self.context.get("site_search"),
            # The "Offene Daten" page, if plugins/opendata writes the dumps (the context key site_open_data).
            "open_data": self.context.get("site_open_data"),
        }

    def generate_output(self, writer):
        output = Path(self.output_path)
        data_as_of = self.data_as_of()
        site = self.site_context(data_as_of)
        previous_output = self.settings.get("RATSINFO_PREVIOUS_OUTPUT")
        previous = Path(previous_output) if previous_output else None
        overlay = bool(self.settings.get("RATSINFO_OVERLAY")) and previous is not None
        renderer = Renderer(self.get_template, self.context, site, output, previous if overlay else None)
        global_fp = fingerprints.site_fingerprint(Path(self.theme), self.graph, site, self.settings,
                                                  self.context.get("site_subscribe"), self.withheld.digest)
        # What other plugins offer on objects' pages (plugins/feeds: calendars, feeds).
        offers = self.context.get("council_offers") or {}
        rebuild = Rebuild(self.graph, self._patched, self._plan_file, self.today(), data_as_of, site, global_fp, offers)
        with bulk_allocation():
            decided = rebuild.decide(previous, overlay, self.settings.get("RATSINFO_CACHE", True),
                                     (int(self.settings.get("SEARCH_SHARD_PAGES") or 20_000),
                                      int(self.settings.get("SEARCH_BUNDLE_CHARS") or 0)),
                                     self.context.get("council_extra_specs", []), output, renderer)
        if decided.replanned is not None:
            log.info("ratsinfo: Seitenplan übernommen, %d Seiten neu geplant", decided.replanned)
        workers = int(self.settings.get("RATSINFO_WORKERS") or os.cpu_count() or 1)
        written = renderer.render_all(decided.pages, workers)
        attachments, copied = copy_attachments(self.graph.published_files(), Path(self.settings["PATH"]) / "files",
                                               URL_FOLDERS["file"], output, renderer.compare_with)
        write_if_changed(output / fingerprints.STATE_FILE,
                         fingerprints.state_bytes(decided.fingerprints, attachments, stand_of(data_as_of), global_fp))
        write_if_changed(output / MANIFEST, json_lines(decided.shards).encode("utf-8"))
        self.report.plan = "index" if decided.replanned is not None else "planned"
        self.report.replanned = decided.replanned
        self.report.rendered, self.report.written = len(decided.pages) - decided.redated, written
        self.report.reused, self.report.redated = decided.reused, decided.redated
        log.info("ratsinfo: %d Seiten gerendert (%d neu geschrieben), %d übernommen (%d davon neu datiert), "
                 "%d Dateien kopiert", len(decided.pages) - decided.redated, written, decided.reused,
                 decided.redated, copied)
