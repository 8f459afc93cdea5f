"""Muldenau in one call: the council, its papers, meetings, agendas and documents.

Each step draws from its own random stream, seeded with a fixed string
(random.Random hashes a str seed with SHA-512, not with Python's salted
hash()), so changing one step leaves the others as they were.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from ratsinfo.demo.agenda import build_agendas
from ratsinfo.demo.council import Council, build_council
from ratsinfo.demo.documents import attach_documents
from ratsinfo.demo.meetings import build_calendar, schedule_papers
from ratsinfo.demo.model import AgendaItem, Consultation, File, Meeting, Paper
from ratsinfo.demo.papers import build_papers

SEED = "muldenau-2026"


@dataclass
class Town:
    council: Council
    papers: list[Paper]
    meetings: list[Meeting]
    agenda_items: list[AgendaItem]
    consultations: list[Consultation]
    files: list[File]


def build_town() -> Town:
    def stream(step: str) -> random.Random:
        return random.Random(f"{SEED}/{step}")

    council = build_council(stream("council"))
    papers = build_papers(council, stream("papers"))
    meetings = build_calendar(council, stream("calendar"))
    consultations = schedule_papers(papers, stream("schedule"))
    agenda_items = build_agendas(meetings, consultations, stream("agenda"))
    files = attach_documents(council, papers, meetings, stream("documents"))
    return Town(council, papers, meetings, agenda_items, consultations, files)
