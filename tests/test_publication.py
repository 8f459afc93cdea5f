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


def test_importer_bookkeeping_in_content_holds_no_non_public_text(demo_content):
    """The raw store of incremental runs sits in content/.ratsinfo/; it keeps withheld items' places only."""
    import sqlite3

    stores = list((demo_content / ".ratsinfo").glob("oparl-*.sqlite"))
    assert stores
    for store in stores:
        with sqlite3.connect(store) as db:
            text = "\n".join(row[0] for row in db.execute("SELECT data FROM objects"))
        for marker in NON_PUBLIC_MARKERS:
            assert marker not in text
