"""Writers in a child process (plugins/background.py): the result comes back to the parent, and
a job that fails stops the build with a message that names the files it was to write."""

import os

import pytest

from plugins import background


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
