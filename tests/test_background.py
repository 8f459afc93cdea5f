"""Writers in a child process (plugins/background.py): the result comes back to the parent, and
a job that fails stops the build with a message that names the files it was to write."""

import os

import pytest

from plugins import background
from ratsinfo import PROJECT_ROOT as PROJECT


@pytest.fixture(params=["fork", "portable"])
def mode(request, monkeypatch):
    if request.param == "portable":
        monkeypatch.setenv("RATSINFO_PORTABLE", "1")
    else:
        monkeypatch.delenv("RATSINFO_PORTABLE", raising=False)
    yield request.param
    background.forget()


def test_result_reaches_the_parent(mode):
    got = []
    background.start(lambda: {"pid": os.getpid()}, got.append, "Offene Daten")
    background.finish()
    assert len(got) == 1
    # Forked, the job ran in another process; portable, right here.
    assert (got[0]["pid"] != os.getpid()) == (mode == "fork")


def test_failed_job_stops_the_build_and_says_what_is_missing(mode, tmp_path):
    got = []

    def job():
        return (tmp_path / "fehlt" / "personen.jsonl").read_bytes()

    with pytest.raises(RuntimeError, match=r"^Offene Daten nicht geschrieben: FileNotFoundError: .*personen\.jsonl"):
        background.start(job, got.append, "Offene Daten")
        background.finish()
    assert got == []
    background.finish()  # nothing left over for the next build


def test_every_failure_is_named(monkeypatch, tmp_path):
    monkeypatch.delenv("RATSINFO_PORTABLE", raising=False)

    def job():
        raise OSError("Datenträger voll")

    background.start(job, print, "OParl-Schnittstelle")
    background.start(job, print, "Offene Daten")
    with pytest.raises(RuntimeError) as raised:
        background.finish()
    assert str(raised.value) == ("OParl-Schnittstelle nicht geschrieben: OSError: Datenträger voll; "
                                 "Offene Daten nicht geschrieben: OSError: Datenträger voll")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="nur wo geforkt wird")
def test_a_killed_build_takes_its_writers_with_it(tmp_path):
    """A build killed while a writer runs must not leave the writer behind: it would hold the build
    lock (inherited) and write into a staging folder the next build cleans up."""
    import signal
    import subprocess
    import sys
    import time

    note = tmp_path / "kind.pid"
    script = (
        "import os, signal, time\n"
        "from plugins import background\n"
        # Written under another name, then renamed: the parent must not see the file before its pid.
        f"def job():\n    open({str(note)!r} + '.tmp', 'w').write(str(os.getpid()))\n"
        f"    os.replace({str(note)!r} + '.tmp', {str(note)!r}); time.sleep(60)\n"
        "background.start(job, print, 'Test')\n"
        f"while not os.path.exists({str(note)!r}): time.sleep(0.01)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n")
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    env.pop("RATSINFO_PORTABLE", None)
    done = subprocess.run([sys.executable, "-c", script], env=env, cwd=PROJECT)
    assert done.returncode == -signal.SIGKILL
    child = int(note.read_text())
    for _ in range(200):
        if not _alive(child):
            break
        time.sleep(0.01)
    assert not _alive(child), "der Schreiber lebt nach dem Abbruch des Builds weiter"


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().split(") ", 1)[1][0] != "Z"
    except FileNotFoundError:
        return False


def test_the_build_waits_for_its_writers_after_pagefind_has_indexed_the_pages(mini_site):
    """Pagefind reads only the pages: it indexes them while the API and the dumps are still being
    written, and the build waits for those last (before build_site writes SHA256SUMS)."""
    from pelican import signals

    from plugins.search import run_pagefind

    receivers = list(signals.finalized.receivers_for(object()))
    assert run_pagefind in receivers and background.finish in receivers
    assert receivers.index(background.finish) == len(receivers) - 1


def test_queued_jobs_share_a_value_made_once_and_each_result_reaches_the_parent(mode):
    made, got = [], {}
    shared = background.share(lambda: made.append(os.getpid()) or {"made_in": os.getpid()})
    background.queue(lambda: ("api", shared()["made_in"], os.getpid()), lambda r: got.setdefault(r[0], r), "API")
    background.queue(lambda: ("dumps", shared()["made_in"], os.getpid()), lambda r: got.setdefault(r[0], r), "Dumps")
    background.launch()
    background.finish()
    assert set(got) == {"api", "dumps"}
    # One value for both jobs; forked, it was made in the first child, and the second job ran apart.
    assert got["api"][1] == got["dumps"][1]
    if mode == "fork":
        assert made == [] and got["api"][2] != got["dumps"][2] and os.getpid() not in (got["api"][2],
                                                                                        got["dumps"][2])
    else:
        assert made == [os.getpid()]


def test_a_shared_value_that_fails_stops_every_job_that_takes_it(mode):
    def broken():
        raise OSError("Datenträger voll")

    shared = background.share(broken)
    background.queue(lambda: shared(), print, "OParl-Schnittstelle")
    background.queue(lambda: shared(), print, "Offene Daten")
    with pytest.raises(RuntimeError) as raised:
        background.launch()  # without fork the first job runs here, and fails here
        background.finish()
    assert str(raised.value).startswith("OParl-Schnittstelle nicht geschrieben: OSError: Datenträger voll")
    if mode == "fork":
        assert str(raised.value).endswith("; Offene Daten nicht geschrieben: OSError: Datenträger voll")
