"""Replace a file at once: readers see the old bytes or the new ones, never half of them.

The one atomic write of the project, for importers and plugins alike (both may import
ratsinfo's small modules, never each other). What differs between callers is an option:

- `private`: the file is 0600, only its owner can read it (the importers' private state).
  A unique temporary name (the default) is 0600 from the start (mkstemp), whatever the umask.
- `durable`: the bytes and the rename are on disk before this returns (fsync of file and folder).
- `temp_name`: a fixed temporary name instead of a unique one; only where one writer owns the
  file (a page of the build, the release history). Such a file gets the umask's mode, as any
  file of the output. A unique name lets threads write side by side.
- `prefix`, `suffix`, `temp_dir`: where the temporary file lies and what it is called, so that
  a killed run's leftover is found and deleted (importers/content.py: TEMP_PREFIX).
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def _temporary(path: Path, temp_name, prefix, suffix, temp_dir, private: bool, durable: bool):
    """(temporary path, its open handle or None); the path becomes `path` when the block ends."""
    path = Path(path)
    folder = Path(temp_dir) if temp_dir is not None else path.parent
    if not path.parent.is_dir():  # one stat: a build writes 100,000 pages through here
        path.parent.mkdir(parents=True, exist_ok=True)
    if temp_name is None:
        fd, name = tempfile.mkstemp(prefix=prefix or f".{path.name}.", suffix=suffix, dir=folder)
        tmp, handle = Path(name), os.fdopen(fd, "wb")
    else:
        tmp, handle = folder / temp_name, None
    try:
        try:
            yield tmp, handle
        finally:
            if handle is not None:
                handle.close()
        if private:
            os.chmod(tmp, 0o600)
        if durable:
            fsync_file(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if durable:
        fsync_folder(path.parent)


@contextmanager
def replaced(path: Path, *, temp_name: str | None = None, prefix: str | None = None, suffix: str = "",
             temp_dir: Path | None = None, private: bool = False, durable: bool = False):
    """The temporary path to fill (a writer that wants a path, such as SQLite); it becomes
    `path` when the block ends, or is deleted if the block raises."""
    with _temporary(path, temp_name, prefix, suffix, temp_dir, private, durable) as (tmp, handle):
        if handle is not None:
            handle.close()  # the writer opens the path itself
        yield tmp


@contextmanager
def replacing(path: Path, *, temp_name: str | None = None, prefix: str | None = None, suffix: str = "",
              temp_dir: Path | None = None, private: bool = False, durable: bool = False):
    """A binary file handle whose bytes become `path` when the block ends (options: `replaced`).
    A unique temporary file is written through the handle mkstemp opened: opening it again by
    name would truncate it, and on ext4 a truncated file's close starts writing it out (2.6×
    the cost per file; tests/test_files.py)."""
    with _temporary(path, temp_name, prefix, suffix, temp_dir, private, durable) as (tmp, handle):
        if handle is None:
            with open(tmp, "wb") as handle:
                yield handle
        else:
            yield handle


def write_atomic(path: Path, payload: bytes, **options):
    """Replace `path` by `payload` at once (options: `replaced`)."""
    with replacing(path, **options) as handle:
        handle.write(payload)


COMPARE_CHUNK = 1 << 20


def same_bytes(a: Path, b: Path) -> bool:
    """Whether two files hold the same bytes, read a chunk at a time: a dump's files.jsonl holds a
    city's document texts, and reading it and its old copy whole would take twice its size."""
    size = os.stat(a).st_size
    if size != os.stat(b).st_size:
        return False
    if size <= COMPARE_CHUNK:
        return Path(a).read_bytes() == Path(b).read_bytes()
    with open(a, "rb") as first, open(b, "rb") as second:
        while True:
            chunk = first.read(COMPARE_CHUNK)
            if chunk != second.read(COMPARE_CHUNK):
                return False
            if not chunk:
                return True


def fsync_file(path: Path):
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def fsync_folder(folder: Path):
    """A rename survives a power cut only once the folder is on disk (POSIX; Windows cannot
    open folders and commits renames with the file system's journal)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
