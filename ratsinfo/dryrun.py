"""`ratsinfo update --dry-run`: the update in a scratch folder, and what it would change.

The scratch run starts where a real run would: from copies of content/, of output/ (the
build's overlay state and the history its redirects are made from) and of the importer's
private state (the store of incremental runs, sticky withholding, an interrupted run's
answers). While it runs, RATSINFO_STATE_DIR and XDG_CACHE_HOME point into the scratch
folder, so the importer and the build write nothing of the installation's own. The scratch
folder lies beside output/ (same disk, room for a copy of the site) and goes afterwards,
also when the run fails.
"""

from __future__ import annotations

import filecmp
import logging
import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from importers.content import STATE_DIR as IMPORT_BOOKKEEPING
from importers.oparl import resume_dir
from importers.state import ENV as STATE_ENV
from importers.state import state_path
from plugins.council.reuse.cache import wait_for_writers
from ratsinfo.contracts import OUTPUT_STATE_DIR, SITE_FILE

# Not part of what a visitor sees: the build's bookkeeping and the search index (fragments
# with hashed names, replaced as a whole whenever a page changes).
OUTPUT_SKIPPED = (OUTPUT_STATE_DIR, "pagefind")
SHOWN = 20


@dataclass
class Changes:
    new: list[str]
    changed: list[str]
    deleted: list[str]

    def lines(self, what: str) -> list[str]:
        lines = [f"{what}: {len(self.new)} neu, {len(self.changed)} geändert, {len(self.deleted)} gelöscht"]
        for label, paths in (("neu", self.new), ("geändert", self.changed), ("gelöscht", self.deleted)):
            lines += [f"  {label}: {path}" for path in paths[:SHOWN]]
            if len(paths) > SHOWN:
                lines.append(f"  {label}: … und {len(paths) - SHOWN} weitere")
        return lines


@dataclass
class Scratch:
    content: Path
    output: Path
    real_content: Path
    real_output: Path

    def content_changes(self) -> Changes:
        # Every run writes its date into site.yaml: the data's "Stand", not a change of it.
        return compare(self.real_content, self.content, skip=(IMPORT_BOOKKEEPING, SITE_FILE))

    def output_changes(self) -> Changes:
        return compare(self.real_output, self.output, skip=OUTPUT_SKIPPED)

    def real_paths(self, text: str) -> str:
        """`text` with the real folders for their scratch copies: the file to fix is the real one."""
        for copy, real in ((self.content, self.real_content), (self.output, self.real_output)):
            text = text.replace(str(copy), str(real))
        return text


class RealPaths(logging.Filter):
    """A log handler's filter that writes the real folders into a dry run's messages."""

    def __init__(self, scratch: Scratch):
        super().__init__()
        self.scratch = scratch

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = self.scratch.real_paths(record.getMessage()), ()
        return True


@contextmanager
def scratch_run(source: str, content: Path, output: Path):
    """A Scratch with copies of everything a run of `source` into `content` and `output` starts from."""
    content, output = Path(content).absolute(), Path(output).absolute()
    output.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=".ratsinfo-probelauf-", dir=output.parent)).resolve()
    try:
        scratch = Scratch(folder / "content", folder / "output", content, output)
        _copy(content, scratch.content)
        _copy(output, scratch.output)
        # The state folder's name is the digest of the content folder's path: the scratch copy
        # goes under the digest of the scratch content folder, where the importer will look.
        _copy(state_path(content), state_path(scratch.content, folder / "state"))
        resume = resume_dir(source)
        with _environment({STATE_ENV: folder / "state", "XDG_CACHE_HOME": folder / "cache"}):
            _copy(resume, resume_dir(source))  # where the scratch run will look for it
            yield scratch
    finally:
        wait_for_writers()  # the build's graph snapshot, forked into the scratch cache
        shutil.rmtree(folder, ignore_errors=True)


def _copy(source: Path, target: Path):
    """A copy with the original's times and modes (an unchanged file stays unchanged); links stay links."""
    if source.is_dir():
        shutil.copytree(source, target, symlinks=True)


@contextmanager
def _environment(values: dict[str, Path]):
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update({name: str(value) for name, value in values.items()})
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def compare(before: Path, after: Path, skip: tuple[str, ...] = ()) -> Changes:
    """The files (relative paths, sorted) that are new in `after`, differ, or are gone;
    top-level folders and files named in `skip` left out."""
    old, new = _files(before, skip), _files(after, skip)
    changed = [path for path in sorted(old & new)
               if not filecmp.cmp(before / path, after / path, shallow=False)]
    return Changes(sorted(new - old), changed, sorted(old - new))


def _files(root: Path, skip: tuple[str, ...]) -> set[str]:
    found = set()
    for folder, dirs, files in os.walk(root):
        relative = Path(folder).relative_to(root)
        if relative == Path("."):
            dirs[:] = [name for name in dirs if name not in skip]
            files = [name for name in files if name not in skip]
        found.update((relative / name).as_posix() for name in files)
    return found
