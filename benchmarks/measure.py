"""Measuring tools: a child process's wall time and peak memory, folder sizes, mtimes, the machine.

Peak RSS comes from GNU time (`/usr/bin/time -v`). It cannot come from this
process's own rusage: a child started by a big Python process inherits that
process's high-water mark at exec, so small children would all report the
parent's size. GNU time is a small process and its child starts clean. The
maximum covers the child and the children it waited for (Pagefind under a
build). Without GNU time, `os.wait4` is used and the note says so.

That maximum is of one process at a time. What the processes of a build need together (the
build, its render workers and background writers, Pagefind runs side by side) is sampled from
/proc with `tree=True`: every TREE_INTERVAL seconds the child's process tree is walked and the
RSS and the PSS of its processes summed (PSS counts a page shared by n processes, such as a
forked worker's copy of the graph, as 1/n in each, so the PSS sum is what the tree occupies;
the RSS sum counts shared pages in every process). A peak shorter than the interval can be
missed, and a process that outlives the child (reparented to init) is no longer counted. PSS
costs the kernel a walk of each process's pages, ~15 ms of CPU per GB mapped and sample, in
the measuring process (`tree_cpu`): a few percent of one core beside a build of 1 GB.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

PYTHON = sys.executable
GNU_TIME = "/usr/bin/time"
RSS_LINE = "Maximum resident set size (kbytes):"
TREE_INTERVAL = 0.2  # seconds between two samples of the process tree's memory


def rss_method() -> str:
    if Path(GNU_TIME).is_file():
        return "GNU time -v (maximum resident set size of the child and its waited-for children)"
    return "os.wait4 (no /usr/bin/time; small children show at least the parent's RSS)"


@dataclass
class Measured:
    wall: float          # seconds
    user: float          # CPU seconds in user mode (child and its waited-for children)
    system: float
    max_rss: int         # bytes
    stdout: str
    stderr: str
    tree_rss: int = 0    # bytes: peak of the RSS summed over the process tree (tree=True; 0: not sampled)
    tree_pss: int = 0    # bytes: the same with PSS, shared pages counted once in all
    tree_cpu: float = 0.0  # CPU seconds the sampling took in this process (the kernel walks page tables for PSS)

    @property
    def rss_mb(self) -> float:
        return self.max_rss / 1e6


class StepFailed(RuntimeError):
    pass


def run_measured(command: list[str], cwd: Path | None = None, env: dict | None = None,
                 tree: bool = False) -> Measured:
    """Run a command to its end; raise StepFailed with its output when it fails. With `tree`, the
    memory of its process tree is sampled as it runs (module docstring)."""
    timed = Path(GNU_TIME).is_file()
    if timed:
        command = [GNU_TIME, "-v", *command]
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = TreeSampler(process.pid) if tree else None
    # Read both pipes before waiting, or a chatty child blocks on a full pipe.
    stdout, stderr = _drain(process)
    if sampler:
        # Until the child has ended but is not yet reaped: its pid cannot be someone else's meanwhile.
        os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOWAIT)
        sampler.finish()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise StepFailed(f"{' '.join(command[:4])} … ist fehlgeschlagen (Exit {process.returncode}):\n{stderr[-3000:]}")
    max_rss = usage.ru_maxrss * 1024
    if timed:
        report_at = stderr.rfind("\tCommand being timed:")
        report, stderr = stderr[report_at:], stderr[:max(report_at, 0)]
        for line in report.splitlines():
            if line.strip().startswith(RSS_LINE):
                max_rss = int(line.split(":")[1]) * 1024
    return Measured(wall, usage.ru_utime, usage.ru_stime, max_rss, stdout, stderr,
                    sampler.rss if sampler else 0, sampler.pss if sampler else 0, sampler.cpu if sampler else 0.0)


class TreeSampler(threading.Thread):
    """The peak of tree_memory(root), sampled every TREE_INTERVAL seconds until finish()."""

    def __init__(self, root: int, interval: float = TREE_INTERVAL):
        super().__init__(daemon=True)
        self.root, self.interval = root, interval
        self.rss = self.pss = 0
        self.cpu = 0.0
        self._finished = threading.Event()
        self.start()

    def run(self):
        while True:
            started = time.thread_time()
            rss, pss = tree_memory(self.root)
            self.cpu += time.thread_time() - started
            self.rss, self.pss = max(self.rss, rss), max(self.pss, pss)
            if self._finished.wait(self.interval):
                return

    def finish(self):
        self._finished.set()
        self.join()


def tree_memory(root: int) -> tuple[int, int]:
    """(RSS, PSS) in bytes, summed over `root` and every process below it now; a process that
    ends while it is read is left out."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                fields = stat.read()
        except OSError:
            continue
        # "pid (comm) state ppid …": comm may hold spaces and parentheses, the last ")" ends it.
        ppid = int(fields[fields.rindex(b")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    rss = pss = 0
    todo = [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        found = _rss_pss(pid)
        rss, pss = rss + found[0], pss + found[1]
    return rss, pss


def _rss_pss(pid: int) -> tuple[int, int]:
    values = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            for line in rollup:
                name, _, rest = line.partition(b":")
                if name in (b"Rss", b"Pss"):
                    values[name] = int(rest.split()[0]) * 1024
    except (OSError, ValueError):
        return 0, 0
    return values.get(b"Rss", 0), values.get(b"Pss", 0)


def _drain(process: subprocess.Popen) -> tuple[str, str]:
    chunks: dict[str, str] = {}

    def read(name, stream):
        chunks[name] = stream.read()

    readers = [threading.Thread(target=read, args=(n, s)) for n, s in (("out", process.stdout), ("err", process.stderr))]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    return chunks["out"], chunks["err"]


def folder_size(folder: Path, skip: str | None = None) -> tuple[int, int]:
    """(bytes, files) under folder; `skip` leaves out one top-level subfolder."""
    total = count = 0
    for root, dirs, files in os.walk(folder):
        if skip and Path(root) == folder and skip in dirs:
            dirs.remove(skip)
        for name in files:
            total += os.lstat(os.path.join(root, name)).st_size
            count += 1
    return total, count


def mtimes(folder: Path) -> dict[str, int]:
    snapshot = {}
    for root, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            snapshot[os.path.relpath(path, folder)] = os.lstat(path).st_mtime_ns
    return snapshot


@dataclass
class Changes:
    """Files in output/ after a build, compared with before: site files and search index apart."""

    written: int         # new or with a new mtime, outside the index folder
    removed: int
    unchanged: int
    index_written: int   # the same for the index folder
    index_removed: int
    index_unchanged: int
    written_by_type: dict  # site files written, by file extension: {".html": 367, ".ics": 509}


def compare(before: dict[str, int], after: dict[str, int], index_folder: str = "pagefind") -> Changes:
    prefix = index_folder + os.sep

    def count(in_index: bool) -> tuple[int, int, int]:
        now = {p: m for p, m in after.items() if p.startswith(prefix) == in_index}
        old = {p: m for p, m in before.items() if p.startswith(prefix) == in_index}
        written = sum(1 for path, mtime in now.items() if old.get(path) != mtime)
        return written, sum(1 for path in old if path not in now), len(now) - written

    by_type: dict[str, int] = {}
    for path, mtime in after.items():
        if not path.startswith(prefix) and before.get(path) != mtime:
            suffix = os.path.splitext(path)[1] or "(none)"
            by_type[suffix] = by_type.get(suffix, 0) + 1
    return Changes(*count(False), *count(True), dict(sorted(by_type.items(), key=lambda kv: -kv[1])))


def machine_info() -> dict[str, str]:
    cpu = "unbekannt"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unbekannt"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "ram": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "pelican": _version("pelican"),
        "pagefind": _pagefind_version(),
        "load": " / ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "fehlt"


def _pagefind_version() -> str:
    try:
        import pagefind_bin

        result = subprocess.run([str(pagefind_bin.get_executable()), "--version"], capture_output=True, text=True)
        return result.stdout.strip() or _version("pagefind_bin")
    except Exception:  # no binary: say so in the table, the run fails later with a clear message
        return _version("pagefind_bin")
