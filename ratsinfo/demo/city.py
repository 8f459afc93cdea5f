"""Muldenau at city scale: the demo town grown to N papers, for benchmarks.

One knob, `papers`; everything else follows in proportion to a big German
city at N = 60,000 (FULL_SCALE): 20 years, 60 organizations, 15,000 meetings,
about 150,000 files. Organizations and persons keep a floor, because even a
small council has a Stadtrat, committees and factions. Agenda items have public
and non-public parts, consultations put papers on agendas, persons hold
memberships per legislative term.

The town is made of the same objects as the demo (model.py) and written by the
same OParl writer (oparl.py, dump.py) under the same addresses. Only the
documents differ: a File carries a word count and keywords instead of a PDF,
and the writer draws its text from prose.py into OParl's `File.text`, because
150,000 PDFs would take longer to make than the import takes to read them.
"""

from __future__ import annotations

import bisect
import random
from datetime import date, datetime, timedelta

from ratsinfo.demo import city_names as words
from ratsinfo.demo import names
from ratsinfo.demo.council import Council
from ratsinfo.demo.meetings import invitation_day, protocol_day
from ratsinfo.demo.model import (
    AgendaItem, Consultation, File, LegislativeTerm, Location, Meeting, Organization, Paper, Person, Topic, Town,
)
from ratsinfo.demo.prose import Prose
from ratsinfo.demo.timeline import REFERENCE_DATE, at

SEED = "muldenau-city"
FULL_SCALE = {"papers": 60_000, "meetings": 15_000, "organizations": 60, "persons": 900}
MINIMUM = {"meetings": 20, "organizations": 12, "persons": 60}
START = date(2007, 1, 1)
END = date(2026, 12, 31)          # 20 years
TERM_STARTS = (date(2004, 8, 1), date(2009, 8, 1), date(2014, 8, 1), date(2019, 8, 1), date(2024, 8, 1))
# Meetings per organization, relative: the Stadtrat meets most, advisory councils least.
MEETING_WEIGHT = {"Stadtrat": 3.0, "Ausschuss": 2.0, "Stadtbezirksbeirat": 1.0, "Beirat": 0.6}


def scaled_counts(papers: int) -> dict[str, int]:
    """How many papers, meetings, organizations and persons a town of `papers` papers has."""
    share = papers / FULL_SCALE["papers"]
    counts = {"papers": papers}
    for name in ("meetings", "organizations", "persons"):
        counts[name] = max(MINIMUM[name], round(FULL_SCALE[name] * share))
    return counts


