"""One run at a time per folder: an advisory lock on a file, held while the block runs.

The operating system releases the lock when the process ends, however it ends (SIGKILL, a
power cut, the OOM killer), so a lock never outlives its run. Whoever holds it therefore
knows that no live run of ours is using a staging folder that lies about, and may delete it
(importers/content.py, ratsinfo/build.py).
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path


class Busy(Exception):
    """Another process holds the lock."""


@contextmanager
def exclusive(lock_path: Path):
    lock_path = Path(lock_path)
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+b") as handle:
        _lock(handle)
        try:
            yield
        finally:
            _unlock(handle)


try:
    import fcntl

    def _lock(handle):
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy() from None

    def _unlock(handle):
        fcntl.flock(handle, fcntl.LOCK_UN)

except ImportError:  # Windows: a byte-range lock on the first byte, released with the handle
    import msvcrt

    def _lock(handle):
        handle.seek(0)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            raise Busy() from None

    def _unlock(handle):
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
