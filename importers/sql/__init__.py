"""Import a council system's database export (any database SQLAlchemy reaches) into content/.

A YAML mapping names, per kind, the table, view or query and the column of
each field, and the publication rule (docs/sql-export.md). The run goes the
same way as the OParl importer's: read → normalise (normalise.py) → filter
(importers/publication.py) → write (importers/content.py). The whole mapping
is checked against the database before anything is read, and nothing is
written unless everything was read.

Later runs read only rows whose `incremental` column is at least the newest
value seen last time, but always every key, so deleted rows disappear. A full
run is made at least weekly, and whenever the mapping changed.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from importers.content import ContentWriter, note_successful_run
from importers.errors import ImportFailed
from importers.progress import LOG_EVERY, import_progress
from importers.publication import CONTACT_FIELDS, Policy, publish
from importers.report import Report
from importers.sql import store
from importers.sql.attachments import Attachments
from importers.sql.database import Database, first_line
from importers.sql.mapping import DEFAULT_MAPPING, MappingError, load_mapping
from importers.sql.normalise import Normaliser
from importers.sql.reader import Reader

__all__ = ["DEFAULT_MAPPING", "MappingError", "import_sql", "load_mapping"]

# Rows whose incremental column a source system forgets to update would stay stale
# for ever; a weekly full run puts them right (as the OParl importer does).
FULL_RUN_EVERY = timedelta(days=7)


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
) -> Report:
    """Read, normalise, filter and write one database export. Raises ImportFailed."""
    content_dir = Path(content_dir)
    report = Report()
    policy = policy or Policy()
    spec = load_mapping(mapping)
    if files_root is not None and "file" in spec.objects:
        spec.objects["file"] = replace(spec.objects["file"], root=Path(files_root).resolve())
    db = Database(location, report)
    try:
        source_key = f"sql:{db.label}"
        store_file = store.store_path(content_dir, source_key)
        previous = None if full else store.load(store_file)
        now = datetime.now(timezone.utc)
        if previous and (previous.mapping != spec.digest or previous.contact_data != policy.publish_contact_data
                         or previous.last_full_run() < now - FULL_RUN_EVERY):
            previous = None
        with import_progress(show_progress, progress_every) as progress:
            reader = Reader(db, spec, report, on_rows=progress.count)  # checks the mapping
            snapshot = reader.read(previous.rows if previous else None, previous.since if previous else {})
            report.mode = f"inkrementell ({snapshot.read} Zeilen gelesen)" if previous else "vollständig"
            attachments = Attachments(report, spec.objects["file"].root if "file" in spec.objects else None)
            if "file" in reader.kinds:
                files = reader.kinds["file"]
                attachments.use_blobs(files.table, files.key, files.content_column)
            normaliser = Normaliser(snapshot, spec, report, attachments)
            records = publish(normaliser.records(), policy, report)
            writer = ContentWriter(
                content_dir,
                source_key=source_key,
                report=report,
                fetch_file=attachments.fetch if mirror_files and attachments.any else None,
                force=force,
                on_file=progress.task("Dateien", sum(1 for r in records if r.kind == "file")),
            )
            writer.write(records)
        store.save(store_file, store.Store(
            mapping=spec.digest,
            last_full=previous.last_full if previous else now.isoformat(),
            rows=_published_rows(snapshot.rows, normaliser.kept_rows(records), policy),
            since=snapshot.since,
            contact_data=policy.publish_contact_data,
        ))
    except SQLAlchemyError as exc:
        raise ImportFailed(f"Lesen aus {db.label} fehlgeschlagen: {first_line(exc)}") from exc
    finally:
        db.close()
    note_successful_run(content_dir, report)
    return report


def _published_rows(rows: dict, kept: dict, policy: Policy) -> dict:
    """The rows the store may remember: those that went into published objects, as published."""
    result = {}
    for kind, by_key in rows.items():
        result[kind] = {key: values for key, values in by_key.items() if key in kept.get(kind, ())}
        if kind == "person" and not policy.publish_contact_data:
            result[kind] = {key: {k: v for k, v in values.items() if k not in CONTACT_FIELDS}
                            for key, values in result[kind].items()}
    return result


