"""Search in a real browser, on a site served under a subpath like an intranet mirror.

The search page is our own result list on Pagefind's JS API (theme/static/js/search.js); these
tests read it as a visitor would: the cards, the excerpts, the address, the requests, the
announcements, at desktop and phone width.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import pytest

from ratsinfo.demo import PDF_ONLY_PAPER_REFERENCE, PDF_ONLY_WORD
from tests.support.browser import serve_site
from tests.support.site import pagefind_fragments

WIDTHS = {"Telefon": 375, "Desktop": 1280}
# A reference token as Paper.reference_tokens writes it (VO2025Z5X, 2025Z5X).
TOKEN = re.compile(r"^[A-ZÄÖÜ]*\d+(?:Z\d+)*X$")


@pytest.fixture(scope="module")
def demo(demo_site, tmp_path_factory):
    """The demo site, served once for the module."""
    with serve_site(demo_site, tmp_path_factory.mktemp("search-web")) as base:
        yield base


def open_search(browser, base: str, fragment: str = "", width: int = 1280, requests: list | None = None):
    page = browser.new_page(viewport={"width": width, "height": 900})
    if requests is not None:
        page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{base}suche.html{fragment}")
    searched(page)
    return page


def searched(page, status_has: str = ""):
    """Wait until the page has answered the search it shows (aria-busy off, the status says it)."""
    page.wait_for_function(
        "text => document.querySelector('.search-results').getAttribute('aria-busy') === 'false'"
        " && document.querySelector('#suchstatus').textContent.includes(text)", arg=status_has, timeout=20_000)


def cards(page) -> list[dict]:
    return page.evaluate("""() => [...document.querySelectorAll('.hit')].map(card => ({
        kind: card.querySelector('.kind').textContent,
        title: card.querySelector('h3').textContent,
        href: card.querySelector('h3 a') && card.querySelector('h3 a').getAttribute('href'),
        facts: card.querySelector('.hit-facts') ? card.querySelector('.hit-facts').textContent : '',
        links: [...card.querySelectorAll('.hit-facts a')].map(a => a.getAttribute('href')),
        excerpt: card.querySelector('.hit-excerpt') ? card.querySelector('.hit-excerpt').textContent : '',
    }))""")


def search_for(page, fragment: str, status_has: str = ""):
    """Another search in the same page, through the address (hashchange), as a shared link would."""
    page.evaluate("f => { location.hash = f; }", fragment)
    searched(page, status_has)


def test_word_only_in_a_pdf_finds_its_document_and_leads_to_the_paper(demo, browser):
    page = open_search(browser, demo, f"#q={PDF_ONLY_WORD}")
    found = cards(page)
    assert len(found) == 1 and found[0]["href"].startswith("/ratsinfo/dateien/")
    # The document's card names its paper and links it.
    assert found[0]["kind"] == "Dokument" and f"zur Vorlage {PDF_ONLY_PAPER_REFERENCE}" in found[0]["facts"]
    assert found[0]["links"] and found[0]["links"][0].startswith("/ratsinfo/vorlagen/")
    page.click(".hit h3 a")
    page.wait_for_load_state()
    page.click(f"main a:has-text('{PDF_ONLY_PAPER_REFERENCE}')")
    page.wait_for_load_state()
    assert "/ratsinfo/vorlagen/" in page.url
    page.close()


@pytest.mark.parametrize("device", WIDTHS)
def test_a_reference_number_in_any_common_spelling_finds_its_paper(demo, browser, device):
    prefix, year, number = PDF_ONLY_PAPER_REFERENCE.split("/")
    spellings = [PDF_ONLY_PAPER_REFERENCE, f"{prefix.lower()}/{year}/{int(number)}", f"{year}/{number}",
                 f"Drucksache {PDF_ONLY_PAPER_REFERENCE}", f"{prefix} {year}-{number}"]
    page = open_search(browser, demo, width=WIDTHS[device])
    for spelling in spellings:
        page.fill("#suchbegriff", spelling)
        page.press("#suchbegriff", "Enter")
        searched(page, spelling)
        # Without its prefix the number may be another kind's too (AN/2025/0005): the paper is among them.
        papers = [c["kind"] for c in cards(page) if c["kind"].startswith("Vorlage")]
        assert any(k.endswith(" · " + PDF_ONLY_PAPER_REFERENCE) for k in papers), (spelling, papers)
        assert len(papers) == 1 or not spelling.lower().startswith(prefix.lower()), (spelling, papers)
    page.close()


def test_excerpts_show_visible_text_only_never_the_hidden_reference_words(demo, demo_site, browser):
    # The words are in the index (that is how the number finds its paper) …
    paper = next(f for f in pagefind_fragments(demo_site) if f["meta"].get("nummer") == PDF_ONLY_PAPER_REFERENCE)
    tokens = paper["meta"]["suchwoerter"].split()
    assert tokens and all(t in paper["content"].split() for t in tokens)
    # … but no excerpt shows them, whatever was searched.
    page = open_search(browser, demo, "#q=" + quote(PDF_ONLY_PAPER_REFERENCE))
    excerpts = [c["excerpt"] for c in cards(page)]
    search_for(page, "q=Spielplatz", "Spielplatz")
    excerpts += [c["excerpt"] for c in cards(page)]
    assert excerpts and all(excerpts)
    words = {w for e in excerpts for w in e.split()}
    assert not set(tokens) & words and not [w for w in words if TOKEN.match(w)]
    # The search word is marked, by our own <mark> elements and nothing else.
    assert page.eval_on_selector_all(".hit-excerpt mark", "ms => ms.map(m => m.textContent.toLowerCase())")
    assert page.eval_on_selector_all(".hit-excerpt *", "es => [...new Set(es.map(e => e.localName))]") == ["mark"]
    page.close()


def test_result_cards_say_what_each_hit_is(demo, demo_site, browser):
    page = open_search(browser, demo, "#q=Spielplatz&Art=Sitzung")
    meeting = cards(page)[0]
    assert meeting["kind"] == "Sitzung"
    committees = json.loads(page.evaluate("JSON.stringify([...document.querySelectorAll('[data-filter=Gremium]')].map(b => b.value))"))
    assert re.search(r"\d\d\.\d\d\.\d{4}", meeting["facts"]) and any(c in meeting["facts"] for c in committees)

    search_for(page, "q=" + quote(PDF_ONLY_PAPER_REFERENCE), PDF_ONLY_PAPER_REFERENCE)
    paper = cards(page)[0]
    html = (demo_site / paper["href"].split("/ratsinfo/", 1)[1]).read_text(encoding="utf-8")
    paper_type = re.search(r'data-pagefind-filter="Vorlagenart">([^<]+)<', html).group(1)
    assert paper["kind"] == f"Vorlage · {paper_type} · {PDF_ONLY_PAPER_REFERENCE}"
    assert re.search(r"\d\d\.\d\d\.\d{4}", paper["facts"])
    result = re.search(r'data-pagefind-filter="Ergebnis:([^"]+)"', html)
    assert not result or f"Ergebnis: {result.group(1)}" in paper["facts"]

    # A person with a faction: the card names it.
    person = next(p for p in sorted((demo_site / "personen").glob("*.html"))
                  if 'data-pagefind-meta="fraktion"' in p.read_text(encoding="utf-8"))
    text = person.read_text(encoding="utf-8")
    name = re.search(r"<h1>([^<]+)</h1>", text).group(1)
    faction = re.search(r'data-pagefind-meta="fraktion">([^<]+)<', text).group(1)
    search_for(page, "q=" + quote(name) + "&Art=Person", name)
    assert any(c["title"] == name and f"Fraktion: {faction}" in c["facts"] for c in cards(page)), cards(page)
    page.close()


def test_state_lives_in_the_fragment_and_no_request_carries_the_term(demo, browser):
    term = "Spielplatz"
    requests = []
    page = open_search(browser, demo, requests=requests)
    page.fill("#suchbegriff", term)
    searched(page, term)
    everything = len(cards(page))
    page.check("input[data-filter='Art'][value='Vorlage']")
    searched(page, "1 Filter aktiv")
    page.select_option("#sortierung", label="Neueste zuerst")
    page.wait_for_function("location.hash.includes('sortierung=datum')")
    searched(page, "1 Filter aktiv")
    url = urlsplit(page.url)
    assert url.query == "" and parse_qs(url.fragment) == {"q": [term], "Art": ["Vorlage"], "sortierung": ["datum"]}
    assert 0 < len(cards(page)) <= everything and all(c["kind"].startswith("Vorlage") for c in cards(page))
    # The browser never sent the term, nor any query string but Pagefind's cache buster (?ts=…).
    assert any("/pagefind/" in r for r in requests)
    queries = [urlsplit(r).query for r in requests if urlsplit(r).query]
    assert requests_naming(term, requests) == [] and all(re.fullmatch(r"ts=\d+", q) for q in queries)
    # The address brings the same search back, e.g. as a bookmark.
    again = open_search(browser, demo, "#" + url.fragment)
    assert again.input_value("#suchbegriff") == term and again.eval_on_selector("#sortierung", "s => s.selectedOptions[0].dataset.sort") == "datum"
    assert again.is_checked("input[data-filter='Art'][value='Vorlage']") and cards(again) == cards(page)
    again.close()
    # An old bookmark with ?q= is read and its term moved behind the #.
    page.goto(f"{demo}suche.html?q={term}")
    searched(page, term)
    assert urlsplit(page.url).query == "" and parse_qs(urlsplit(page.url).fragment) == {"q": [term]}
    page.close()


def requests_naming(term: str, urls: list[str]) -> list[str]:
    from urllib.parse import quote_plus

    forms = {term.lower(), quote(term).lower(), quote_plus(term).lower()}
    return [url for url in urls if any(form in url.lower() for form in forms)]


def test_newest_first_sorts_by_date(demo, demo_site, browser):
    page = open_search(browser, demo, "#q=Spielplatz&sortierung=datum")
    stamps = []
    for card in cards(page):
        html = (demo_site / card["href"].split("/ratsinfo/", 1)[1]).read_text(encoding="utf-8")
        stamps.append(re.search(r'data-pagefind-sort="datum:([0-9-]+)"', html).group(1))
    assert len(stamps) >= 3 and stamps == sorted(stamps, reverse=True)
    page.close()


def test_no_hits_offers_the_search_without_filters_a_near_committee_and_a_spelling(demo, browser):
    page = open_search(browser, demo, "#q=Spielplatz&Art=Person")
    assert "Keine Treffer" in page.inner_text("#suchstatus")
    page.click(".search-suggestions a:has-text('ohne Filter')")
    searched(page, "Treffer für „Spielplatz“.")
    assert cards(page) and parse_qs(urlsplit(page.url).fragment) == {"q": ["Spielplatz"]}

    # The longest word of a committee's name with a letter missing: "Meinten Sie …" and the committee.
    committees = page.eval_on_selector_all("[data-filter=Gremium]", "bs => bs.map(b => b.value)")
    committee = max(committees, key=lambda c: max(len(w) for w in c.split()))
    word = max(committee.split(), key=len)
    typo = word[:3] + word[4:]
    search_for(page, "q=" + quote(typo), "Keine Treffer")
    page.wait_for_selector(".search-suggestions li")
    offers = page.eval_on_selector_all(".search-suggestions li", "ls => ls.map(l => l.textContent)")
    assert f"Meinten Sie „{word.lower()}“?" in offers and f"Alles aus dem Gremium „{committee}“" in offers
    page.click(f".search-suggestions a:has-text('Meinten Sie')")
    searched(page, f"für „{word.lower()}“")
    assert cards(page)
    page.close()


def test_results_are_announced_and_focus_moves_to_them(demo, browser):
    page = open_search(browser, demo)
    assert page.get_attribute("#suchstatus", "role") == "status"
    page.fill("#suchbegriff", "Spielplatz")
    page.press("#suchbegriff", "Enter")
    searched(page, "Spielplatz")
    status = page.inner_text("#suchstatus")
    count = int(status.split()[0])
    assert status == f"{count} Treffer für „Spielplatz“." and count > 10
    # Enter moves to the announcement; the next Tab reaches the first hit.
    assert page.evaluate("document.activeElement.id") == "suchstatus"
    first = len(cards(page))
    assert 0 < first < count
    page.click(".more")
    page.wait_for_function(f"document.querySelectorAll('.hit').length > {first}")
    assert page.evaluate(f"document.activeElement === document.querySelectorAll('.hit')[{first}].querySelector('h3 a')")
    page.close()


def test_on_a_phone_the_filters_wait_behind_one_button_with_their_count(demo, browser):
    page = open_search(browser, demo, "#q=Spielplatz&Art=Vorlage&Jahr=2025", width=375)
    toggle = page.locator(".filter-toggle")
    assert toggle.is_visible() and toggle.inner_text() == "Filter (2 aktiv)"
    assert not page.is_visible("#suchfilter") and toggle.get_attribute("aria-expanded") == "false"
    # The first hit is on the first screen.
    assert page.locator(".hit").first.bounding_box()["y"] < 900
    toggle.click()
    assert page.is_visible("#suchfilter") and toggle.get_attribute("aria-expanded") == "true"
    page.close()
    desktop = open_search(browser, demo, "#q=Spielplatz")
    assert not desktop.is_visible(".filter-toggle") and desktop.is_visible("#suchfilter")
    desktop.close()


@pytest.mark.parametrize("start", ["index.html", "404.html"])
def test_a_term_from_the_search_box_never_reaches_the_server_and_finds_results(demo, browser, start):
    term = "Spielplatz"
    page = browser.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{demo}{start}")
    page.fill("form.search-box input", term)
    page.press("form.search-box input", "Enter")
    page.wait_for_url("**/suche.html#q=Spielplatz")
    searched(page, term)
    assert cards(page)
    assert any("/pagefind/" in url for url in requests)  # the search ran on what the server sent
    assert requests_naming(term, requests) == []
    page.close()


def test_without_javascript_the_search_box_sends_no_term_and_the_search_page_links_the_lists(demo, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{demo}index.html")
    page.fill("form.search-box input", "Spielplatz")
    with page.expect_navigation():
        page.press("form.search-box input", "Enter")
    assert page.url.split("?")[0] == f"{demo}suche.html"
    assert requests_naming("Spielplatz", requests) == []
    assert "Die Suche braucht JavaScript" in page.inner_text("main")
    assert not page.is_visible("#search")
    links = page.eval_on_selector_all("main noscript a", "as => as.map(a => a.getAttribute('href'))")
    assert [link.rsplit("/", 2)[-2] for link in links] == ["sitzungen", "vorlagen", "personen", "gremien"]
    context.close()


def shard_pages(site) -> dict[str, str]:
    shards = json.loads((site / "_ratsinfo" / "search-shards.json").read_text(encoding="utf-8"))
    return {page: name for name, shard in shards.items() for page in shard["pages"]}


def page_fingerprints(site) -> dict[str, str]:
    return json.loads((site / "_ratsinfo" / "build-state.json").read_text(encoding="utf-8"))["pages"]


def test_a_split_index_is_searched_as_one_and_only_changed_parts_are_rebuilt(demo_content, browser, tmp_path):
    """Big cities get one Pagefind bundle per kind and year; here forced at 100 pages. Without the
    delta index (tests/test_search_delta.py), so that changed bundles are indexed again."""
    import shutil

    from importers.content import read_front_matter, render_front_matter
    from ratsinfo.build import build_site

    content, site = tmp_path / "content", tmp_path / "site"
    shutil.copytree(demo_content, content)
    build_site(content, site, overrides={"SEARCH_SHARD_PAGES": 100, "SEARCH_DELTA_PAGES": 0})
    bundles = sorted(p.name for p in (site / "pagefind").iterdir() if p.is_dir() and p.name != "_delta")
    assert {"personen", "gremien"} <= set(bundles) and any(b.startswith("sitzungen-") for b in bundles)
    inode = {b: next((site / "pagefind" / b).rglob("*.pf_meta")).stat().st_ino for b in bundles}
    pages_before = {p: (site / p).read_bytes() for p in shard_pages(site)}
    shown_before = page_fingerprints(site)

    meeting_file = sorted((content / "meetings").glob("*.md"))[0]
    meeting = read_front_matter(meeting_file)
    meeting["name"] = "Sondersitzung zum Hochwasserschutz"
    meeting_file.write_bytes(render_front_matter(meeting))
    build_site(content, site, overrides={"SEARCH_SHARD_PAGES": 100, "SEARCH_DELTA_PAGES": 0})
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
        page = open_search(browser, base, f"#q={PDF_ONLY_WORD}")
        assert [c["kind"] for c in cards(page)] == ["Dokument"]
        # Filters of all bundles are offered, and a reference finds its paper in its year's bundle.
        assert page.query_selector("input[data-filter='Art'][value='Person']") is not None
        search_for(page, "q=" + quote(PDF_ONLY_PAPER_REFERENCE.lower()), "Treffer")
        assert cards(page)[0]["kind"].endswith(PDF_ONLY_PAPER_REFERENCE)
        search_for(page, "q=Hochwasserschutz", "Hochwasserschutz")
        assert any("Sondersitzung zum Hochwasserschutz" in c["title"] for c in cards(page))
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


@pytest.mark.parametrize("device", WIDTHS)
def test_filter_values_cards_and_excerpts_from_a_hostile_feed_are_text(browser, tmp_path, device):
    from tests.test_escaping import EVIL

    site = hostile_site(tmp_path)
    # No CSP here (a plain static server, like `make serve`, a mirror without .htaccess, nginx).
    with serve_site(site, tmp_path) as base:
        page = browser.new_page(viewport={"width": WIDTHS[device], "height": 900})
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(f"{base}suche.html#q=fett")
        searched(page, "fett")
        # The committee and the paper type are the feed's markup: each filter label shows it as text.
        labels = page.eval_on_selector_all(".filter-group label", "ls => ls.map(l => l.textContent)")
        assert sum(label.startswith(EVIL) for label in labels) >= 2, labels
        found = cards(page)
        assert {c["kind"] for c in found} >= {"Sitzung", f"Vorlage · {EVIL} · {EVIL}", "Dokument", "Gremium"}
        assert any(c["title"] == EVIL for c in found) and any(EVIL in c["facts"] for c in found)
        assert any("fett" in c["excerpt"] and "<script>" in c["excerpt"] for c in found)
        # Links only lead into the site.
        hrefs = [c["href"] for c in found] + [link for c in found for link in c["links"]]
        assert hrefs and all(h.startswith("/ratsinfo/") for h in hrefs)
        assert page.query_selector_all(FEED_ELEMENTS) == []
        assert page.eval_on_selector_all(".hit-excerpt *", "es => [...new Set(es.map(e => e.localName))]") == ["mark"]
        assert dialogs == []
        page.close()


# Markup and an ampersand, but no double quote: Pagefind 1.5 cannot filter by a value with one.
HOSTILE_NAME = "<img src=x onerror=alert(1)> Bau & Verkehr 'Süd' &amp;"


def test_a_filter_in_the_address_is_text_and_ticking_one_writes_text_back(browser, tmp_path):
    site = hostile_site(tmp_path, HOSTILE_NAME)
    with serve_site(site, tmp_path) as base:
        page = browser.new_page()
        page.goto(f"{base}suche.html#" + urlencode({"q": "fett", "Gremium": HOSTILE_NAME}))
        searched(page, "fett")
        ticked = page.query_selector_all("input[type=checkbox]:checked")
        assert [box.evaluate("b => b.labels[0].textContent") for box in ticked] == [HOSTILE_NAME + " (3)"]
        assert page.inner_text("#suchstatus").startswith("3 Treffer")
        # The paper type's box: its value goes into the address as the feed's text.
        page.check(f"input[data-filter='Vorlagenart'][value={json.dumps(HOSTILE_NAME, ensure_ascii=False)}]")
        page.wait_for_function("location.hash.includes('Vorlagenart=')")
        assert parse_qs(urlsplit(page.url).fragment) == {"q": ["fett"], "Gremium": [HOSTILE_NAME],
                                                         "Vorlagenart": [HOSTILE_NAME]}
        assert page.query_selector_all(FEED_ELEMENTS) == []
        page.close()
