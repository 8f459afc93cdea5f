"""Reading a built site the way a browser and a crawler would."""

from __future__ import annotations

import gzip
import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

SUBSCRIPTIONS = (".ics", ".atom")


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (tag, url)

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append((tag, value))


def links_of(page: Path) -> list[tuple[str, str]]:
    parser = LinkParser()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.links


def internal_target(site: Path, page: Path, url: str) -> Path | None:
    """The file a relative link points to, or None for external and anchor-only links."""
    parts = urlsplit(url)
    if parts.scheme or url.startswith("#") or url.startswith("//"):
        return None
    base = "/" + page.relative_to(site).as_posix()
    resolved = urlsplit(urljoin(base, parts.path)).path.lstrip("/")
    target = site / resolved
    return target / "index.html" if target.is_dir() else target


def pagefind_fragments(site: Path) -> list[dict]:
    """Decode every Pagefind fragment (gzip, then a 'pagefind_dcd' signature, then JSON)."""
    fragments = []
    for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(b"pagefind_dcd"), path
        fragments.append(json.loads(raw[len(b"pagefind_dcd"):]))
    return fragments


def searched_fragments(site: Path) -> list[dict]:
    """The index as the search page sees it: every bundle's fragments but the entries the delta
    marks stale (pagefind/_delta/stale.json, plugins/search/delta.py), plus the delta's own. The
    files themselves (pagefind_fragments) still hold the stale entries until the fold."""
    index = site / "pagefind"
    stale_file = index / "_delta" / "stale.json"
    # Without a delta the list says null (a site built before lists were written has no file).
    stale = set(json.loads(stale_file.read_text(encoding="utf-8"))["stale"] or ()) if stale_file.is_file() else set()
    fragments = []
    for path in sorted(index.rglob("*.pf_fragment")):
        if path.stem in stale and path.parent.parent.name != "_delta":
            continue
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(b"pagefind_dcd"), path
        fragments.append(json.loads(raw[len(b"pagefind_dcd"):]))
    return fragments


class _HrefParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.base: str | None = None

    def handle_starttag(self, tag, attrs):
        hrefs = [value for name, value in attrs if name == "href" and value]
        if tag == "base":
            self.base = self.base or (hrefs[0] if hrefs else None)
        else:
            self.links += hrefs


def subscription_links(site: Path, base_path: str) -> dict[str, set[str]]:
    """Per page (relative path) the calendars and feeds it links, as paths relative to the site.
    Links are resolved as a browser does for the page served under `base_path` (the error page
    is served for any address, so it may link from `base_path` or set a <base>)."""
    found = {}
    for page in sorted(site.rglob("*.html")):
        relative = page.relative_to(site).as_posix()
        if relative.startswith("pagefind/"):
            continue
        parser = _HrefParser()
        parser.feed(page.read_text(encoding="utf-8"))
        address = urljoin(base_path + relative, parser.base or "")
        paths = [unquote(urlsplit(urljoin(address, link)).path)
                 for link in parser.links if urlsplit(link).path.endswith(SUBSCRIPTIONS)]
        targets = {p.removeprefix(base_path) if p.startswith(base_path) else "(außerhalb) " + p for p in paths}
        if targets:
            found[relative] = targets
    return found
