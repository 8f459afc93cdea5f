"""Search: a word that is only inside a PDF attachment is in the Pagefind index."""

from __future__ import annotations

from ratsinfo.demo import PDF_ONLY_PAPER_REFERENCE, PDF_ONLY_WORD
from tests.support.site import pagefind_fragments


def test_word_only_in_a_pdf_is_indexed_on_its_reading_view(demo_site):
    hits = [f for f in pagefind_fragments(demo_site) if PDF_ONLY_WORD in f["content"]]
    assert len(hits) == 1
    url = hits[0]["url"]
    assert url.startswith("/dateien/")
    reading_view = (demo_site / url.lstrip("/")).read_text(encoding="utf-8")
    # The reading view leads on to its paper.
    assert PDF_ONLY_PAPER_REFERENCE in reading_view
    assert 'href="../vorlagen/' in reading_view


def test_index_holds_only_detail_pages(demo_site):
    urls = {f["url"] for f in pagefind_fragments(demo_site)}
    assert urls
    assert all(u.split("/")[1] in ("sitzungen", "vorlagen", "personen", "gremien", "dateien") for u in urls)
    assert not any(u.endswith("/index.html") for u in urls)
