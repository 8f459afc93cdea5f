"""What changed (issue 17): the importers' change record, the pages, feeds and sitemap that show it.

The importer side runs two or three imports of "Musterstadt" (a small OParl council on
127.0.0.1, tests/test_oparl_non_public.py) whose agenda and documents change in between; the
build side the mini-site with a hand-written record, a document's earlier version and a
takedown ledger.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from importers.content import read_front_matter, render_front_matter
from ratsinfo import takedown
from ratsinfo.build import build_site
from tests.conftest import MINI_OVERRIDES, MINI_SOURCE
from tests.support.takedown import ledger_text, occurrences
from tests.test_oparl_non_public import API, Musterstadt, item, oparl
from tests.test_oparl_quirks import run_import

TODAY = date.today().isoformat()  # the day an import notes a change (the day of the import)
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(autouse=True)
def state_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("RATSINFO_STATE_DIR", str(tmp_path / "state"))


def meeting_file(content: Path) -> dict:
    return read_front_matter(next((content / "meetings").glob("*.md")))


def changes_of(content: Path) -> list[dict]:
    return meeting_file(content).get("changes", [])


def reimport(server: Musterstadt, content: Path, items: list[dict], **meeting):
    server.set_agenda(items)
    if meeting:
        server.lists["meeting"][0].update(meeting)
        server.add_list(server.body["meeting"], server.lists["meeting"])
    run_import(server.entry, content, full=True)


# -- the importer's record ------------------------------------------------------------------


def test_the_first_import_is_the_baseline_and_records_nothing(tmp_path):
    content = tmp_path / "content"
    with Musterstadt([item(1, "Eröffnung", public=True)]) as server:
        run_import(server.entry, content)
        assert "changes" not in meeting_file(content)
        # An unchanged second import writes nothing new either.
        before = (next((content / "meetings").glob("*.md"))).read_bytes()
        run_import(server.entry, content, full=True)
    assert next((content / "meetings").glob("*.md")).read_bytes() == before


def test_each_agenda_change_is_recorded_with_the_day_it_was_seen(tmp_path):
    content = tmp_path / "content"
    first = [item(1, "Eröffnung", public=True), item(2, "Haushalt 2027", public=True),
             item(3, "Radweg Nord", public=True), item(4, "Spielplatz Süd", public=True)]
    with Musterstadt(first) as server:
        run_import(server.entry, content)
        # Radweg Nord comes before Haushalt, Spielplatz is withdrawn, a new item is added and a
        # result entered; the meeting moves by a week and is then cancelled.
        second = [item(1, "Eröffnung", public=True, result="zur Kenntnis genommen"),
                  {**item(3, "Radweg Nord", public=True, number="2"), "order": 2},
                  {**item(2, "Haushalt 2027", public=True, number="3"), "order": 3},
                  item(5, "Bürgerfragestunde", public=True)]
        reimport(server, content, second, start="2026-03-05T16:00:00+01:00", cancelled=True)
    entries = changes_of(content)
    assert {e["seen"] for e in entries} == {TODAY}
    by_kind = {e["change"]: e for e in entries}
    assert set(by_kind) == {"item_added", "item_withdrawn", "item_moved", "result", "meeting_moved",
                            "meeting_cancelled"}
    assert by_kind["item_added"]["name"] == "Bürgerfragestunde"
    assert by_kind["item_withdrawn"] == {"seen": TODAY, "change": "item_withdrawn", "item": by_kind["item_withdrawn"]["item"],
                                         "number": "4", "name": "Spielplatz Süd"}
    # One item moved, not every item after it renumbered.
    assert [e["name"] for e in entries if e["change"] == "item_moved"] in (["Radweg Nord"], ["Haushalt 2027"])
    assert by_kind["result"]["result"] == "zur Kenntnis genommen"
    assert (by_kind["meeting_moved"]["from"], by_kind["meeting_moved"]["to"]) == (
        "2026-02-26T16:00:00+01:00", "2026-03-05T16:00:00+01:00")


def test_a_new_meeting_after_the_baseline_says_its_agenda_was_published(tmp_path):
    content = tmp_path / "content"
    with Musterstadt([]) as server:
        run_import(server.entry, content)
        assert "changes" not in meeting_file(content)
        reimport(server, content, [item(1, "Eröffnung", public=True), item(2, "Bauplan", public=True)])
    assert [e["change"] for e in changes_of(content)] == ["agenda_published"]


def test_non_public_items_never_enter_the_change_record(tmp_path):
    content = tmp_path / "content"
    with Musterstadt([item(1, "Eröffnung", public=True)]) as server:
        run_import(server.entry, content)
        # A new non-public item is not noted; a new public one is …
        reimport(server, content, [item(1, "Eröffnung", public=True), item(2, "Grundstück GEHEIM-7731", public=False),
                                   item(3, "Verkauf Rathausplatz", public=True)])
        assert [(e["change"], e["name"]) for e in changes_of(content)] == [("item_added", "Verkauf Rathausplatz")]
        # … until it becomes non-public: then its entry goes, as its text went from the agenda.
        reimport(server, content, [item(1, "Eröffnung", public=True), item(2, "Grundstück GEHEIM-7731", public=False),
                                   item(3, "Verkauf Rathausplatz", public=False)])
        assert changes_of(content) == []
        # Withdrawn while non-public: no entry either.
        reimport(server, content, [item(1, "Eröffnung", public=True)])
    assert changes_of(content) == []
    written = b"".join(p.read_bytes() for p in content.rglob("*") if p.is_file())
    assert b"GEHEIM-7731" not in written and b"Verkauf Rathausplatz" not in written


def test_a_paper_notes_a_new_document_and_a_new_version_and_keeps_the_old_text(tmp_path):
    content = tmp_path / "content"

    def paper(files: list[str]):
        return oparl("Paper", "papers/1", name="Radweg Nord", reference="VO/2026/0001", mainFile=API + "files/1",
                     auxiliaryFile=[API + f"files/{n}" for n in files])

    def document(n: int, text: str, modified: str = "2026-03-01T10:00:00+01:00"):
        return oparl("File", f"files/{n}", name=f"Dokument {n}", text=text, modified=modified,
                     accessUrl=API + f"documents/{n}.pdf")

    old = "Radweg Nord\n\nDer Radweg wird zwei Meter breit.\n"
    new = "Radweg Nord\n\nDer Radweg wird drei Meter breit.\n"
    with Musterstadt([], paper=[paper([])], file=[document(1, old)]) as server:
        run_import(server.entry, content)
        server.lists.update(paper=[paper(["2"])], file=[document(1, new, "2026-03-08T10:00:00+01:00"),
                                                         document(2, "Lageplan")])
        reimport(server, content, [])
    record = read_front_matter(next((content / "papers").glob("*.md")))
    kinds = {(e["change"], e.get("version")) for e in record["changes"]}
    assert kinds == {("document_added", None), ("document_version", 2)}
    main = read_front_matter(content / "files" / f"{record['main_file']}.md")
    assert main["versions"] == [{"version": 1, "until": TODAY, "text": f"{record['main_file']}.v1.txt"}]
    assert (content / "files" / f"{record['main_file']}.v1.txt").read_text(encoding="utf-8") == old.strip()
    assert (content / "files" / main["text"]).read_text(encoding="utf-8") == new.strip()


# -- what the build makes of it -------------------------------------------------------------

SECRET = "GEHEIM-KLEINSTADT-4711"  # the mini-site's non-public item 3
REDACTED_NAME = "Familie Mustermann"


def mini_with_changes(folder: Path) -> Path:
    """The mini-site with a change record on meeting 1 and paper 1, and an earlier version of file 3."""
    content = folder / "content"
    shutil.copytree(MINI_SOURCE, content)
    meeting = read_front_matter(content / "meetings/1.md")
    meeting["changes"] = [
        {"seen": "2026-03-01", "change": "agenda_published"},
        {"seen": "2026-03-05", "change": "item_added", "item": "2", "number": "Ö 2", "name": "Neubau <b>Feuerwehr</b>"},
        # Hand-written against the rule: item 3 is non-public, the build drops the entry.
        {"seen": "2026-03-05", "change": "item_added", "item": "3", "number": "N 1", "name": SECRET},
        {"seen": "2026-03-06", "change": "item_withdrawn", "item": "9", "number": "Ö 3",
         "name": f"Anfrage {REDACTED_NAME}"},
        {"seen": "2026-03-07", "change": "item_moved", "item": "1", "number": "Ö 1", "from": "Ö 2", "name": "Eröffnung"},
        {"seen": "2026-03-08", "change": "meeting_moved", "from": "2026-03-10T18:00:00+01:00",
         "to": "2026-03-12T18:00:00+01:00"},
        {"seen": "2026-03-13", "change": "result", "item": "2", "number": "Ö 2", "name": "Neubau",
         "result": "einstimmig beschlossen"},
        {"seen": "2026-03-14", "change": "document_added", "file": "2", "role": "results_protocol"},
    ]
    (content / "meetings/1.md").write_bytes(render_front_matter(meeting))
    document = read_front_matter(content / "files/3.md")
    document["versions"] = [{"version": 1, "until": "2026-02-20", "text": "3.v1.txt"}]
    (content / "files/3.md").write_bytes(render_front_matter(document))
    (content / "files/3.v1.txt").write_text(
        "Beschlussvorlage Feuerwehrhaus\n\nDie Gemeinde baut ein Feuerwehrhaus mit zwei Stellplätzen.\n\n"
        f"Gutachten von {REDACTED_NAME} <i>liegt bei</i>.\n", encoding="utf-8")
    invitation = read_front_matter(content / "files/1.md")  # meeting 1's invitation, sent again
    invitation.update(text="1.txt", versions=[{"version": 1, "until": "2026-03-04", "text": "1.v1.txt"}])
    (content / "files/1.md").write_bytes(render_front_matter(invitation))
    (content / "files/1.txt").write_text("Einladung zur 5. Sitzung am 12. März um 18 Uhr.\n", encoding="utf-8")
    (content / "files/1.v1.txt").write_text("Einladung zur 5. Sitzung am 10. März um 18 Uhr.\n", encoding="utf-8")
    paper = read_front_matter(content / "papers/1.md")
    paper["changes"] = [{"seen": "2026-02-20", "change": "document_version", "file": "3", "role": "main_file",
                         "version": 2}]
    (content / "papers/1.md").write_bytes(render_front_matter(paper))
    return content


@pytest.fixture(scope="module")
def changed_site(tmp_path_factory) -> Path:
    content = mini_with_changes(tmp_path_factory.mktemp("changes"))
    build_site(content, content.parent / "output", overrides=MINI_OVERRIDES)
    return content.parent / "output"


def section(html: str) -> str:
    start = html.index('<section class="changes"')
    return html[start:html.index("</section>", start)]


def test_meeting_page_lists_the_changes_newest_first_without_the_non_public_item(changed_site):
    html = section((changed_site / "sitzungen/1.html").read_text(encoding="utf-8"))
    assert "Änderungen an der Tagesordnung" in html
    lines = [line for line in html.splitlines() if line.strip().startswith("<li>")]
    assert [line.split('datetime="')[1][:10] for line in lines] == [
        "2026-03-14", "2026-03-13", "2026-03-08", "2026-03-07", "2026-03-06", "2026-03-05", "2026-03-01"]
    assert "Neubau &lt;b&gt;Feuerwehr&lt;/b&gt;" in html and '<a href="#top-2">' in html
    assert "Abgesetzt: TOP Ö 3" in html and "(vorher TOP Ö 2)" in html and "einstimmig beschlossen" in html
    assert "Niederschrift" in html and "vorher Dienstag, 10.03.2026" in html
    assert SECRET not in (changed_site / "sitzungen/1.html").read_text(encoding="utf-8")


def test_paper_page_shows_versions_and_a_readable_escaped_diff(changed_site):
    html = section((changed_site / "vorlagen/bv-2026-0001.html").read_text(encoding="utf-8"))
    assert "Neue Fassung 2 (Vorlage)" in html and "Fassung 1 → 2" in html and "ersetzt am 20.02.2026" in html
    assert '<del><span class="visually-hidden">[entfernt: </span>zwei' in html
    assert "<ins><span class=\"visually-hidden\">[neu: </span>" in html
    # The texts are data: markup in them arrives escaped.
    assert "&lt;i&gt;liegt bei&lt;/i&gt;" in html and "<script>" not in html


def test_meeting_page_shows_earlier_versions_of_its_own_documents(changed_site):
    """An invitation sent again with a new date: the meeting page shows what changed in it, as a
    paper page does for its documents."""
    html = (changed_site / "sitzungen/1.html").read_text(encoding="utf-8")
    versions = html[html.index('<h2 id="fassungen">'):]
    versions = versions[:versions.index("</section>")]
    assert "Fassungen von „Einladung zur 5. Sitzung“" in versions and "ersetzt am 04.03.2026" in versions
    assert '<del><span class="visually-hidden">[entfernt: </span>10.' in versions
    assert '<ins><span class="visually-hidden">[neu: </span>12.' in versions


def test_change_feeds_hold_agendas_minutes_and_all_changes(changed_site):
    def entries(path):
        root = ET.parse(changed_site / "feeds" / path).getroot()
        return [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")]

    assert [t.rsplit(": ", 1)[1] for t in entries("tagesordnungen.atom")] == ["Tagesordnung veröffentlicht"]
    assert [t.split(": ", 1)[1] for t in entries("niederschriften.atom")] == ["Neues Dokument: Niederschrift der 5. Sitzung"]
    everything = entries("aenderungen.atom")
    assert len(everything) == 8 and everything == entries("gremium-1-aenderungen.atom")[:8]
    assert not any(SECRET in t for t in everything)
    organization = (changed_site / "gremien/1.html").read_text(encoding="utf-8")
    assert 'href="../feeds/gremium-1-aenderungen.atom"' in organization


def test_sitemap_gives_the_day_of_the_last_change(changed_site):
    root = ET.parse(changed_site / "sitemap.xml").getroot()
    lastmod = {u.find(f"{SITEMAP}loc").text.rsplit("/ratsinfo/", 1)[1]: u.find(f"{SITEMAP}lastmod")
               for u in root.findall(f"{SITEMAP}url")}
    assert lastmod["sitzungen/1.html"].text == "2026-03-14"
    assert lastmod["vorlagen/bv-2026-0001.html"].text == "2026-02-20"


def test_takedown_reaches_change_entries_and_old_versions(tmp_path):
    """Redacted strings go from change texts and earlier versions; a withheld document's entries go."""
    content = mini_with_changes(tmp_path)
    (tmp_path / takedown.DEFAULT_FILE).write_text(
        ledger_text(("schwaerzen", REDACTED_NAME), ("zurueckhalten", "datei 2")), encoding="utf-8")
    build_site(content, tmp_path / "output", overrides=MINI_OVERRIDES)
    assert occurrences(tmp_path / "output", [REDACTED_NAME, SECRET]) == {}
    meeting = section((tmp_path / "output/sitzungen/1.html").read_text(encoding="utf-8"))
    assert "Abgesetzt: TOP Ö 3 „Anfrage [entfernt]“" in meeting
    assert "Neues Dokument" not in meeting
    feed = (tmp_path / "output/feeds/niederschriften.atom").read_text(encoding="utf-8")
    assert "<entry>" not in feed


