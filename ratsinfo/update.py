"""`ratsinfo update`: import, build, check and publish in one step, for cron or the Task Scheduler.

Every step logs to a file. The published site is switched only after all
steps succeeded, so a failed update leaves it untouched.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from ratsinfo.build import BuildFailed, build_site
from ratsinfo.check import check_site
from ratsinfo.publish import PublishFailed, publish

log = logging.getLogger("ratsinfo.update")


class UpdateFailed(Exception):
    pass


@dataclass
class UpdateResult:
    steps: list[tuple[str, float, str]] = field(default_factory=list)  # (step, seconds, summary)
    release: Path | None = None


def _file_logger(path: Path) -> logging.Handler:
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    return handler


def run_update(
    source: str,
    content: Path,
    output: Path,
    target: Path,
    log_file: Path,
    *,
    import_step=None,
    build_overrides: dict | None = None,
    console: Console | None = None,
) -> UpdateResult:
    """`import_step(source, content)` returns a report with summary_lines(); OParl by default."""
    console = console or Console(stderr=True)
    handler = _file_logger(Path(log_file))
    result = UpdateResult()
    try:
        log.info("Update beginnt: Quelle %s, Inhalt %s, Ausgabe %s, Ziel %s", source, content, output, target)
        if import_step is None:
            from importers.oparl import import_oparl

            def import_step(location, folder):
                return import_oparl(location, folder)

        steps = [
            ("Import", lambda: _import(import_step, source, content)),
            ("Build", lambda: _build(content, output, build_overrides)),
            ("Prüfung", lambda: _check(output)),
            ("Veröffentlichung", lambda: _publish(output, target, result)),
        ]
        for name, step in steps:
            started = time.monotonic()
            with console.status(f"{name} …"):
                try:
                    summary = step()
                except Exception as exc:
                    log.error("%s fehlgeschlagen: %s", name, exc)
                    raise UpdateFailed(f"{name} fehlgeschlagen: {exc}. Die veröffentlichte Seite ist unverändert.") from exc
            seconds = time.monotonic() - started
            result.steps.append((name, seconds, summary))
            log.info("%s fertig in %.1f s: %s", name, seconds, summary)
        return result
    finally:
        log.removeHandler(handler)
        handler.close()


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


def _check(output) -> str:
    checked = check_site(Path(output))
    for page, link, why in checked.broken[:50]:
        log.error("  %s: %s (%s)", page, link, why)
    for first, second in checked.collisions[:50]:
        log.error("  %s und %s: dieselbe Adresse auf IIS und Windows-Freigaben", first, second)
    if checked.collisions:
        raise UpdateFailed(f"{len(checked.collisions)} Adressen doppelt (nur Groß-/Kleinschreibung verschieden), "
                           f"z. B. {checked.collisions[0]}")
    if not checked.ok:
        raise UpdateFailed(f"{len(checked.broken)} kaputte Links, z. B. {checked.broken[0]}")
    return f"{checked.pages} Seiten, {checked.links} Links, keine kaputt"


def _publish(output, target, result: UpdateResult) -> str:
    try:
        result.release = publish(Path(output), Path(target))
    except PublishFailed as exc:
        raise UpdateFailed(str(exc)) from exc
    return f"{target} → {result.release.name}"
