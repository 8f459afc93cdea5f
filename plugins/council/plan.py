"""The page plan: which page shows which objects, with which template.

Each `PageSpec` names the objects it depends on, so that a build can later
render pages in parallel and re-render only those whose objects changed
(the issue "Fast at city scale"). Planning does no rendering and no I/O.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Callable

from plugins.council.depends import (file_deps, keys_of, meeting_deps, meeting_row_deps, organization_deps, paper_deps,
                                     paper_row_deps, person_deps)
from plugins import urls
from plugins.council.document_text import reading_view
from plugins.council.factions import council_seats
from plugins.council.graph import Graph, meeting_sort_key, paper_sort_key, slugify
from plugins.council.months import month_key, months_between, weeks
from plugins.council.diffs import histories
from plugins.council.search_entries import entry

HOME_MEETINGS = 8
HOME_PAPERS = 10
PAGE_SIZE = 50
ORGANIZATION_GROUPS = ["Gremien", "Ortschaftsräte", "Fraktionen", "Parteien", "Verwaltung"]


@dataclass
class PageSpec:
    path: str                      # output path relative to the site root
    template: str                  # template name without .html
    context: dict = field(default_factory=dict)
    # (kind, id) of every object whose change must re-render this page; None = depends on all.
    depends_on: frozenset | None = None
    # Context that is expensive to hold for all pages at once (document text, the search entry),
    # made at render time from the page's context.
    load: Callable[[dict], dict] | None = None
    # What the page shows besides its objects (page counts, year lists): part of its fingerprint.
    salt: str = ""
    # A file that is not a template page (a calendar): its bytes, made at render time.
    produce: Callable[[], bytes] | None = None
    # Which part of the plan made it (SECTIONS below), to plan it again alone.
    section: str = ""

    @property
    def nav(self) -> str | None:
        """The list page of the main navigation's entry the page is under (base.html marks it):
        a document under its paper's section, a meeting's own document (an invitation, minutes)
        under the meetings, as its breadcrumbs (file.html) say."""
        if self.template == "file":
            return _document_nav(self.context)
        return NAV_OF_TEMPLATE.get(self.template)


@dataclass
class Pager:
    """Where a paginated list is, for the template's page navigation."""

    number: int
    count: int
    urls: list[str]

    @property
    def previous_url(self) -> str | None:
        return self.urls[self.number - 2] if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.urls[self.number] if self.number < self.count else None


def paginated(base: str, template: str, items: list, context: dict) -> list[PageSpec]:
    """`base`.html, `base`-seite-2.html, … with PAGE_SIZE items each."""
    chunks = [items[i:i + PAGE_SIZE] for i in range(0, len(items), PAGE_SIZE)] or [[]]
    paths = [urls.numbered(base, n) for n in range(1, len(chunks) + 1)]
    return [
        PageSpec(path, template, {**context, "items": chunk, "pager": Pager(n, len(chunks), paths)},
                 paper_row_deps(chunk), salt=repr((sorted(context.items()), len(chunks))))
        for n, (path, chunk) in enumerate(zip(paths, chunks), start=1)
    ]


def initial(name: str) -> str:
    """A–Z letter for the persons index (Ä → A, anything else → #)."""
    letter = unicodedata.normalize("NFD", name[:1].upper())[:1]
    return letter if "A" <= letter <= "Z" else "#"


