"""Writers that run in a child process beside the rest of the build, where the system can fork.

The API (plugins/oparlapi: 20,000 files at 2,000 papers) and the dumps (plugins/opendata: the
full-text SQLite) took a third of a city's build between them (benchmarks/RESULTS.md). Their
rows are ready once the graph is; the files are not needed before the manifest. So each one
forks, the parent renders the pages meanwhile and waits for every child when Pelican is done
(signal `finalized`, before build_site writes SHA256SUMS). Without fork (Windows,
RATSINFO_PORTABLE=1, ratsinfo/portable.py) the job runs right there, with the same bytes.
"""

from __future__ import annotations

import os
import pickle
import signal

from ratsinfo import portable

# Running children: (pid, read end of the pipe with their result, what to do with it, what they write).
_pending: list[tuple[int, int, object, str]] = []


def start(job, on_done, what: str):
    """on_done(job()) — in a child process where the system can fork, else right here. `what`
    names the files in German for the message when the job fails ("OParl-Schnittstelle")."""
    if not portable.can_fork():
        try:
            result = job()
        except Exception as exc:
            raise RuntimeError(f"{what} nicht geschrieben: {type(exc).__name__}: {exc}") from exc
        on_done(result)
        return
    read, write = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: the job, its result down the pipe, and out without Pelican's exit handlers
        status = 1
        try:
            _die_with(parent)
            os.close(read)
            try:
                payload = pickle.dumps(("ok", job()))
                status = 0
            except BaseException as exc:  # noqa: B902 - the parent reports it and stops the build
                payload = pickle.dumps(("error", f"{type(exc).__name__}: {exc}"))
            with os.fdopen(write, "wb") as pipe:
                pipe.write(payload)
        finally:
            os._exit(status)
    os.close(write)
    _pending.append((pid, read, on_done, what))


def _die_with(parent: int):
    """A build killed while its writer runs takes the writer with it (Linux: PR_SET_PDEATHSIG):
    a writer left behind holds the inherited build lock and writes into a staging folder that the
    next build cleans up. Where the parent is gone already, the child leaves at once."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: no such call; the parent's wait still covers every build that ends normally
    if os.getppid() != parent:
        os._exit(1)


def finish(*_):
    """Wait for every child; one that failed stops the build (its files are incomplete)."""
    errors = []
    while _pending:
        pid, read, on_done, what = _pending.pop(0)
        with os.fdopen(read, "rb") as pipe:
            data = pipe.read()
        os.waitpid(pid, 0)
        try:
            kind, value = pickle.loads(data)
        except Exception:  # killed, or out of memory: nothing came
            kind, value = "error", "der Kindprozess endete ohne Ergebnis"
        if kind == "ok":
            on_done(value)
        else:
            errors.append(f"{what} nicht geschrieben: {value}")
    if errors:
        raise RuntimeError("; ".join(errors))


def forget():
    """A build that failed before `finalized` left its children: wait for them, and drop their results."""
    while _pending:
        pid, read, _, _ = _pending.pop(0)
        os.close(read)
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
