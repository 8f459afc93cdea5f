"""`ratsinfo update`: import, build, check and publish in one step, for cron or the Task Scheduler.

Every step logs to a file, and so do the importers (with their progress), the build and its
plugins while the update runs: the log file is what a webmaster reads of a run nobody watched.
The published site is switched only after all steps succeeded, so a failed update leaves it
untouched. A dry run (ratsinfo/dryrun.py) does the same in a scratch folder and reports what
would change.
"""

from __future__ import annotations

import logging
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from ratsinfo.build import BuildFailed, build_site
from ratsinfo.check import CheckFailed, check_site
from ratsinfo.publish import PublishFailed, publish, purge_releases

log = logging.getLogger("ratsinfo.update")
# Whose INFO lines go into the log file (warnings of every logger go there anyway).
LOGGED_AT_INFO = ("ratsinfo", "importers")
# What `update` reads as a database (importers/sql reaches it through SQLAlchemy): these URL
# schemes (a driver may follow after "+", e.g. postgresql+psycopg2://), or a file that is a
# SQLite database. Anything else is an OParl URL or dump.
DATABASE_SCHEMES = ("sqlite", "postgresql", "mysql", "mariadb", "oracle", "mssql")
SQLITE_HEADER = b"SQLite format 3\x00"


class UpdateFailed(Exception):
    pass


@dataclass
class UpdateResult:
    steps: list[tuple[str, float, str]] = field(default_factory=list)  # (step, seconds, summary)
    release: Path | None = None
    warnings: list[str] = field(default_factory=list)  # check's warnings
    check_failed: str | None = None  # what check found broken (a dry run goes on to report)
    changes: list[str] = field(default_factory=list)  # a dry run's report of what would change


def source_kind(source: str) -> str:
    """"sql" for a database URL or a SQLite file, else "oparl" (a URL or a dump folder)."""
    scheme = source.split("://", 1)[0].split("+", 1)[0].lower() if "://" in source else ""
    if scheme in DATABASE_SCHEMES:
        return "sql"
    path = Path(source).expanduser()
    try:
        with path.open("rb") as handle:
            return "sql" if handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER else "oparl"
    except OSError:  # no file (a URL, a folder, nothing): the OParl importer says what is wrong
        return "oparl"


def run_update(
    source: str,
    content: Path,
    output: Path,
    target: Path | None,
    log_file: Path,
    *,
    import_step=None,
    build_overrides: dict | None = None,
    console: Console | None = None,
    dry_run: bool = False,
) -> UpdateResult:
    """`import_step(source, content)` returns a report with summary_lines(); OParl by default.
    Raises UpdateFailed for every failure; the published site (and, in a dry run, content/,
    output/ and the importer's state) are then as they were."""
    console = console or Console(stderr=True)
    if import_step is None:
        from importers.oparl import import_oparl

        def import_step(location, folder):
            return import_oparl(location, folder)

    result = UpdateResult()
    with _logging_to(Path(log_file)) as handlers:
        log.info("Update beginnt%s: Quelle %s, Inhalt %s, Ausgabe %s, Ziel %s",
                 " (Probelauf)" if dry_run else "", source, content, output, target)
        if dry_run:
            _dry_run(source, content, output, import_step, build_overrides, console, result, handlers)
            return result
        _steps(result, console, [
            ("Import", lambda: _import(import_step, source, content)),
            ("Build", lambda: _build(content, output, build_overrides)),
            ("Prüfung", lambda: _check(output, result, dry_run=False)),
            ("Veröffentlichung", lambda: _publish(output, target, result, content, build_overrides)),
        ])
    return result


def _dry_run(source, content, output, import_step, build_overrides, console, result: UpdateResult, handlers):
    from ratsinfo.dryrun import RealPaths, scratch_run

    try:
        with scratch_run(source, content, output) as scratch:
            for handler in handlers:
                handler.addFilter(RealPaths(scratch))
            try:
                _steps(result, console, [
                    ("Import", lambda: _import(import_step, source, scratch.content)),
                    ("Build", lambda: _build(scratch.content, scratch.output, build_overrides)),
                    ("Prüfung", lambda: _check(scratch.output, result, dry_run=True)),
                ])
            except UpdateFailed as exc:
                raise UpdateFailed(scratch.real_paths(str(exc))) from exc
            result.changes = (scratch.content_changes().lines("Inhalt")
                              + scratch.output_changes().lines("Portal"))
    except OSError as exc:  # copying into or removing the scratch folder
        log.error("Probelauf fehlgeschlagen: %s", exc)
        raise UpdateFailed(f"Probelauf fehlgeschlagen: {exc}. Es wurde nichts verändert.") from exc
    for line in result.changes:
        log.info("Probelauf: %s", line)


