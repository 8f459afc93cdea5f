"""Writers that run in a child process beside the rest of the build, where the system can fork.

The API (plugins/oparlapi: 20,000 files at 2,000 papers) and the dumps (plugins/opendata: the
full-text SQLite) took a third of a city's build between them (benchmarks/RESULTS.md). Their
rows are ready once the graph is; the files are not needed before the manifest. So they are
queued while the generators read (`queue`, `share`) and forked off together as soon as every
generator has its context (signal `all_generators_finalized`, `launch`), before the council
renders: the pages and the open data are made side by side. The parent waits for them when
Pelican is done (signal `finalized`, after Pagefind, before build_site writes SHA256SUMS). Without fork
(Windows, RATSINFO_PORTABLE=1, ratsinfo/portable.py) the jobs run right there, with the same bytes.

The API's objects are made once for both writers (`share`): one child makes them, then forks
once more, so that the API and the dumps are written on two cores where the rendering leaves them.
"""

from __future__ import annotations

import logging
import os
import pickle
import signal
import time

from pelican import signals

from ratsinfo import portable

log = logging.getLogger(__name__)

# Running children: (pid or None for a grandchild, read end of the pipe with their result, what to do
# with it, what they write).
_pending: list[tuple[int | None, int, object, str]] = []
# Jobs of this build not yet started (`queue`), and values they share (`share`).
_queued: list[tuple[object, object, str]] = []
_shared: list["Shared"] = []


class Shared:
    """A value several queued jobs take (the API's objects): made once, in the child, before the
    jobs go apart; a job calls it to get it."""

    def __init__(self, make):
        self.make, self.made, self.value = make, False, None

    def __call__(self):
        if not self.made:
            self.value, self.made = self.make(), True
        return self.value


def share(make) -> Shared:
    shared = Shared(make)
    _shared.append(shared)
    return shared


def queue(job, on_done, what: str):
    """on_done(job()) once `launch` runs, in a child process beside the rendering (see start)."""
    _queued.append((job, on_done, what))


def launch(*_):
    """Start every queued job (signal all_generators_finalized): the shared values made in one
    child, each job in its own process after that. Without fork: all of it right here."""
    jobs, shared = list(_queued), list(_shared)
    _queued.clear()
    _shared.clear()
    # Waited for at `finalized` after every other receiver (connected now, after the plugins'
    # register(): blinker calls receivers in the order they were connected), so that Pagefind
    # (plugins/search), which reads only the pages, indexes them while the writers still run.
    signals.finalized.connect(finish)
    if not jobs:
        return
    if not portable.can_fork():
        for job, on_done, what in jobs:
            start(job, on_done, what)  # a shared value is made by the first job that takes it
        return
    pipes = [os.pipe() for _ in jobs]
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        _run_group(parent, jobs, shared, pipes)
    for n, ((read, write), (_, on_done, what)) in enumerate(zip(pipes, jobs)):
        os.close(write)
        _pending.append((pid if n == 0 else None, read, on_done, what))


def _run_group(parent: int, jobs, shared, pipes):
    """In the child: the shared values, then job 0 here and every other job in a grandchild of its own."""
    status = 1
    try:
        _die_with(parent)
        for read, _ in pipes:
            os.close(read)
        try:
            for value in shared:
                value()
        except BaseException as exc:  # noqa: B902 - every job reports it
            for _, write in pipes:
                _send(write, ("error", f"{type(exc).__name__}: {exc}"))
            return
        me, grandchildren = os.getpid(), []
        for n in range(1, len(jobs)):
            pid = os.fork()
            if pid == 0:
                _die_with(me)
                for m, (_, write) in enumerate(pipes):
                    if m != n:
                        os.close(write)
                os._exit(_run_one(jobs[n][0], pipes[n][1]))
            grandchildren.append(pid)
        for _, write in pipes[1:]:
            os.close(write)
        status = _run_one(jobs[0][0], pipes[0][1])
        for pid in grandchildren:
            os.waitpid(pid, 0)  # a grandchild dies with its parent (_die_with): wait for it to finish
    finally:
        os._exit(status)


def _run_one(job, write: int) -> int:
    try:
        payload, status = ("ok", job()), 0
    except BaseException as exc:  # noqa: B902 - the parent reports it and stops the build
        payload, status = ("error", f"{type(exc).__name__}: {exc}"), 1
    _send(write, payload)
    return status


def _send(write: int, payload):
    data = pickle.dumps(payload)
    with os.fdopen(write, "wb") as pipe:
        pipe.write(data)


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
    errors, started, names = [], time.monotonic(), [what for _, _, _, what in _pending]
    while _pending:
        pid, read, on_done, what = _pending.pop(0)
        with os.fdopen(read, "rb") as pipe:
            data = pipe.read()
        if pid is not None:
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
    if names:
        # How long the rest of the build waited for them (benchmarks/report.py reads it).
        log.info("ratsinfo: %s fertig, %.2f s nach dem Rest des Builds", " und ".join(names),
                 time.monotonic() - started)


def forget(*_):
    """A build that failed before `finalized` left its children: wait for them, and drop their results
    (and the jobs it queued but did not start)."""
    _queued.clear()
    _shared.clear()
    while _pending:
        pid, read, _, _ = _pending.pop(0)
        os.close(read)
        if pid is None:
            continue
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
