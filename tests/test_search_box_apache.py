"""The search box on the real Apache under /ratsinfo/, with the headers it sends (CSP): the term
stays in the browser from the home page and from the 404 page."""

from __future__ import annotations

import pytest

from ratsinfo.demo import PDF_ONLY_WORD
from tests.support.apache import apache_serving
from tests.test_search_browser import requests_naming


@pytest.fixture(scope="module")
def apache(demo_site):
    with apache_serving(demo_site) as base:
        yield base


@pytest.mark.parametrize("start", ["index.html", "sitzungen/gibt-es-nicht.html"])
def test_search_box_through_apache_finds_the_word_and_never_sends_it(apache, browser, start):
    page = browser.new_page()
    problems, requests = [], []
    # The unknown address answers 404 by design; any other error (a script the CSP refused, a file
    # of the index that is missing) counts.
    expected_404 = {apache + start}
    page.on("console", lambda m: problems.append(m.text)
            if m.type == "error" and m.location.get("url") not in expected_404 else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(apache + start)
    page.fill("form.search-box input", PDF_ONLY_WORD)
    page.press("form.search-box input", "Enter")
    page.wait_for_url(f"{apache}suche.html#q={PDF_ONLY_WORD}")
    page.wait_for_selector(".hit h3 a", timeout=20_000)
    assert len(page.query_selector_all(".hit h3 a")) == 1
    assert requests_naming(PDF_ONLY_WORD, requests) == []
    assert problems == [], problems
    page.close()
