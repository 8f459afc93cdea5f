"""Search in a real browser, on a site served under a subpath like an intranet mirror."""

from __future__ import annotations

import json

import pytest

from ratsinfo.demo import PDF_ONLY_PAPER_REFERENCE, PDF_ONLY_WORD
from tests.support.browser import serve_site


def test_word_only_in_a_pdf_finds_its_document_and_leads_to_the_paper(demo_site, browser, tmp_path):
    with serve_site(demo_site, tmp_path) as base:
        page = browser.new_page()
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(f"{base}suche.html?q={PDF_ONLY_WORD}")
        page.wait_for_selector(".pagefind-ui__result-link", timeout=20_000)
        links = page.query_selector_all(".pagefind-ui__result-link")
        assert len(links) == 1
        href = links[0].get_attribute("href")
        assert href.startswith("/ratsinfo/dateien/")
        links[0].click()
        page.wait_for_load_state()
        assert PDF_ONLY_PAPER_REFERENCE in page.inner_text("main")
        page.click(f"main a:has-text('{PDF_ONLY_PAPER_REFERENCE}')")
        page.wait_for_load_state()
        assert "/ratsinfo/vorlagen/" in page.url
        assert all(url.startswith(base.rsplit("/ratsinfo/", 1)[0]) for url in requests), "Anfrage an fremden Host"
        page.close()


def result_titles(page) -> list[str]:
    page.wait_for_selector(".pagefind-ui__result-link", timeout=20_000)
    page.wait_for_function("!document.querySelector('.pagefind-ui__message').textContent.includes('…')")
    return [a.inner_text() for a in page.query_selector_all(".pagefind-ui__result-link")]


def test_a_reference_number_finds_its_paper_first(demo_site, browser, tmp_path):
    from urllib.parse import quote

    with serve_site(demo_site, tmp_path) as base:
        page = browser.new_page()
        # An Anfrage and its Antwort (AF/…-1) both mention the number; the Anfrage must come first.
        page.goto(f"{base}suche.html?q={quote('AF/2025/0009')}")
        titles = result_titles(page)
        assert titles and titles[0].startswith("AF/2025/0009 ·")
        page.fill(".pagefind-ui__search-input", PDF_ONLY_PAPER_REFERENCE)
        page.wait_for_function(
            "ref => [...document.querySelectorAll('.pagefind-ui__result-link')].some(a => a.textContent.startsWith(ref))",
            arg=PDF_ONLY_PAPER_REFERENCE, timeout=20_000)
        assert result_titles(page)[0].startswith(PDF_ONLY_PAPER_REFERENCE + " ·")
        page.close()


def test_committee_filter_narrows_results_and_lives_in_the_url(demo_site, browser, tmp_path):
    from urllib.parse import urlsplit

    with serve_site(demo_site, tmp_path) as base:
        page = browser.new_page()
        page.goto(f"{base}suche.html?q=Spielplatz")
        result_titles(page)
        everything = int(page.inner_text(".pagefind-ui__message").split()[0])
        page.goto(f"{base}suche.html?q=Spielplatz&Gremium=Stadtrat")
        result_titles(page)
        page.wait_for_function(f"parseInt(document.querySelector('.pagefind-ui__message').textContent) < {everything}")
        narrowed = int(page.inner_text(".pagefind-ui__message").split()[0])
        assert 0 < narrowed < everything
        # Ticking a filter writes it into the address, so the search can be shared.
        page.goto(f"{base}suche.html?q=Spielplatz")
        result_titles(page)
        page.click("summary:has-text('Art')") if page.query_selector("summary:has-text('Art')") else None
        page.check("input[name='Art'][id='Art-Vorlage']")
        page.wait_for_function("location.hash.includes('Art=Vorlage')")
        # The old bookmark's ?q= moved into the fragment, which the browser never sends.
        assert urlsplit(page.url).query == "" and "q=Spielplatz" in urlsplit(page.url).fragment
        page.close()


def requests_naming(term: str, urls: list[str]) -> list[str]:
    from urllib.parse import quote, quote_plus

    forms = {term.lower(), quote(term).lower(), quote_plus(term).lower()}
    return [url for url in urls if any(form in url.lower() for form in forms)]


@pytest.mark.parametrize("start", ["index.html", "404.html"])
def test_a_term_from_the_search_box_never_reaches_the_server_and_finds_results(demo_site, browser, tmp_path, start):
    term = "Spielplatz"
    with serve_site(demo_site, tmp_path) as base:
        page = browser.new_page()
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(f"{base}{start}")
        page.fill("form.search-box input", term)
        page.press("form.search-box input", "Enter")
        page.wait_for_url("**/suche.html#q=Spielplatz")
        assert result_titles(page)
        assert any("/pagefind/" in url for url in requests)  # the search ran on what the server sent
        assert requests_naming(term, requests) == []
        page.close()


