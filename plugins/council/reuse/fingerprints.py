"""Page fingerprints and the build state: which pages a build need not render again.

A page's fingerprint covers everything it shows: the templates, our code, the settings, its
salt (the day, page counts, …), and the stamps of the objects it depends on
(`PageSpec.depends_on`, plugins/council/depends.py). A page whose fingerprint equals last
build's is not rendered again (reuse/rebuild.py). The fingerprints are kept in output/
(STATE_FILE), with the attachments and the day of the data.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from plugins.common import FOLDERS, json_lines
from ratsinfo.contracts import BUILD_STATE as STATE_FILE

# Our plugins' code: pages (council) and calendars (feeds) are rendered by it.
CODE_ROOTS = (Path(__file__).resolve().parents[2],)


def tree_digest(roots, suffixes=(".py", ".html", ".css", ".js", ".svg", ".po")) -> str:
    digest = hashlib.sha1()
    for root in roots:
        for path in sorted(Path(root).rglob("*")):
            if path.is_file() and path.suffix in suffixes and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def global_fingerprint(theme: Path, settings_subset: dict) -> str:
    """What every page shows. Not the day: pages that depend on it (upcoming meetings, current
    members, the month with today) carry it in their salt, so a new day re-renders only them."""
    digest = hashlib.sha1()
    digest.update(tree_digest([theme, *CODE_ROOTS]).encode())
    digest.update(json.dumps(settings_subset, sort_keys=True, default=str).encode())
    return digest.hexdigest()


class KeyTokens(dict):
    """(kind, id) -> a 128-bit number for what a page shows of it (stamp, URL), made once per
    build. A page's fingerprint adds up the numbers of what it depends on: no sorting and
    joining of strings for 120,000 pages (0.5 s at city scale)."""

    def __missing__(self, key):  # a deleted object
        return _token(key, None)


def _token(key, value) -> int:
    return int.from_bytes(hashlib.blake2b(f"{key[0]}\x1f{key[1]}\x1f{value!r}".encode(), digest_size=16).digest(),
                          "big")


def key_tokens(stamps: dict) -> KeyTokens:
    return KeyTokens((key, _token(key, value)) for key, value in stamps.items())


_MASK = (1 << 128) - 1


def page_fingerprints(global_fp: str, pages, tokens: KeyTokens) -> list[str | None]:
    """The fingerprint of each page given as (depends_on, salt), in one loop (120,000 pages at city
    scale). None where a page depends on everything: such pages are always rendered. `tokens`
    comes from key_tokens; a key without one (a deleted object) counts as None."""
    token, sha1, mask = tokens.__getitem__, hashlib.sha1, _MASK
    return [None if depends_on is None else
            sha1(f"{global_fp}\x1e{salt}\x1e{sum(map(token, depends_on)) & mask:032x}\x1e{len(depends_on)}"
                 .encode()).hexdigest()
            for depends_on, salt in pages]


def state_bytes(pages: dict[str, str | None], attachments: list[str], stand: str | None = None,
                site: str | None = None) -> bytes:
    """Every planned file with its fingerprint (None: always rendered) and the attachments:
    all that an overlay build keeps in output/ without writing it (ratsinfo/build.py). `site`: the
    site's fingerprint (site_fingerprint); when it changes, the search index folds its delta
    (plugins/search/delta.py: settings, theme, takedown ledger)."""
    return json_lines({"stand": stand, "pages": pages, "attachments": sorted(attachments),
                       "site": site}).encode("utf-8")


def object_tokens(graph, stamps: dict) -> KeyTokens:
    """A page shows of an object what its file holds, and links to its URL."""
    return key_tokens({key: (stamp, _url_of(graph, key)) for key, stamp in stamps.items()})


def _url_of(graph, key):
    kind, object_id = key
    obj = getattr(graph, FOLDERS[kind]).get(object_id)
    return obj.url if obj is not None and kind != "body" else None


def site_fingerprint(theme: Path, graph, site: dict, settings, site_subscribe, takedowns: str = "") -> str:
    """Everything every page shows besides its own objects (header, footer, settings).
    Not the footer's "Stand der Daten": a new one re-dates pages without rendering them.
    `takedowns`: what the ledger and the retention rules did (plugins/council/withhold.py); when
    that changes, every page is rendered again (only pages with other bytes are written)."""
    body = site["body"]
    shown = {
        "body": (body.name, graph.stamps.get(("body", body.id))) if body else None,
        "pages": [(p.title, p.url) for p in site["pages"]],
        "has_terms": site["has_terms"],
        # Whether there is a search page to link (plugins/search, PAGEFIND).
        "search_page": site.get("search_page"),
        "open_data": site.get("open_data"),
        # Whether the footer has a date at all: re-dating only replaces one date by another.
        "has_data_as_of": site["data_as_of"] is not None,
        "shard_threshold": (settings.get("SEARCH_SHARD_PAGES"), settings.get("SEARCH_BUNDLE_CHARS")),
        # The site's calendar and feed, linked on every page by the plugin that writes them.
        "site_subscribe": repr(site_subscribe),
        "takedowns": takedowns,
        "settings": {k: settings.get(k) for k in ("SITENAME", "PUBLIC_URL", "PUBLISH_CONTACT_DATA",
                                                  "TIMEZONE", "BASE_PATH", "RATSINFO_LANGUAGE",
                                                  "RATSINFO_TRANSLATIONS", "CALENDAR_PAST_DAYS",
                                                  "DATA_LICENCE")},
    }
    return global_fingerprint(theme, shown)