def plan(graph: Graph, today: date, data_as_of=None, only: dict[str, str] | None = None,
         offers: dict | None = None, search_page: str | None = None) -> list[PageSpec]:
    """Every page of the site; with `only` ({path: section}, as PageSpec.section), just those:
    the sections they are in are planned as in a whole plan and the rest left out (papers' and
    documents' pages are made one by one), so that the specs are the same. `offers`: per object
    key what its page offers to subscribe, from the plugin that writes it (plugins/feeds), as
    `subscribe` in the page's context and its salt: a page links only files that were written.
    `search_page`: where the search page goes, if the site gets a search index (plugins/search)."""
    offers = offers or {}
    wanted = set(only.values()) if only is not None else set(SECTIONS)
    meetings = sorted(graph.meetings.values(), key=meeting_sort_key)
    upcoming = [m for m in meetings if m.start and m.start.date() >= today and not m.cancelled]
    papers = sorted(graph.papers.values(), key=paper_sort_key, reverse=True) if wanted & {"home", "paper-lists"} else []
    organizations = sorted(graph.organizations.values(), key=lambda o: o.name.lower())
    pages = []
    if "home" in wanted:
        committees = [o for o in organizations if o.category == "Gremien"]
        pages.append(PageSpec(urls.HOME, "home", {
            "upcoming": upcoming[:HOME_MEETINGS], "newest_papers": papers[:HOME_PAPERS],
            "committees": committees, "data_as_of": data_as_of,
        }, meeting_row_deps(upcoming[:HOME_MEETINGS]) | paper_row_deps(papers[:HOME_PAPERS]) | keys_of(*committees),
            # It shows the time of the import (every footer shows the day); today decides what is upcoming.
            salt=repr((today, data_as_of))))
        if search_page:
            # It lists the search bundles, known only after planning: the generator adds them as salt.
            pages.append(PageSpec(search_page, "search", {}, frozenset()))
    sections = [
        ("meetings", lambda: _meeting_pages(meetings, upcoming, today, offers, only)),
        ("calendar", lambda: _calendar_pages(meetings, today, offers)),
        ("paper-lists", lambda: _paper_list_pages(papers)),
        ("persons", lambda: _person_pages(sorted(graph.persons.values(), key=lambda p: p.sort_key), today)),
        ("organizations", lambda: _organization_pages(organizations, today, offers)),
        ("terms", lambda: _term_pages(graph, meetings)),
    ]
    for name, planned in sections:
        if name in wanted:
            pages += planned()
    if only is None:
        paper_pages = [paper_page(p) for p in papers]  # the whole plan: `papers` holds them all, sorted
        # Each paper's dependencies were just worked out for its page; its documents reuse them.
        by_paper = {spec.context["paper"]: spec.depends_on for spec in paper_pages}
        pages += paper_pages + [file_page(f, by_paper.__getitem__) for f in graph.published_files()]
    else:
        by_url = {o.url: o for o in graph.papers.values()} if "papers" in wanted else {}
        by_url.update({f.url: f for f in graph.published_files()} if "files" in wanted else {})
        pages += [paper_page(o) if o.kind == "paper" else file_page(o) for o in
                  (by_url.get(path) for path, section in only.items() if section in ("papers", "files")) if o]
    for page in pages:
        page.section = page.section or SECTION_OF_TEMPLATE.get(page.template, "home")
    return pages if only is None else [page for page in pages if page.path in only]


# The parts of a plan, by what they need to be planned (see `plan`).
SECTIONS = ("home", "meetings", "calendar", "paper-lists", "papers", "persons", "organizations", "terms", "files")
SECTION_OF_TEMPLATE = {
    "meetings": "meetings", "meetings_year": "meetings", "meeting": "meetings", "calendar": "calendar",
    "papers": "paper-lists", "papers_list": "paper-lists", "paper": "papers", "persons": "persons",
    "person": "persons", "organizations": "organizations", "organization": "organizations",
    "terms": "terms", "term": "terms", "file": "files",
}


def _document_nav(context: dict) -> str:
    document = context["file"]
    return urls.list_page("meeting" if document.meetings and not document.papers else "paper")


# The main navigation's entries (theme/templates/base.html) by the list page they link.
NAV_OF_TEMPLATE = {
    "calendar": urls.CALENDAR, "search": urls.SEARCH_PAGE,
    **dict.fromkeys(("meetings", "meetings_year", "meeting"), urls.list_page("meeting")),
    **dict.fromkeys(("papers", "papers_list", "paper", "file"), urls.list_page("paper")),
    **dict.fromkeys(("organizations", "organization", "terms", "term"), urls.list_page("organization")),
    **dict.fromkeys(("persons", "person"), urls.list_page("person")),
}


