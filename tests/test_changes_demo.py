"""Acceptance (issue 17, "What changed"): two imports of a changing demo council, then a build.

Between the imports the demo's OParl server changes as a council's would: a meeting moves, a
result is entered, and a paper's main document is replaced by a new version with other text.
The test checks the change record in content/, the meeting's change list, the paper's version
diff and the change feed. Slow tier (the whole demo, imported twice and built once).
"""

from __future__ import annotations

import hashlib
import shutil
from datetime import date
from xml.etree import ElementTree as ET

import pytest

from importers.content import read_front_matter
from importers.oparl import import_oparl
from ratsinfo.build import build_site
from ratsinfo.demo.pdf import Document, render
from tests.conftest import base_of
from tests.support.oparl_server import DumpServer
from tests.test_import_oparl import edit_list_object

LATER = "2026-12-24T10:00:00+01:00"
NEW_TEXT = "Der Ansatz für Investitionen steigt auf 4,2 Millionen Euro."
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def changed_demo(demo_dump, tmp_path_factory, texts_read):
    folder = tmp_path_factory.mktemp("changes-demo")
    dump = folder / "dump"
    shutil.copytree(demo_dump, dump)
    # The replaced document's new bytes are read for real; the others' texts were read before.
    content = texts_read(folder / "content")
    with DumpServer(dump, base_of(dump)) as server:
        import_oparl(server.url + "system", content, show_progress=False)
        edit_list_object(dump, "bodies/1/meetings", "/meetings/1", lambda m: {
            **m, "start": "2025-01-22T17:00:00+01:00", "modified": LATER,
            "agendaItem": [{**i, "result": "einstimmig beschlossen", "modified": LATER} if i["id"].endswith("/agendaitems/1")
                           else i for i in m["agendaItem"]]})
        edit_list_object(dump, "bodies/1/agendaitems", "/agendaitems/1",
                         lambda i: {**i, "result": "einstimmig beschlossen", "modified": LATER})
        document = Document("Beschlussvorlage VO/2024/0001", date(2024, 12, 20))
        document.heading("Haushaltssatzung 2025, zweite Fassung")
        document.text(NEW_TEXT)
        pdf = render(document)
        (dump / "documents" / "1.pdf").write_bytes(pdf)
        new_file = {"size": len(pdf), "sha512Checksum": hashlib.sha512(pdf).hexdigest(), "modified": LATER}
        edit_list_object(dump, "bodies/1/files", "/files/1", lambda f: {**f, **new_file})
        edit_list_object(dump, "bodies/1/papers", "/papers/1",
                         lambda p: {**p, "modified": LATER, "mainFile": {**p["mainFile"], **new_file}})
        import_oparl(server.url + "system", content, show_progress=False)
    output = folder / "output"
    build_site(content, output, overrides={"PUBLIC_URL": "https://ratsinfo.muldenau.example/", "PAGEFIND": False})
    return content, output


def by_source(content, folder, suffix):
    return next(data for data in (read_front_matter(p) for p in (content / folder).glob("*.md"))
                if data["source"].endswith(suffix))


def test_the_change_record_holds_what_changed(changed_demo):
    content, _ = changed_demo
    today = date.today().isoformat()
    meeting = by_source(content, "meetings", "/meetings/1")
    kinds = {(c["change"], c["seen"]) for c in meeting["changes"]}
    assert kinds == {("meeting_moved", today), ("result", today)}
    paper = by_source(content, "papers", "/papers/1")
    assert [(c["change"], c["version"]) for c in paper["changes"]] == [("document_version", 2)]
    main = read_front_matter(content / "files" / f"{paper['main_file']}.md")
    assert main["versions"][0]["version"] == 1 and (content / "files" / main["versions"][0]["text"]).is_file()


def test_meeting_page_and_paper_page_show_the_changes(changed_demo):
    content, output = changed_demo
    meeting = by_source(content, "meetings", "/meetings/1")
    html = (output / "sitzungen" / f"{meeting['id']}.html").read_text(encoding="utf-8")
    assert "Änderungen an der Tagesordnung" in html and "Sitzung verlegt" in html
    assert "Ergebnis eingetragen" in html and "einstimmig beschlossen" in html
    paper = (output / "vorlagen" / "vo-2024-0001.html").read_text(encoding="utf-8")
    assert "Fassung 1 → 2" in paper
    inserted = paper[paper.index('<div class="diff">'):]
    assert "<ins>" in inserted and "4,2 Millionen Euro" in inserted and "<del>" in inserted


def test_the_change_feed_names_both_changes(changed_demo):
    _, output = changed_demo
    root = ET.parse(output / "feeds" / "aenderungen.atom").getroot()
    titles = [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")]
    assert any("Sitzung verlegt" in t for t in titles)
    assert any("Neue Fassung eines Dokuments" in t for t in titles)
    assert any("Ergebnis eingetragen" in t for t in titles)