def test_without_javascript_the_search_box_sends_no_term_and_the_search_page_links_the_lists(
        demo_site, browser, tmp_path):
    with serve_site(demo_site, tmp_path) as base:
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(f"{base}index.html")
        page.fill("form.search-box input", "Spielplatz")
        with page.expect_navigation():
            page.press("form.search-box input", "Enter")
        assert page.url.split("?")[0] == f"{base}suche.html"
        assert requests_naming("Spielplatz", requests) == []
        assert "Die Suche braucht JavaScript" in page.inner_text("main")
        assert page.query_selector("main noscript a[href$='vorlagen/index.html']") is not None
        context.close()


def shard_pages(site) -> dict[str, str]:
    import json

    shards = json.loads((site / "_ratsinfo" / "search-shards.json").read_text(encoding="utf-8"))
    return {page: name for name, shard in shards.items() for page in shard["pages"]}


def page_fingerprints(site) -> dict[str, str]:
    import json

    return json.loads((site / "_ratsinfo" / "build-state.json").read_text(encoding="utf-8"))["pages"]


def test_a_split_index_is_searched_as_one_and_only_changed_parts_are_rebuilt(demo_content, browser, tmp_path):
    """Big cities get one Pagefind bundle per kind and year; here forced at 100 pages."""
    import shutil

    from importers.content import read_front_matter, render_front_matter
    from ratsinfo.build import build_site

    content, site = tmp_path / "content", tmp_path / "site"
    shutil.copytree(demo_content, content)
    build_site(content, site, overrides={"SEARCH_SHARD_PAGES": 100})
    bundles = sorted(p.name for p in (site / "pagefind").iterdir() if p.is_dir())
    assert {"personen", "gremien"} <= set(bundles) and any(b.startswith("sitzungen-") for b in bundles)
    inode = {b: next((site / "pagefind" / b).rglob("*.pf_meta")).stat().st_ino for b in bundles}
    pages_before = {p: (site / p).read_bytes() for p in shard_pages(site)}
    shown_before = page_fingerprints(site)

    meeting_file = sorted((content / "meetings").glob("*.md"))[0]
    meeting = read_front_matter(meeting_file)
    meeting["name"] = "Sondersitzung zum Hochwasserschutz"
    meeting_file.write_bytes(render_front_matter(meeting))
    build_site(content, site, overrides={"SEARCH_SHARD_PAGES": 100})
    rebuilt = {b for b in bundles if next((site / "pagefind" / b).rglob("*.pf_meta")).stat().st_ino != inode[b]}
    # Exactly the bundles with a page whose HTML changed. Pages that depend on the meeting were
    # rendered again (their fingerprint changed: its committee, its papers' documents), but a
    # page with the same bytes as before does not make its bundle be indexed again.
    changed = {shard_pages(site)[p] for p, html in pages_before.items() if (site / p).read_bytes() != html}
    shown = {shard_pages(site)[p] for p, fp in page_fingerprints(site).items()
             if p in shard_pages(site) and shown_before.get(p) != fp}
    assert f"sitzungen-{meeting['start'][:4]}" in changed
    assert rebuilt == changed and changed <= shown and len(rebuilt) < len(bundles)

    with serve_site(site, tmp_path) as base:
        page = browser.new_page()
        page.goto(f"{base}suche.html?q={PDF_ONLY_WORD}")
        page.wait_for_selector(".pagefind-ui__result-link", timeout=20_000)
        assert len(page.query_selector_all(".pagefind-ui__result-link")) == 1
        page.goto(f"{base}suche.html?q=Hochwasserschutz")
        page.wait_for_selector(".pagefind-ui__result-link", timeout=20_000)
        titles = [a.inner_text() for a in page.query_selector_all(".pagefind-ui__result-link")]
        assert any("Sondersitzung zum Hochwasserschutz" in t for t in titles)
        page.close()


