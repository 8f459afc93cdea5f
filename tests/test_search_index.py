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


def test_a_reference_is_one_search_word_in_the_form_the_search_page_types():
    """theme/static/js/search-text.js turns vo/2026/65, 2026/0065, Drucksache VO/2026/0065 into these
    words (tests/test_search_browser.py types them); the rule is the same on both sides."""
    from plugins.council.graph import Paper

    def tokens(reference):
        return Paper("1", None, "Vorlage", reference=reference).reference_tokens

    assert tokens("VO/2026/0065") == tokens("vo/2026/65") == ["VO2026Z65X", "2026Z65X"]
    assert tokens("AF/2024/0001-1") == ["AF2024Z1Z1X", "2024Z1Z1X"]
    assert tokens("DS 17/0815") == ["DS17Z815X", "17Z815X"]
    assert tokens("1234/89") == ["1234Z89X"]
    # Words the closing X keeps apart: a number is not the beginning of its answer's number.
    assert not tokens("AF/2024/0001-1")[0].startswith(tokens("AF/2024/0001")[0])
    assert tokens("Sondervorlage ohne Nummer") == [] and tokens(None) == []
