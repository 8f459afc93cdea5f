"""Muldenau in one call: the council, its papers, meetings, agendas and documents.

`build_town()` is the demo as `ratsinfo demo` and `make html` show it;
`build_town(papers=N)` is the same town grown to city scale (city.py), for
the benchmarks. Each step of the demo draws from its own random stream,
seeded with a fixed string (random.Random hashes a str seed with SHA-512, not
with Python's salted hash()), so changing one step leaves the others as they
were.
"""

from __future__ import annotations

import random

from ratsinfo.demo.agenda import build_agendas
from ratsinfo.demo.city import build_city
from ratsinfo.demo.council import build_council
from ratsinfo.demo.documents import attach_documents
from ratsinfo.demo.meetings import build_calendar, schedule_papers
from ratsinfo.demo.model import Town
from ratsinfo.demo.papers import build_papers

SEED = "muldenau-2026"


def build_town(papers: int | None = None) -> Town:
    """The demo town; with `papers`, the same town at that scale (city.py)."""
    if papers is not None:
        return build_city(papers)

    def stream(step: str) -> random.Random:
        return random.Random(f"{SEED}/{step}")

    council = build_council(stream("council"))
    drafted = build_papers(council, stream("papers"))
    meetings = build_calendar(council, stream("calendar"))
    consultations = schedule_papers(drafted, stream("schedule"))
    agenda_items = build_agendas(meetings, consultations, stream("agenda"))
    files = attach_documents(council, drafted, meetings, stream("documents"))
    return Town(council, drafted, meetings, agenda_items, consultations, files)