def test_newest_first_sorts_by_date(demo_site, browser, tmp_path):
    with serve_site(demo_site, tmp_path) as base:
        page = browser.new_page()
        page.goto(f"{base}suche.html?q=Spielplatz")
        result_titles(page)
        page.evaluate("window.vorDemNeuladen = true")
        page.select_option("#sortierung", "datum")
        # The order lives in the fragment; Pagefind takes it only at start, so the page reloads.
        page.wait_for_function("window.vorDemNeuladen === undefined && document.readyState === 'complete'")
        assert "sortierung=datum" in page.url.split("#", 1)[1] and "?" not in page.url
        result_titles(page)
        dates = page.evaluate("""async () => {
            const shown = [...document.querySelectorAll('.pagefind-ui__result-link')].map(a => a.getAttribute('href'));
            return shown;
        }""")
        assert len(dates) >= 3
        # The first hits are the newest: compare with the dates the pages carry.
        import re
        stamps = []
        for href in dates[:5]:
            html = (demo_site / href.split("/ratsinfo/", 1)[1]).read_text(encoding="utf-8")
            stamps.append(re.search(r'data-pagefind-sort="datum:([0-9-]+)"', html).group(1))
        assert stamps == sorted(stamps, reverse=True)
        page.close()


def hostile_site(tmp_path, name: str | None = None):
    """Every field a source sends is markup (tests/test_escaping.py), built with its search index;
    `name` replaces the committee's name and the paper's type."""
    from importers.content import read_front_matter, render_front_matter
    from ratsinfo.build import build_site
    from tests.test_escaping import evil_content

    content = tmp_path / "content"
    evil_content(content)
    if name is not None:
        for path, field in ((content / "organizations" / "o.md", "name"), (content / "papers" / "v.md", "paper_type")):
            data = read_front_matter(path)
            data[field] = name
            path.write_bytes(render_front_matter(data))
    build_site(content, tmp_path / "site", overrides={"RATSINFO_TODAY": "2026-11-20"})
    return tmp_path / "site"


FEED_ELEMENTS = "#search img, #search script, #search strong, #search b"


def test_filter_values_and_results_from_a_hostile_feed_are_text_on_the_search_page(browser, tmp_path):
    from tests.test_escaping import EVIL

    site = hostile_site(tmp_path)
    # No CSP here (a plain static server, like `make serve`, a mirror without .htaccess, nginx).
    with serve_site(site, tmp_path) as base:
        page = browser.new_page()
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(f"{base}suche.html?q=fett")
        result_titles(page)
        page.evaluate("document.querySelectorAll('#search details').forEach(d => d.open = true)")
        # The committee and the paper type are the feed's markup: each shows as text. PagefindUI
        # fills its filter groups one after another: wait until both are there.
        page.wait_for_function("[...document.querySelectorAll('.pagefind-ui__filter-label')]"
                               ".filter(l => l.textContent.startsWith(" + json.dumps(EVIL) + ")).length >= 2")
        page.evaluate("document.querySelectorAll('#search details').forEach(d => d.open = true)")
        labels = [label.inner_text() for label in page.query_selector_all(".pagefind-ui__filter-label")]
        assert sum(label.startswith(EVIL) for label in labels) >= 2, labels
        assert page.query_selector_all(FEED_ELEMENTS) == []
        excerpts = page.query_selector_all(".pagefind-ui__result-excerpt *")
        assert {e.evaluate("e => e.localName") for e in excerpts} <= {"mark"}
        assert dialogs == []
        page.close()


# Markup and an ampersand, but no double quote: Pagefind 1.5 cannot filter by a value with one.
HOSTILE_NAME = "<img src=x onerror=alert(1)> Bau & Verkehr 'Süd' &amp;"


def test_a_filter_in_the_address_is_text_and_ticking_one_writes_text_back(browser, tmp_path):
    from urllib.parse import parse_qs, urlencode, urlsplit

    site = hostile_site(tmp_path, HOSTILE_NAME)
    with serve_site(site, tmp_path) as base:
        page = browser.new_page()
        page.goto(f"{base}suche.html?" + urlencode({"q": "fett", "Gremium": HOSTILE_NAME}))
        result_titles(page)
        page.evaluate("document.querySelectorAll('#search details').forEach(d => d.open = true)")
        ticked = page.query_selector_all("input[type=checkbox]:checked")
        assert [box.evaluate("b => b.labels[0].textContent") for box in ticked] == [HOSTILE_NAME + " (3)"]
        page.wait_for_function("parseInt(document.querySelector('.pagefind-ui__message').textContent) === 3")
        # The paper type's box: its value goes into the address as the feed's text.
        paper_type = next(box for box in page.query_selector_all("input[type=checkbox]")
                          if box.get_attribute("name") == "Vorlagenart")
        paper_type.check()
        page.wait_for_function("location.hash.includes('Vorlagenart=')")
        assert parse_qs(urlsplit(page.url).fragment) == {"q": ["fett"], "Gremium": [HOSTILE_NAME],
                                                         "Vorlagenart": [HOSTILE_NAME]}
        assert page.query_selector_all(FEED_ELEMENTS) == []
        page.close()
