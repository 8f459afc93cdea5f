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
from plugins.opendata.slots import Slots, slot_folder
from plugins.opendata.tables import TABLES, LocalIds, Table, rows
from plugins.urls import DATA_FOLDER, OPEN_DATA
from ratsinfo.contracts import OPENDATA_STATE
from ratsinfo.files import same_bytes
from ratsinfo.killpoints import kill_point
from ratsinfo.manifest import vouch

log = logging.getLogger(__name__)

# In the state: a new layout makes the database anew even if no row changed.
SQLITE_LAYOUT = hashlib.sha256("\n".join(formats.create_statements()).encode("utf-8")).hexdigest()[:16]
# The code that turns objects into rows and bytes: a table whose objects are the same is kept only
# if this is too (Dumps.table).
ROWS_CODE = hashlib.sha256(b"".join((Path(__file__).parent / name).read_bytes()
                                    for name in ("generator.py", "tables.py", "formats.py"))).hexdigest()[:16]


class SourceClock:
    """created/modified as the content has them, nothing from the build (the API's Clock keeps
    build-day stamps in its state; without the API there is none)."""

    def stamp(self, obj: dict, source_modified: str | None):
        return None, source_modified


class OpenDataGenerator(Generator):
    """Runs after OParlGenerator (PLUGINS order): its objects are in the context by generate_output."""

    def generate_context(self):
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
        self.queue()

    def generate_output(self, writer):
        pass  # written by the job queued in generate_context (plugins/background.py)

    def queue(self):
        """The dumps' job, started with the API's beside the rendering (plugins/background.py)."""
        output = Path(self.output_path)
        graph = self.context["council_graph"]
        made = self.context.get("oparl_objects")
        name = self.context.get("portal_name") or "Ratsinformation"
        tz = ZoneInfo(self.settings.get("TIMEZONE") or "Europe/Berlin")
        contact = bool(self.settings.get("PUBLISH_CONTACT_DATA"))

        def job():
            if made is not None:
                objects, base = made[0](), made[1]
            else:
                base = ""
                urls = Urls(base)
                # Without texts: the files table reads each one as it writes its row (text_of in write).
                objects = Objects(graph, urls, SourceClock(), tz=tz, web_url=lambda obj: urls.url(obj.url),
                                  contact=contact, licence=self.licence, texts=False).build()
            return self.write(output, objects, base, graph, name)

        background.queue(job, self.written, "Offene Daten")

    def write(self, output: Path, objects: Objects, base: str, graph, name: str) -> dict:
        """Every dump and their state (in the child process, plugins/background.py): how many files
        were written anew, and the checksums of those for the manifest."""
        folder = output / DATA_FOLDER
        previous = Path(self.settings.get("RATSINFO_PREVIOUS_OUTPUT") or self.output_path)
        slots = None
        if self.settings.get("RATSINFO_CACHE", True) and self.settings.get("PATH"):
            slots = Slots.usable(slot_folder(Path(self.settings["PATH"]), previous), previous / DATA_FOLDER / SQLITE,
                                 SQLITE_LAYOUT)
        dumps = Dumps(folder, previous / DATA_FOLDER, read_state(previous), slots)
        if objects.texts:
            text_of = None  # the API's Files hold their texts already
        else:
            published = {f.id: f for f in graph.published_files()}

            def text_of(file_id: str) -> str | None:
                # From disk, one at a time: a city's texts are never in memory together.
                found = published.get(file_id)
                return (found.read_text() or None) if found is not None else None
        local = LocalIds(base)
        try:
            for table in TABLES:
                inputs = table_inputs(table, objects, base, None if text_of is None else published, local)
                dumps.table(table, rows(table, objects, base, text_of, local), inputs)
            dumps.finish()
        except BaseException:
            dumps.abort()
            raise
        dumps.written += write_if_changed(folder / PACKAGE, package(name, self.licence_id, self.licence))
        write_if_changed(output / OPENDATA_STATE, dumps.state())
        return {"written": dumps.written, "vouched": dumps.vouched}

    @staticmethod
    def written(result: dict):
        for path, entry in result["vouched"].items():
            vouch(path, entry)
        log.info("ratsinfo: Offene Daten (%s/) mit %d Dateien, %d neu geschrieben",
                 DATA_FOLDER, 2 * len(TABLES) + 2, result["written"])


