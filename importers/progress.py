"""Progress for long imports: a live bar with counts per kind on a terminal, and log lines.

The log lines (logger `importers.progress`, INFO) are for a run nobody watches: `ratsinfo
update` from cron writes them into its log file, so the first import of a large city, which
takes hours, shows in the log that it is moving. One line per kind every `every` objects,
or on the next object after `interval` seconds without a line.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

LOG_EVERY = 1000
LOG_INTERVAL = 30.0
log = logging.getLogger(__name__)


class ImportProgress:
    def __init__(self, progress: Progress | None, every: int = LOG_EVERY, interval: float = LOG_INTERVAL):
        self.progress = progress
        self.tasks: dict[str, int] = {}
        self.every = max(1, every)
        self.interval = interval
        self.counts: Counter = Counter()
        self.logged = time.monotonic()
        self.lock = threading.Lock()  # the walker and the file downloads count from several threads

    def count(self, kind: str, n: int = 1):
        self._log(kind, n, None)
        if self.progress is None:
            return
        if kind not in self.tasks:
            self.tasks[kind] = self.progress.add_task(kind, total=None)
        self.progress.advance(self.tasks[kind], n)

    def task(self, label: str, total: int | None):
        task_id = None if self.progress is None else self.progress.add_task(label, total=total)

        def advance():
            self._log(label, 1, total)
            if task_id is not None:
                self.progress.advance(task_id, 1)

        return advance

    def _log(self, kind: str, n: int, total: int | None):
        with self.lock:
            before = self.counts[kind]
            self.counts[kind] = after = before + n
            now = time.monotonic()
            if after // self.every == before // self.every and now - self.logged < self.interval:
                return
            self.logged = now
        of = f" von {total}" if total is not None else ""
        log.info("Import läuft: %s %d%s", kind, after, of)


@contextmanager
def import_progress(enabled: bool | None = None, every: int = LOG_EVERY):
    console = Console(stderr=True)
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        yield ImportProgress(None, every)
        return
    columns = (SpinnerColumn(), TextColumn("{task.description:<16}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        yield ImportProgress(progress, every)