class CityBuilder:
    def __init__(self, papers: int):
        self.rng = random.Random(SEED)
        self.counts = scaled_counts(papers)
        self.council = Council(terms=[])
        self.meetings: list[Meeting] = []
        self.papers: list[Paper] = []
        self.consultations: list[Consultation] = []
        self.agenda_items: list[AgendaItem] = []
        self.files: list[File] = []
        self.meeting_days: dict[Organization, list[date]] = {}
        self.heard: dict[Meeting, list[Consultation]] = {}

    def build(self) -> Town:
        self._terms_and_rooms()
        self._organizations()
        self._persons_and_memberships()
        self._meetings()
        self._papers()
        self._agendas()
        self._meeting_files()
        return Town(self.council, self.papers, self.meetings, self.agenda_items, self.consultations,
                    self.files, prose=Prose(f"{SEED}/prose"))

    # -- structure ---------------------------------------------------------

    def _terms_and_rooms(self):
        for index, start in enumerate(TERM_STARTS):
            last = index + 1 == len(TERM_STARTS)
            end = date(2029, 7, 31) if last else TERM_STARTS[index + 1] - timedelta(days=1)
            self.council.terms.append(LegislativeTerm(index + 1, f"Wahlperiode {start.year}–{end.year}", start, end))
        self.council.locations += [Location(index + 1, f"Rathaus {names.TOWN}, {room}", "Hauptmarkt 1", room)
                                   for index, room in enumerate(words.ROOMS)]

    def _organizations(self):
        n = self.counts["organizations"]
        committees = max(4, round(0.35 * n))
        districts = max(2, round(0.2 * n))
        factions = max(3, round(0.12 * n))
        advisory = max(1, round(0.1 * n))
        admin = max(1, n - 1 - committees - districts - factions - advisory)
        add = self._add_organization
        self.stadtrat = add("Stadtrat", "SR", "Gremium", "Stadtrat", self.council.rathaus)
        self.committees = [add(_numbered(words.COMMITTEES, i, "Ausschuss"), f"A{i + 1}", "Gremium", "Ausschuss")
                           for i in range(committees)]
        self.districts = [add(f"Stadtbezirksbeirat {_numbered(words.DISTRICTS, i, 'Bezirk')}", f"SBB{i + 1}",
                              "Gremium", "Stadtbezirksbeirat") for i in range(districts)]
        self.factions = [add(f"Fraktion {_numbered(words.FACTIONS, i, 'Liste')}", f"F{i + 1}", "Fraktion",
                             "Fraktion") for i in range(factions)]
        self.advisory = [add(_numbered(words.ADVISORY, i, "Beirat"), f"B{i + 1}", "Gremium", "Beirat")
                         for i in range(advisory)]
        self.admin = [add(f"Amt {10 + 3 * i}", f"Amt {10 + 3 * i}", "Verwaltungsbereich", "Amt")
                      for i in range(admin)]

    def _add_organization(self, name, short, organization_type, classification, location=None) -> Organization:
        organizations = self.council.organizations
        org = Organization(len(organizations) + 1, short.lower(), name, short, organization_type, classification,
                           start_date=TERM_STARTS[0], location=location)
        organizations.append(org)
        self.meeting_days[org] = []
        return org

    def _persons_and_memberships(self):
        rng, persons = self.rng, self.council.persons
        for number in range(1, self.counts["persons"] + 1):
            gender = rng.choice(("female", "male"))
            given = rng.choice(names.FEMALE_GIVEN_NAMES if gender == "female" else names.MALE_GIVEN_NAMES)
            persons.append(Person(number, given, rng.choice(names.FAMILY_NAMES), gender,
                                  email=f"person{number}@{names.TOWN.lower()}.example"))
        unused = iter(persons)

        def fresh() -> Person:
            return next(unused, None) or rng.choice(persons)

        member = self.council.add_membership
        seats = min(70, max(20, len(persons) // 8))
        councillors: dict[Person, Organization] = {}
        for term in self.council.terms:
            start, end = term.start_date, None if term is self.council.terms[-1] else term.end_date
            kept = rng.sample(list(councillors), k=int(0.6 * len(councillors)))
            councillors = {p: councillors[p] for p in kept}
            while len(councillors) < seats:
                councillors[fresh()] = rng.choice(self.factions)
            for person, faction in councillors.items():
                member(person, self.stadtrat, "Mitglied", start, end, True, faction)
                member(person, faction, "Mitglied", start, end, True)
                for committee in rng.sample(self.committees, k=rng.choice((1, 2))):
                    member(person, committee, "Mitglied", start, end, True, faction)
            for committee in self.committees:
                for _ in range(2):
                    member(fresh(), committee, "sachkundiger Einwohner", start, end, False)
            for district in self.districts:
                for _ in range(7):
                    member(fresh(), district, "Mitglied", start, end, True, rng.choice(self.factions))
            for board in self.advisory:
                for _ in range(5):
                    member(fresh(), board, "Mitglied", start, end, True)
        for organization in self.council.organizations:
            organization.post = tuple(sorted({m.role for m in organization.memberships}))

    # -- meetings and papers -----------------------------------------------

    def _meetings(self):
        rng = self.rng
        hosts = ([(self.stadtrat, "Stadtrat")] + [(c, "Ausschuss") for c in self.committees]
                 + [(d, "Stadtbezirksbeirat") for d in self.districts] + [(a, "Beirat") for a in self.advisory])
        total_weight = sum(MEETING_WEIGHT[kind] for _, kind in hosts)
        per_host = [max(1, round(self.counts["meetings"] * MEETING_WEIGHT[kind] / total_weight)) for _, kind in hosts]
        per_host[0] += self.counts["meetings"] - sum(per_host)
        span = (END - START).days
        planned: list[tuple[datetime, Organization]] = []
        for (org, _), count in zip(hosts, per_host):
            spacing = span / count
            for i in range(count):
                day = START + timedelta(days=int((i + rng.random()) * spacing))
                while day.weekday() > 3:  # Monday to Thursday
                    day += timedelta(days=1)
                planned.append((at(day, rng.choice((16, 17, 18))), org))
        planned.sort(key=lambda item: (item[0], item[1].number))
        for start, org in planned:
            room = self.council.locations[0 if org is self.stadtrat else rng.randint(1, len(words.ROOMS) - 1)]
            meeting = Meeting(len(self.meetings) + 1, org, len(org.meetings) + 1, start, room)
            # The Sitzungskalender of a year is adopted in the November before, as in the demo.
            meeting.created = at(date(start.year - 1, 11, 12), 9)
            if start.date() < REFERENCE_DATE:
                meeting.end = start + timedelta(hours=3)
            org.meetings.append(meeting)
            self.meeting_days[org].append(start.date())
            self.heard[meeting] = []
            self.meetings.append(meeting)

    def _papers(self):
        rng = self.rng
        last_day = REFERENCE_DATE - timedelta(days=14)
        days = sorted(START + timedelta(days=rng.randint(0, (last_day - START).days))
                      for _ in range(self.counts["papers"]))
        weights = [t[2] for t in words.PAPER_TYPES]
        sequence: dict[tuple[str, int], int] = {}
        for day in days:
            paper_type, prefix, _ = rng.choices(words.PAPER_TYPES, weights=weights)[0]
            sequence[(prefix, day.year)] = sequence.get((prefix, day.year), 0) + 1
            title = rng.choice(words.TOPICS).format(
                street=rng.choice(names.STREETS), facility=rng.choice(words.FACILITIES),
                district=rng.choice(words.DISTRICTS), number=rng.randint(1, 400), year=day.year + rng.choice((0, 1)))
            topic = Topic("", title, "", [], "")
            paper = Paper(len(self.papers) + 1, f"{prefix}/{day.year}/{sequence[(prefix, day.year)]:04d}",
                          paper_type, day, topic, title, rng.choice(self.admin))
            if paper_type == "Antrag":
                paper.originator_organization = rng.choice(self.factions)
            elif paper_type == "Anfrage":
                paper.originator_person = rng.choice(self.council.persons)
            self._paper_links(paper)
            self._paper_files(paper)
            paper.path = self._route(paper_type)
            self._consult(paper)
            self.papers.append(paper)

    def _paper_links(self, paper: Paper):
        earlier = self.papers
        if len(earlier) > 100 and self.rng.random() < 0.05:
            parent = self.rng.choice(earlier[-200:])
            paper.superordinated = parent
            parent.subordinated.append(paper)
        if len(earlier) > 100 and self.rng.random() < 0.05:
            other = self.rng.choice(earlier[-500:])
            paper.related.append(other)
            other.related.append(paper)

    def _paper_files(self, paper: Paper):
        keywords = tuple(w.strip("„“:,.") for w in paper.name.split() if len(w) > 4)
        base = paper.reference.replace("/", "-")
        paper.main_file = self._file(f"Vorlage {paper.reference}", f"{base}.pdf", paper.day,
                                     self.rng.randint(250, 600), keywords)
        paper.main_file.papers.append(paper)
        for i in range(self.rng.choice((0, 1, 2))):
            attachment = self._file(f"Anlage {i + 1} – {self.rng.choice(words.ATTACHMENTS)}",
                                    f"{base}_Anlage_{i + 1}.pdf", paper.day, self.rng.randint(150, 400), keywords)
            attachment.papers.append(paper)
            paper.auxiliary_files.append(attachment)

    def _file(self, name: str, file_name: str, day: date, count: int, keywords: tuple[str, ...]) -> File:
        file = File(len(self.files) + 1, name, file_name, day, b"", words=count, keywords=keywords)
        self.files.append(file)
        return file

    def _route(self, paper_type: str) -> list[tuple[Organization, str, bool]]:
        """Which organizations consult a paper, in order: (organization, role, authoritative)."""
        rng = self.rng
        if paper_type == "Beschlussvorlage":
            route = []
            if rng.random() < 0.3:
                route.append((rng.choice(self.districts), "Anhörung", False))
            route += [(c, "Vorberatung", False) for c in rng.sample(self.committees, k=rng.choice((1, 2)))]
            if rng.random() < 0.6:
                route.append((self.stadtrat, "Entscheidung", True))
            else:
                route[-1] = (route[-1][0], "Entscheidung", True)
            return route
        if paper_type == "Informationsvorlage":
            route = [(rng.choice(self.committees), "Kenntnisnahme", False)]
            return route + ([(self.stadtrat, "Kenntnisnahme", False)] if rng.random() < 0.4 else [])
        if paper_type == "Antrag":
            return [(rng.choice(self.committees), "Vorberatung", False), (self.stadtrat, "Entscheidung", True)]
        if paper_type == "Anfrage":
            return [(self.stadtrat, "Kenntnisnahme", False)] if rng.random() < 0.5 else []
        return [(rng.choice(self.districts), "Anhörung", False)]

    def _consult(self, paper: Paper):
        after = paper.day + timedelta(days=self.rng.randint(7, 21))
        for org, role, authoritative in paper.path:
            index = bisect.bisect_left(self.meeting_days[org], after)
            if index >= len(org.meetings):
                return
            meeting = org.meetings[index]
            consultation = Consultation(len(self.consultations) + 1, paper, org, role, authoritative, meeting)
            paper.consultations.append(consultation)
            self.heard[meeting].append(consultation)
            self.consultations.append(consultation)
            after = meeting.start.date() + timedelta(days=7)

    # -- agendas and meeting documents -------------------------------------

    def _agendas(self):
        rng = self.rng
        for meeting in self.meetings:
            entries = [("Eröffnung und Feststellung der Beschlussfähigkeit", None),
                       ("Bestätigung der Niederschrift der letzten Sitzung", None)]
            entries += [(c.paper.name, c) for c in sorted(self.heard[meeting], key=lambda c: c.paper.number)]
            entries.append(("Informationen und Anfragen", None))
            for label_number, (name, consultation) in enumerate(entries, start=1):
                self._item(meeting, f"Ö {label_number}", name, True, consultation)
            for label_number in range(1, rng.choice((0, 1, 1, 2, 3)) + 1):
                name = rng.choice(words.NON_PUBLIC_TOPICS).format(
                    street=rng.choice(names.STREETS), facility=rng.choice(words.FACILITIES))
                self._item(meeting, f"N {label_number}", name, False, None)

    def _item(self, meeting: Meeting, label: str, name: str, public: bool, consultation: Consultation | None):
        item = AgendaItem(len(self.agenda_items) + 1, meeting, label, len(meeting.agenda_items), name, public,
                          category=None if public else name.split(" ")[0], consultation=consultation)
        if consultation is not None:
            consultation.agenda_item = item
            if meeting.held:
                if consultation.role in ("Kenntnisnahme", "Anhörung"):
                    item.result = "zur Kenntnis genommen"
                elif consultation.authoritative:
                    item.result = self.rng.choice(words.RESULTS)
                    item.resolution_text = f"Der {meeting.organization.name} beschließt: {consultation.paper.name}."
                else:
                    item.result = "empfohlen"
        meeting.agenda_items.append(item)
        self.agenda_items.append(item)

    def _meeting_files(self):
        for meeting in self.meetings:
            keywords = tuple(w for item in meeting.agenda_items if item.public for w in item.name.split() if len(w) > 4)
            stem = f"Sitzung_{meeting.number}"
            meeting.invitation = self._file("Einladung", f"{stem}_Einladung.pdf", invitation_day(meeting),
                                            self.rng.randint(150, 300), keywords[:40])
            meeting.invitation.meetings.append(meeting)
            if meeting.held:
                meeting.results_protocol = self._file("Niederschrift", f"{stem}_Niederschrift.pdf",
                                                      protocol_day(meeting), self.rng.randint(400, 800), keywords[:40])
                meeting.results_protocol.meetings.append(meeting)


def _numbered(vocabulary: tuple[str, ...], index: int, fallback: str) -> str:
    return vocabulary[index] if index < len(vocabulary) else f"{fallback} {index + 1}"


def build_city(papers: int) -> Town:
    """The town at the scale of `papers` papers."""
    return CityBuilder(papers).build()
