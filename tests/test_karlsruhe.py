"""Stadt Karlsruhe (SOMACOS SessionNet, OParl 1.1) imported over loopback and built.

The real sample (shared/oparl-samples/karlsruhe-oparl-syndication/docs/, see
its README.md) is served by tests/support/karlsruhe_server.py with its quirks
untouched: 42 of 173 meetings end before they start, agenda `order` counts
from 1, no paper has a `mainFile`, and consultations link meetings and papers
outside the sample. Expected numbers are counted from the sample itself.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest

from importers.content import read_front_matter
from importers.oparl import import_oparl
from tests.support.karlsruhe_server import ORIGIN, KarlsruheServer

PROJECT = Path(__file__).resolve().parent.parent
KARLSRUHE = PROJECT.parent / "shared" / "oparl-samples" / "karlsruhe-oparl-syndication" / "docs"
SOURCE_LINK = re.compile(r"http://127\.0\.0\.1:\d+/oparl/bodies/0001/(?:meetings|papers)/[\w/]+")


def read_sample(folder: Path, name: str) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((folder / name).glob("*.json"))]


@pytest.fixture(scope="module")
def karlsruhe() -> Path:
    if not (KARLSRUHE / "organizations.json").is_file():
        pytest.skip("../shared/oparl-samples fehlt: Karlsruher Daten nicht verfügbar")
    return KARLSRUHE


@pytest.fixture(scope="module")
def sample(karlsruhe) -> dict[str, list[dict]]:
    return {"meetings": read_sample(karlsruhe, "meetings"), "papers": read_sample(karlsruhe, "papers")}


@pytest.fixture(scope="module")
def server(karlsruhe):
    with KarlsruheServer(karlsruhe) as server:
        yield server


@pytest.fixture(scope="module")
def imported(server, tmp_path_factory):
    content = tmp_path_factory.mktemp("karlsruhe") / "content"
    # Attachments are not in the sample; the server answers 404 for every one.
    report = import_oparl(server.system_url, content, show_progress=False, rate=0)
    return content, report


@pytest.fixture(scope="module")
def site(imported, tmp_path_factory) -> Path:
    from ratsinfo.build import build_site

    output = tmp_path_factory.mktemp("karlsruhe-site") / "output"
    build_site(imported[0], output, overrides={"PAGEFIND": False})
    return output


def written(content: Path, folder: str) -> dict[str, dict]:
    """Content files of one folder by their source id, mapped back to Karlsruhe's URLs."""
    files = {}
    for path in sorted((content / folder).glob("*.md")):
        data = read_front_matter(path)
        source = data["source"]
        files[ORIGIN + source.split("/", 3)[3]] = data
    return files


def problems(report) -> dict[str, dict]:
    return {entry["problem"]: entry for entry in report.as_dict()["problems"]}


def test_every_meeting_and_every_paper_not_deleted_is_imported(sample, imported):
    content, _ = imported
    live_papers = [p for p in sample["papers"] if not p.get("deleted")]
    assert (len(sample["meetings"]), len(live_papers)) == (173, 1128)
    assert set(written(content, "meetings")) == {m["id"] for m in sample["meetings"]}
    assert set(written(content, "papers")) == {p["id"] for p in live_papers}


def test_tombstones_are_listed_only_for_modified_since_and_never_imported(sample, server, imported):
    tombstones = {p["id"] for p in sample["papers"] if p.get("deleted")}
    assert len(tombstones) == 3
    papers_url = server.url + "oparl/bodies/0001/papers"
    plain = httpx.get(papers_url).json()
    changed = httpx.get(papers_url, params={"modified_since": "2000-01-01T00:00:00+01:00"}).json()
    assert plain["pagination"]["totalElements"] == 1128
    assert changed["pagination"]["totalElements"] == 1131
    assert "modified_since=" in changed["links"]["next"]
    assert not tombstones & set(written(imported[0], "papers"))


def test_report_names_the_defects_of_the_data(sample, imported):
    content, report = imported
    found = problems(report)
    end_first = [m["id"] for m in sample["meetings"] if m.get("end") and m["end"] < m["start"]]
    assert len(end_first) == 42
    assert found["Meeting.end liegt vor start (als unbekannt behandelt)"]["count"] == 42
    # 15 agenda items link consultations that no paper embeds (sample README, M14):
    # the importer fetches them one by one.
    embedded = {c["id"] for p in sample["papers"] for c in p.get("consultation", [])}
    linked = {i["consultation"] for m in sample["meetings"] for i in m.get("agendaItem", [])
              if i.get("consultation")}
    assert len(linked - embedded) == 15
    assert found["Objekt ist verlinkt, steht aber in keiner Liste"]["count"] == 15
    # Consultations point to meetings outside the sample: unreachable, reported, not linked.
    assert found["Verlinktes Objekt nicht abrufbar (HTTP 404)"]["count"] > 0
    files = written(content, "files")
    assert found["Datei nicht geladen: NotFound"]["count"] == len(files) == report.files_failed
    # The synthesized Body sends the mandatory legislativeTerm as [] (spec 2-04).
    assert "Body ohne legislativeTerm (Pflichtfeld fehlt)" not in found


def test_meetings_keep_start_agenda_order_and_publicity(sample, imported):
    meetings = written(imported[0], "meetings")
    for source in sample["meetings"]:
        meeting = meetings[source["id"]]
        assert meeting["start"] == source["start"]
        assert ("end" in meeting) == (source["end"] >= source["start"])
        # `order` counts from 1 here (M9); the agenda keeps the server's order.
        items = sorted(source.get("agendaItem", []), key=lambda i: i["order"])
        agenda = meeting.get("agenda", [])
        assert [i["source"].split("/")[-1] for i in agenda] == [i["id"].split("/")[-1] for i in items]
        assert all(i["public"] for i in agenda)


def test_papers_without_main_file_keep_all_documents_as_attachments(sample, imported):
    content, _ = imported
    papers = written(content, "papers")
    files = written(content, "files")
    for source in sample["papers"]:
        if source.get("deleted"):
            continue
        paper = papers[source["id"]]
        assert "main_file" not in paper
        expected = [files[f["id"]]["id"] for f in source.get("auxiliaryFile", [])]
        assert paper.get("auxiliary_files", []) == expected


def test_site_has_a_page_for_every_meeting_and_paper(imported, site):
    content, _ = imported
    for folder, pages in (("meetings", "sitzungen"), ("papers", "vorlagen")):
        sources = {data["source"] for data in written(content, folder).values()}
        # Every object page names its source (docs/content-format.md), whatever its file name.
        named = set()
        for page in (site / pages).rglob("*.html"):
            named |= set(SOURCE_LINK.findall(page.read_text(encoding="utf-8")))
        missing = sorted(sources - named)
        assert not missing, f"{pages}: keine Seite für {missing[:5]}"
