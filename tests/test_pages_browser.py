"""Documents and meetings in a real browser, at phone and desktop width: the reading view, print,
the meeting lists and year pages, the agenda's links and its labels on a phone (issue 17)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.browser import serve_site

WIDTHS = {"Telefon": 375, "Desktop": 1280}


@pytest.fixture(scope="module")
def demo(demo_site, tmp_path_factory):
    """The demo site, served once for the module."""
    with serve_site(demo_site, tmp_path_factory.mktemp("pages-web")) as base:
        yield base


def multi_page_document(site: Path) -> str:
    """A document whose text runs over more than one PDF page (long minutes in the demo)."""
    return next(p.relative_to(site).as_posix() for p in sorted((site / "dateien").glob("*.html"))
                if 'id="seite-2"' in p.read_text(encoding="utf-8"))


def meeting_with_resolutions_and_papers(site: Path) -> str:
    return next(p.relative_to(site).as_posix() for p in sorted((site / "sitzungen").glob("*.html"))
                if '<details class="resolution">' in (text := p.read_text(encoding="utf-8")) and "../dateien/" in text
                and 'data-label="Vorlage"><a' in text)


def opened(browser, base: str, path: str, width: int):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(base + path)
    return page


@pytest.mark.parametrize("device", WIDTHS)
def test_reading_view_has_headings_and_page_markers_that_open_the_pdf_page(demo, demo_site, browser, device):
    path = multi_page_document(demo_site)
    page = opened(browser, demo, path, WIDTHS[device])
    headings = page.locator(".document-text h3").all_inner_texts()
    assert any(re.match(r"^Ö \d+ ", h) for h in headings), headings  # the agenda items of the minutes
    markers = page.locator(".document-text .page-marker a")
    hrefs = [markers.nth(i).get_attribute("href") for i in range(markers.count())]
    assert hrefs and all(re.fullmatch(r"\.\./dateien/\d+\.pdf#page=\d+", h) for h in hrefs)
    assert [h.rsplit("=", 1)[1] for h in hrefs] == [str(n) for n in range(1, len(hrefs) + 1)]
    assert (demo_site / "dateien" / hrefs[0].split("/")[-1].split("#")[0]).is_file()
    assert page.locator("#seite-2").is_visible()
    # The page says what the document is: the minutes of which meeting, on which day.
    assert re.match(r"^Niederschrift .* – .*Sitzung .*, \d\d\.\d\d\.\d{4}$", page.locator("h1").inner_text())
    page.close()


def test_a_papers_document_is_titled_with_the_paper(demo, demo_site, browser):
    path = next(p.relative_to(demo_site).as_posix() for p in sorted((demo_site / "vorlagen").glob("vo-*.html"))
                if "../dateien/" in p.read_text(encoding="utf-8"))
    page = opened(browser, demo, path, 1280)
    page.click("main .list a[href*='dateien/'] >> nth=0")
    page.wait_for_load_state()
    title = page.locator("h1").inner_text()
    assert re.match(r"^\S.* zu VO/\d{4}/\d{4} – \S", title), title
    assert page.title().startswith(title)
    page.close()


@pytest.mark.parametrize("device", WIDTHS)
def test_print_shows_resolutions_and_the_agenda_without_navigation(demo, demo_site, browser, device):
    page = opened(browser, demo, meeting_with_resolutions_and_papers(demo_site), WIDTHS[device])
    resolution = page.locator("details.resolution p").first
    assert not resolution.is_visible()
    page.emulate_media(media="print")
    # CSS alone shows a closed section's text on paper …
    assert resolution.is_visible()
    for hidden in (".site-header nav", ".site-footer", ".skip"):
        assert not page.locator(hidden).first.is_visible()
    assert page.locator(".agenda thead").is_visible()  # a table with its columns, also from a phone
    assert page.evaluate("getComputedStyle(document.querySelector('.agenda td'), '::before').content") in ("none", "normal")
    # … and print.js opens it for printing and closes it again afterwards.
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.locator("details.resolution:not([open])").count() == 0
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.locator("details.resolution[open]").count() == 0
    page.close()


@pytest.mark.parametrize("device", WIDTHS)
def test_agenda_rows_link_their_documents_and_keep_their_labels_on_a_phone(demo, demo_site, browser, device):
    page = opened(browser, demo, meeting_with_resolutions_and_papers(demo_site), WIDTHS[device])
    row = page.locator(".agenda tbody tr:has(td[data-label='Vorlage'] a)").first
    pdf = row.locator("td[data-label='Vorlage'] .files a[href$='.pdf']").first
    assert pdf.inner_text() == "Vorlage"
    assert (demo_site / "dateien" / pdf.get_attribute("href").split("/")[-1]).is_file()
    before = page.evaluate("td => getComputedStyle(td, '::before').content",
                           row.locator("td[data-label='Gegenstand']").element_handle())
    if device == "Telefon":
        assert before == '"Gegenstand: "' and not page.locator(".agenda thead").is_visible()
    else:
        assert before in ("none", "normal") and page.locator(".agenda thead").is_visible()
    pdf.click()  # straight to the PDF, no detour through the document's page
    page.wait_for_load_state()
    assert page.url.endswith(".pdf")
    page.close()


@pytest.mark.parametrize("device", WIDTHS)
def test_meeting_lists_say_which_documents_exist(demo, browser, device):
    page = opened(browser, demo, "sitzungen/jahr-2025.html", WIDTHS[device])
    rows = page.locator("main .list li")
    assert rows.count() > 20
    flags = rows.first.locator(".flags")
    assert flags.is_visible() and "Einladung" in flags.inner_text() and "Niederschrift" in flags.inner_text()
    # Screen readers hear what the labels are about.
    assert page.locator("main .list li .flags .visually-hidden").first.text_content() == "Dokumente: "
    page.goto(demo + "sitzungen/index.html")
    assert page.locator("#h-upcoming + ul .flags").first.is_visible()
    page.close()


def test_past_meetings_are_reachable_by_year_and_committee_and_the_year_pages_are_complete(demo, demo_site, browser):
    meetings = {p.name for p in (demo_site / "sitzungen").glob("*.html") if p.name != "index.html" and not p.name.startswith("jahr-")}
    page = opened(browser, demo, "sitzungen/index.html", 1280)
    years = [a.get_attribute("href") for a in page.locator("#h-years + ul a").all()]
    assert len(years) >= 2 and "../sitzungen/jahr-2025.html" in years
    committees = page.locator("#h-committees ~ ul.chips a")
    assert committees.count() >= 5 and all(a.get_attribute("href").startswith("../gremien/") for a in committees.all())
    listed = set()
    for year in years:
        page.goto(demo + "sitzungen/" + year.split("/")[-1])
        links = [a.get_attribute("href") for a in page.locator("main section .list li > a").all()]
        listed |= {href.split("/")[-1] for href in links}
        # Each committee chip leads to its section on the page, whose heading links the committee.
        for chip in page.locator("nav[aria-label='Gremien'] a").all():
            section = page.locator(chip.get_attribute("href"))
            assert section.count() == 1 and section.locator("a").count() <= 1
    page.goto(demo + "sitzungen/index.html")
    undated = {a.get_attribute("href").split("/")[-1] for a in page.locator("#h-undated ~ ul a").all()}
    assert listed | undated == meetings
    page.close()


def test_search_excerpts_keep_facts_apart(demo, browser):
    """Pagefind joins text nodes as written: without whitespace between <dt> and <dd> an excerpt
    read "FederführungDezernat 2 …"."""
    page = opened(browser, demo, "suche.html#q=Federf%C3%BChrung", 1280)
    page.wait_for_function("() => document.querySelector('.search-results').getAttribute('aria-busy') === 'false'"
                           " && document.querySelectorAll('.hit-excerpt').length > 0", timeout=20_000)
    excerpts = page.locator(".hit-excerpt").all_inner_texts()
    assert any("Federführung" in e for e in excerpts)
    assert not [e for e in excerpts if re.search(r"(Nummer|Datum|Einreicher|Federführung)[A-ZÄÖÜ0-9]", e)]
    page.close()