def _steps(result: UpdateResult, console: Console, steps):
    for name, step in steps:
        started = time.monotonic()
        with console.status(f"{name} …"):
            try:
                summary = step()
            except Exception as exc:
                log.error("%s fehlgeschlagen: %s", name, exc)
                raise UpdateFailed(f"{name} fehlgeschlagen: {str(exc).rstrip('.')}. "
                                   f"Die veröffentlichte Seite ist unverändert.") from exc
        seconds = time.monotonic() - started
        result.steps.append((name, seconds, summary))
        log.info("%s fertig in %.1f s: %s", name, seconds, summary)


@contextmanager
def _logging_to(path: Path):
    """Warnings of every logger and the INFO lines of ours (importers' progress and reports,
    the steps) into the log file. Warnings still reach the console as without a handler."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError as exc:
        raise UpdateFailed(f"Protokolldatei {path} lässt sich nicht schreiben ({exc}). Eine andere Datei "
                           f"mit --log angeben. Es wurde nichts verändert.") from exc
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    handler.setLevel(logging.INFO)
    root = logging.getLogger()
    added = [handler]
    if not root.handlers:
        # With a handler on the root, Python no longer prints warnings itself (logging.lastResort):
        # the same for the console, without the update's own lines, which the command prints.
        console = logging.StreamHandler(sys.stderr)
        console.setLevel(logging.WARNING)
        console.addFilter(lambda record: not record.name.startswith(log.name))
        added.append(console)
    _without_pelicans_dedup()
    levels = {name: logging.getLogger(name).level for name in LOGGED_AT_INFO}
    for name in LOGGED_AT_INFO:
        logging.getLogger(name).setLevel(logging.INFO)
    for each in added:
        root.addHandler(each)
    try:
        yield added
    finally:
        for each in added:
            root.removeHandler(each)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
        handler.close()


def _without_pelicans_dedup():
    """Pelican makes every logger created after it a LimitLogger, which drops a message the
    process logged once before (pelican.log.LimitFilter): a second update in one process would
    lose its import report and repeated warnings. Ours log every message; Pelican's keep theirs."""
    for name, logger in list(logging.root.manager.loggerDict.items()):
        if name.split(".")[0] in (*LOGGED_AT_INFO, "plugins") and hasattr(logger, "disable_filter"):
            logger.disable_filter()


def _import(import_step, source, content) -> str:
    report = import_step(source, Path(content))
    for line in report.summary_lines():
        log.info("  %s", line)
    created = sum(report.created.values())
    updated = sum(report.updated.values())
    deleted = sum(report.deleted.values())
    return f"{created} neu, {updated} geändert, {deleted} gelöscht"


def _build(content, output, overrides) -> str:
    try:
        built = build_site(Path(content), Path(output), overrides=overrides)
    except BuildFailed as exc:
        raise UpdateFailed(str(exc)) from exc
    return f"{built.pages} Seiten"


def _check(output, result: UpdateResult, dry_run: bool) -> str:
    try:
        checked = check_site(Path(output), checksums=False)  # the build has just written SHA256SUMS
    except CheckFailed as exc:
        raise UpdateFailed(str(exc)) from exc
    for warning in checked.warnings:
        log.warning("Prüfung: %s", warning)
    result.warnings = checked.warnings
    for page, link, why in checked.broken[:50]:
        log.error("  %s: %s (%s)", page, link, why)
    for first, second in checked.collisions[:50]:
        log.error("  %s und %s: dieselbe Adresse auf IIS und Windows-Freigaben", first, second)
    if checked.collisions:
        result.check_failed = (f"{len(checked.collisions)} Adressen doppelt (nur Groß-/Kleinschreibung "
                               f"verschieden), z. B. {checked.collisions[0]}")
    elif not checked.ok:
        result.check_failed = f"{len(checked.broken)} kaputte Links, z. B. {checked.broken[0]}"
    if result.check_failed is None:
        return f"{checked.pages} Seiten, {checked.links} Links, keine kaputt"
    if not dry_run:
        raise UpdateFailed(result.check_failed)
    log.error("Prüfung: %s", result.check_failed)
    return result.check_failed


def _publish(output, target, result: UpdateResult, content, overrides) -> str:
    """With the takedown ledger: the new release is checked, older ones that show a withheld item go."""
    from ratsinfo.takedown import LedgerError, ledger_path
    from ratsinfo.takedown_scan import scanner

    try:
        scan = scanner(Path(content), ledger_path(Path(content), (overrides or {}).get("TAKEDOWN_LEDGER")))
        result.release = publish(Path(output), Path(target), scan=scan)
        purged = purge_releases(Path(target), scan) if scan else []
    except (PublishFailed, LedgerError) as exc:
        raise UpdateFailed(str(exc)) from exc
    gone = f"; wegen der Löschliste gelöscht: {', '.join(purged)}" if purged else ""
    return f"{target} → {result.release.name}{gone}"
