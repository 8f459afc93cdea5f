"""Issue 14's acceptance: a town puts ratsinfo into service without editing the program.

init → two lines in ratsinfo.toml → `ratsinfo update SOURCE --site … --to …` publishes a portal
with feeds and sitemap that `check` passes, served by a real Apache under /ratsinfo/ with a
working 404 page; and the checkout is as it was."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest

from tests.conftest import PROJECT, copy_of
from tests.support.apache import apache_serving
from tests.test_site import ratsinfo, set_lines

PUBLIC_URL = "https://www.muldenau.example/ratsinfo/"
pytestmark = pytest.mark.apache


def checkout_state() -> list:
    """What a run could edit in the program's checkout: the demo's content/ and output/ (used by
    `make html`), the Pelican settings, and a settings file where none belongs."""
    paths = [PROJECT / "pelicanconf.py", PROJECT / "ratsinfo.toml"]
    for folder in (PROJECT / "content", PROJECT / "output"):
        if folder.is_dir():
            paths += [p for p in folder.rglob("*") if p.is_file()]
    return sorted((p.relative_to(PROJECT).as_posix(), p.stat().st_mtime_ns) for p in paths if p.exists())


def set_up_town(root: Path) -> Path:
    ratsinfo("init", "site", cwd=root)
    site = root / "site"
    set_lines(site, SITENAME='"Ratsinformation Muldenau"', PUBLIC_URL=f'"{PUBLIC_URL}"')
    return site


def assert_published_and_served(site: Path, target: Path):
    checked = ratsinfo("check", "--output", target, cwd=site.parent)
    assert ", 0 kaputt, 0 Adressen doppelt" in checked.stdout
    assert "Keine öffentliche Adresse" not in checked.stdout
    assert (target / "sitemap.xml").is_file() and list((target / "feeds").glob("*.atom"))
    assert "Update beginnt" in (site / "ratsinfo-update.log").read_text(encoding="utf-8")
    with apache_serving(target, subpath="ratsinfo") as base:
        home = httpx.get(base)
        assert home.status_code == 200 and "Ratsinformation Muldenau" in home.text
        for path in ("sitemap.xml", "feeds/vorlagen.atom", "kalender/alle.ics"):
            if (target / path).is_file():
                assert httpx.get(base + path).status_code == 200, path
        missing = httpx.get(base + "sitzungen/gibt-es-nicht.html")
        assert missing.status_code == 404 and "Seite nicht gefunden" in missing.text
        stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', missing.text)
        assert stylesheets  # the screen one and print.css
        for stylesheet in stylesheets:
            css = httpx.get(urljoin(base + "sitzungen/gibt-es-nicht.html", stylesheet))
            assert css.status_code == 200 and css.headers["content-type"].startswith("text/css"), stylesheet


def test_a_town_publishes_from_an_oparl_dump_without_touching_the_program(demo_dump, tmp_path, texts_read):
    before = checkout_state()
    site = set_up_town(tmp_path)
    texts_read(site / "content")  # reading the PDFs is demo_content's test, not this one's
    target = tmp_path / "www" / "ratsinfo"
    updated = ratsinfo("update", demo_dump, "--site", site, "--to", target, cwd=tmp_path)
    assert "Update fertig" in updated.stdout
    assert_published_and_served(site, target)
    assert checkout_state() == before


def test_a_town_publishes_from_a_sqlite_export_through_update_mapping(demo_sqlite, tmp_path, texts_read):
    before = checkout_state()
    copy_of(demo_sqlite, tmp_path / "export.sqlite")  # `ratsinfo demo --sqlite`: tests/test_import_sql.py
    site = set_up_town(tmp_path)
    texts_read(site / "content")  # the same PDFs as the OParl dump's; reading them is not this test's
    target = tmp_path / "www" / "ratsinfo"
    mapping = PROJECT / "importers" / "sql" / "mappings" / "neutral.yaml"
    updated = ratsinfo("update", tmp_path / "export.sqlite", "--mapping", mapping, "--site", site,
                       "--to", target, cwd=tmp_path)
    assert "Update fertig" in updated.stdout
    assert_published_and_served(site, target)
    assert checkout_state() == before
