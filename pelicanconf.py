"""Pelican settings for ratsinfo. `ratsinfo build` and plain `pelican content` both read this.

The program's structure lives here; every setting a town may change is declared with its default
and meaning in ratsinfo/settings.py (table: docs/settings.md) and set in the town's ratsinfo.toml.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

SITEURL = ""
RELATIVE_URLS = True
DEFAULT_LANG = "de"

PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"

# Council objects are rendered by plugins/council, not as blog articles: Pelican's
# article model grows as N² (research/pelican.md §3). Hand-written pages stay Pelican pages.
ARTICLE_PATHS = []
PAGE_PATHS = ["pages"]
PAGE_URL = "seiten/{slug}.html"
PAGE_SAVE_AS = "seiten/{slug}.html"
DIRECT_TEMPLATES = []
STATIC_PATHS = []
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
AUTHOR_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
TAG_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
DELETE_OUTPUT_DIRECTORY = False

PLUGIN_PATHS = [HERE]
PLUGINS = ["plugins.council", "plugins.oparlapi", "plugins.opendata", "plugins.feeds", "plugins.deploy", "plugins.search", "plugins.i18n"]

# plugins.i18n.Extension is jinja2.ext.i18n that starts out German, so `_()` works in every template.
JINJA_ENVIRONMENT = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True, "auto_reload": False,
                     "extensions": ["plugins.i18n.Extension"]}

# Our own settings and the town's (SITENAME, PUBLIC_URL, …) with their defaults are declared
# once, in ratsinfo/settings.py; docs/settings.md lists them. A town sets them in its site
# folder's ratsinfo.toml (`ratsinfo init`), not here: this file belongs to the program.
from plugins.urls import TEMPLATE_URLS  # noqa: E402
from ratsinfo.settings import pelican_defaults  # noqa: E402

# The URL scheme (plugins/urls.py) for every template: `urls.meetings`, `urls.meeting_year(2026)`.
JINJA_GLOBALS = {"urls": TEMPLATE_URLS}

globals().update(pelican_defaults())