def paper_page(paper) -> PageSpec:
    return PageSpec(paper.url, "paper", {"paper": paper}, paper_deps(paper), load=_paper_extra)


def file_page(f, deps_of_paper=paper_deps) -> PageSpec:
    return PageSpec(f.url, "file", {"file": f}, file_deps(f, deps_of_paper), load=_file_text)


def _search(kind: str, context: dict) -> dict:
    """What the search index holds of the page (search_entries.py), made when it is rendered."""
    return {"search": entry(context[kind])}


def _paper_extra(context: dict) -> dict:
    """The search entry, and its documents' earlier versions with what changed (diffs.py)."""
    paper = context["paper"]
    return {"histories": histories([paper.main_file, *paper.auxiliary_files]), **_search("paper", context)}


def _meeting_extra(context: dict) -> dict:
    """The search entry, and earlier versions of the meeting's own documents (invitation, minutes)."""
    meeting = context["meeting"]
    return {"histories": histories([f for _, f in meeting.documents]), **_search("meeting", context)}


def _file_text(context: dict) -> dict:
    file = context["file"]
    ocr_pages = file.ocr_pages if file.redacted_text is None else ()  # a redacted text is the clerk's
    return {"text_pages": reading_view(file.read_text(), ocr_pages), **_search("file", context)}


def _meeting_pages(meetings, upcoming, today, offers, only=None) -> list[PageSpec]:
    """The meetings' lists and pages; with `only` (see `plan`), of the meetings' own pages only those
    asked for: each is planned from its meeting alone, and working out the dependencies of every
    meeting was half of planning again the few pages one edit needs."""
    by_year = defaultdict(list)
    for meeting in meetings:
        by_year[meeting.start.year if meeting.start else 0].append(meeting)
    years = sorted((y for y in by_year if y), reverse=True)
    # Each committee that met links its page, where all its meetings are, past ones too.
    committees = _by_committee(meetings)
    pages = [PageSpec(urls.list_page("meeting"), "meetings", {
        "upcoming": upcoming, "years": years, "undated": by_year.get(0, []),
        "committees": [(org, len(held)) for org, held in committees if org],
    }, meeting_row_deps(upcoming + by_year.get(0, [])) | keys_of(*(org for org, _ in committees)),
        salt=repr((years, today, [(org.id, len(held)) for org, held in committees if org])))]
    for year in years:
        # A year's meetings by committee, each committee's in the order they met.
        pages.append(PageSpec(urls.year_list("meeting", year) + ".html", "meetings_year", {
            "year": year, "meetings": by_year[year], "years": years, "by_committee": _by_committee(by_year[year]),
        }, meeting_row_deps(by_year[year]), salt=repr(years)))
    for meeting in meetings if only is None else [m for m in meetings if m.url in only]:
        offer = offers.get(meeting.key)
        pages.append(PageSpec(meeting.url, "meeting", {"meeting": meeting, "subscribe": offer}, meeting_deps(meeting),
                              salt=repr(offer), load=_meeting_extra))
    return pages


def _by_committee(meetings) -> list[tuple]:
    """[(committee, its meetings)] by the committee's name; meetings of none last (committee None)."""
    groups = defaultdict(list)
    for meeting in meetings:
        groups[meeting.organizations[0] if meeting.organizations else None].append(meeting)
    return sorted(groups.items(), key=lambda item: (item[0] is None, item[0].name.lower() if item[0] else "", item[0].id if item[0] else ""))


