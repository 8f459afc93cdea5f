"""The demo council built as a town puts it into service: with a public address and a base path.
`ratsinfo check` finds nothing broken, and every feed or calendar a page offers was written."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from rich.console import Console

from ratsinfo.build import build_site
from ratsinfo.check import check_site
from ratsinfo.update import run_update
from tests.conftest import DEMO_TODAY

PUBLIC_URL = "https://ratsinfo.muldenau.example/ratsinfo/"
BASE_PATH = "/ratsinfo/"
SUBSCRIPTIONS = (".ics", ".atom")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.base: str | None = None

    def handle_starttag(self, tag, attrs):
        hrefs = [value for name, value in attrs if name == "href" and value]
        if tag == "base":
            self.base = self.base or (hrefs[0] if hrefs else None)
        else:
            self.links += hrefs


def subscription_links(site: Path) -> dict[str, set[str]]:
    """Per page (relative path) the calendars and feeds it links, as paths relative to the site.
    Links are resolved as a browser does for the page served under BASE_PATH (the error page
    is served for any address, so it may link from BASE_PATH or set a <base>)."""
    found = {}
    for page in sorted(site.rglob("*.html")):
        relative = page.relative_to(site).as_posix()
        if relative.startswith("pagefind/"):
            continue
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        address = urljoin(BASE_PATH + relative, parser.base or "")
        paths = [unquote(urlsplit(urljoin(address, link)).path)
                 for link in parser.links if urlsplit(link).path.endswith(SUBSCRIPTIONS)]
        targets = {p.removeprefix(BASE_PATH) if p.startswith(BASE_PATH) else "(außerhalb) " + p for p in paths}
        if targets:
            found[relative] = targets
    return found


OVERRIDES = {"RATSINFO_TODAY": DEMO_TODAY, "PUBLIC_URL": PUBLIC_URL, "BASE_PATH": BASE_PATH}


@pytest.fixture(scope="module")
def public_site(demo_content, tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("public-site") / "output"
    build_site(demo_content, output, overrides=OVERRIDES)
    return output


def test_demo_with_public_address_and_base_path_has_no_broken_links(public_site):
    result = check_site(public_site)
    assert result.pages > 100 and result.links > 1000
    assert result.broken == []
    assert result.collisions == []


def test_every_feed_and_calendar_a_page_links_was_written(public_site):
    links = subscription_links(public_site)
    every_target = set().union(*links.values())
    # The site's own feed and calendar, and committees' feeds and calendars, are all offered somewhere.
    assert {"feeds/vorlagen.atom", "kalender/alle.ics"} <= every_target
    assert any(t.startswith("feeds/gremium-") for t in every_target)
    assert any(t.startswith("kalender/gremium-") for t in every_target)
    missing = {page: sorted(t for t in targets if not (public_site / t).is_file())
               for page, targets in links.items()}
    assert {page: targets for page, targets in missing.items() if targets} == {}


def test_every_committee_feed_and_calendar_written_is_offered_on_its_page(public_site):
    links = subscription_links(public_site)
    written = sorted(p.relative_to(public_site).as_posix() for folder in ("feeds", "kalender")
                     for p in (public_site / folder).glob("gremium-*"))
    assert written
    for path in written:
        committee = path.rsplit("/", 1)[1].split(".")[0].removeprefix("gremium-")
        assert path in links.get(f"gremien/{committee}.html", set()), path


def test_update_with_a_public_address_publishes_on_every_run(demo_dump, tmp_path):
    """cron runs `update` night after night: the first run and the next (an overlay build) pass the check."""
    target = tmp_path / "www" / "ratsinfo"
    releases = []
    for _ in range(2):
        result = run_update(str(demo_dump), tmp_path / "inhalt", tmp_path / "bau", target, tmp_path / "update.log",
                            build_overrides=OVERRIDES, console=Console(stderr=True, quiet=True))
        assert [step for step, _, _ in result.steps] == ["Import", "Build", "Prüfung", "Veröffentlichung"]
        releases.append(result.release)
    assert releases[0] != releases[1]
    assert (target / "feeds" / "vorlagen.atom").is_file() and (target / "sitemap.xml").is_file()
    assert "keine kaputt" in (tmp_path / "update.log").read_text(encoding="utf-8")
