"""OpenDataGenerator: the dumps under daten/ and the "Offene Daten" page.

The rows are the API's objects (plugins/oparlapi), taken from the context when the API was
built (PUBLIC_URL set: links absolute) and made here otherwise, with links relative to the
site root: dumps need no public address, their ids are the local ones either way. The files are
written in a child process beside the rest of the build (plugins/background.py).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican.generators import Generator

from plugins import background
from plugins.common import write_if_changed
from plugins.council.plan import PageSpec
from plugins.oparlapi.layout import SYSTEM, Urls
from plugins.oparlapi.objects import Objects, licence_url
from plugins.opendata import formats
from plugins.opendata.package import PACKAGE, SQLITE, package
from plugins.opendata.tables import TABLES, rows
from plugins.urls import DATA_FOLDER, OPEN_DATA
from ratsinfo.contracts import OPENDATA_STATE

log = logging.getLogger(__name__)

# Part of the SQLite fingerprint: a new layout makes the database anew even if no row changed.
SQLITE_LAYOUT = hashlib.sha256("\n".join(formats.create_statements()).encode("utf-8")).hexdigest()[:16]


class SourceClock:
    """created/modified as the content has them, nothing from the build (the API's Clock keeps
    build-day stamps in its state; without the API there is none)."""

    def stamp(self, obj: dict, source_modified: str | None):
        return None, source_modified


class OpenDataGenerator(Generator):
    """Runs after OParlGenerator (PLUGINS order): its objects are in the context by generate_output."""

    def generate_context(self):
        background.forget()  # a child of an earlier build in this process that failed
        if self.context.get("council_graph") is None:
            raise RuntimeError("plugins.opendata braucht plugins.council: in PLUGINS davor eintragen")
        licence = self.settings.get("DATA_LICENCE")
        self.licence = licence_url(licence)
        self.licence_id = licence.strip().lower() if licence and self.licence and licence != self.licence else None
        page = {
            "api": SYSTEM if self.context.get("oparl_api") else None,
            "folder": DATA_FOLDER, "package": f"{DATA_FOLDER}/{PACKAGE}", "sqlite": f"{DATA_FOLDER}/{SQLITE}",
            "tables": [(t.title, f"{DATA_FOLDER}/{t.name}.csv", f"{DATA_FOLDER}/{t.name}.jsonl") for t in TABLES],
            "licence": licence, "licence_url": self.licence,
        }
        # Its own page in the council's plan: rendered with the theme, fingerprinted like any page.
        self.context.setdefault("council_extra_specs", []).append(
            PageSpec(OPEN_DATA, "opendata", {"open_data": page}, frozenset(), salt=repr(page)))
        self.context["site_open_data"] = OPEN_DATA

    def generate_output(self, writer):
        output = Path(self.output_path) / DATA_FOLDER
        graph = self.context["council_graph"]
        made = self.context.get("oparl_objects")
        if made is not None:
            objects, base = made
        else:
            base = ""
            urls = Urls(base)
            # Without texts: the files table reads each one as it writes its row (text_of below).
            objects = Objects(graph, urls, SourceClock(), tz=ZoneInfo(self.settings.get("TIMEZONE") or "Europe/Berlin"),
                              web_url=lambda obj: urls.url(obj.url),
                              contact=bool(self.settings.get("PUBLISH_CONTACT_DATA")), licence=self.licence,
                              texts=False).build()
        published = {f.id: f for f in graph.published_files()}
        name = self.context.get("portal_name") or "Ratsinformation"
        background.start(lambda: self.write(output, objects, base, published, name), self.written, "Offene Daten")

    def write(self, output: Path, objects: Objects, base: str, published: dict, name: str) -> int:
        """Every dump and the SQLite state (in the child process, background.start): how many
        files were written anew."""

        def text_of(file_id: str) -> str | None:
            # From disk, one at a time, whether or not the API's objects hold the texts too.
            found = published.get(file_id)
            return (found.read_text() or None) if found is not None else None

        written, digest = [], hashlib.sha256(SQLITE_LAYOUT.encode("ascii"))
        for table in TABLES:
            with formats.changed_file(output / f"{table.name}.jsonl", written) as lines, \
                    formats.changed_file(output / f"{table.name}.csv", written) as cells:
                spreadsheet = formats.CsvWriter(table, cells)
                for r in rows(table, objects, base, text_of):
                    line = formats.jsonl_line(r)
                    digest.update(line)
                    lines.write(line)
                    spreadsheet.write(r)
                spreadsheet.close()
        written.append(write_if_changed(output / PACKAGE, package(name, self.licence_id, self.licence)))
        written.append(self.sqlite(output, digest.hexdigest()))
        return sum(written)

    @staticmethod
    def written(count: int):
        log.info("ratsinfo: Offene Daten (%s/) mit %d Dateien, %d neu geschrieben",
                 DATA_FOLDER, 2 * len(TABLES) + 2, count)

    def sqlite(self, output: Path, fingerprint: str) -> int:
        """The database, made only when its rows changed: SQLite files of equal rows need not be
        equal bytes, and at city scale the full-text index takes longest. Its rows are read back
        from the JSON Lines just written, so the texts are not read from the documents twice."""
        path = output / SQLITE
        state = Path(self.output_path) / OPENDATA_STATE
        previous = Path(self.settings.get("RATSINFO_PREVIOUS_OUTPUT") or self.output_path)
        old = previous / DATA_FOLDER / SQLITE
        try:
            before = json.loads((previous / OPENDATA_STATE).read_text(encoding="utf-8")).get("sqlite")
        except (OSError, ValueError, AttributeError):
            before = None
        write_if_changed(state, (json.dumps({"sqlite": fingerprint}) + "\n").encode("utf-8"))
        if before == fingerprint and old.is_file():
            if old != path:
                # Into this build's staging folder: the same inode, so output/ keeps the file and its mtime.
                path.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(old, path)
                except OSError:
                    shutil.copy2(old, path)
            return 0
        formats.write_sqlite(path, {t.name: formats.read_jsonl(output / f"{t.name}.jsonl") for t in TABLES})
        return 1