def _calendar_pages(meetings, today, offers) -> list[PageSpec]:
    dated = [m for m in meetings if m.start]
    first = min([m.start.date() for m in dated] + [today])
    last = max([m.start.date() for m in dated] + [today])
    months = months_between(first, last)
    by_month = defaultdict(list)
    for meeting in dated:
        by_month[month_key(meeting.start.date())].append(meeting)
    months_at = {month_key(m): urls.month(month_key(m)) for m in months}
    # Each month view can be narrowed to one committee in the browser (theme/static/js/calendar.js).
    committees = sorted({o for m in dated for o in m.organizations}, key=lambda o: o.name.lower())
    # What "abonnieren" links when the filter narrows the month to one committee (plugins/feeds).
    calendars = {o.id: offers[o.key] for o in committees if o.key in offers and offers[o.key].calendar}
    years = sorted({m.year for m in months}, reverse=True)
    pages = []
    for index, month in enumerate(months):
        context = {
            "month": month, "weeks": weeks(month, by_month[month_key(month)]), "today": today,
            "previous_url": months_at[month_key(months[index - 1])] if index else None,
            "next_url": months_at[month_key(months[index + 1])] if index + 1 < len(months) else None,
            "years": [(y, months_at[month_key(date(y, 1, 1))] if month_key(date(y, 1, 1)) in months_at
                       else months_at[month_key(min(m for m in months if m.year == y))]) for y in years],
            "meetings": by_month[month_key(month)],
            "committees": committees,
            "calendars": calendars,
            # The month's committees with a short name, explained under the calendar.
            "abbreviations": sorted({o for m in by_month[month_key(month)] for o in m.organizations[:1]
                                     if o.short_name and o.short_name != o.name}, key=lambda o: o.short_name.lower()),
        }
        # The month's meetings, and every committee, since each is a choice in the filter.
        deps = meeting_row_deps(context["meetings"]) | keys_of(*committees)
        # Only the month with today in it marks a day.
        marked = today if (month.year, month.month) == (today.year, today.month) else None
        salt = repr((context["previous_url"], context["next_url"], context["years"], [o.id for o in committees], marked,
                     sorted(calendars.items())))
        pages.append(PageSpec(months_at[month_key(month)], "calendar", context, deps, salt=salt))
        if month.year == today.year and month.month == today.month:
            pages.append(PageSpec(urls.CALENDAR, "calendar", context, deps, salt=salt))
    return pages


def _paper_list_pages(papers) -> list[PageSpec]:
    by_year, by_type = defaultdict(list), defaultdict(list)
    for paper in papers:
        by_year[paper.date.year if paper.date else 0].append(paper)
        by_type[paper.paper_type or ""].append(paper)  # "": without a type (the page says so in its language)
    years = sorted((y for y in by_year if y), reverse=True)
    types = sorted(by_type, key=lambda t: (t == "", t.lower()))  # those without a type last
    type_urls = _type_urls(by_type)
    context = {
        "newest": papers[:PAGE_SIZE],
        "years": [(y, len(by_year[y]), urls.year_list("paper", y) + ".html") for y in years],
        "types": [(t, len(by_type[t]), type_urls[t] + ".html") for t in types],
    }
    pages = [PageSpec(urls.list_page("paper"), "papers", context, paper_row_deps(papers[:PAGE_SIZE]),
                      salt=repr((context["years"], context["types"])))]
    for year in years:
        pages += paginated(urls.year_list("paper", year), "papers_list", by_year[year], {"year": year})
    for paper_type in types:
        pages += paginated(type_urls[paper_type], "papers_list", by_type[paper_type], {"paper_type": paper_type})
    return pages


def _type_urls(by_type: dict[str, list]) -> dict[str, str]:
    """`vorlagen/art-<slug>` per paper type. Types that differ only in case or punctuation
    (Anfrage, ANFRAGE) have one slug: the type whose oldest paper is oldest keeps the plain
    address, as it had it before the other came; the others add a short hash of their name."""
    by_slug = defaultdict(list)
    for paper_type, papers in by_type.items():  # papers newest first: [-1] is the oldest
        # Without a type first: "ohne" was always its address.
        by_slug[slugify(paper_type) or "ohne"].append((paper_type != "", paper_sort_key(papers[-1]), paper_type))
    paths = {}
    for slug, claims in by_slug.items():
        for rank, (_, _, paper_type) in enumerate(sorted(claims)):
            suffix = "" if rank == 0 else "-" + hashlib.sha1(paper_type.encode("utf-8")).hexdigest()[:6]
            paths[paper_type] = urls.type_list(slug + suffix)
    return paths


