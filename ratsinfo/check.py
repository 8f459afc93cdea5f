"""`ratsinfo check`: broken internal links and anchors in a built site, and files that share an
address on a server that ignores case (IIS, Windows shares)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

SKIP_FOLDERS = {"pagefind", "_ratsinfo"}


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("id", "name") and value:
                self.ids.add(value)
            if name in ("href", "src") and value is not None and tag != "base":
                self.links.append(value)


@dataclass
class CheckResult:
    pages: int = 0
    links: int = 0
    broken: list[tuple[str, str, str]] = field(default_factory=list)  # (page, link, why)
    # Two files whose paths differ only in case: one replaces the other on IIS or a Windows share.
    collisions: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.broken and not self.collisions


def case_collisions(site: Path) -> list[tuple[str, str]]:
    """Pairs of files (sorted) whose paths are equal ignoring case, outside the search index."""
    seen: dict[str, str] = {}
    found = []
    for folder, dirs, files in os.walk(site):
        relative = os.path.relpath(folder, site)
        if relative == ".":
            dirs[:] = [d for d in dirs if d not in SKIP_FOLDERS]
        for name in files:
            path = name if relative == "." else f"{relative}/{name}".replace(os.sep, "/")
            other = seen.setdefault(path.lower(), path)
            if other != path:
                found.append(tuple(sorted((other, path))))
    return sorted(found)


def check_site(site: Path, limit: int = 1000) -> CheckResult:
    site = Path(site).resolve()
    pages = sorted(
        p for p in site.rglob("*.html")
        if not SKIP_FOLDERS & set(p.relative_to(site).parts[:1]) and p.name != "404.html"
    )
    parsed: dict[Path, _PageParser] = {}

    def parse(path: Path) -> _PageParser:
        if path not in parsed:
            parser = _PageParser()
            parser.feed(path.read_text(encoding="utf-8", errors="replace"))
            parsed[path] = parser
        return parsed[path]

    result = CheckResult(pages=len(pages), collisions=case_collisions(site))
    for page in pages:
        relative = page.relative_to(site).as_posix()
        for link in parse(page).links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                continue  # external, mailto:, data:
            result.links += 1
            if link.startswith("/"):
                result.broken.append((relative, link, "absoluter Pfad (bricht unter Unterpfaden)"))
                continue
            target_path = unquote(urlsplit(urljoin("/" + relative, parts.path)).path).lstrip("/")
            target = site / target_path if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file() or not target.resolve().is_relative_to(site):
                result.broken.append((relative, link, "Ziel fehlt"))
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in parse(target).ids:
                result.broken.append((relative, link, "Anker fehlt"))
            if len(result.broken) >= limit:
                return result
    return result
