"""The one import pipeline every source runs through, and the contract a source keeps.

Like pupa's `BaseImporter`: a source (importers/oparl/, importers/sql/, and
whatever comes next) only reads; this module decides everything a run does
with what it read. The steps of `run`, in order:

1. Load the store of the source's last successful run (importers/store.py) and
   decide: incremental (the source can, its fingerprint and the contact-data
   policy are unchanged, and the last full run is younger than FULL_RUN_EVERY)
   or full.
2. `source.read(previous, withheld_before, progress, spool)`: the source fetches,
   normalises and returns typed records (importers/records.py), and sets
   `report.mode`.
3. The publication rule (importers/publication.publish): what is not public is
   dropped or reduced here, whatever the source delivered; before it the
   town's takedown ledger, when the caller hands it in (`takedowns`,
   publication.apply_takedowns): what it withholds is dropped, what it redacts
   replaced, in content/ and in the store alike.
4. The content writer (importers/content.ContentWriter): ids, attachments
   through `source.fetch_file`, then content/ in one go.
5. The store: `source.remember(records, policy)` keeps only what belongs to
   published records; the pipeline adds when the last full run was, the
   contact-data policy, the fingerprint and the agenda items to keep withheld.
6. The run note (`note_run`): the report in content/.ratsinfo/ and the data's
   date as `data_as_of` in content/site.yaml (docs/content-format.md), the only
   thing of a run the portal reads.

What a source provides (see `Source`): `name` and `key` (which store, which
files in content/ it owns), `fingerprint` (a change forces a full run),
`incremental` (whether it can read only changes), `report`, `read`,
`fetch_file` and `check_url` (for attachments), `remember`, and the hooks
`after_file`, `finished`, `failed` and `close`.

What the pipeline guarantees, for every source alike:
- Nothing non-public is written: not to content/ (steps 3 and 4 get only what
  `publish` let through; the plugins check again), not to the store (step 5).
- A failed run leaves content/ and the store as they were: nothing is written
  before everything was read and prepared (ContentWriter's two phases), the
  store and the note only after content/ was written; `source.failed` is told.
- The mass-deletion guard: a run that would delete more than half of all
  objects, or of one kind, stops without a change unless `force`
  (importers/content.check_deletions).
- Kill safety: a run killed at any point leaves only files the import state
  names, which the next run updates or deletes (importers/content.py,
  tests/test_kill_safety.py); one import per content/ at a time.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Protocol

from importers import files, store
from importers.content import TEMP_PREFIX, ContentWriter, FetchFile, render_front_matter
from importers.progress import LOG_EVERY, ImportProgress, import_progress
from importers.publication import Policy, Takedowns, apply_takedowns, publish, redact_memory, still_withheld, withheld_before
from importers.records import Record
from importers.report import Report
from importers.spool import Spool
from importers.store import Memory
from ratsinfo.contracts import CONTENT_STATE_DIR, IMPORT_REPORT, LEGACY_IMPORT_FINISHED, SITE_FILE
from ratsinfo.files import write_atomic

# Depublished objects vanish from a server's lists without a tombstone (Karlsruhe:
# 401 instead of `deleted`, research/oparl.md M13), and rows whose incremental column
# a source system forgets to update stay stale; only a full run notices. So a full
# run is made whenever the last one is older than this.
FULL_RUN_EVERY = timedelta(days=7)
# Ask for changes a little before the newest timestamp seen: servers commit late
# and some round timestamps, and reading an object twice does no harm.
SINCE_OVERLAP = timedelta(hours=1)


class Source(Protocol):
    name: str          # the store's file name begins with it: "oparl", "sql"
    key: str           # the source's identity: its store, and the files in content/ it owns
    fingerprint: str   # whatever makes the last run's memory useless when it changes (a mapping)
    incremental: bool  # whether it can read only what changed
    report: Report
    check_url: Callable[[str], None] | None  # the host rule for attachments kept from earlier runs

    def read(self, previous: Memory | None, withheld_before: set[str], progress: ImportProgress,
             spool: Spool) -> list[Record]:
        """Everything the source holds now (with `previous`: only what changed, on top of it), normalised.
        `spool`: where large texts wait for the writer and the store, not in memory (importers/spool.py)."""

    def fetch_file(self) -> FetchFile | None:
        """How the writer fetches attachments (after `read`); None when there are none to fetch."""

    def after_file(self):
        """Called after each attachment; raises to end the run (a deadline)."""

    def remember(self, records: list[Record], policy: Policy) -> Memory:
        """What the next run needs of this one: only what belongs to the published `records`."""

    def finished(self):
        """The run succeeded."""

    def failed(self, exc: BaseException) -> BaseException | None:
        """The run failed with `exc`; may return the error to raise instead (an ImportFailed)."""

    def close(self):
        """Release connections; called after every run."""


def run(source: Source, content_dir: Path, *, policy: Policy | None = None, force: bool = False,
        full: bool = False, mirror_files: bool = True, max_file_size: int = files.MAX_SIZE,
        show_progress: bool | None = None, progress_every: int = LOG_EVERY,
        takedowns: Takedowns | None = None) -> Report:
    """Run one import of `source` into `content_dir`. Raises ImportFailed; content/ is then unchanged.
    `takedowns`: the town's ledger (ratsinfo/scrub.takedowns_of); None: none is applied."""
    content_dir = Path(content_dir)
    policy = policy or Policy()
    report = source.report
    spool = None
    try:
        path = store.store_path(content_dir, source.name, source.key)
        # Document texts wait on disk, not in memory, until the store is written (importers/spool.py).
        spool = Spool(path.parent)
        stored = store.load(path, spool)
        withheld = withheld_before(stored.meta) if stored else set()
        now = datetime.now(timezone.utc)
        previous = stored if not full and source.incremental and _still_valid(stored, source, policy, now) else None
        with import_progress(show_progress, progress_every) as progress:
            # The ledger first: a document only withheld objects link is then linked by nothing published.
            applied = apply_takedowns(source.read(previous, withheld, progress, spool), takedowns,
                                      known_ids(content_dir) if takedowns else {}, report)
            records = publish(applied.records, policy, report)
            writer = ContentWriter(
                content_dir,
                source_key=source.key,
                report=report,
                fetch_file=source.fetch_file() if mirror_files else None,
                force=force,
                max_file_size=max_file_size,
                on_file=_each_file(source, progress.task("Dateien", sum(1 for r in records if r.kind == "file"))),
                check_url=source.check_url,
                redaction=applied.pattern,
                replaced_files=applied.replaced,
                keep_ids=applied.withheld,
                on_ocr=lambda pages: progress.count("OCR-Seiten", pages),
            )
            writer.write(records)
        memory = source.remember(records, policy)
        redact_memory(memory.objects, memory.meta, applied.pattern)
        memory.meta.update({
            "last_full": previous.meta.get("last_full", "") if previous else now.isoformat(),
            "withheld": json.dumps(sorted(still_withheld(records, withheld, memory.deleted))),
            "contact_data": _flag(policy.publish_contact_data),
            "fingerprint": source.fingerprint,
        })
        store.save(path, memory, stored)
        source.finished()
    except BaseException as exc:
        instead = source.failed(exc)
        if instead is None:
            raise
        raise instead from exc
    finally:
        if spool is not None:
            spool.close()
        source.close()
    note_run(content_dir, report)
    return report


