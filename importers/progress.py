"""Progress for long imports: a live bar with counts per kind on a terminal, quiet otherwise."""

from __future__ import annotations

import sys
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn


class ImportProgress:
    def __init__(self, progress: Progress | None):
        self.progress = progress
        self.tasks: dict[str, int] = {}

    def count(self, kind: str, n: int = 1):
        if self.progress is None:
            return
        if kind not in self.tasks:
            self.tasks[kind] = self.progress.add_task(kind, total=None)
        self.progress.advance(self.tasks[kind], n)

    def task(self, label: str, total: int | None):
        if self.progress is None:
            return lambda: None
        task_id = self.progress.add_task(label, total=total)
        return lambda: self.progress.advance(task_id, 1)


@contextmanager
def import_progress(enabled: bool | None = None):
    console = Console(stderr=True)
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        yield ImportProgress(None)
        return
    columns = (SpinnerColumn(), TextColumn("{task.description:<16}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        yield ImportProgress(progress)
