"""Reading a built site the way a browser and a crawler would."""

from __future__ import annotations

import gzip
import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit


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