def known_ids(content_dir: Path) -> dict[str, dict[str, str]]:
    """kind -> source -> our id, as the last run gave them (the ledger names objects by our ids)."""
    return ContentWriter(content_dir, source_key="", report=Report()).known_ids()


def _still_valid(stored: Memory | None, source: Source, policy: Policy, now: datetime) -> bool:
    """Whether the last run's memory may be the base of an incremental run. The store keeps
    contact data only when it is published: a changed policy needs everything."""
    if stored is None:
        return False
    meta = stored.meta
    try:
        last_full = datetime.fromisoformat(meta["last_full"])
    except (KeyError, ValueError):
        return False
    return (last_full >= now - FULL_RUN_EVERY and meta.get("contact_data") == _flag(policy.publish_contact_data)
            and meta.get("fingerprint", "") == source.fingerprint)


def _each_file(source: Source, advance: Callable[[], None]) -> Callable[[], None]:
    def tick():
        source.after_file()
        advance()

    return tick


def _flag(value: bool) -> str:
    return "1" if value else "0"


def note_run(content_dir: Path, report: Report):
    """After every successful import: the report of what the source got wrong (for the
    webmaster), and when the data was imported, as content (`data_as_of`, "Stand der Daten")."""
    state = Path(content_dir) / CONTENT_STATE_DIR
    payload = report.to_json() + "\n"
    report_path = state / IMPORT_REPORT
    if not report_path.is_file() or report_path.read_text(encoding="utf-8") != payload:
        write_atomic(report_path, payload.encode("utf-8"), prefix=TEMP_PREFIX)
    finished = datetime.now(timezone.utc).astimezone().replace(microsecond=0).isoformat()
    site = render_front_matter({"data_as_of": finished}).removeprefix(b"---\n").removesuffix(b"---\n")
    write_atomic(Path(content_dir) / SITE_FILE, site, prefix=TEMP_PREFIX, temp_dir=state)
    (state / LEGACY_IMPORT_FINISHED).unlink(missing_ok=True)