def table_inputs(table: Table, objects: Objects, base: str, published: dict | None, local: LocalIds) -> str:
    """What a table's rows are made from, without making them: its objects' JSON as the API has
    them, and for a File without its text (texts=False) where the text lies, as the file system
    tells it (size, mtime, inode: an importer writes a text anew, not in place) or the redacted
    text itself. The same inputs give the same rows: the table's files are kept, its document texts
    not read (a city's are hundreds of megabytes)."""
    found = objects.by_type[table.oparl]
    digest = hashlib.sha256(f"{ROWS_CODE}\x1f{base}\x1f{table.name}\n".encode("utf-8"))
    digest.update(json.dumps(found, ensure_ascii=False, default=str).encode("utf-8"))  # one call: 0.1 s a city
    if published is not None and table.oparl == "File":
        for obj in found:
            digest.update(_text_source(published.get(local(obj.get("id")))).encode("utf-8"))
    return digest.hexdigest()


def _text_source(found) -> str:
    if found is None:
        return "\x1fnone"
    if found.redacted_text is not None:
        return "\x1fredacted " + hashlib.sha256(found.redacted_text.encode("utf-8")).hexdigest()
    if found.text_path is None:
        return "\x1fno text"
    try:
        st = os.stat(found.text_path)
    except OSError:
        return "\x1fmissing"
    return f"\x1f{found.text_path}\x1f{st.st_size}\x1f{st.st_mtime_ns}\x1f{st.st_ino}"


