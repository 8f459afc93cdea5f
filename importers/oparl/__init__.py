"""Import an OParl 1.0/1.1 system (server or offline dump) into content/.

The first run walks everything. Later runs against a server ask only for
what changed since the newest `modified` seen (`modified_since`, with
`omit_internal` on 1.1), apply it to what the last run kept (remember.py),
and write the files whose content changed. Tombstones delete. The run itself
is the pipeline's (importers/pipeline.py); `OParlSource` only reads.
"""

from __future__ import annotations

import hashlib
import os
from datetime import datetime
from pathlib import Path

from importers import pipeline, store
from importers.files import MAX_SIZE
from importers.oparl import remember
from importers.oparl.limits import Limits
from importers.oparl.normalise import Normaliser
from importers.oparl.source import FILE_DEADLINE, open_source
from importers.oparl.walker import Crawl, Walker
from importers.progress import LOG_EVERY, ImportProgress
from importers.publication import Policy, Takedowns
from importers.records import Record
from importers.report import Report
from importers.spool import Spool
from importers.store import Memory


class OParlSource:
    """An OParl server or dump, as importers/pipeline.Source reads it."""

    name = "oparl"
    fingerprint = ""

    def __init__(self, source, entry_url: str, report: Report, *, concurrency: int, limits: Limits):
        self.source = source
        self.key = entry_url
        self.report = report
        self.incremental = source.supports_filters
        self.concurrency = concurrency
        self.limits = limits
        self.check_url = getattr(source, "hosts", None) and source.hosts.check_url
        self.crawl: Crawl | None = None

    def read(self, previous: Memory | None, withheld_before: set[str], progress: ImportProgress,
             spool: Spool | None = None) -> list[Record]:
        before = remember.crawl_of(previous) if previous else None
        since = _since(before) if before else None
        # An interrupted run resumes only as the same attempt: same source, same mode.
        self.source.begin(f"{self.key} {since.isoformat() if since else 'vollständig'}")
        walker = Walker(self.source, self.report, on_progress=progress.count, previous=before, since=since,
                        concurrency=self.concurrency, max_list_pages=self.limits.list_pages, spool=spool)
        self.crawl = walker.walk(self.key)
        self.report.mode = f"inkrementell seit {since.isoformat()}" if since else "vollständig"
        return Normaliser(self.crawl, self.report, withheld_before).records()

    def fetch_file(self):
        return self.source.get_bytes

    def after_file(self):
        # The writer notes a failed download and goes on, but a run past its deadline must end unwritten.
        self.source.deadline.check()

    def remember(self, records: list[Record], policy: Policy) -> Memory:
        return remember.remember(self.crawl, records, policy)

    def finished(self):
        self.source.finished()

    def failed(self, exc: BaseException):
        self.source.failed()
        return None

    def close(self):
        self.source.close()


def import_oparl(
    location: str,
    content_dir: Path,
    *,
    policy: Policy | None = None,
    force: bool = False,
    full: bool = False,
    mirror_files: bool = True,
    rate: float = 10.0,
    concurrency: int = 4,
    timeout: float = 30.0,
    max_file_size: int = MAX_SIZE,
    limits: Limits = Limits(),
    show_progress: bool | None = None,
    progress_every: int = LOG_EVERY,
    takedowns: Takedowns | None = None,
    allow_hosts: tuple[str, ...] = (),
    file_deadline: float = FILE_DEADLINE,
) -> Report:
    """Fetch, normalise, filter and write one OParl source. Raises ImportFailed.
    `takedowns`: the town's takedown ledger (ratsinfo/scrub.takedowns_of), applied to what is written.
    `progress_every`: a line in the log (importers/progress.py) per so many objects of a kind.
    Attachments come only from the source's host and `allow_hosts` (importers/hosts.py)."""
    content_dir = Path(content_dir)
    report = Report()
    source, entry_url = open_source(location, rate=rate, timeout=timeout, cache_dir=resume_dir(location),
                                    limits=limits, report=report,
                                    allow_hosts=tuple(allow_hosts), file_deadline=file_deadline)
    oparl = OParlSource(source, entry_url, report, concurrency=concurrency, limits=limits)
    try:
        remember.migrate_legacy(content_dir, entry_url, store.store_path(content_dir, oparl.name, entry_url))
    except BaseException:
        source.close()
        raise
    return pipeline.run(oparl, content_dir, policy=policy, force=force, full=full, mirror_files=mirror_files,
                        max_file_size=max_file_size, show_progress=show_progress, progress_every=progress_every,
                        takedowns=takedowns)


def resume_dir(location: str) -> Path:
    """Where an interrupted run keeps its responses: outside content/, which a
    failed run must leave exactly as it was ($XDG_CACHE_HOME or ~/.cache)."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "ratsinfo" / f"resume-{hashlib.sha1(location.encode('utf-8')).hexdigest()[:16]}"


def _since(crawl: Crawl) -> datetime | None:
    newest = None
    for obj in crawl.objects.values():
        value = obj.get("modified")
        try:
            moment = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            continue
        if moment is not None and moment.tzinfo is not None and (newest is None or moment > newest):
            newest = moment
    return newest - pipeline.SINCE_OVERLAP if newest else None
