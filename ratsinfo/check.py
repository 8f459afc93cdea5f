"""`ratsinfo check`: broken internal links and anchors in a built site, files that share an
address on a server that ignores case (IIS, Windows shares), and files that differ from what the
build wrote (SHA256SUMS, ratsinfo/manifest.py: a mirror checks its copy). Problems a site can go
online with, but should not for long (no Impressum, no public address, no SHA256SUMS), are warnings."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from ratsinfo.contracts import OUTPUT_STATE_DIR
from ratsinfo.manifest import MANIFEST, verify_manifest

SKIP_FOLDERS = {"pagefind", OUTPUT_STATE_DIR}
# Pages a German public body's site must have (TMG/DDG § 5, DSGVO Art. 13), by the slug of the
# hand-written page in content/pages/ (PAGE_SAVE_AS "seiten/{slug}.html"). A town may name its
# page longer ("datenschutzerklaerung"): any slug that starts with the word counts.
LEGAL_PAGES = {"impressum": "Impressum", "datenschutz": "Datenschutz"}
PLACEHOLDER = "BITTE AUSFÜLLEN"


class CheckFailed(Exception):
    """The folder cannot be checked at all (missing, or not a built portal): an error, not a finding."""


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
    # Files not as the build wrote them (path, why), by SHA256SUMS; and how many were compared.
    checksums: list[tuple[str, str]] = field(default_factory=list)
    files: int = 0
    # Things to fix before long that do not make the site wrong (legal pages, public address).
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.broken and not self.collisions and not self.checksums


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


def missing_legal_pages(site: Path) -> list[str]:
    """The slugs of LEGAL_PAGES that the built site in `site` has no page for."""
    folder = Path(site) / "seiten"
    names = [p.name for p in folder.glob("*.html")] if folder.is_dir() else []
    return [slug for slug in LEGAL_PAGES if not any(name.startswith(slug) for name in names)]


def legal_page_advice(slug: str, pages: Path = Path("content", "pages")) -> str:
    """What the webmaster reads when a legal page is missing: which file to write, and how."""
    title = LEGAL_PAGES[slug]
    return (f"Keine Seite {title}: Das Portal sollte nicht ohne {title} online gehen. Die Datei "
            f"{pages / (slug + '.md')} anlegen, beginnend mit den Zeilen \"Title: {title}\" und "
            f"\"Slug: {slug}\", darunter der Text; dann neu bauen.")


def unfilled_pages(site: Path) -> list[str]:
    """Hand-written pages of the built site that still hold the fill-in marker of `ratsinfo init`'s
    templates (ratsinfo/site_templates): an Impressum that names no publisher is no Impressum."""
    folder = Path(site) / "seiten"
    pages = sorted(folder.glob("*.html")) if folder.is_dir() else []
    return [page.name for page in pages if PLACEHOLDER in page.read_text(encoding="utf-8", errors="replace")]


def unfilled_page_advice(name: str, pages: Path = Path("content", "pages")) -> str:
    source = pages / (Path(name).stem + ".md")
    return (f"Die Seite seiten/{name} ist noch eine Vorlage (enthält „{PLACEHOLDER}“): {source} ausfüllen, "
            f"den Absatz mit „{PLACEHOLDER}“ löschen, dann neu bauen.")


def page_warnings(site: Path, pages: Path = Path("content", "pages")) -> list[str]:
    """Legal pages missing from the built site, and hand-written pages still holding init's marker;
    each says which file in `pages` to write. The build says the same (ratsinfo/build.py)."""
    return ([legal_page_advice(slug, pages) for slug in missing_legal_pages(site)]
            + [unfilled_page_advice(name, pages) for name in unfilled_pages(site)])


def site_warnings(site: Path) -> list[str]:
    warnings = page_warnings(site)
    # The feeds plugin writes sitemap.xml exactly when PUBLIC_URL is set (plugins/feeds/sitemap.py),
    # and an overlay or a fresh build removes it when the setting goes: the file is the setting's trace.
    if not (site / "sitemap.xml").is_file():
        warnings.append(
            "Keine öffentliche Adresse (PUBLIC_URL): Ohne sie fehlen sitemap.xml und die Atom-Feeds, "
            "Kalender enthalten keine Links. In ratsinfo.toml die Adresse setzen, unter der das Portal "
            'erreichbar ist, z. B. PUBLIC_URL = "https://ratsinfo.stadt.example/", dann neu bauen.')
    return warnings


def portal_folder(site: Path) -> Path:
    """`site` resolved, or CheckFailed when it is no built portal: a check of nothing must not pass."""
    resolved = Path(site).resolve()
    if not resolved.is_dir():
        raise CheckFailed(f"Den Ordner {site} gibt es nicht (oder es ist kein Ordner). Den Ausgabeordner "
                          f"eines Builds angeben, z. B. ratsinfo check --output output")
    if not (resolved / "index.html").is_file():
        raise CheckFailed(f"Im Ordner {site} liegt kein gebautes Portal (keine index.html). Erst bauen "
                          f"(ratsinfo build), dann den Ausgabeordner prüfen.")
    return resolved


NO_MANIFEST = (f"Keine Prüfsummenliste {MANIFEST}: Die Ausgabe stammt von einem älteren oder abgebrochenen Build. "
               f"Neu bauen (ratsinfo build); dann prüft ratsinfo check auch, ob jede Datei so ist, wie sie gebaut wurde.")


def check_site(site: Path, limit: int = 1000, checksums: bool = True) -> CheckResult:
    """`checksums=False` skips reading every file against SHA256SUMS (right after a build, which
    wrote it: at city scale gigabytes)."""
    site = portal_folder(site)
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

    result = CheckResult(pages=len(pages), collisions=case_collisions(site), warnings=site_warnings(site))
    verified = verify_manifest(site) if checksums else (0, [])
    if verified is None:
        result.warnings.append(NO_MANIFEST)
    else:
        result.files, result.checksums = verified
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
            if verified is None and target_path == MANIFEST:
                continue  # the Offene-Daten page's link to it: NO_MANIFEST says it once
            if not target.is_file() or not target.resolve().is_relative_to(site):
                result.broken.append((relative, link, "Ziel fehlt"))
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in parse(target).ids:
                result.broken.append((relative, link, "Anker fehlt"))
            if len(result.broken) >= limit:
                return result
    return result
