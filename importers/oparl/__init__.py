"""Import an OParl 1.0/1.1 system (server or offline dump) into content/."""

from __future__ import annotations

from pathlib import Path

from importers.content import STATE_DIR, ContentWriter
from importers.oparl.normalise import Normaliser
from importers.oparl.source import open_source
from importers.oparl.walker import Walker
from importers.progress import import_progress
from importers.publication import Policy, publish
from importers.report import Report

REPORT_FILE = "last-import-report.json"


def import_oparl(
    location: str,
    content_dir: Path,
    *,
    policy: Policy | None = None,
    force: bool = False,
    mirror_files: bool = True,
    show_progress: bool | None = None,
) -> Report:
    """Fetch, normalise, filter and write one OParl source. Raises ImportFailed."""
    report = Report()
    source, entry_url = open_source(location)
    try:
        with import_progress(show_progress) as progress:
            crawl = Walker(source, report, on_progress=progress.count).walk(entry_url)
            records = publish(Normaliser(crawl, report).records(), policy or Policy(), report)
            file_count = sum(1 for r in records if r.kind == "file")
            writer = ContentWriter(
                Path(content_dir),
                source_key=entry_url,
                report=report,
                fetch_file=source.get_bytes if mirror_files else None,
                force=force,
                on_file=progress.task("Dateien", file_count),
            )
            writer.write(records)
    finally:
        source.close()
    report_path = Path(content_dir) / STATE_DIR / REPORT_FILE
    payload = report.to_json() + "\n"
    if not report_path.is_file() or report_path.read_text(encoding="utf-8") != payload:
        report_path.write_text(payload, encoding="utf-8")
    return report
