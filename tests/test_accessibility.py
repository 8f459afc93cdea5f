"""WCAG 2.1 AA: axe-core in real headless Chromium over one page of each kind, at phone and desktop width."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.browser import serve_site
from tests.test_pages_browser import multi_page_document

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"Telefon": 375, "Desktop": 1280}


def one_of_each_kind(site: Path) -> list[str]:
    def first(folder: str, pattern: str = "*.html") -> str:
        pages = sorted(p for p in (site / folder).glob(pattern) if p.name != "index.html")
        return pages[0].relative_to(site).as_posix()

    meetings = sorted((p for p in (site / "sitzungen").glob("*.html") if p.name != "index.html" and not p.name.startswith("jahr-")), key=lambda p: -p.stat().st_size)
    return [
        "index.html", "suche.html?q=Spielplatz", "suche.html#q=Spielplatz&Art=Person", "kalender/index.html", "sitzungen/index.html",
        meetings[0].relative_to(site).as_posix(), "vorlagen/index.html", first("vorlagen", "vo-*.html"),
        first("vorlagen", "jahr-*.html"), "personen/index.html", first("personen"), "gremien/index.html",
        "gremien/1.html", "gremien/13.html", first("dateien"), "wahlperioden/index.html", "wahlperioden/1.html",
        "seiten/impressum.html", "seiten/hilfe.html", "sitzungen/jahr-2025.html", multi_page_document(site),
    ]


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.skip("axe-core fehlt: npm ci (make test installiert es)")
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("device", WIDTHS)
def test_no_axe_violations_on_any_page_kind(demo_site, browser, axe_source, tmp_path, device):
    found = {}
    with serve_site(demo_site, tmp_path) as base:
        page = browser.new_page(viewport={"width": WIDTHS[device], "height": 900})
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        for path in one_of_each_kind(demo_site):
            page.goto(base + path)
            if path.startswith("suche.html"):
                # Hits, or no hits and the suggestions (tests/test_search_browser.py).
                page.wait_for_selector(".search-results[aria-busy=false] #suchstatus:not(:empty)", timeout=20_000)
            page.add_script_tag(content=axe_source)
            result = page.evaluate(
                "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
                "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
            )
            for violation in result["violations"]:
                targets = [node["target"] for node in violation["nodes"]][:3]
                found.setdefault(path, []).append(f"{violation['id']} ({violation['impact']}): {targets}")
        page.close()
    host = base.split("/ratsinfo/")[0] + "/"
    assert [url for url in requests if not url.startswith(host)] == [], "Anfrage an einen fremden Host"
    assert not found, "\n".join(f"{path}: {v}" for path, vs in found.items() for v in vs)


def test_keyboard_reaches_content_through_the_skip_link(demo_site, browser, tmp_path):
    with serve_site(demo_site, tmp_path) as base:
        page = browser.new_page()
        page.goto(base + "index.html")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Zum Inhalt springen"
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#inhalt"
        page.close()
