"""Import an OParl 1.0/1.1 system (server or offline dump) into content/.

The first run walks everything. Later runs against a server ask only for
what changed since the newest `modified` seen (`modified_since`, with
`omit_internal` on 1.1), apply it to the raw object store of the last run,
and write the files whose content changed. Tombstones delete.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

from importers.content import ContentWriter, note_successful_run
from importers.files import MAX_SIZE
from importers.oparl import store
from importers.oparl.limits import Limits
from importers.oparl.normalise import Normaliser
from importers.oparl.source import FILE_DEADLINE, open_source
from importers.oparl.walker import Crawl, Walker
from importers.progress import LOG_EVERY, import_progress
from importers.publication import Policy, publish
from importers.report import Report

# Depublished objects vanish from a server's lists without a tombstone (Karlsruhe:
# 401 instead of `deleted`, research/oparl.md M13); only a full run notices. So a
# full run is made whenever the last one is older than this.
FULL_RUN_EVERY = timedelta(days=7)
# Ask for changes a little before the newest timestamp we saw: servers commit
# late and some round timestamps, and fetching an object twice does no harm.
SINCE_OVERLAP = timedelta(hours=1)


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
    allow_hosts: tuple[str, ...] = (),
    file_deadline: float = FILE_DEADLINE,
) -> Report:
    """Fetch, normalise, filter and write one OParl source. Raises ImportFailed.
    `progress_every`: a line in the log (importers/progress.py) per so many objects of a kind.
    Attachments come only from the source's host and `allow_hosts` (importers/hosts.py)."""
    content_dir = Path(content_dir)
    report = Report()
    source, entry_url = open_source(location, rate=rate, timeout=timeout, cache_dir=resume_dir(location),
                                    limits=limits, report=report,
                                    allow_hosts=tuple(allow_hosts), file_deadline=file_deadline)
    policy = policy or Policy()
    try:
        store_file = store.store_path(content_dir, entry_url)
        store.migrate_legacy(content_dir, entry_url, store_file)
        stored = store.load(store_file)
        withheld_before = store.withheld_items(stored[1]) if stored else set()
        previous = None if full or not source.supports_filters else stored
        if previous and (_last_full_run(previous[1]) < datetime.now(timezone.utc) - FULL_RUN_EVERY
                         or previous[1].get("contact_data") != _flag(policy.publish_contact_data)):
            # The store keeps contact data only when it is published: a changed policy needs everything.
            previous = None
        since = _since(previous[0]) if previous else None
        # An interrupted run resumes only as the same attempt: same source, same mode.
        source.begin(f"{entry_url} {since.isoformat() if since else 'vollständig'}")
        with import_progress(show_progress, progress_every) as progress:
            walker = Walker(
                source, report, on_progress=progress.count,
                previous=previous[0] if previous else None, since=since, concurrency=concurrency,
                max_list_pages=limits.list_pages,
            )
            crawl = walker.walk(entry_url)
            report.mode = f"inkrementell seit {since.isoformat()}" if since else "vollständig"
            records = publish(Normaliser(crawl, report, withheld_before).records(), policy, report)
            file_count = sum(1 for r in records if r.kind == "file")
            writer = ContentWriter(
                content_dir,
                source_key=entry_url,
                report=report,
                fetch_file=source.get_bytes if mirror_files else None,
                force=force,
                max_file_size=max_file_size,
                on_file=_within(source.deadline, progress.task("Dateien", file_count)),
                check_url=getattr(source, "hosts", None) and source.hosts.check_url,
            )
            writer.write(records)
        last_full = previous[1].get("last_full") if previous else datetime.now(timezone.utc).isoformat()
        kept, withheld = store.publishable(crawl, records, policy, withheld_before)
        _save_store(store_file, kept, stored[1] if stored else {}, {
            "last_full": last_full, "withheld": json.dumps(sorted(withheld)),
            "contact_data": _flag(policy.publish_contact_data),
        })
        source.finished()
    except BaseException:
        source.failed()
        raise
    finally:
        source.close()
    note_successful_run(content_dir, report)
    return report


def _within(deadline, on_file):
    """After each attachment, stop the run when its time is up: the writer notes a
    failed download and goes on, but a run past its deadline must end unwritten."""

    def tick():
        deadline.check()
        on_file()

    return tick


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
    return newest - SINCE_OVERLAP if newest else None


def _last_full_run(meta: dict) -> datetime:
    try:
        return datetime.fromisoformat(meta["last_full"])
    except (KeyError, ValueError):
        return datetime.min.replace(tzinfo=timezone.utc)


def _flag(value: bool) -> str:
    return "1" if value else "0"


def _save_store(path: Path, crawl: Crawl, previous_meta: dict, meta: dict[str, str]):
    digest = hashlib.sha256(
        json.dumps([crawl.objects, sorted(crawl.types.items()), sorted(crawl.deleted), meta],
                   sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).hexdigest()
    if previous_meta.get("digest") == digest and path.is_file():
        return
    store.save(path, crawl, {**meta, "digest": digest})
