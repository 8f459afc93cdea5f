"""sitemap.xml (sitemaps.org 0.9) from the HTML pages in the output, and robots.txt."""

from __future__ import annotations

import json
import os
from pathlib import Path
from xml.etree import ElementTree as ET

from plugins.common import write_if_changed
from plugins.feeds.links import public_url
from plugins.urls import NOT_FOUND, SEARCH_PAGE, absolute
from ratsinfo.contracts import BUILD_STATE

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# The search page has no content of its own, the error page (plugins/deploy) is no page to
# find; Pagefind's files are not pages.
LEFT_OUT_PAGES = {SEARCH_PAGE, NOT_FOUND}
LEFT_OUT_FOLDERS = {"pagefind"}


def html_pages(output: Path) -> list[str]:
    """Every HTML page under `output`, as sorted paths relative to it with "/"."""
    pages = []
    for folder, subfolders, names in os.walk(output):
        relative = Path(folder).relative_to(output)
        if relative == Path("."):
            subfolders[:] = [d for d in subfolders if d not in LEFT_OUT_FOLDERS]
        # Staging and temporary files start with a dot (write_if_changed, ratsinfo.build).
        subfolders[:] = [d for d in subfolders if not d.startswith(".")]
        for name in names:
            path = (relative / name).as_posix()
            if name.endswith(".html") and not name.startswith(".") and path not in LEFT_OUT_PAGES:
                pages.append(path)
    return sorted(pages)


def sitemap(base: str, pages: list[str], lastmod: dict[str, str] | None = None) -> bytes:
    """`lastmod`: per page the day it last changed, where content says so (last_modified)."""
    ET.register_namespace("", SITEMAP_NS)
    root = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    for page in pages:
        url = ET.SubElement(root, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = absolute(base, page)
        if lastmod and page in lastmod:
            ET.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = lastmod[page]
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def last_modified(graph) -> dict[str, str]:
    """Per object page the day it last changed: the source's `modified` or the newest change the
    importer saw (importers/changes.py), whichever is later. From content, never the clock, so that
    two builds of the same content give the same sitemap."""
    days = {}
    for objects in (graph.meetings, graph.papers, graph.persons, graph.organizations, graph.files):
        for obj in objects.values():
            known = [obj.modified.date()] if obj.modified else []
            known += [c.seen for c in getattr(obj, "changes", []) if c.seen]
            if known:
                days[obj.url] = max(known).isoformat()
    return days


# Output folder -> what FeedsGenerator found for it (last_modified), for the sitemap written at the end.
_LASTMOD: dict[str, dict[str, str]] = {}


def note_last_modified(output: Path, graph):
    _LASTMOD[str(Path(output).resolve())] = last_modified(graph)


def robots(sitemap_url: str | None) -> bytes:
    """Everything public may be crawled; the sitemap is named only when we can give its address."""
    lines = ["User-agent: *", "Allow: /"]
    if sitemap_url:
        lines += ["", f"Sitemap: {sitemap_url}"]
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_sitemap(pelican):
    """Signal `finalized`: every generator has written its pages by now, whatever the PLUGINS order."""
    base = public_url(pelican.settings.get("PUBLIC_URL"))
    if base is None:
        return  # FeedsGenerator has warned already
    output = Path(pelican.output_path)
    lastmod = _LASTMOD.pop(str(output.resolve()), {})
    write_if_changed(output / "sitemap.xml",
                     sitemap(base, sorted(set(html_pages(output)) | planned_pages(output)), lastmod))


def planned_pages(output: Path) -> set[str]:
    """The council's pages, also those an overlay build left in the previous output (ratsinfo/build.py)."""
    try:
        pages = json.loads((output / BUILD_STATE).read_text(encoding="utf-8"))["pages"]
    except (OSError, ValueError, KeyError):
        return set()
    return {p for p in pages if p.endswith(".html") and p not in LEFT_OUT_PAGES}
