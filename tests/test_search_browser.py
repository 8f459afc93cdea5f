"""Search in a real browser, on a site served under a subpath like an intranet mirror."""

from __future__ import annotations

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
    page.wait_for_selector(".pagefind-ui__message", timeout=20_000)
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
        page.wait_for_function("location.search.includes('Art=Vorlage')")
        assert "q=Spielplatz" in page.url
        page.close()
