"""Import a council system's database export (any database SQLAlchemy reaches) into content/.

A YAML mapping names, per kind, the table, view or query and the column of
each field, and the publication rule (docs/sql-export.md). `SqlSource` reads
(reader.py) and normalises (normalise.py); the run is the pipeline's, the
same as for OParl (importers/pipeline.py). The whole mapping is checked
against the database before anything is read, and nothing is written unless
everything was read.

Later runs read only rows whose `incremental` column is at least the newest
value seen last time, but always every key, so deleted rows disappear. A full
run is made at least weekly, and whenever the mapping changed (the mapping's
digest is the source's fingerprint).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from importers import pipeline, store
from importers.errors import ImportFailed
from importers.progress import LOG_EVERY, ImportProgress
from importers.publication import Policy, Takedowns, without_contact_data
from importers.records import Record
from importers.report import Report
from importers.sql.attachments import Attachments
from importers.sql.database import Database, first_line
from importers.sql.mapping import DEFAULT_MAPPING, Mapping, MappingError, load_mapping
from importers.sql.normalise import Normaliser
from importers.sql.reader import Reader, Snapshot
from importers.state import state_dir
from importers.store import Memory
from ratsinfo.contracts import CONTENT_STATE_DIR

__all__ = ["DEFAULT_MAPPING", "MappingError", "SqlSource", "import_sql", "load_mapping"]


class SqlSource:
    """A database export read through a mapping, as importers/pipeline.Source reads it."""

    name = "sql"
    incremental = True
    check_url = None

    def __init__(self, db: Database, spec: Mapping, report: Report):
        self.db = db
        self.spec = spec
        self.key = f"sql:{db.label}"
        self.fingerprint = spec.digest
        self.report = report
        self.attachments: Attachments | None = None
        self.snapshot: Snapshot | None = None
        self.normaliser: Normaliser | None = None

    def read(self, previous: Memory | None, withheld_before: set[str], progress: ImportProgress,
             spool=None) -> list[Record]:
        rows, since = None, {}
        if previous:
            rows, since = {}, json.loads(previous.meta.get("since", "{}"))
            for (kind, key), values in previous.objects.items():
                rows.setdefault(kind, {})[key] = values
        reader = Reader(self.db, self.spec, self.report, on_rows=progress.count)  # checks the mapping
        self.snapshot = reader.read(rows, since)
        self.report.mode = f"inkrementell ({self.snapshot.read} Zeilen gelesen)" if previous else "vollständig"
        files = self.spec.objects.get("file")
        self.attachments = Attachments(self.report, files.root if files else None)
        if "file" in reader.kinds:
            table = reader.kinds["file"]
            self.attachments.use_blobs(table.table, table.key, table.content_column)
        self.normaliser = Normaliser(self.snapshot, self.spec, self.report, self.attachments)
        return self.normaliser.records()

    def fetch_file(self):
        return self.attachments.fetch if self.attachments.any else None

    def after_file(self):
        pass

    def remember(self, records: list[Record], policy: Policy) -> Memory:
        """The rows that went into published objects, as published."""
        kept = self.normaliser.kept_rows(records)
        memory = Memory(meta={"since": json.dumps(self.snapshot.since, sort_keys=True)})
        for kind, by_key in self.snapshot.rows.items():
            for key, values in by_key.items():
                if key in kept.get(kind, ()):
                    memory.objects[(kind, key)] = without_contact_data(values, policy) if kind == "person" else values
        return memory

    def finished(self):
        pass

    def failed(self, exc: BaseException):
        if isinstance(exc, SQLAlchemyError):
            return ImportFailed(f"Lesen aus {self.db.label} fehlgeschlagen: {first_line(exc)}")
        return None

    def close(self):
        self.db.close()


def import_sql(
    location: str,
    content_dir: Path,
    *,
    mapping: Path | str | None = None,
    files_root: Path | str | None = None,
    policy: Policy | None = None,
    force: bool = False,
    full: bool = False,
    mirror_files: bool = True,
    show_progress: bool | None = None,
    progress_every: int = LOG_EVERY,
    takedowns: Takedowns | None = None,
) -> Report:
    """Read, normalise, filter and write one database export. Raises ImportFailed.
    `takedowns`: the town's takedown ledger (ratsinfo/scrub.takedowns_of), applied to what is written."""
    content_dir = Path(content_dir)
    report = Report()
    spec = load_mapping(mapping)
    if files_root is not None and "file" in spec.objects:
        spec.objects["file"] = replace(spec.objects["file"], root=Path(files_root).resolve())
    source = SqlSource(Database(location, report), spec, report)
    _remove_legacy_stores(content_dir, source.key)
    return pipeline.run(source, content_dir, policy=policy, force=force, full=full, mirror_files=mirror_files,
                        show_progress=show_progress, progress_every=progress_every,
                        takedowns=takedowns)


def _remove_legacy_stores(content: Path, source_key: str):
    """The JSON stores of earlier versions (in content/.ratsinfo/ before issue 13, in the private
    folder before issue 15) are deleted: the next run reads everything again."""
    name = f"sql-{store.source_digest(source_key)}.json"
    (Path(content) / CONTENT_STATE_DIR / name).unlink(missing_ok=True)
    legacy = state_dir(content) / name
    legacy.unlink(missing_ok=True)
