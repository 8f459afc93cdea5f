"""CouncilGenerator: Pelican meets our object graph here, through `get_generators`."""

from __future__ import annotations

import json
import logging
import os
import shutil
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican.generators import Generator

from plugins.council import format as fmt
from plugins.council.graph import ContentError, load_graph
from plugins.council.pages import plan

log = logging.getLogger(__name__)


class CouncilGenerator(Generator):
    """Reads content/ into a graph, then renders one page per object and the lists."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Every source string is untrusted; escaping is not a setting one can turn off.
        self.env.autoescape = True
        self.env.filters.update(fmt.FILTERS)
        self.graph = None

    def generate_context(self):
        content = Path(self.settings["PATH"])
        try:
            self.graph = load_graph(content, self.settings.get("PUBLISH_CONTACT_DATA", False))
        except ContentError as exc:
            raise RuntimeError(f"Inhalt fehlerhaft: {exc}") from exc
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
        templates = {}
        written = 0
        for spec in plan(self.graph, today, data_as_of):
            template = templates.get(spec.template) or self.get_template(spec.template)
            templates[spec.template] = template
            depth = spec.path.count("/")
            context = {**self.context, "site": site, "root": "../" * depth, "page_path": spec.path}
            context.update(spec.context)
            if spec.load:
                context.update(spec.load())
            html = template.render(context)
            written += write_if_changed(output / spec.path, html.encode("utf-8"))
        copied = self._copy_attachments(output / "dateien")
        log.info("ratsinfo: %d Seiten neu geschrieben, %d Dateien kopiert", written, copied)

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
            shutil.copy2(source, dest)
            copied += 1
        return copied


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
