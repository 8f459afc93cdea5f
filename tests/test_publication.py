"""Nothing non-public is ever published: not in content, pages, search index or file copies."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from ratsinfo.demo import NON_PUBLIC_MARKERS
from tests.support.site import pagefind_fragments


def all_text(folder: Path) -> str:
    parts = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in (".md", ".txt", ".html", ".json", ".js", ".xml", ".ics"):
            parts.append(path.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(parts)


def dump_text(folder: Path) -> str:
    """Every byte of the dumps under daten/ as text, and every text cell of the SQLite database read
    through SQLite (its pages may hold a cell in pieces, or compressed in the full-text index)."""
    import sqlite3

    parts = [p.read_text(encoding="utf-8") for p in sorted(folder.iterdir()) if p.suffix in (".csv", ".jsonl", ".json")]
    with sqlite3.connect(f"file:{folder / 'ratsinfo.sqlite'}?mode=ro", uri=True) as db:
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%_fts%'"):
            for row in db.execute(f'SELECT * FROM "{table}"'):
                parts += [cell for cell in row if isinstance(cell, str)]
        for (fts,) in db.execute("SELECT name FROM sqlite_master WHERE name LIKE '%_fts' AND type = 'table'"):
            # The index's own vocabulary: a term indexed from a withheld text would show here.
            db.execute(f'CREATE VIRTUAL TABLE temp."{fts}_terms" USING fts5vocab(main, "{fts}", row)')
            parts += [term for (term,) in db.execute(f'SELECT term FROM temp."{fts}_terms"')]
    return "\n".join(parts)


def test_demo_has_non_public_items_to_hide(demo_dump):
    dump_text = all_text(demo_dump)
    assert all(marker in dump_text for marker in NON_PUBLIC_MARKERS)


def test_non_public_text_never_reaches_content(demo_content):
    text = all_text(demo_content)
    for marker in NON_PUBLIC_MARKERS:
        assert marker not in text


def test_non_public_text_never_reaches_pages_or_search_index(demo_site):
    text = all_text(demo_site)
    index = "\n".join(f["content"] + " " + str(f.get("meta")) for f in pagefind_fragments(demo_site))
    for marker in NON_PUBLIC_MARKERS:
        assert marker not in text
        assert marker not in index


def test_no_published_file_copy_holds_non_public_text(demo_site):
    pdfs = sorted((demo_site / "dateien").glob("*.pdf"))
    assert pdfs
    for pdf in pdfs:
        text = " ".join(page.extract_text() or "" for page in PdfReader(pdf).pages)
        for marker in NON_PUBLIC_MARKERS:
            assert marker not in text, pdf


def test_non_public_items_show_only_as_placeholder(demo_site):
    placeholders = 0
    for page in (demo_site / "sitzungen").glob("*.html"):
        placeholders += page.read_text(encoding="utf-8").count("Nichtöffentlicher Tagesordnungspunkt")
    assert placeholders > 10


def test_importer_private_state_holds_no_non_public_text_and_is_not_in_content(demo_content):
    """The raw store of incremental runs sits in the private state folder; it keeps withheld items' places only."""
    import sqlite3

    from importers.state import state_dir

    assert not list(demo_content.rglob("*.sqlite"))
    stores = list(state_dir(demo_content).glob("oparl-*.sqlite"))
    assert stores
    for store in stores:
        with sqlite3.connect(store) as db:
            text = "\n".join(row[0] for row in db.execute("SELECT data FROM objects"))
        for marker in NON_PUBLIC_MARKERS:
            assert marker not in text


