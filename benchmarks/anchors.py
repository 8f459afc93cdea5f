"""Ratio anchors: plain Pelican and Hugo building the same number of simple pages.

Both get N Markdown articles of about 300 words with a title, a date and one
of 20 categories. Pelican builds them with its defaults (theme `notmyidea`,
the default DIRECT_TEMPLATES, no feeds); Hugo (Debian's package) with a tiny
layout of its own. An anchor whose program is missing is skipped with a note.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from benchmarks.measure import PYTHON, Measured, run_measured
from ratsinfo.demo.prose import Prose

CATEGORIES = 20
PELICAN_CONF = """\
SITENAME = "Anker"
SITEURL = ""
PATH = "content"
TIMEZONE = "Europe/Berlin"
DEFAULT_LANG = "de"
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
"""
HUGO_CONFIG = """\
baseURL = "/"
languageCode = "de"
title = "Anker"
# Articles are dated an hour apart; a big N reaches past today, and Hugo skips future posts by default.
buildFuture = true
disableKinds = ["RSS", "sitemap", "robotsTXT", "404"]
[taxonomies]
  category = "categories"
"""
HUGO_SINGLE = """<!doctype html><html lang="de"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><h1>{{ .Title }}</h1><p>{{ .Date.Format "02.01.2006" }} · {{ range .Params.categories }}{{ . }}{{ end }}</p>
{{ .Content }}</body></html>
"""
HUGO_LIST = """<!doctype html><html lang="de"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>
"""


@dataclass
class AnchorRun:
    name: str
    articles: int
    measured: Measured | None
    html_pages: int = 0
    note: str = ""
    pagefind: Measured | None = None  # Pagefind on its output (with_pagefind)
    output: Path | None = None


def with_pagefind(anchor, n: int, workdir: Path) -> AnchorRun:
    """The anchor's build, then Pagefind on its output as a site with search would run it
    (every page indexed: the anchors' pages are all articles)."""
    from plugins.search.pagefind import pagefind_command

    run = anchor(n, workdir)
    if run.measured is not None:
        run.pagefind = run_measured(pagefind_command(str(run.output), "de"))
        run.name += " + Pagefind"
    return run


def _articles(n: int):
    # The same prose as the city's documents (ratsinfo/demo/prose.py).
    prose = Prose("benchmarks/anchors")
    rng = random.Random("benchmarks/anchors/titles")
    start = datetime(2010, 1, 1, 9, 0)
    for i in range(n):
        body = prose.text(i, "", 300).strip()
        yield i, f"Vorlage {i + 1}: {prose.sentence(rng)[:60].rstrip('.')}", start + timedelta(hours=7 * i), \
            f"Gremium {i % CATEGORIES + 1}", body


def pelican(n: int, workdir: Path) -> AnchorRun:
    site = workdir / "pelican"
    shutil.rmtree(site, ignore_errors=True)
    (site / "content").mkdir(parents=True)
    (site / "pelicanconf.py").write_text(PELICAN_CONF, encoding="utf-8")
    for i, title, when, category, body in _articles(n):
        (site / "content" / f"artikel-{i + 1}.md").write_text(
            f"Title: {title}\nDate: {when:%Y-%m-%d %H:%M}\nCategory: {category}\nSlug: artikel-{i + 1}\n\n{body}\n",
            encoding="utf-8")
    measured = run_measured([PYTHON, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", "output", "-q"], cwd=site)
    return AnchorRun("Pelican", n, measured, _html(site / "output"), output=site / "output")


def hugo(n: int, workdir: Path) -> AnchorRun:
    executable = shutil.which("hugo")
    if executable is None:
        return AnchorRun("Hugo", n, None, note="hugo ist nicht installiert (apt-get install hugo); Anker übersprungen")
    site = workdir / "hugo"
    shutil.rmtree(site, ignore_errors=True)
    (site / "content" / "vorlagen").mkdir(parents=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "config.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    (site / "layouts" / "_default" / "single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    (site / "layouts" / "_default" / "list.html").write_text(HUGO_LIST, encoding="utf-8")
    for i, title, when, category, body in _articles(n):
        (site / "content" / "vorlagen" / f"artikel-{i + 1}.md").write_text(
            f'---\ntitle: "{title}"\ndate: {when:%Y-%m-%dT%H:%M:%S}+01:00\ncategories: ["{category}"]\n---\n\n{body}\n',
            encoding="utf-8")
    measured = run_measured([executable, "--quiet", "-s", str(site), "-d", str(site / "public")], cwd=site)
    version = run_measured([executable, "version"]).stdout.strip().split()[1]
    return AnchorRun("Hugo", n, measured, _html(site / "public"), note=f"Hugo {version}", output=site / "public")


def _html(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html"))
