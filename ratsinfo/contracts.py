"""Every contract between the rooms, declared once (as Datasette's hookspecs.py declares its hooks).

- CONTEXT: the keys plugins hand each other through Pelican's shared context, each with its
  one writer, its readers and what it holds.
- Files under output/_ratsinfo/ (written by a build, read by the next build, the web server
  or ratsinfo/build.py) and under content/.ratsinfo/ (the importer's own, beside the content:
  no plugin reads them; what the portal needs of a run goes through the content format).
- PUBLIC: what a plugin may import from another plugin; everything else is that plugin's own.
- Settings are declared in ratsinfo/settings.py (docs/settings.md is generated from it), the
  content format in docs/content-format.md; neither is repeated here.

It lives in ratsinfo/, the bottom layer, because importers write some of these files and must
never import plugins. tests/test_contracts.py checks the code against it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Contract:
    name: str
    writer: str
    readers: tuple[str, ...]
    holds: str

    @property
    def writers(self) -> set[str]:
        """A list other plugins add to (council_extra_specs) names each of them: "a, b"."""
        return set(self.writer.split(", "))


def _declare(*contracts: Contract) -> dict[str, Contract]:
    return {c.name: c for c in contracts}


# Pelican's context: one dict every generator sees. Council's generate_context runs first
# (PLUGINS order), the OParl API's and feeds' next; generate_output runs after every generate_context.
CONTEXT = _declare(
    Contract("council_graph", "plugins.council", ("plugins.oparlapi", "plugins.opendata", "plugins.feeds",
                                                  "plugins.deploy"),
             "The object graph (plugins/council/graph.Graph) loaded from content/."),
    Contract("council_gone", "plugins.council", ("plugins.deploy",),
             "Portal paths of what the takedown ledger or a retention rule withholds (plugins/council/withhold.py): "
             "the server files answer them with 410 Gone."),
    Contract("council_body", "plugins.council", ("plugins.council", "plugins.feeds", "theme/templates/base.html"),
             "The first body (Body) or None: its name, source and licence for header, footer and calendar UIDs."),
    Contract("council_body_of", "plugins.council", ("theme/templates/base.html",),
             "The body's name as a German genitive (\"der Großen Kreisstadt Muldenau\") where the footer is German, "
             "else None (the footer then translates \"Öffentliche Ratsinformationen: %(body)s.\")."),
    Contract("portal_name", "plugins.council", ("plugins.oparlapi", "plugins.opendata", "plugins.feeds",
                                                "theme/templates"),
             "The portal's name: SITENAME, else the body's name, else \"Ratsinformation\"."),
    Contract("council_extra_specs", "plugins.feeds, plugins.opendata", ("plugins.council",),
             "PageSpecs other plugins add to the council's page plan (calendars, the Offene-Daten page), rendered "
             "and fingerprinted with it."),
    Contract("council_offers", "plugins.feeds", ("plugins.council",),
             "Object key -> {\"calendar\": path, \"feed\": path, \"webcal\": URL}: what an object's page offers to "
             "subscribe (webcal only with PUBLIC_URL)."),
    Contract("site_search", "plugins.search", ("plugins.council", "theme/templates"),
             "The search page's path when the site gets a search index (PAGEFIND), else absent: the council "
             "plans the page and templates link it only then."),
    Contract("oparl_api", "plugins.oparlapi", ("plugins.deploy", "plugins.opendata"),
             "The OParl API's folder (oparl) when this build writes one, else None: server files send it as JSON with CORS."),
    Contract("oparl_objects", "plugins.oparlapi", ("plugins.opendata",),
             "(objects, public address) of the API this build writes, else absent: objects() gives its Objects, "
             "made once in the writers' child process (plugins/background.share); the dumps take the same rows "
             "from Objects.by_type, a File's text included."),
    Contract("site_open_data", "plugins.opendata", ("plugins.council", "theme/templates/base.html"),
             "The \"Offene Daten\" page's path when plugins.opendata writes the dumps, else absent: the footer links it."),
    Contract("site_subscribe", "plugins.feeds", ("plugins.council", "theme/templates"),
             "The whole site's calendar and feed paths, linked on every page; only files that are written."),
)

@dataclass
class BuildReport:
    """Which path a build took, filled in as it runs: ratsinfo.build hands one in as the setting
    RATSINFO_REPORT and returns it in BuildResult.report, so that tests ask it and not the log."""

    overlay: bool = False               # ratsinfo.build: only what changed went into output/
    graph: str = ""                     # plugins.council: "snapshot" (edits copied onto it) or "loaded"
    plan: str = ""                      # plugins.council: "index" (the last full planning's) or "planned"
    replanned: int | None = None        # with plan "index": pages planned again
    rendered: int = 0                   # pages and calendars rendered (the re-dated ones not counted)
    written: int = 0                    # of those, with bytes that differ from before
    reused: int = 0                     # taken over from the previous output, re-dated ones included
    redated: int = 0                    # only their footer's date rendered anew
    bundles_indexed: int | None = None  # plugins.search: search bundles indexed (None: no index)
    bundles_kept: int | None = None     # search bundles taken over unchanged


# Pelican's own keys that our plugins touch: `pages` (read by council for the footer's links)
# and `staticfiles` (council drops linked files from it, plugins/council/links.py).
PELICAN_CONTEXT = ("pages", "staticfiles")

# What every page template gets besides CONTEXT and the page's own objects (PageSpec.context):
# written by CouncilGenerator when it renders, and by Pelican for its own pages.
RENDER_VARIABLES = ("root", "site", "page_path", "page_nav", "page", "pages", "SITEURL")

# What every template gets from pelicanconf.py's JINJA_GLOBALS: the URL scheme (plugins/urls.TEMPLATE_URLS).
TEMPLATE_GLOBALS = ("urls",)

# output/_ratsinfo/: what a build leaves for the next build and for the web server.
OUTPUT_STATE_DIR = "_ratsinfo"
BUILD_STATE = f"{OUTPUT_STATE_DIR}/build-state.json"
SEARCH_SHARDS = f"{OUTPUT_STATE_DIR}/search-shards.json"
SEARCH_STATE = f"{OUTPUT_STATE_DIR}/search-state.json"
PERMALINKS = f"{OUTPUT_STATE_DIR}/permalinks.json"
REDIRECTS = f"{OUTPUT_STATE_DIR}/redirects.json"
NOT_FOUND_SSI = f"{OUTPUT_STATE_DIR}/404.shtml"
NOT_FOUND_HTACCESS = f"{OUTPUT_STATE_DIR}/.htaccess"
OPARL_STATE = f"{OUTPUT_STATE_DIR}/oparl-state.json"
CHECKSUMS = f"{OUTPUT_STATE_DIR}/checksums.json"
OPENDATA_STATE = f"{OUTPUT_STATE_DIR}/opendata-state.json"
# pagefind/_delta/: the search index's delta bundle and its stale.json, or only the list saying
# there is none (plugins/search/delta.py);
# no bundle is named so (plugins/council/shards.py names them [a-z0-9-]).
SEARCH_DELTA = "_delta"

OUTPUT_FILES = _declare(
    Contract(BUILD_STATE, "plugins.council",
             ("plugins.council", "plugins.search", "plugins.feeds", "ratsinfo.build", "ratsinfo.publish"),
             "Every planned page with its fingerprint, the attachments and the data's day: what an overlay keeps."),
    Contract(SEARCH_SHARDS, "plugins.council", ("plugins.search",),
             "The search bundles and the pages of each, planned with the pages (plugins/council/shards.py)."),
    Contract(SEARCH_STATE, "plugins.search", ("plugins.search", "ratsinfo.build"),
             "Each bundle's page versions when it was indexed: unchanged bundles are not indexed again; "
             "the delta's pages, whether each has an entry in its main bundle, and those entries' ids."),
    Contract(PERMALINKS, "plugins.deploy", ("plugins.deploy", "ratsinfo.build"),
             "Object -> URL of this build; the next build compares to find moved pages."),
    Contract(REDIRECTS, "plugins.deploy", ("plugins.deploy", "ratsinfo.build"),
             "Old URL -> new URL, kept across builds; .htaccess and web.config redirect by it."),
    Contract(OPARL_STATE, "plugins.oparlapi", ("plugins.oparlapi", "ratsinfo.build"),
             "Each API object's created/modified and content hash, the tombstones of deleted ones, and every "
             "file of the API: an overlay keeps those the build did not write anew."),
    Contract(OPENDATA_STATE, "plugins.opendata", ("plugins.opendata",),
             "The fingerprint of the dumps' rows: the SQLite database is made again only when it changed."),
    Contract(NOT_FOUND_SSI, "plugins.deploy", ("Apache (output/.htaccess)",),
             "The 404 page for Apache, its links completed by mod_include with the path it is served under."),
    Contract(NOT_FOUND_HTACCESS, "plugins.deploy", ("Apache",),
             "Server-side includes for 404.shtml only (IncludesNOEXEC)."),
    Contract(CHECKSUMS, "ratsinfo.manifest", ("ratsinfo.manifest",),
             "Each file's SHA-256 with its size, mtime and inode: an unchanged file is not hashed again "
             "for SHA256SUMS (written last, after the site; the manifest lists it)."),
)

# content/.ratsinfo/: the importer's, beside the content it wrote (docs/content-format.md).
CONTENT_STATE_DIR = ".ratsinfo"
IMPORT_STATE = "state.json"
IMPORT_REPORT = "last-import-report.json"
IMPORT_LOCK = "import.lock"
# Before issue 15 the run note the footer's "Stand der Daten" came from; the next import deletes it.
LEGACY_IMPORT_FINISHED = "last-import.json"

# content/site.yaml: facts about the whole content set, part of the content format
# (docs/content-format.md), so a hand-written content/ can have them too. Written by
# importers.pipeline after every successful run, read by plugins.council as content.
SITE_FILE = "site.yaml"

CONTENT_FILES = _declare(
    Contract(IMPORT_STATE, "importers.content", ("importers.content",),
             "Id map and the files each run wrote, on disk (fsync) before content/ is touched."),
    Contract(IMPORT_REPORT, "importers.pipeline", ("the webmaster (ratsinfo import prints it)",),
             "What the source got wrong in the last successful run."),
    Contract(IMPORT_LOCK, "importers.content", ("importers.content",),
             "One import at a time per content folder (ratsinfo/locking.py)."),
    Contract("staging-*", "importers.content", ("importers.content",),
             "A run's staging folder; a killed run's is deleted by the next."),
    Contract("oparl-*.sqlite", "importers (before issue 13)", ("importers.oparl.remember",),
             "Legacy store: carried over into the private state folder (importers/state.py), then deleted."),
    Contract("sql-*.json", "importers (before issue 13)", ("importers.sql",),
             "Legacy store: deleted; the next run reads everything again."),
    Contract(LEGACY_IMPORT_FINISHED, "importers (before issue 15)", ("importers.pipeline",),
             "Legacy run note (now `data_as_of` in content/site.yaml): deleted by the next import."),
)

# What a plugin may import from another. plugins/common.py and plugins/urls.py are everyone's; the rest of a
# plugin is its own. The council's object model and its page plan are public: feeds render
# calendars and Atom feeds from the same objects and add its calendars to the same plan.
PUBLIC = {
    "plugins.common": {"FOLDERS", "site_today", "write_if_changed", "json_lines", "load_build_state"},
    # The URL scheme: every address a page, feed or server file names is built here.
    "plugins.urls": {"URL_FOLDERS", "HOME", "DATA_FOLDER", "OPEN_DATA", "SEARCH_PAGE", "SEARCH_INDEX", "CALENDAR", "NOT_FOUND", "page", "media",
                     "meeting_calendar", "agenda_anchor", "list_page", "year_list", "type_list", "numbered", "month", "search_bundle",
                     "absolute", "is_list_page_name", "RESERVED_PREFIX", "TEMPLATE_URLS"},
    "plugins.council.graph": {"Graph", "Body", "Term", "Organization", "Person", "Membership", "File",
                              "AgendaItem", "Meeting", "Consultation", "Paper",
                              "meeting_sort_key", "paper_sort_key"},
    # The change record (importers/changes.py) in the model: the feeds of changes read it.
    "plugins.council.history": {"Change", "Version", "MINUTES_ROLES"},
    "plugins.council.plan": {"PageSpec"},
    # Compiled templates in the user's cache: the server files' 404 page extends the pages' base.html.
    "plugins.council.render": {"template_cache"},
    # The dumps are the API's objects as tables: the same public view, made by the same code.
    "plugins.oparlapi.layout": {"SYSTEM", "FOLDER", "TYPES", "Urls"},
    "plugins.oparlapi.objects": {"Objects", "licence_url"},
    "plugins.council.depends": {"meeting_row_deps"},
    # The dumps keep their database's slots in the site's build cache (plugins/opendata/slots.py).
    "plugins.council.reuse.cache": {"cache_folder"},
    "plugins.i18n": {"UNTRANSLATED", "Extension", "translations_of", "install_translations", "load_translations",
                     "page_language"},
}
