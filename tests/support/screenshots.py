"""`make screenshots`: PNGs of each page kind at phone and desktop width, for reviewers.

Usage: python -m tests.support.screenshots OUTPUT_DIR TARGET_DIR
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, serve_site

WIDTHS = {"telefon": (390, 844), "desktop": (1280, 900)}


def page_kinds(site: Path) -> dict[str, str]:
    def first(folder: str, pattern: str = "*.html") -> str:
        pages = sorted(p for p in (site / folder).glob(pattern) if p.name != "index.html")
        return pages[0].relative_to(site).as_posix()

    def longest(folder: str) -> str:
        """The page with the most text: the reading view of a long document."""
        pages = sorted(p for p in (site / folder).glob("*.html") if p.name != "index.html")
        return max(pages, key=lambda p: (p.stat().st_size, p.name)).relative_to(site).as_posix()

    def find(folder: str, text: str) -> str:
        pages = sorted(p for p in (site / folder).glob("*.html") if text in p.read_text(encoding="utf-8"))
        return pages[0].relative_to(site).as_posix()

    meetings = sorted((p for p in (site / "sitzungen").glob("*.html") if p.name != "index.html" and not p.name.startswith("jahr-")), key=lambda p: (-p.stat().st_size, p.name))
    return {
        "startseite": "index.html",
        "suche": "suche.html#q=Spielplatz",
        "kalender": "kalender/index.html",
        "sitzung": meetings[0].relative_to(site).as_posix(),
        "vorlage": first("vorlagen", "vo-*.html"),
        "vorlagenliste": first("vorlagen", "jahr-*.html"),
        "person": first("personen"),
        "personen": "personen/index.html",
        "gremium": "gremien/1.html",
        "gremien": "gremien/index.html",
        "dokument": longest("dateien"),
        "sitzungsjahr": first("sitzungen", "jahr-*.html"),
        "wahlperiode": first("wahlperioden"),
        "rat": find("gremien", "Sitzverteilung"),
        "fraktion": find("gremien", "Anträge und Anfragen"),
        "offene-daten": "daten/index.html",
    }


def main(site: Path, target: Path):
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, serve_site(site, Path(tmp)) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for device, (width, height) in WIDTHS.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            for name, path in page_kinds(site).items():
                page.goto(base + path)
                if name == "suche":
                    page.wait_for_selector(".search-results[aria-busy=false] .hit h3 a", timeout=20_000)
                page.screenshot(path=str(target / f"{name}-{device}.png"), full_page=device == "telefon" and name == "sitzung")
                print(f"{name}-{device}.png")
            page.close()
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
