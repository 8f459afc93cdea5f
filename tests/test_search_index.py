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


def _all_fragments(site) -> list[dict]:
    """The fragments of every bundle: pagefind/ itself or its bundle folders."""
    import gzip
    import json

    found = []
    for path in sorted((site / "pagefind").rglob("*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        found.append(json.loads(raw[len(b"pagefind_dcd"):]))
    return found


def test_bundles_are_bounded_by_text_and_indexed_side_by_side_find_the_same(demo_content, demo_site, tmp_path):
    """Pagefind's memory grows with the text it reads (plugins/council/shards.py): a bundle holds
    at most SEARCH_BUNDLE_CHARS characters of document text (a single heavier page alone), even
    below SEARCH_SHARD_PAGES; two Pagefind runs side by side (SEARCH_JOBS) index the same pages
    with the same words as one index does."""
    import json

    from plugins.council.shards import PAGE_WEIGHT
    from ratsinfo.build import build_site
    from ratsinfo.contracts import SEARCH_SHARDS

    bound = 4_000
    site = tmp_path / "site"
    build_site(demo_content, site, overrides={"RATSINFO_TODAY": "2026-11-20", "BASE_PATH": "/ratsinfo/",
                                              "SEARCH_BUNDLE_CHARS": bound, "SEARCH_JOBS": 2})
    shards = json.loads((site / SEARCH_SHARDS).read_text(encoding="utf-8"))
    assert "" not in shards and any(name.startswith("dateien-") and name[-2:] == "-2" for name in shards)
    for name, shard in shards.items():
        weight = 0
        for path in shard["pages"]:
            text = (demo_content / "files" / f"{path.rsplit('/', 1)[-1].removesuffix('.html')}.txt")
            weight += PAGE_WEIGHT + (text.stat().st_size if path.startswith("dateien/") and text.is_file() else 0)
        assert weight <= bound or len(shard["pages"]) == 1, name
        assert (site / "pagefind" / name / "pagefind-entry.json").is_file(), name

    def words(fragments):
        return {f["url"].removeprefix("/ratsinfo/"): f["content"] for f in fragments}

    assert words(_all_fragments(site)) == words(pagefind_fragments(demo_site))
    hits = [f for f in _all_fragments(site) if PDF_ONLY_WORD in f["content"]]
    assert len(hits) == 1


def test_the_index_holds_what_the_search_page_loads_and_not_pagefind_s_own_ui(mini_site):
    """The search page is our own (theme/static/js/search.js on pagefind.js): Pagefind's UI scripts
    and styles (~420 KB per bundle, 26 MB in a city's 63 bundles) are not published."""
    index = mini_site / "pagefind"
    assert (index / "pagefind.js").is_file() and list(index.glob("wasm.*.pagefind"))
    assert (index / "pagefind-entry.json").is_file() and (index / "index").is_dir()
    left = sorted(p.name for p in index.iterdir() if p.name.startswith(("pagefind-ui", "pagefind-modular-ui",
                                                                        "pagefind-component-ui", "pagefind-highlight")))
    assert left == []
