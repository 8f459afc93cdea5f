"""What the search index holds of a page, decided here and nowhere else: whether the page is
indexed, its bundle, the title a result shows, the date results sort by, the values one
can filter by, and what a result card says of the hit (Pagefind metadata).

The page plan (plan.py) hands each indexed page its `search` entry and shards.py groups pages
into bundles by it; the templates only print the entry (theme/templates/_search.html), and
Pagefind (plugins/search) reads what they printed. Only detail pages are indexed: lists and
navigation stay out of the results. Filter names are the portal's own texts (N_, translated
where printed); values are data and stay escaped like every source string.

It is part of the page plan room: it reads the model only, so that plugins/search, which
indexes the finished HTML, and the council's plan agree without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from plugins.council.format import N_
from plugins.urls import URL_FOLDERS

# The kinds whose pages are indexed (the page's template is named after its kind).
INDEXED = ("meeting", "paper", "file", "person", "organization")
# Kinds whose bundles are split by year in a big city; the others have one bundle each.
BY_YEAR = ("meeting", "paper", "file")


@dataclass(frozen=True)
class SearchEntry:
    title: str | None = None          # data-pagefind-meta title; None: Pagefind takes the <h1>
    shown_date: date | datetime | None = None  # the card's date (meta "datum"), in the page's language
    sort: str | None = None           # ISO date results sort by ("datum")
    # Filters whose value the page shows as text itself: the filter's name, or None; the template
    # marks the element that shows the value (the kind, a paper's type, a meeting's committees).
    kind_filter: str | None = N_("Art")
    type_filter: str | None = None
    committee_filter: str | None = None
    # Other filters: (name, value) in the order printed, as empty elements.
    filters: tuple = ()
    # Words weighted up, not shown: a paper's reference as single tokens (Paper.reference_tokens).
    # They are in the page's indexed text, so the search page leaves them out of excerpts.
    weighted: tuple = ()
    # What the result card says besides title and filters: (meta name, value) as Pagefind
    # metadata, e.g. a paper's number, the paper a document belongs to and its page's address.
    meta: tuple = ()


def moment(obj) -> date | datetime | None:
    return getattr(obj, "start", None) or getattr(obj, "date", None)


def bundle(obj) -> str:
    """The search bundle of an indexed object's page: "sitzungen-2024", "personen", … (shards.py)."""
    folder = URL_FOLDERS[obj.kind]
    if obj.kind not in BY_YEAR:
        return folder
    when = moment(obj)
    return f"{folder}-{when.year}" if when else f"{folder}-ohne-jahr"


def indexed_object(spec):
    """The object an indexed page is about, or None for a page that is not indexed."""
    if spec.template not in INDEXED or spec.depends_on is None:
        return None
    return spec.context.get(spec.template)


def entry(obj) -> SearchEntry:
    """What the index holds of `obj`'s page (made at render time: PageSpec.load)."""
    return _ENTRIES[obj.kind](obj)


def _year(when) -> tuple:
    return ((N_("Jahr"), when.year),) if when else ()


def _meeting(m) -> SearchEntry:
    return SearchEntry(m.title, m.start, m.start.date().isoformat() if m.start else None,
                       committee_filter=N_("Gremium"), filters=_year(m.start))


def _paper(p) -> SearchEntry:
    result = ((N_("Ergebnis"), p.latest_result),) if p.latest_result else ()
    filters = _year(p.date) + tuple((N_("Gremium"), o.name) for o in p.committees) + result
    meta = (("nummer", p.reference),) if p.reference else ()
    if p.reference_tokens:
        meta += (("suchwoerter", " ".join(p.reference_tokens)),)
    return SearchEntry(p.name, p.date, sort=p.date.isoformat() if p.date else None, type_filter=N_("Vorlagenart"),
                       filters=filters, weighted=tuple(p.reference_tokens), meta=meta)


def _file(f) -> SearchEntry:
    paper = f.papers[0] if f.papers else None
    meeting = f.meetings[0] if f.meetings else None
    if paper:
        title = f"{f.name} – {paper.reference + ' ' if paper.reference else ''}{paper.name}"
        # The card names and links the paper the document belongs to.
        meta = (("vorlage", paper.reference or paper.name), ("vorlage_url", paper.url))
    elif meeting:
        title = f"{f.name} – {meeting.title}"
        meta = (("sitzung", meeting.title), ("sitzung_url", meeting.url))
    else:
        title, meta = f.name, ()
    filters = _year(f.date) + tuple((N_("Gremium"), o.name) for o in (paper.committees if paper else []))
    return SearchEntry(title, f.date, sort=f.date.isoformat() if f.date else None, filters=filters, meta=meta)


def _titled_by_heading(obj) -> SearchEntry:
    return SearchEntry()


_ENTRIES = {"meeting": _meeting, "paper": _paper, "file": _file, "person": _titled_by_heading,
            "organization": _titled_by_heading}
