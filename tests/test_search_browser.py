"""Search in a real browser, on a site served under a subpath like an intranet mirror."""

from __future__ import annotations

from ratsinfo.demo import PDF_ONLY_PAPER_REFERENCE, PDF_ONLY_WORD
from tests.support.browser import browser, serve_site  # noqa: F401  (fixture)


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
