"""The portal's URL scheme, in one place: which folder a kind's pages are in, what a page's file is
called, the names of the list pages, anchors, and absolute links under the public address.

Every path here is relative to the site root ("sitzungen/17.html"); pages put their `root`
("../") before it, feeds and the sitemap the public address (`absolute`). The object model
(plugins/council/graph.py: `.url`), the page plan, feeds, deploy's permalinks and the templates
(as the Jinja global `urls`, set in pelicanconf.py) all take their addresses from here.
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from urllib.parse import quote

# kind -> folder of its pages in output/ (a document's file: URL_FOLDERS["file"]).
URL_FOLDERS = {
    "meeting": "sitzungen", "paper": "vorlagen", "person": "personen",
    "organization": "gremien", "file": "dateien", "term": "wahlperioden", "body": "koerperschaften",
}
HOME = "index.html"
SEARCH_PAGE = "suche.html"
SEARCH_INDEX = "pagefind/"
CALENDAR = "kalender/index.html"
NOT_FOUND = "404.html"
# The dumps (plugins/opendata) and the "Offene Daten" page that explains them.
DATA_FOLDER = "daten"
OPEN_DATA = f"{DATA_FOLDER}/index.html"


def page(kind: str, name: str) -> str:
    """An object's page: sitzungen/17.html."""
    return f"{URL_FOLDERS[kind]}/{name}.html"


def media(name: str) -> str:
    """A published document's file, beside its reading view: dateien/17.pdf."""
    return f"{URL_FOLDERS['file']}/{name}"


def meeting_calendar(meeting_id: str) -> str:
    """A meeting's own calendar file, beside its page: sitzungen/17.ics."""
    return f"{URL_FOLDERS['meeting']}/{meeting_id}.ics"


def agenda_anchor(item_id: str) -> str:
    """An agenda item's row on its meeting's page."""
    return f"top-{item_id}"


def list_page(kind: str) -> str:
    """The list of a kind's objects: sitzungen/index.html."""
    return f"{URL_FOLDERS[kind]}/index.html"


def year_list(kind: str, year: int) -> str:
    """The meetings or papers of a year, without ".html" (paper lists have pages: `numbered`)."""
    return f"{URL_FOLDERS[kind]}/jahr-{year}"


def type_list(slug: str) -> str:
    """The papers of one type, without ".html": vorlagen/art-anfrage."""
    return f"{URL_FOLDERS['paper']}/art-{slug}"


def numbered(base: str, number: int) -> str:
    """Page `number` of a paginated list: base.html, base-seite-2.html, …"""
    return f"{base}.html" if number == 1 else f"{base}-seite-{number}.html"


def month(key: str) -> str:
    """The calendar's month view: kalender/2026-03.html (`key` is YYYY-MM)."""
    return f"kalender/{key}.html"


def search_bundle(name: str) -> str:
    """Where a search bundle lies (plugins/council/search_entries.py); "" is the whole index."""
    return f"{SEARCH_INDEX}{name}/" if name else SEARCH_INDEX


def absolute(base: str, path: str) -> str:
    """`path` relative to the site root (e.g. "sitzungen/17.html") under the public address."""
    return base + quote(path, safe="/#")


# The names of the list pages in each folder. An object whose id or reference is one of them
# would be written to the list's file (a paper "Index" replaced vorlagen/index.html), so it takes
# another address. Compared ignoring case: IIS and Windows shares serve INDEX.html and
# index.html as one file.
LIST_PAGE_NAMES = {
    "sitzungen": re.compile(r"index|jahr-\d+", re.IGNORECASE),
    "vorlagen": re.compile(r"index|jahr-\d+(-seite-\d+)?|art-.*", re.IGNORECASE),
}
_ONLY_INDEX = re.compile(r"index", re.IGNORECASE)
# The address of such an object: its kind before its id (gremien/gremium-index.html).
RESERVED_PREFIX = {
    "meeting": "sitzung", "paper": "vorlage", "person": "person", "organization": "gremium",
    "file": "dokument", "term": "wahlperiode", "body": "koerperschaft",
}


def is_list_page_name(kind: str, name: str) -> bool:
    return bool(LIST_PAGE_NAMES.get(URL_FOLDERS[kind], _ONLY_INDEX).fullmatch(name))


# What templates link besides the objects they are given: `urls.meetings`, `urls.meeting_year(2026)`.
# The search page is not here: whether there is one is plugins.search's decision (`site_search`).
TEMPLATE_URLS = SimpleNamespace(
    home=HOME, calendar=CALENDAR, meetings=list_page("meeting"), papers=list_page("paper"),
    organizations=list_page("organization"), persons=list_page("person"), terms=list_page("term"),
    search_index=SEARCH_INDEX, meeting_year=lambda year: year_list("meeting", year) + ".html",
)