def test_plugins_show_a_consultation_in_a_non_public_item_only_as_discussed_there(tmp_path):
    """The re-check when reading content/: hand-edited or stale files cannot open the closed part."""
    from importers.content import render_front_matter
    from ratsinfo.build import build_site

    def write(folder: str, data: dict):
        (content / folder).mkdir(parents=True, exist_ok=True)
        (content / folder / f"{data['id']}.md").write_bytes(render_front_matter(data))

    content, output = tmp_path / "content", tmp_path / "output"
    write("organizations", {"id": "o", "source": "hand", "name": "Bauausschuss"})
    write("meetings", {"id": "m", "source": "hand", "name": "3. Sitzung des Bauausschusses",
                       "start": "2026-03-05T17:00:00+01:00", "organizations": ["o"], "agenda": [
                           {"id": "1", "number": "Ö 1", "name": "Radweg Lindenallee", "public": True, "paper": "v"},
                           {"id": "2", "number": "N 1", "name": "Grundstückstausch Geheimweg", "public": False},
                           {"id": "3", "number": "N 2", "name": "Vergabe an Firma Geheim", "public": "false"}]})
    write("papers", {"id": "v", "source": "hand", "name": "Radweg Lindenallee", "reference": "VO/2026/0007",
                     "consultations": [
                         {"meeting": "m", "agenda_item": "1", "organizations": ["o"], "role": "Vorberatung"},
                         {"meeting": "m", "agenda_item": "2", "organizations": ["o"], "role": "Tausch mit Geheimweg"},
                         {"meeting": "m", "agenda_item": "3", "role": "Vergabe an Firma Geheim"},
                         {"meeting": "m", "public": False, "role": "Rolle trotz Sperre"}]})
    build_site(content, output, overrides={"PAGEFIND": False})
    paper = next((output / "vorlagen").glob("*.html")).read_text(encoding="utf-8")
    meeting = (output / "sitzungen" / "m.html").read_text(encoding="utf-8")
    assert "Vorberatung" in paper and "sitzungen/m.html#top-1" in paper
    assert paper.count("in nichtöffentlicher Sitzung beraten") == 3
    for closed in ("Geheim", "#top-2", "#top-3", "Rolle trotz Sperre"):
        assert closed not in paper, closed
    assert "Geheim" not in meeting
    dumps = dump_text(output / "daten")
    assert "Radweg Lindenallee" in dumps and "Vorberatung" in dumps
    for closed in ("Geheim", "geheim", "Rolle trotz Sperre", "Tausch mit"):
        assert closed not in dumps, closed


def test_contact_data_reaches_the_dumps_only_when_the_town_allows_it(tmp_path):
    from importers.content import render_front_matter
    from ratsinfo.build import build_site

    content = tmp_path / "content"
    (content / "persons").mkdir(parents=True)
    (content / "persons" / "p.md").write_bytes(render_front_matter(
        {"id": "p", "source": "hand", "name": "Erika Mustermann", "email": ["erika@example.org"],
         "phone": ["+49 30 1234"]}))
    for allowed in (False, True):
        output = tmp_path / f"output-{allowed}"
        build_site(content, output, overrides={"PAGEFIND": False, "PUBLISH_CONTACT_DATA": allowed})
        dumps = dump_text(output / "daten")
        assert "Erika Mustermann" in dumps
        assert ("erika@example.org" in dumps) is allowed and ("1234" in dumps) is allowed


def test_non_public_text_never_reaches_the_open_data_api_or_dumps(demo_content, tmp_path):
    """The static OParl API (plugins/oparlapi) of the demo, built with a public address: its files
    have no suffix, so all_text would not see them; every one of them is read here, and the dumps
    (plugins/opendata) with every text cell of their SQLite database."""
    import json

    from ratsinfo.build import build_site
    from tests.conftest import DEMO_TODAY

    output = tmp_path / "out"
    build_site(demo_content, output, overrides={"RATSINFO_TODAY": DEMO_TODAY, "PAGEFIND": False,
                                                "PUBLIC_URL": "https://ratsinfo.muldenau.example/"})
    files = [p for p in (output / "oparl").rglob("*") if p.is_file() and p.name != ".htaccess"]
    assert len(files) > 1000
    text = "\n".join(p.read_text(encoding="utf-8") for p in files)
    dumps = dump_text(output / "daten")
    for marker in NON_PUBLIC_MARKERS:
        assert marker not in text
        assert marker not in dumps
    closed = [json.loads(p.read_text(encoding="utf-8")) for p in (output / "oparl" / "agendaitem").iterdir()]
    closed = [item for item in closed if item.get("public") is False]
    assert closed
    for item in closed:
        assert set(item) <= {"id", "type", "meeting", "number", "order", "public", "created", "modified",
                             "deleted", "web", "license", "name"}, item
        # A name, for clients that need one, but only the meeting page's label.
        assert item.get("name", "Nichtöffentlicher Tagesordnungspunkt") == "Nichtöffentlicher Tagesordnungspunkt", item
