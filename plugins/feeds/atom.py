"""New papers as Atom feeds (RFC 4287), serialised by xml.etree.

Not feedgenerator (which Pelican brings): it writes every summary as type="html", so a
paper title with markup would become markup in the feed reader, and it falls back to the
clock for missing dates. Here every text is type="text" and every date comes from content.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from xml.etree import ElementTree as ET

from plugins.council.graph import Organization, Paper, paper_sort_key
from plugins.feeds.ical import BERLIN, german, in_berlin

ATOM = "http://www.w3.org/2005/Atom"
NEWEST = 50
# `updated` is required; a feed or paper with no date at all gets this fixed moment.
NO_DATE = datetime(2000, 1, 1, tzinfo=BERLIN)


@dataclass
class Feed:
    id: str            # tag URI, see tag_uri
    url: str           # absolute URL of the feed itself, its self link
    title: str
    page: str          # absolute URL of the matching HTML page
    author: str


def tag_uri(domain: str, name: str) -> str:
    """Atom ids (RFC 4151 tag URIs) from our stable ids, not from page URLs: a paper's page
    may move (e.g. to its reference as slug) without readers seeing it as new."""
    return f"tag:{domain},2000:{name}"


def paper_updated(paper: Paper) -> datetime:
    if paper.date:
        return datetime.combine(paper.date, time(), BERLIN)
    starts = [in_berlin(c.meeting.start) for c in paper.consultations if c.meeting and c.meeting.start]
    return min(starts) if starts else NO_DATE


def newest(papers) -> list[Paper]:
    return sorted(papers, key=paper_sort_key, reverse=True)[:NEWEST]


def committees(paper: Paper) -> list[Organization]:
    """The organizations that consult the paper, in the order of its consultations."""
    found: list[Organization] = []
    for c in paper.consultations:
        for org in c.organizations + (c.meeting.organizations if c.meeting else []):
            if org not in found:
                found.append(org)
    return found


def papers_by_organization(papers) -> dict[Organization, list[Paper]]:
    """Per organization the papers it directs or consults (also in a meeting of it), in input order."""
    found: dict[Organization, list[Paper]] = {}
    for paper in papers:
        for org in dict.fromkeys(paper.under_direction_of + committees(paper)):
            found.setdefault(org, []).append(paper)
    return found


def summary(paper: Paper, gettext=german) -> str:
    parts = [paper.paper_type or gettext("Vorlage")]
    if paper.under_direction_of:
        parts.append(gettext("Federführung: %(names)s") % {"names": ", ".join(o.name for o in paper.under_direction_of)})
    consulting = committees(paper)
    if consulting:
        parts.append(gettext("Beratung: %(names)s") % {"names": ", ".join(o.name for o in consulting)})
    return ". ".join(parts)


def _text(parent, tag: str, text: str, **attrs) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    element.text = text
    return element


def _link(parent, href: str, rel: str):
    ET.SubElement(parent, f"{{{ATOM}}}link", {"rel": rel, "href": href})


def atom_feed(feed: Feed, papers: list[Paper], page_url, domain: str, gettext=german, language: str = "de") -> bytes:
    """`papers` newest first; `page_url(paper)` gives the absolute link of its page."""
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": language})
    _text(root, "id", feed.id)
    _text(root, "title", feed.title, type="text")
    updated = max((paper_updated(p) for p in papers), default=NO_DATE)
    _text(root, "updated", updated.isoformat())
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    _text(author, "name", feed.author)
    _link(root, feed.url, "self")
    _link(root, feed.page, "alternate")
    for paper in papers:
        entry = ET.SubElement(root, f"{{{ATOM}}}entry")
        link = page_url(paper)
        _text(entry, "id", tag_uri(domain, f"vorlage-{paper.id}"))
        _text(entry, "title", " ".join(filter(None, [paper.reference, paper.name])), type="text")
        _text(entry, "updated", paper_updated(paper).isoformat())
        _link(entry, link, "alternate")
        _text(entry, "summary", summary(paper, gettext), type="text")
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
