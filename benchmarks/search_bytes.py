"""What a citizen's first search downloads, in real headless Chromium (Debian's).

The built site is served on 127.0.0.1 under a subpath (tests/support/browser.serve_site),
`suche.html#q=<word>` is opened in a fresh browser context (empty cache), and
once the results are shown and the network is idle, the response body sizes
of all requests are summed, split into the page itself (HTML, CSS, our JS),
Pagefind's code (JS, WebAssembly, entry file), the index (meta, index chunks,
filters) and the result fragments. The static server does not compress; the
index files are gzip-compressed by Pagefind already, the rest would shrink
further on a server that compresses.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, serve_site

PARTS = ("Seite", "Pagefind-Code", "Index", "Fragmente")


@dataclass
class SearchDownload:
    query: str
    results: str
    requests: int
    bytes_by_part: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.bytes_by_part.values())

    @property
    def pagefind_total(self) -> int:
        return sum(v for k, v in self.bytes_by_part.items() if k != "Seite")


def part_of(url: str) -> str:
    path = urlsplit(url).path
    if "/pagefind/" not in path:
        return "Seite"
    if path.endswith(".pf_fragment"):
        return "Fragmente"
    if path.endswith((".pf_index", ".pf_meta", ".pf_filter")):
        return "Index"
    return "Pagefind-Code"


def available() -> str | None:
    """None when the browser can run, else why not."""
    if not Path(CHROMIUM).is_file():
        return f"{CHROMIUM} fehlt (apt-get install chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Playwright fehlt im venv"
    return None


def first_search(site: Path, query: str) -> SearchDownload:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, serve_site(site, Path(tmp)) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            page = context.new_page()
            finished = []
            page.on("requestfinished", lambda request: finished.append(request))
            page.goto(f"{base}suche.html#q={quote(query)}", wait_until="load")
            # The result list (theme/static/js/search.js) has answered: not busy, the status says how many.
            page.wait_for_function(
                "document.querySelector('.search-results').getAttribute('aria-busy') === 'false'"
                " && document.querySelector('#suchstatus').textContent !== ''", timeout=120_000)
            page.wait_for_load_state("networkidle")
            message = page.inner_text("#suchstatus")
            download = SearchDownload(query, message.strip(), len(finished), {part: 0 for part in PARTS})
            for request in finished:
                download.bytes_by_part[part_of(request.url)] += request.sizes()["responseBodySize"]
            context.close()
            return download
        finally:
            browser.close()
