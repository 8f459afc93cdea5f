"""Windows hosts: the build without fork and fcntl, forced here with RATSINFO_PORTABLE=1
(ratsinfo/portable.py), gives the same site, and one run at a time still holds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ratsinfo.locking import Busy, exclusive
from tests.conftest import DEMO_TODAY, PROJECT
from tests.test_incremental import indexed, tree

# Builds the demo in a fresh process and records which POSIX-only calls it made (audit events:
# os.fork for worker pools and snapshot writers, fcntl.flock for locks).
BUILD = """
import json, sys
calls = []
sys.addaudithook(lambda event, args: calls.append(event) if event in ("os.fork", "fcntl.flock") else None)
from ratsinfo.build import build_site
build_site(sys.argv[1], sys.argv[2], overrides={"RATSINFO_TODAY": sys.argv[3]})
print(json.dumps(sorted(set(calls))))
"""

# Takes the lock, says so, and holds it until stdin closes or it is killed.
HOLD = """
import sys
from ratsinfo.locking import exclusive
with exclusive(sys.argv[1]):
    print("gehalten", flush=True)
    sys.stdin.read()
"""


def _env(tmp_path: Path, portable: bool) -> dict:
    env = dict(os.environ, PYTHONPATH=str(PROJECT), XDG_CACHE_HOME=str(tmp_path / f"cache-{portable}"))
    env.pop("RATSINFO_PORTABLE", None)
    if portable:
        env["RATSINFO_PORTABLE"] = "1"
    return env


def _build(demo_content: Path, output: Path, tmp_path: Path, portable: bool) -> list[str]:
    done = subprocess.run([sys.executable, "-c", BUILD, str(demo_content), str(output), DEMO_TODAY],
                          env=_env(tmp_path, portable), cwd=PROJECT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_the_build_without_fork_and_fcntl_gives_the_same_site_byte_for_byte(demo_content, tmp_path):
    usual, portable = tmp_path / "usual" / "output", tmp_path / "portable" / "output"
    assert _build(demo_content, usual, tmp_path, portable=False) == ["fcntl.flock", "os.fork"]
    assert _build(demo_content, portable, tmp_path, portable=True) == []
    assert tree(portable) == tree(usual)
    assert indexed(portable) == indexed(usual)


def _holder(lock: Path, tmp_path: Path) -> subprocess.Popen:
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(lock)], env=_env(tmp_path, portable=True),
                              cwd=PROJECT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "gehalten\n"
    return holder


def test_without_flock_a_second_run_is_busy_and_a_killed_holders_lock_is_taken_over(tmp_path, monkeypatch):
    monkeypatch.setenv("RATSINFO_PORTABLE", "1")
    lock = tmp_path / "locks" / "import.lock"
    holder = _holder(lock, tmp_path)
    try:
        assert lock.read_text(encoding="utf-8").split()[0] == str(holder.pid)  # the file names its holder
        with pytest.raises(Busy):
            with exclusive(lock):
                pass
    finally:
        holder.kill()  # SIGKILL: no `finally` of the holder runs, the file stays
        holder.wait()
    assert lock.read_text(encoding="utf-8").split()[0] == str(holder.pid)
    with exclusive(lock):
        assert lock.read_text(encoding="utf-8").split()[0] == str(os.getpid())
        with pytest.raises(Busy):  # a second run in the same process is one too
            with exclusive(lock):
                pass
    assert not lock.exists()
    assert sorted(p.name for p in lock.parent.iterdir()) == []


def test_without_flock_a_lock_file_a_flock_run_left_does_not_block(tmp_path, monkeypatch):
    lock = tmp_path / "import.lock"
    with exclusive(lock):  # flock: the empty file stays after release
        pass
    assert lock.read_bytes() == b""
    monkeypatch.setenv("RATSINFO_PORTABLE", "1")
    with exclusive(lock):
        assert lock.read_text(encoding="utf-8").split()[0] == str(os.getpid())
    assert not lock.exists()


def test_a_holder_that_releases_lets_the_next_run_in(tmp_path, monkeypatch):
    monkeypatch.setenv("RATSINFO_PORTABLE", "1")
    lock = tmp_path / "build.lock"
    holder = _holder(lock, tmp_path)
    holder.stdin.close()
    assert holder.wait() == 0
    assert not lock.exists()
    with exclusive(lock):
        pass


def _address_space_limit(pid: int) -> str:
    limits = Path(f"/proc/{pid}/limits").read_text(encoding="ascii")
    return next(line.split()[3] for line in limits.splitlines() if line.startswith("Max address space"))


def test_pdf_text_without_resource_limits_still_stops_at_the_wall_clock(monkeypatch):
    """Windows has no RLIMIT: the child runs unlimited, the parent reads its answers in a thread
    (select takes no pipes there) and still kills it after the wall-clock time."""
    from importers.pdftext import ExtractionStopped, Extractor, Limits
    from tests.test_attachments import text_bomb

    usual = Extractor()
    try:
        assert usual.text(text_bomb(3), Limits()) == "HahahaHahahaHahaha"
        assert _address_space_limit(usual.process.pid) == str(Limits().memory_bytes)
    finally:
        usual.stop()
    monkeypatch.setenv("RATSINFO_PORTABLE", "1")
    extractor = Extractor()
    try:
        assert extractor.text(text_bomb(3), Limits()) == "HahahaHahahaHahaha"
        assert _address_space_limit(extractor.process.pid) == "unlimited"
        with pytest.raises(ExtractionStopped, match="nach 1 s abgebrochen"):
            extractor.text(text_bomb(1_000_000), Limits(wall_seconds=1))
        assert extractor.process is None
        assert extractor.text(text_bomb(3), Limits()) == "HahahaHahahaHahaha"
    finally:
        extractor.stop()


# Publishes two builds and rolls back, recording which links were removed before a rename.
PUBLISH = """
import json, sys
from pathlib import Path
removed = []
sys.addaudithook(lambda event, args: removed.append(str(args[0])) if event == "os.remove" else None)
from ratsinfo.publish import publish, rollback
target = Path(sys.argv[1])
for build in sys.argv[2:]:
    publish(Path(build), target)
rollback(target)
print(json.dumps([r for r in removed if r == str(target)]))
"""


@pytest.mark.parametrize("forced", [False, True])
def test_publish_switches_where_a_rename_cannot_replace_a_link(tmp_path, forced):
    """On Windows a rename does not replace a link to a folder: the old link goes first. Forced
    here, publish and rollback still switch; on POSIX the switch stays one rename."""
    builds = []
    for word in ("eins", "zwei"):
        build = tmp_path / word
        (build / "_ratsinfo").mkdir(parents=True)
        (build / "index.html").write_text(f"<p>{word}</p>", encoding="utf-8")
        builds.append(str(build))
    target = tmp_path / "www" / "ratsinfo"
    target.parent.mkdir()
    env = dict(os.environ, PYTHONPATH=str(PROJECT))
    env.pop("RATSINFO_PORTABLE", None)
    if forced:
        env["RATSINFO_PORTABLE"] = "1"
    result = subprocess.run([sys.executable, "-c", PUBLISH, str(target), *builds], capture_output=True,
                            text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert "eins" in (target / "index.html").read_text(encoding="utf-8")  # rolled back to the first
    removed = json.loads(result.stdout)
    assert removed == ([str(target)] * 2 if forced else [])  # the second publish and the rollback
