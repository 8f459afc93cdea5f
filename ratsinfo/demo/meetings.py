"""The Sitzungskalender and which paper is heard in which meeting.

Meeting states follow REFERENCE_DATE, never the clock: before it a meeting
has taken place, within the Ladungsfrist after it the invitation is out,
later it is only scheduled. Papers are placed into the first meeting of each
Gremium on their path that is late enough and still has room on its agenda.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from ratsinfo.demo import names
from ratsinfo.demo.council import Council
from ratsinfo.demo.model import Consultation, Meeting, Organization, Paper
from ratsinfo.demo.papers import FIRST_HEARING_DAYS
from ratsinfo.demo.timeline import (
    INVITATION_DAYS, PROTOCOL_DAYS, REFERENCE_DATE, at, committee_days, ortschaftsrat_days,
    stadtrat_days,
)

# Room for papers on one agenda, so that agendas stay between 5 and 15 items.
PAPER_SLOTS = {"Parlament": 8, "Ausschuss": 7, "Ortschaftsrat": 5}
START_HOUR = {"Parlament": 16, "Ausschuss": 17, "Ortschaftsrat": 19}
# Sessions of the current term held before January 2025 (it began in August 2024).
EARLIER_SESSIONS = {"Parlament": 4, "Ausschuss": 2, "Ortschaftsrat": 1}
# A Stadtrat that postpones a matter does so at this rate.
POSTPONE_RATE = 0.06


def state_of(meeting: Meeting) -> str:
    day = meeting.start.date()
    if day < REFERENCE_DATE and not meeting.cancelled:
        return "durchgeführt"
    if day - timedelta(days=INVITATION_DAYS) <= REFERENCE_DATE:
        return "eingeladen"
    return "terminiert"


def invitation_day(meeting: Meeting) -> date:
    """When the Ladung went out; for meetings still far off, when their agenda last grew."""
    ladung = meeting.start.date() - timedelta(days=INVITATION_DAYS)
    if ladung <= REFERENCE_DATE:
        return ladung
    papers = [i.consultation.paper.day for i in meeting.agenda_items if i.consultation]
    return max([meeting.created.date(), *papers])


def protocol_day(meeting: Meeting) -> date:
    return min(meeting.start.date() + timedelta(days=PROTOCOL_DAYS), REFERENCE_DATE)


def genitive(name: str) -> str:
    """"Ausschuss für Bau" → "des Ausschusses für Bau"; all our Gremien are masculine."""
    words = name.split(" ")
    for index, word in enumerate(words):
        if word.endswith(("ausschuss", "Ausschuss", "rat")):
            words[index] = word + "es"
            break
    return "des " + " ".join(words)


def meeting_name(meeting: Meeting) -> str:
    return f"{meeting.sequence}. Sitzung {genitive(meeting.organization.name)}"


def build_calendar(council: Council, rng: random.Random) -> list[Meeting]:
    planned: list[tuple[datetime, Organization]] = []
    for day in stadtrat_days():
        planned.append((at(day, START_HOUR["Parlament"]), council.stadtrat))
    for key, _name, _short, weekday in names.AUSSCHUESSE:
        for day in committee_days(weekday, rng):
            planned.append((at(day, START_HOUR["Ausschuss"]), council.committees[key]))
    for index, ortschaftsrat in enumerate(council.ortschaftsraete.values()):
        for day in ortschaftsrat_days(index):
            planned.append((at(day, START_HOUR["Ortschaftsrat"], 30 * (index % 2)),
                            ortschaftsrat))
    planned.sort(key=lambda entry: (entry[0], entry[1].number))
    meetings = []
    for start, organization in planned:
        sequence = EARLIER_SESSIONS[organization.classification] + len(organization.meetings) + 1
        meeting = Meeting(len(meetings) + 1, organization, sequence, start,
                          organization.location or council.rathaus)
        # The Sitzungskalender of a year is adopted in the November before.
        meeting.created = at(start.date().replace(year=start.year - 1, month=11, day=12), 9)
        organization.meetings.append(meeting)
        meetings.append(meeting)
    _cancel_one(meetings, rng)
    return meetings


def _cancel_one(meetings: list[Meeting], rng: random.Random):
    """One committee meeting in 2025 was called off for want of business."""
    candidates = [m for m in meetings if m.organization.classification == "Ausschuss"
                  and m.start.year == 2025 and m.start.month in (3, 4, 5, 6)]
    rng.choice(candidates).cancelled = True


def schedule_papers(papers: list[Paper], rng: random.Random) -> list[Consultation]:
    """Give every paper its consultations, in the order the papers were dated."""
    consultations: list[Consultation] = []
    load: dict[int, int] = {}
    for paper in sorted(papers, key=lambda p: (p.day, p.number)):
        _schedule(paper, consultations, load, rng)
    return consultations


def _schedule(paper: Paper, consultations: list[Consultation], load: dict[int, int],
              rng: random.Random):
    earliest = hearing_start = paper.day + timedelta(days=FIRST_HEARING_DAYS)
    steps = list(paper.path)
    while steps:
        organization, role, authoritative = steps[0]
        # Ortschaftsräte are heard side by side, each in its own next meeting.
        side_by_side = organization.classification == "Ortschaftsrat"
        meeting = _next_free_meeting(organization, hearing_start if side_by_side else earliest,
                                     load)
        if meeting is None:
            return  # The Sitzungskalender ends here: the paper is still on its way.
        load[meeting.number] = load.get(meeting.number, 0) + 1
        consultation = Consultation(len(consultations) + 1, paper, organization, role,
                                    authoritative, meeting)
        consultations.append(consultation)
        paper.consultations.append(consultation)
        next_day = meeting.start.date() + timedelta(days=2)
        if side_by_side:
            earliest = max(earliest, next_day)
        else:
            earliest = hearing_start = next_day
        # A postponed matter comes back in the Gremium's next meeting.
        consultation.postponed = (role == "Entscheidung" and state_of(meeting) == "durchgeführt"
                                  and rng.random() < POSTPONE_RATE)
        if not consultation.postponed:
            steps.pop(0)


def _next_free_meeting(organization: Organization, earliest, load: dict[int, int]):
    slots = PAPER_SLOTS[organization.classification]
    for meeting in organization.meetings:
        if (meeting.start.date() >= earliest and not meeting.cancelled
                and load.get(meeting.number, 0) < slots):
            return meeting
    return None
