"""Where reuse keeps its files, and writing them in the background.

Everything lives in the user's cache folder ($XDG_CACHE_HOME or ~/.cache): nothing of ours
beside the site. The snapshot and the plan index are written by a forked child that holds
the file's lock, so that the build does not wait for them, and a build that starts
meanwhile waits for the file instead of doing without.
"""

from __future__ import annotations

import hashlib
import os
from contextlib import contextmanager
from pathlib import Path

from ratsinfo import portable


def cache_root() -> Path:
    """Our folder in the user's cache ($XDG_CACHE_HOME or ~/.cache): nothing of ours beside the site."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ratsinfo"


def cache_folder(content: Path) -> Path:
    key = hashlib.sha1(str(Path(content).resolve()).encode("utf-8")).hexdigest()[:16]
    return cache_root() / f"build-{key}"


def cache_file(cache_folder: Path, name: str, publish_contact_data: bool) -> Path:
    """A file of ours for what the graph holds, which depends on PUBLISH_CONTACT_DATA."""
    return cache_folder / f"{name}-{'kontakt' if publish_contact_data else 'ohne-kontakt'}.pickle"


# Writers this process started, to be reaped.
_writers: list[int] = []


def write_in_background(path: Path, write_file):
    """Fork a child that calls write_file(path) (pickling a city's graph takes two seconds): the
    build does not wait for it. It holds the file's lock, taken before the fork, so that a build
    starting meanwhile waits for the file (`waiting_for_writer`) instead of doing without.
    Where there is no fork or no flock (Windows) nothing is written."""
    fcntl = portable.fcntl()
    if fcntl is None or not portable.can_fork():
        return
    _reap()
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = os.open(_lock_path(path), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        pid = os.fork()
    except BaseException:
        os.close(lock)
        raise
    if pid:
        os.close(lock)  # the child's copy keeps the lock until it exits
        _writers.append(pid)
        return
    status = 1
    try:
        # Behind the build's own work: it renders on every core meanwhile.
        os.nice(10)
        # Not the build's output: whoever reads it (a terminal, the benchmark) need not wait for us.
        quiet = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(quiet, fd)
        write_file(path)
        status = 0
    finally:  # a missing file costs time, never correctness
        os._exit(status)


@contextmanager
def waiting_for_writer(path: Path):
    """Wait for a file being written (by the previous build's child)."""
    fcntl = portable.fcntl()
    if fcntl is None:
        yield
        return
    with open(_lock_path(path), "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_SH)
        yield


def _lock_path(path: Path) -> Path:
    return path.with_suffix(".lock")


def _reap():
    for pid in list(_writers):
        try:
            if os.waitpid(pid, os.WNOHANG)[0]:
                _writers.remove(pid)
        except ChildProcessError:
            _writers.remove(pid)


def wait_for_writers():
    """Until the files this process forked writers for are written: before their folder may be
    removed (the scratch cache of `ratsinfo update --dry-run`)."""
    while _writers:
        try:
            os.waitpid(_writers.pop(), 0)
        except ChildProcessError:
            pass
