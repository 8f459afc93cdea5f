"""The page plan: which page shows which objects, with which template.

Each `PageSpec` names the objects it depends on, so that a build can later
render pages in parallel and re-render only those whose objects changed
(the issue "Fast at city scale"). Planning does no rendering and no I/O.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from plugins.council.graph import Graph, meeting_sort_key, paper_sort_key

HOME_MEETINGS = 8
HOME_PAPERS = 10


@dataclass
class PageSpec:
    path: str                      # output path relative to the site root
    template: str                  # template name without .html
    context: dict = field(default_factory=dict)
    # (kind, id) of every object whose change must re-render this page; None = depends on all.
    depends_on: frozenset | None = None
    # Context that is expensive to hold for all pages at once (document text), loaded at render time.
    load: Callable[[], dict] | None = None


def _deps(*objects) -> frozenset:
    return frozenset((o.kind, o.id) for o in objects if o is not None)


def paragraphs(f) -> list[str]:
    """The document text as paragraphs for the reading view."""
    text = f.read_text()
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def plan(graph: Graph, today: date) -> list[PageSpec]:
    pages: list[PageSpec] = []
    meetings = sorted(graph.meetings.values(), key=meeting_sort_key)
    papers = sorted(graph.papers.values(), key=paper_sort_key, reverse=True)
    upcoming = [m for m in meetings if m.start and m.start.date() >= today and not m.cancelled]
    persons = sorted(graph.persons.values(), key=lambda p: p.sort_key)
    organizations = sorted(graph.organizations.values(), key=lambda o: o.name.lower())

    pages.append(PageSpec("index.html", "home", {
        "upcoming": upcoming[:HOME_MEETINGS],
        "newest_papers": papers[:HOME_PAPERS],
        "committees": [o for o in organizations if o.category == "Gremien"],
    }))
    pages.append(PageSpec("suche.html", "search", {}, frozenset()))

    by_year = defaultdict(list)
    for meeting in reversed(meetings):
        by_year[meeting.start.year if meeting.start else None].append(meeting)
    pages.append(PageSpec("sitzungen/index.html", "meetings", {"by_year": list(by_year.items())}))
    for meeting in meetings:
        pages.append(PageSpec(meeting.url, "meeting", {"meeting": meeting}, _deps(meeting)))

    pages.append(PageSpec("vorlagen/index.html", "papers", {"papers": papers}))
    for paper in papers:
        pages.append(PageSpec(paper.url, "paper", {"paper": paper}, _deps(paper)))

    pages.append(PageSpec("personen/index.html", "persons", {"persons": persons, "today": today}))
    for person in persons:
        pages.append(PageSpec(person.url, "person", {"person": person, "today": today}, _deps(person)))

    groups = defaultdict(list)
    for org in organizations:
        groups[org.category].append(org)
    order = ["Gremien", "Ortschaftsräte", "Fraktionen", "Parteien", "Verwaltung"]
    pages.append(PageSpec("gremien/index.html", "organizations", {
        "groups": [(name, groups[name]) for name in order if groups.get(name)],
    }))
    for org in organizations:
        org_meetings = org.meetings
        pages.append(PageSpec(org.url, "organization", {
            "organization": org,
            "today": today,
            "upcoming": [m for m in org_meetings if m.start and m.start.date() >= today],
            "past": [m for m in reversed(org_meetings) if not (m.start and m.start.date() >= today)],
        }, _deps(org)))

    for f in graph.published_files():
        pages.append(PageSpec(f.url, "file", {"file": f}, _deps(f), load=lambda f=f: {"paragraphs": paragraphs(f)}))
    return pages
