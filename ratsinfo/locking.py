"""One run at a time per folder: a lock on a file, held while the block runs.

With flock (POSIX) or msvcrt (Windows) the operating system releases the lock when the
process ends, however it ends (SIGKILL, a power cut, the OOM killer), so a lock never
outlives its run. Whoever holds it therefore knows that no live run of ours is using a
staging folder that lies about, and may delete it (importers/content.py, ratsinfo/build.py).
Without either (RATSINFO_PORTABLE on Linux, ratsinfo/portable.py) the lock file names its
holder, and a file naming a process that no longer runs is taken over.
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from ratsinfo import portable


class Busy(Exception):
    """Another process holds the lock."""


@contextmanager
def exclusive(lock_path: Path, wait: float = 0.0):
    """Held for the `with` block; Busy when another process holds it for longer than `wait` seconds."""
    lock_path = Path(lock_path)
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fcntl = portable.fcntl()
    if fcntl is None and os.name != "nt":
        with _holder_file(lock_path):
            yield
        return
    with open(lock_path, "a+b") as handle:
        deadline = time.monotonic() + wait
        while True:
            try:
                if fcntl is not None:
                    _flock(fcntl, handle)
                else:
                    _msvcrt_lock(handle)
                break
            except Busy:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.1)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_UN)
            else:
                _msvcrt_unlock(handle)


def _flock(fcntl, handle):
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise Busy() from None


# Windows: a byte-range lock on the first byte, released with the handle.

def _msvcrt_lock(handle):
    import msvcrt

    handle.seek(0)
    try:
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
    except OSError:
        raise Busy() from None


def _msvcrt_unlock(handle):
    import msvcrt

    handle.seek(0)
    msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)


# Neither: the lock is the file itself, naming its holder.

@contextmanager
def _holder_file(lock_path: Path):
    """The lock file appears whole (a hard link to a file already written), so nobody reads it
    empty; it is removed on release. A file that names no live process of this host (its holder
    was killed, or it is an empty one left by flock) is taken over."""
    claim = lock_path.with_name(f".{lock_path.name}.{os.getpid()}-{uuid.uuid4().hex}")
    claim.write_text(_me(), encoding="utf-8")
    try:
        for _ in range(2):
            try:
                os.link(claim, lock_path)
                break
            except FileExistsError:
                if not _remove_if_dead(lock_path):
                    raise Busy() from None
        else:
            raise Busy()
    finally:
        claim.unlink()
    try:
        yield
    finally:
        lock_path.unlink(missing_ok=True)


def _me() -> str:
    return f"{os.getpid()} {socket.gethostname()}\n"


def _remove_if_dead(lock_path: Path) -> bool:
    """Remove a lock file whose holder has died; False if it is held (or we cannot tell)."""
    try:
        seen = lock_path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return True  # released meanwhile
    if _holder_alive(seen):
        return False
    # Moved aside first, so that of two runs finding the same dead holder only one removes it.
    grave = lock_path.with_name(f".{lock_path.name}.tot-{os.getpid()}-{uuid.uuid4().hex}")
    try:
        os.rename(lock_path, grave)
    except FileNotFoundError:
        return True
    try:
        if grave.read_text(encoding="utf-8", errors="replace") != seen:
            # Another run took the lock over in between: give its file back.
            try:
                os.link(grave, lock_path)
            except FileExistsError:
                pass
            return False
        return True
    finally:
        grave.unlink()


def _holder_alive(text: str) -> bool:
    pid, _, host = text.strip().partition(" ")
    if not pid.isdigit() or not host:
        return False  # not a holder's file: an empty one that flock left
    if host != socket.gethostname():
        return True  # a process elsewhere: nothing here can tell whether it still runs
    try:
        os.kill(int(pid), 0)  # signal 0 only asks; never reached on Windows, where os.kill ends processes
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True
