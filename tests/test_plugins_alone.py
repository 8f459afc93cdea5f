"""Each plugin runs alone, as pelican-plugins/sitemap is tested: a Pelican run with only that plugin
(plus what it declares it needs) on tests/fixtures/tiny-town, asserting what that plugin writes.

Each run is a process of its own: Pelican's signals are module-level, so a plugin registered by
an earlier run in this process would take part in the next.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
TINY_TOWN = PROJECT / "tests" / "fixtures" / "tiny-town"
RUN = """
import json, sys
from pelican import Pelican
from pelican.settings import read_settings
Pelican(read_settings(sys.argv[1], override=json.loads(sys.argv[2]))).run()
"""


def pelican(tmp_path: Path, plugins: list[str], **settings) -> tuple[subprocess.CompletedProcess, Path]:
    output = tmp_path / "output"
    override = {"PATH": str(TINY_TOWN), "OUTPUT_PATH": str(output), "PLUGINS": plugins, "PAGEFIND": False,
                "RATSINFO_TODAY": "2026-06-01", "RATSINFO_CACHE": False, **settings}
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    done = subprocess.run([sys.executable, "-c", RUN, str(PROJECT / "pelicanconf.py"), json.dumps(override)],
                          cwd=PROJECT, env=env, capture_output=True, text=True)
    return done, output


def built(tmp_path: Path, plugins: list[str], **settings) -> Path:
    done, output = pelican(tmp_path, plugins, **settings)
    assert done.returncode == 0, done.stderr
    return output


def text(output: Path, path: str) -> str:
    return (output / path).read_text(encoding="utf-8")


def test_council_alone_writes_the_pages_of_every_object_and_its_build_state(tmp_path):
    output = built(tmp_path, ["plugins.council"])
    meeting = text(output, "sitzungen/1.html")
    assert "Neubau der Kita &lt;Sonnenschein&gt;" in meeting and "N 1" in meeting
    for page in ("index.html", "vorlagen/vo-2026-0001.html", "gremien/1.html", "personen/1.html",
                 "dateien/1.html", "kalender/index.html"):
        assert (output / page).is_file(), page
    assert (output / "dateien" / "1.txt").read_bytes() == (TINY_TOWN / "files" / "1.txt").read_bytes()
    state = json.loads(text(output, "_ratsinfo/build-state.json"))
    assert "sitzungen/1.html" in state["pages"] and state["attachments"] == ["dateien/1.txt"]
    assert (output / "_ratsinfo" / "search-shards.json").is_file()
    # Nothing of the other plugins: no calendars, feeds or server files, and no page links to them.
    for absent in ("kalender/alle.ics", "feeds", "sitemap.xml", ".htaccess", "web.config", "pagefind"):
        assert not (output / absent).exists(), absent
    assert ".ics" not in meeting and ".atom" not in meeting
    # No search index without plugins.search, so no search page and no link to one (site_search).
    assert not (output / "suche.html").exists() and "suche.html" not in text(output, "index.html")


def test_feeds_with_council_write_calendars_feeds_and_sitemap(tmp_path):
    output = built(tmp_path, ["plugins.council", "plugins.feeds"], PUBLIC_URL="https://rat.kleinstadt.example/")
    calendar = text(output, "kalender/alle.ics")
    assert "SUMMARY:3. Sitzung des Gemeinderates" in calendar and "4. Sitzung" in calendar
    assert (output / "sitzungen" / "1.ics").is_file() and (output / "kalender" / "gremium-1.ics").is_file()
    assert "VO/2026/0001" in text(output, "feeds/vorlagen.atom")
    assert "<loc>https://rat.kleinstadt.example/sitzungen/1.html</loc>" in text(output, "sitemap.xml")
    assert "Sitemap: https://rat.kleinstadt.example/sitemap.xml" in text(output, "robots.txt")
    # What feeds wrote, council's pages offer (the context keys site_subscribe and council_offers).
    assert 'href="../sitzungen/1.ics"' in text(output, "sitzungen/1.html")
    assert 'href="../kalender/alle.ics"' in text(output, "kalender/index.html")


def test_feeds_without_council_stops_and_names_the_missing_plugin(tmp_path):
    done, _ = pelican(tmp_path, ["plugins.feeds"])
    assert done.returncode != 0
    assert "plugins.feeds braucht plugins.council" in done.stderr


def test_deploy_with_council_writes_the_web_server_files(tmp_path):
    output = built(tmp_path, ["plugins.council", "plugins.deploy"])
    assert "ErrorDocument 404" in text(output, ".htaccess")
    assert "<configuration>" in text(output, "web.config")
    assert (output / "404.html").is_file() and (output / "_ratsinfo" / "404.shtml").is_file()
    assert "IncludesNOEXEC" in text(output, "_ratsinfo/.htaccess")
    permalinks = json.loads(text(output, "_ratsinfo/permalinks.json"))
    assert permalinks["meeting:https://oparl.kleinstadt.example/meetings/1"] == "sitzungen/1.html"
    assert json.loads(text(output, "_ratsinfo/redirects.json")) == {}


def test_deploy_without_council_stops_and_names_the_missing_plugin(tmp_path):
    """Without the graph there are no permalinks; before, deploy wrote nothing and said nothing."""
    done, output = pelican(tmp_path, ["plugins.deploy"])
    assert done.returncode != 0
    assert "plugins.deploy braucht plugins.council" in done.stderr
    assert not (output / ".htaccess").exists()


def test_search_alone_indexes_the_pages_pelican_wrote(tmp_path):
    output = built(tmp_path, ["plugins.search"], PAGEFIND=True)
    assert (output / "seiten" / "impressum.html").is_file()
    entry = json.loads(text(output, "pagefind/pagefind-entry.json"))
    assert list(entry["languages"]) == ["de"]
    assert not (output / "_ratsinfo").exists()


def test_i18n_alone_puts_pelicans_pages_into_the_towns_language(tmp_path):
    translations = tmp_path / "translations"
    po = translations / "en" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  'msgid "Zum Inhalt springen"\nmsgstr "Skip to content"\n', encoding="utf-8")
    compiled = subprocess.run([sys.executable, "-m", "babel.messages.frontend", "compile", "-i", str(po),
                               "-o", str(po.with_suffix(".mo"))], capture_output=True, text=True)
    assert compiled.returncode == 0, compiled.stderr
    output = built(tmp_path, ["plugins.i18n"], RATSINFO_LANGUAGE="en", RATSINFO_TRANSLATIONS=str(translations))
    page = text(output, "seiten/impressum.html")
    assert '<html lang="en">' in page and "Skip to content" in page and "Zum Inhalt springen" not in page

