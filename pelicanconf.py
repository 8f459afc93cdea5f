"""Pelican settings for ratsinfo. `ratsinfo build` and plain `pelican content` both read this.

Settings of our own (documented in docs/architecture.md):
- PUBLISH_CONTACT_DATA: show e-mail and phone of persons (default False).
- RATSINFO_TODAY: "YYYY-MM-DD" to fix the date that splits upcoming from past meetings.
- PAGEFIND: build the search index (default True).
- PUBLIC_URL: the portal's absolute public address, for calendars, feeds and sitemap (default None).
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

SITENAME = "Ratsinformation"
SITEURL = ""
RELATIVE_URLS = True
TIMEZONE = "Europe/Berlin"
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
PLUGINS = ["plugins.council", "plugins.feeds", "plugins.deploy", "plugins.search", "plugins.i18n"]

# plugins.i18n.Extension is jinja2.ext.i18n that starts out German, so `_()` works in every template.
JINJA_ENVIRONMENT = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True, "auto_reload": False,
                     "extensions": ["plugins.i18n.Extension"]}

PUBLISH_CONTACT_DATA = False
RATSINFO_TODAY = None
PAGEFIND = True
# The portal's absolute public address, e.g. "https://ratsinfo.stadt.example/" (plugins/feeds).
# iCalendar URLs, Atom feeds and sitemap.xml need absolute links, our pages stay relative.
# None: calendars (kalender/*.ics, sitzungen/*.ics) are written without URL, feeds/*.atom and
# sitemap.xml are skipped, robots.txt has no Sitemap line, and the build warns "PUBLIC_URL fehlt".
# robots.txt is only read by crawlers at the host's root, so serve the portal there to use it.
PUBLIC_URL = None
# Subscription calendars (kalender/alle.ics, kalender/gremium-*.ics) hold the meetings from this
# many days ago on, and all later ones: twenty years of meetings would be megabytes that
# calendar apps reload every few hours. Each meeting keeps its own sitzungen/<id>.ics.
# None: every meeting.
CALENDAR_PAST_DAYS = 366

# The absolute path the portal is served under, for the 404 page and the web
# server files ("/" unless PUBLIC_URL has a path). An intranet mirror under
# another path builds with its own BASE_PATH (ratsinfo build --base-path).
BASE_PATH = None
# Where the previous build lies, to keep redirects for changed permalinks
# (ratsinfo build sets it; plain `pelican content` uses OUTPUT_PATH).
RATSINFO_PREVIOUS_OUTPUT = None
# Above this many detail pages the search index is split into bundles per kind
# and year, so Pagefind's memory stays bounded and rebuilds index only changes.
SEARCH_SHARD_PAGES = 20000
# Render processes (default: one per core) and the parse cache / page reuse.
RATSINFO_WORKERS = None
RATSINFO_CACHE = True
# The language of the portal's own texts; uses theme/translations/<lang>/LC_MESSAGES/messages.mo
# if it exists, German otherwise (docs/i18n.md). RATSINFO_TRANSLATIONS may name another folder.
RATSINFO_LANGUAGE = "de"