# -- in the browser ---------------------------------------------------------------------------


@pytest.mark.parametrize("width", [375, 1280])
def test_change_list_and_diff_have_no_axe_violations(changed_site, browser, tmp_path, width):
    """The meeting's change list and the paper's diff (opened), on a phone and a desktop."""
    from tests.support.browser import serve_site
    from tests.test_accessibility import AXE

    if not AXE.is_file():
        pytest.skip("axe-core fehlt: npm ci (make test installiert es)")
    found = {}
    with serve_site(changed_site, tmp_path) as base:
        page = browser.new_page(viewport={"width": width, "height": 900})
        for path in ("sitzungen/1.html", "vorlagen/bv-2026-0001.html"):
            page.goto(base + path)
            assert page.locator("#aenderungen").is_visible()
            page.evaluate("document.querySelectorAll('details.version-diff').forEach(d => d.open = true)")
            page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
            result = page.evaluate("async () => await axe.run(document, {runOnly: {type: 'tag', values: "
                                   "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})")
            found[path] = [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]]
        # A screen reader hears what was removed and added, not only a colour or a line.
        assert "[entfernt:" in page.locator(".diff del").first.text_content()
        assert "[neu:" in page.locator(".diff ins").first.text_content()
        page.close()
    assert found == {"sitzungen/1.html": [], "vorlagen/bv-2026-0001.html": []}
