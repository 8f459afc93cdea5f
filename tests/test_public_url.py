"""The demo council built as a town puts it into service: with a public address and a base path.
`ratsinfo check` finds nothing broken, and every feed or calendar a page offers was written."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from ratsinfo.build import build_site
from ratsinfo.check import check_site
from ratsinfo.update import run_update
from tests.conftest import DEMO_TODAY
from tests.support.site import subscription_links

PUBLIC_URL = "https://ratsinfo.muldenau.example/ratsinfo/"
BASE_PATH = "/ratsinfo/"
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
    links = subscription_links(public_site, BASE_PATH)
    every_target = set().union(*links.values())
    # The site's own feed and calendar, and committees' feeds and calendars, are all offered somewhere.
    assert {"feeds/vorlagen.atom", "kalender/alle.ics"} <= every_target
    assert any(t.startswith("feeds/gremium-") for t in every_target)
    assert any(t.startswith("kalender/gremium-") for t in every_target)
    missing = {page: sorted(t for t in targets if not (public_site / t).is_file())
               for page, targets in links.items()}
    assert {page: targets for page, targets in missing.items() if targets} == {}


def test_every_committee_feed_and_calendar_written_is_offered_on_its_page(public_site):
    links = subscription_links(public_site, BASE_PATH)
    written = sorted(p.relative_to(public_site).as_posix() for folder in ("feeds", "kalender")
                     for p in (public_site / folder).glob("gremium-*"))
    assert written
    for path in written:
        committee = path.rsplit("/", 1)[1].split(".")[0].removeprefix("gremium-").split("-")[0]  # gremium-1-aenderungen
        assert path in links.get(f"gremien/{committee}.html", set()), path


def test_update_with_a_public_address_publishes_on_every_run(demo_dump, tmp_path, texts_read):
    """cron runs `update` night after night: the first run and the next (an overlay build) pass the check."""
    target = tmp_path / "www" / "ratsinfo"
    texts_read(tmp_path / "inhalt")
    releases = []
    for _ in range(2):
        result = run_update(str(demo_dump), tmp_path / "inhalt", tmp_path / "bau", target, tmp_path / "update.log",
                            build_overrides=OVERRIDES, console=Console(stderr=True, quiet=True))
        assert [step for step, _, _ in result.steps] == ["Import", "Build", "Prüfung", "Veröffentlichung"]
        releases.append(result.release)
    assert releases[0] != releases[1]
    assert (target / "feeds" / "vorlagen.atom").is_file() and (target / "sitemap.xml").is_file()
    assert "keine kaputt" in (tmp_path / "update.log").read_text(encoding="utf-8")