def read_state(previous: Path) -> dict:
    try:
        state = json.loads((previous / OPENDATA_STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) and state.get("layout") == SQLITE_LAYOUT else {}


class Dumps:
    """The files under daten/, table by table: JSON Lines and CSV made whole, and kept from the last
    build (as links) when the table's rows are the same; the SQLite database made whole by a first
    build, patched with the rows that changed by later ones (formats.Database; in a slot of the build
    cache where there is one, plugins/opendata/slots.py), kept when none did."""

    def __init__(self, folder: Path, old: Path, before: dict, slots: Slots | None = None):
        self.folder, self.old = folder, old if old.resolve() != folder.resolve() else None
        self.slots = slots if self.old is not None else None
        tables = before.get("tables")
        self.before = tables if isinstance(tables, dict) and self.old is not None else {}
        self.tables: dict[str, dict] = {}
        self.written, self.vouched = 0, {}
        self.db: formats.Database | None = None
        self.patchable = bool(self.before) and (self.old / SQLITE).is_file() if self.old else False
        if not self.patchable:
            self.db = formats.Database(folder / SQLITE, None)

    def table(self, table: Table, found, inputs: str | None = None):
        old = self.before.get(table.name)
        old = old if isinstance(old, dict) and isinstance(old.get("rows"), dict) else {"rows": {}}
        old_rows = old["rows"]
        files = (f"{table.name}.jsonl", f"{table.name}.csv")
        fresh = self.db is not None and self.db.fresh
        if (inputs is not None and not fresh and old.get("inputs") == inputs and isinstance(old.get("digest"), str)
                and self._keep(files)):
            # Made from the same objects as last time: the same rows, the same files; the rows are
            # not made (`found` is a generator: no text read), the database keeps the table as it is.
            self.tables[table.name] = old
            return
        jsonl = self.folder / f"{table.name}.jsonl"
        temp = jsonl.with_name(f".{jsonl.name}.tmp")
        self.folder.mkdir(parents=True, exist_ok=True)
        digest, digests, changed, cells = hashlib.sha256(), {}, [], []
        csv_columns = [c.name for c in table.all_columns if c.csv]
        with open(temp, "wb") as lines:
            def each():
                for r in found:
                    line = formats.jsonl_line(r)
                    digest.update(line)
                    lines.write(line)
                    key = digests[r["id"]] = hashlib.blake2b(line, digest_size=8).hexdigest()
                    cells.append({c: r[c] for c in csv_columns})
                    if fresh:
                        yield r
                    elif old_rows.get(r["id"]) != key:
                        changed.append(r)
            if fresh:
                self.db.insert(table, each())
                self.db.index(table)
            else:
                for _ in each():
                    pass
        hexdigest = digest.hexdigest()
        self.tables[table.name] = {"digest": hexdigest, "rows": digests, "inputs": inputs}
        if old.get("digest") == hexdigest and self._keep(files):
            temp.unlink()
            return
        self._put(temp, jsonl, hexdigest)
        with formats.changed_file(self.folder / files[1], []) as handle:
            spreadsheet = formats.CsvWriter(table, handle)
            for r in cells:
                spreadsheet.write(r)
            spreadsheet.close()
        self._vouch(files[1])
        self.written += 2
        gone = old_rows.keys() - digests.keys()
        if not fresh and (changed or gone):
            if self.db is None:
                self.db = self._patchable()
            self.db.patch(table, gone, changed)
            if self.slots is not None:
                self.slots.record(table.name, gone, changed)
                kill_point("build:dumps-patched")  # a slot patched halfway: output/ keeps its own file

    def _patchable(self) -> formats.Database:
        """The last build's database to patch: a slot brought up to it by its journal, or a copy."""
        if self.slots is None:
            return formats.Database(self.folder / SQLITE, self.old / SQLITE)
        slot, current, journal = self.slots.take()
        by_name = {t.name: t for t in TABLES}
        if current and all(isinstance(p, tuple) and len(p) == 3 and p[0] in by_name and isinstance(p[1], list)
                           and isinstance(p[2], list) for p in journal):
            db = formats.Database(slot, None, in_place=True)
            for name, gone, changed in journal:
                db.patch(by_name[name], gone, changed)
            return db
        return formats.Database(slot, self.old / SQLITE)

    def _keep(self, names) -> bool:
        """The last build's files into this build's folder (the same inode: output/ keeps them and
        their mtime); False where one is missing."""
        if self.old is None or not all((self.old / n).is_file() for n in names):
            return False
        self.folder.mkdir(parents=True, exist_ok=True)
        for n in names:
            target = self.folder / n
            target.unlink(missing_ok=True)
            try:
                os.link(self.old / n, target)
            except OSError:
                shutil.copy2(self.old / n, target)
        return True

    def _put(self, temp: Path, path: Path, digest: str):
        if path.is_file() and same_bytes(temp, path):  # written in place (no staging folder): keep its mtime
            temp.unlink()
        else:
            os.replace(temp, path)
        st = path.stat()
        self.vouched[f"{DATA_FOLDER}/{path.name}"] = [st.st_size, st.st_mtime_ns, st.st_ino, digest]

    def _vouch(self, name: str):
        path = self.folder / name
        with open(path, "rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
        st = path.stat()
        self.vouched[f"{DATA_FOLDER}/{name}"] = [st.st_size, st.st_mtime_ns, st.st_ino, digest]

    def finish(self):
        if self.db is None:
            if not self._keep([SQLITE]):
                raise RuntimeError("Offene Daten: die SQLite-Datenbank des letzten Builds fehlt")
            return
        self.db.close()
        if self.db.path != self.folder / SQLITE:  # a slot: into the build as a link, output/ keeps its own file
            target = self.folder / SQLITE
            target.unlink(missing_ok=True)
            os.link(self.db.path, target)
            self.slots.done()
        self.db = None
        self._vouch(SQLITE)
        self.written += 1

    def abort(self):
        if self.db is not None:
            self.db.abort()

    def state(self) -> bytes:
        return (json.dumps({"layout": SQLITE_LAYOUT, "tables": self.tables}, separators=(",", ":"))
                + "\n").encode("utf-8")
