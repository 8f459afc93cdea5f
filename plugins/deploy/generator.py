"""DeployGenerator: writes the web server files once the pages are known."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from markupsafe import Markup
from pelican.generators import Generator

from plugins.common import write_if_changed
from plugins.council.render import template_cache
from plugins.deploy import permalinks
from plugins.deploy.apache import api_htaccess, documents_htaccess, htaccess, not_found_htaccess
from plugins.deploy.headers import DOCUMENTS_FOLDER, NOT_FOUND_SSI_ROOT
from plugins.deploy.iis import web_config
from plugins.i18n import install_translations
from plugins.urls import NOT_FOUND
from ratsinfo.contracts import NOT_FOUND_HTACCESS, NOT_FOUND_SSI, PERMALINKS, REDIRECTS


def base_path(settings) -> str:
    """The absolute path the portal is served under ("/" or "/ratsinfo/"), as configured: for IIS,
    404.html and Apache without mod_rewrite, which cannot find it at run time."""
    configured = settings.get("BASE_PATH")
    if not configured and settings.get("PUBLIC_URL"):
        configured = urlsplit(settings["PUBLIC_URL"]).path
    path = "/" + (configured or "").strip("/")
    return path if path == "/" else path + "/"


class DeployGenerator(Generator):
    def generate_output(self, writer):
        graph = self.context.get("council_graph")
        if graph is None:
            # Without the graph there are no permalinks: a build would drop every redirect.
            raise RuntimeError("plugins.deploy braucht plugins.council (Adressen aller Objekte für Weiterleitungen "
                               "und 404-Seite): in PLUGINS plugins.council eintragen")
        output = Path(self.output_path)
        base = base_path(self.settings)
        previous = self.settings.get("RATSINFO_PREVIOUS_OUTPUT") or self.output_path
        links = permalinks.current_permalinks(graph)
        # Read once: the last build's permalinks are a city's 100,000 objects.
        moves = permalinks.moves(Path(previous) if previous else None, links)
        live = set(links.values())
        moved = permalinks.redirects(moves, live)
        # Withheld on request (plugins/council/withhold.py): 410, unless the address is a page again.
        # What an earlier build found withheld stays gone: once the import applies the ledger too,
        # the object (and so its address) is no longer in content/ for this build to find.
        gone = (set(self.context.get("council_gone") or ()) | read_gone(previous)) - live
        # An address that used to lead to a withheld page is gone with it (read back next time too).
        gone = sorted(gone | permalinks.moved_to(moves, live, gone))

        self.env.autoescape = True
        install_translations(self.env, self.settings)  # the 404 page speaks RATSINFO_LANGUAGE too
        if self.settings.get("RATSINFO_CACHE", True):
            # Compiling 404.html and base.html took longer than the rest of this generator.
            self.env.bytecode_cache = template_cache(self.env)
        not_found = self.get_template("404")
        page = not_found.render({**self.context, "root": base, "site": {}})
        write_if_changed(output / NOT_FOUND, page.encode("utf-8"))
        # The same page for Apache, whose links get the run-time path from mod_include.
        page = not_found.render({**self.context, "root": Markup(NOT_FOUND_SSI_ROOT), "site": {}})
        write_if_changed(output / NOT_FOUND_SSI, page.encode("utf-8"))
        write_if_changed(output / NOT_FOUND_HTACCESS, not_found_htaccess().encode("utf-8"))
        write_if_changed(output / PERMALINKS, permalinks.serialise(links))
        write_if_changed(output / REDIRECTS, permalinks.serialise(moved))
        write_if_changed(output / ".htaccess", htaccess(base, moved, gone).encode("utf-8"))
        write_if_changed(output / DOCUMENTS_FOLDER / ".htaccess", documents_htaccess().encode("utf-8"))
        api = self.context.get("oparl_api")  # the API's folder, when this build writes one
        if api:
            write_if_changed(output / api / ".htaccess", api_htaccess().encode("utf-8"))
        write_if_changed(output / "web.config", web_config(base, moved, api, gone).encode("utf-8"))



GONE_RULE = re.compile(r"^  RewriteRule \^(.+)\$ - \[G,L\]$", re.MULTILINE)


def read_gone(previous: str | None) -> set[str]:
    """The addresses the last build answered with 410, read back from its .htaccess (apache.htaccess
    writes them with re.escape). Not a list file of its own: everything in output/ but the server
    files is served, and the addresses of withheld papers carry their reference."""
    if not previous:
        return set()
    try:
        text = (Path(previous) / ".htaccess").read_text(encoding="utf-8")
    except OSError:
        return set()
    return {re.sub(r"\\(.)", r"\1", escaped) for escaped in GONE_RULE.findall(text)}