def _person_pages(persons, today) -> list[PageSpec]:
    letters = defaultdict(list)
    for person in persons:
        letters[initial(person.family_name or person.name)].append(person)
    pages = [PageSpec(urls.list_page("person"), "persons", {
        "letters": sorted(letters.items()), "today": today,
    }, frozenset().union(*(person_deps(p) for p in persons)), salt=repr(today))]
    # Today decides which memberships are current.
    for person in persons:
        pages.append(PageSpec(person.url, "person", {
            "person": person, "today": today,
            "current_memberships": [m for m in person.memberships if m.is_current(today)],
            "past_memberships": [m for m in person.memberships if not m.is_current(today)],
        }, person_deps(person), salt=repr(today), load=partial(_search, "person")))
    return pages


def _organization_pages(organizations, today, offers) -> list[PageSpec]:
    groups = defaultdict(list)
    for org in organizations:
        groups[org.category].append(org)
    pages = [PageSpec(urls.list_page("organization"), "organizations", {
        "groups": [(name, groups[name]) for name in ORGANIZATION_GROUPS if groups.get(name)],
    }, keys_of(*organizations))]
    for org in organizations:
        offer = offers.get(org.key)
        pages.append(PageSpec(org.url, "organization", {
            "organization": org,
            "subscribe": offer,
            "today": today,
            "upcoming": [m for m in org.meetings if m.start and m.start.date() >= today],
            "past": [m for m in reversed(org.meetings) if not (m.start and m.start.date() >= today)],
            "current_members": [m for m in org.memberships if m.is_current(today)],
            "former_members": [m for m in org.memberships if not m.is_current(today)],
            # The council's page shows its seats by Fraktion; a Fraktion's, its motions and questions.
            "seats": council_seats(org, today) if org.is_council else None,
            "is_faction": org.category == "Fraktionen",
        }, organization_deps(org), salt=repr((today, offer)), load=partial(_search, "organization")))
    return pages


def _term_pages(graph: Graph, meetings) -> list[PageSpec]:
    terms = sorted(graph.terms.values(), key=lambda t: t.start_date or date.min, reverse=True)
    if not terms:
        return []
    pages = [PageSpec(urls.list_page("term"), "terms", {"terms": terms}, keys_of(*terms))]
    memberships = [m for person in graph.persons.values() for m in person.memberships]
    for term in terms:
        inside = [
            m for m in meetings if m.start
            and (term.start_date is None or m.start.date() >= term.start_date)
            and (term.end_date is None or m.start.date() <= term.end_date)
        ]
        # The term's committees: those that met in it, and those with members in it (a term
        # before the first published meeting still shows who sat in which committee).
        by_org = defaultdict(lambda: {"meetings": 0, "members": set()})
        for meeting in inside:
            for org in meeting.organizations[:1]:
                by_org[org]["meetings"] += 1
        members = [m for m in memberships if m.organization.category != "Verwaltung"
                   and (term.start_date is None or m.end_date is None or m.end_date >= term.start_date)
                   and (term.end_date is None or m.start_date is None or m.start_date <= term.end_date)]
        for membership in members:
            by_org[membership.organization]["members"].add(membership.person)
        by_year = defaultdict(int)
        for meeting in inside:
            by_year[meeting.start.year] += 1
        organizations = [(org, counts["meetings"], len(counts["members"]))
                         for org, counts in sorted(by_org.items(), key=lambda item: item[0].name.lower())]
        years = [(year, count, urls.year_list("meeting", year) + ".html") for year, count in sorted(by_year.items())]
        pages.append(PageSpec(term.url, "term", {
            "term": term, "meeting_count": len(inside), "organizations": organizations, "years": years,
        }, keys_of(term, *inside, *(o for m in inside for o in m.organizations[:1]),
                   *(m.organization for m in members), *(m.person for m in members))))
    return pages
