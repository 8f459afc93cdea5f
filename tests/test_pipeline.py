"""The import pipeline's contract (importers/pipeline.py), with the smallest source that keeps it:
what any source delivers, the pipeline publishes only as the rule allows, writes content/ and
its store only after everything was read, and notes the run's date as content."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from importers import pipeline, store
from importers.errors import ImportFailed
from importers.publication import Policy
from importers.records import Record, Ref
from importers.report import Report
from importers.store import Memory
from ratsinfo.build import build_site

SECRET = "Grundstücksgeschäft Bahnhofstraße"


class TinySource:
    """A town of one meeting: a public item and a non-public one with a resolution file."""

    name = "klein"
    key = "klein:rat"
    fingerprint = ""
    incremental = True
    check_url = None

    def __init__(self, fail_reading: bool = False):
        self.report = Report()
        self.fail_reading = fail_reading
        self.calls: list[str] = []

    def read(self, previous, withheld_before, progress, spool):
        self.calls.append("read")
        if self.fail_reading:
            raise ImportFailed("Quelle nicht erreichbar")
        self.report.mode = "vollständig"
        return [
            Record("meeting", "klein:sitzungen/1", {
                "name": "Sitzung des Rates", "start": "2025-05-05T17:00:00+02:00",
                "agenda": [
                    {"id": Ref("agenda_item", "klein:tops/1"), "source": "klein:tops/1", "number": "1",
                     "name": "Spielplatz", "public": True},
                    {"id": Ref("agenda_item", "klein:tops/2"), "source": "klein:tops/2", "number": "2",
                     "name": SECRET, "public": False, "resolution_file": Ref("file", "klein:dateien/1")},
                ]},
                nested=[("agenda_item", "klein:tops/1"), ("agenda_item", "klein:tops/2")]),
            Record("file", "klein:dateien/1", {"name": f"Beschluss {SECRET}"}),
            Record("person", "klein:personen/1", {"name": "Erika Muster", "email": ["erika@example.org"]}),
        ]

    def fetch_file(self):
        return None

    def after_file(self):
        pass

    def remember(self, records, policy):
        return Memory(objects={(r.kind, r.source): dict(r.data, agenda=len(r.data.get("agenda", [])))
                               for r in records})

    def finished(self):
        self.calls.append("finished")

    def failed(self, exc):
        self.calls.append("failed")
        return None

    def close(self):
        self.calls.append("close")


def every_byte(*folders: Path) -> str:
    return "\n".join(p.read_bytes().decode("utf-8", errors="replace")
                     for folder in folders for p in sorted(folder.rglob("*")) if p.is_file())


def files_of(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(autouse=True)
def state_dir(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("RATSINFO_STATE_DIR", str(tmp_path / "zustand"))
    return tmp_path / "zustand"


def test_whatever_a_source_delivers_the_pipeline_writes_only_what_is_public(tmp_path, state_dir):
    content = tmp_path / "content"
    source = TinySource()
    report = pipeline.run(source, content, policy=Policy(), show_progress=False)

    assert SECRET not in every_byte(content, state_dir)
    assert "erika@example.org" not in every_byte(content, state_dir)
    assert not (content / "files").exists(), "a file only a non-public item links was written"
    assert report.withheld["nichtöffentliche TOPs"] == 1
    assert source.calls == ["read", "finished", "close"]
    assert store.load(store.store_path(content, "klein", "klein:rat")).meta["withheld"] == '["klein:tops/2"]'


def test_the_run_date_is_content_and_the_old_note_goes(tmp_path):
    content = tmp_path / "content"
    (content / ".ratsinfo").mkdir(parents=True)
    (content / ".ratsinfo" / "last-import.json").write_text('{"finished": "2020-01-01T00:00:00+00:00"}')
    pipeline.run(TinySource(), content, show_progress=False)

    data_as_of = yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8"))["data_as_of"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", data_as_of)
    assert not (content / ".ratsinfo" / "last-import.json").exists()


def test_a_failed_run_leaves_content_and_store_as_they_were(tmp_path, state_dir):
    content = tmp_path / "content"
    pipeline.run(TinySource(), content, show_progress=False)
    before = files_of(content), files_of(state_dir)

    failing = TinySource(fail_reading=True)
    with pytest.raises(ImportFailed, match="nicht erreichbar"):
        pipeline.run(failing, content, show_progress=False)
    assert (files_of(content), files_of(state_dir)) == before
    assert failing.calls == ["read", "failed", "close"]


def test_footer_date_comes_from_site_yaml_of_hand_written_content(tmp_path):
    """No importer ran: content/ written by hand has no content/.ratsinfo/ at all."""
    content = tmp_path / "content"
    (content / "bodies").mkdir(parents=True)
    (content / "bodies" / "b.md").write_text("---\nid: b\nname: Musterstadt\n---\n", encoding="utf-8")
    (content / "site.yaml").write_text("data_as_of: '2025-05-06T08:00:00+02:00'\n", encoding="utf-8")
    output = tmp_path / "output"
    build_site(content, output, overrides={"PAGEFIND": False, "RATSINFO_CACHE": False,
                                           "RATSINFO_TODAY": "2025-05-07"})
    assert "Stand der Daten: 06.05.2025." in (output / "index.html").read_text(encoding="utf-8")
