"""A synthetic big city as an OParl 1.1 dump, for benchmarks at city scale.

    python -m benchmarks.synthetic_city --papers 2000 --out build/bench/dump

One knob, `--papers N`; everything else follows in proportion to a big German
city at N = 60,000 (FULL_SCALE): 20 years, 60 organizations, 15,000 meetings,
about 150,000 files. Organizations and persons keep a floor, because even a
small council has a Stadtrat, committees and factions. Agenda items have public
and non-public parts, consultations put papers on agendas, persons hold
memberships per legislative term. Every File carries its text (OParl
`File.text`), so no PDFs are needed: the importer stores the text as it is.

The dump has the layout of `ratsinfo demo` (ratsinfo/demo/dump.py): System at
`system.json`, the body list at `bodies.json`, the body's lists at
`bodies/1/meetings.json`, `bodies/1/meetings?page=2.json`, … Objects are not
stored under their own id: the importer reads everything from the lists.
tests/support/oparl_server.DumpServer serves it over loopback HTTP.
"""

from __future__ import annotations

import argparse
import bisect
import json
import random
from datetime import date, datetime, time, timedelta
from pathlib import Path

from benchmarks import synthetic_oparl
from benchmarks.city_model import (
    MODEL_TODAY,
    AgendaItem,
    City,
    Consultation,
    File,
    Meeting,
    Membership,
    Organization,
    Paper,
    Person,
    Term,
)
from benchmarks.synthetic_oparl import BERLIN
from benchmarks.words import (
    DISTRICTS,
    FACILITIES,
    FAMILY_NAMES,
    GIVEN_NAMES,
    NON_PUBLIC_TOPICS,
    PAPER_TYPES,
    RESULTS,
    STREETS,
    TOPICS,
)

SEED = 20260101
FULL_SCALE = {"papers": 60_000, "meetings": 15_000, "organizations": 60, "persons": 900}
MINIMUM = {"meetings": 20, "organizations": 12, "persons": 60}
START = date(2007, 1, 1)
END = date(2026, 12, 31)          # 20 years
TERM_STARTS = (date(2004, 8, 1), date(2009, 8, 1), date(2014, 8, 1), date(2019, 8, 1), date(2024, 8, 1))

COMMITTEES = (
    "Verwaltungs- und Finanzausschuss", "Ausschuss für Stadtentwicklung und Bau",
    "Ausschuss für Umwelt und Klimaschutz", "Ausschuss für Bildung und Jugend",
    "Ausschuss für Soziales und Gesundheit", "Ausschuss für Kultur und Tourismus",
    "Ausschuss für Wirtschaft und Arbeit", "Ausschuss für Ordnung und Sicherheit",
    "Ausschuss für Verkehr und Mobilität", "Jugendhilfeausschuss", "Rechnungsprüfungsausschuss",
    "Betriebsausschuss Stadtentwässerung", "Betriebsausschuss Kindertageseinrichtungen",
    "Ausschuss für Allgemeine Verwaltung", "Ausschuss für Sport", "Ausschuss für Wohnen",
    "Ausschuss für Digitalisierung", "Ausschuss für Gleichstellung", "Ältestenrat",
    "Ausschuss für Eigenbetriebe", "Ausschuss für Stadtgrün", "Ausschuss für Beteiligungen",
)
FACTIONS = ("Bürgerliste", "Soziale Stadt", "Grüne Mitte", "Freie Wähler", "Liberale Stadt",
            "Linke Liste", "Zukunft", "Stadtpartei", "Unabhängige")
ADVISORY = ("Seniorenbeirat", "Migrationsbeirat", "Behindertenbeirat", "Jugendbeirat",
            "Kleingartenbeirat", "Sportbeirat", "Denkmalbeirat")
ATTACHMENTS = ("Lageplan", "Kostenberechnung", "Stellungnahme", "Gutachten", "Fotodokumentation",
               "Entwurfsplanung", "Finanzierungsplan")
ROOMS = ("Ratssaal", "Sitzungssaal 1", "Sitzungssaal 2", "Sitzungssaal 3", "Bürgerhaus, Saal")
# Meetings per organization, relative: the Stadtrat meets most, advisory councils least.
MEETING_WEIGHT = {"Stadtrat": 3.0, "Ausschuss": 2.0, "Stadtbezirksbeirat": 1.0, "Beirat": 0.6}


def scaled_counts(papers: int) -> dict[str, int]:
    share = papers / FULL_SCALE["papers"]
    counts = {"papers": papers}
    for name in ("meetings", "organizations", "persons"):
        counts[name] = max(MINIMUM[name], round(FULL_SCALE[name] * share))
    return counts


class CityBuilder:
    def __init__(self, papers: int, seed: int):
        self.rng = random.Random(seed)
        self.counts = scaled_counts(papers)
        self.city = City(seed=seed, rooms=ROOMS)
        self.next_number: dict[str, int] = {}

    def number(self, kind: str) -> int:
        self.next_number[kind] = self.next_number.get(kind, 0) + 1
        return self.next_number[kind]

    def build(self) -> City:
        self._terms()
        self._organizations()
        self._persons_and_memberships()
        self._meetings()
        self._papers()
        self._agendas()
        self._meeting_files()
        return self.city

    # -- structure ---------------------------------------------------------

    def _terms(self):
        for index, start in enumerate(TERM_STARTS):
            end = TERM_STARTS[index + 1] - timedelta(days=1) if index + 1 < len(TERM_STARTS) else date(2029, 7, 31)
            self.city.terms.append(Term(index + 1, start, end))

    def _organizations(self):
        n = self.counts["organizations"]
        committees = max(4, round(0.35 * n))
        districts = max(2, round(0.2 * n))
        factions = max(3, round(0.12 * n))
        advisory = max(1, round(0.1 * n))
        admin = max(1, n - 1 - committees - districts - factions - advisory)
        add = self._add_organization
        self.council = add("Stadtrat", "SR", "Gremium", "Stadtrat")
        self.committees = [add(_numbered(COMMITTEES, i, "Ausschuss"), f"A{i + 1}", "Gremium", "Ausschuss")
                           for i in range(committees)]
        self.districts = [add(f"Stadtbezirksbeirat {_numbered(DISTRICTS, i, 'Bezirk')}", f"SBB{i + 1}",
                              "Gremium", "Stadtbezirksbeirat") for i in range(districts)]
        self.factions = [add(f"Fraktion {_numbered(FACTIONS, i, 'Liste')}", f"F{i + 1}", "Fraktion", "Fraktion")
                         for i in range(factions)]
        self.advisory = [add(_numbered(ADVISORY, i, "Beirat"), f"B{i + 1}", "Gremium", "Beirat")
                         for i in range(advisory)]
        self.admin = [add(f"Amt {10 + 3 * i}", f"Amt {10 + 3 * i}", "Verwaltungsgremium", "Amt")
                      for i in range(admin)]

    def _add_organization(self, name, short, organization_type, classification) -> Organization:
        org = Organization(self.number("org"), name, short, organization_type, classification)
        self.city.organizations.append(org)
        return org

    def _persons_and_memberships(self):
        rng = self.rng
        for _ in range(self.counts["persons"]):
            gender = rng.choice(("female", "male"))
            given = rng.choice(GIVEN_NAMES[:14] if gender == "female" else GIVEN_NAMES[14:])
            self.city.persons.append(Person(self.number("person"), given, rng.choice(FAMILY_NAMES), gender))
        unused = iter(self.city.persons)

        def fresh() -> Person:
            return next(unused, None) or rng.choice(self.city.persons)

        seats = min(70, max(20, len(self.city.persons) // 8))
        councillors: dict[Person, Organization] = {}
        self.councillors: list[Person] = []
        for term in self.city.terms:
            end = None if term is self.city.terms[-1] else term.end
            kept = rng.sample(list(councillors), k=int(0.6 * len(councillors)))
            councillors = {p: councillors[p] for p in kept}
            while len(councillors) < seats:
                councillors[fresh()] = rng.choice(self.factions)
            for person, faction in councillors.items():
                self._member(person, self.council, "Mitglied", True, term.start, end, faction)
                self._member(person, faction, "Mitglied", True, term.start, end)
                for committee in rng.sample(self.committees, k=rng.choice((1, 2))):
                    self._member(person, committee, "Mitglied", True, term.start, end, faction)
            self.councillors += list(councillors)
            for committee in self.committees:
                for _ in range(2):
                    self._member(fresh(), committee, "sachkundiger Einwohner", False, term.start, end)
            for district in self.districts:
                for _ in range(7):
                    self._member(fresh(), district, "Mitglied", True, term.start, end, rng.choice(self.factions))
            for board in self.advisory:
                for _ in range(5):
                    self._member(fresh(), board, "Mitglied", True, term.start, end)

    def _member(self, person, org, role, voting, start, end, on_behalf_of=None):
        membership = Membership(self.number("membership"), person, org, role, voting, start, end, on_behalf_of)
        person.memberships.append(membership)
        self.city.memberships.append(membership)

    # -- meetings and papers -----------------------------------------------

    def _meetings(self):
        rng = self.rng
        hosts = ([(self.council, "Stadtrat")] + [(c, "Ausschuss") for c in self.committees]
                 + [(d, "Stadtbezirksbeirat") for d in self.districts] + [(a, "Beirat") for a in self.advisory])
        total_weight = sum(MEETING_WEIGHT[kind] for _, kind in hosts)
        per_host = [max(1, round(self.counts["meetings"] * MEETING_WEIGHT[kind] / total_weight)) for _, kind in hosts]
        per_host[0] += self.counts["meetings"] - sum(per_host)
        span = (END - START).days
        planned = []
        for (org, _), count in zip(hosts, per_host):
            spacing = span / count
            for i in range(count):
                day = START + timedelta(days=int((i + rng.random()) * spacing))
                while day.weekday() > 3:  # Monday to Thursday
                    day += timedelta(days=1)
                start = datetime.combine(day, time(rng.choice((16, 17, 18))), BERLIN)
                planned.append((start, org))
        planned.sort(key=lambda item: (item[0], item[1].number))
        sitting: dict[Organization, int] = {}
        for start, org in planned:
            sitting[org] = sitting.get(org, 0) + 1
            room = 0 if org is self.council else rng.randint(1, len(ROOMS) - 1)
            meeting = Meeting(self.number("meeting"), f"{sitting[org]}. Sitzung – {org.name}", org, start, room)
            org.meetings.append(meeting)
            org.meeting_days.append(start.date())
            self.city.meetings.append(meeting)

    def _papers(self):
        rng = self.rng
        last_day = MODEL_TODAY - timedelta(days=14)
        days = sorted(START + timedelta(days=rng.randint(0, (last_day - START).days))
                      for _ in range(self.counts["papers"]))
        types = [t for t in PAPER_TYPES]
        weights = [t[2] for t in PAPER_TYPES]
        sequence: dict[tuple[str, int], int] = {}
        for day in days:
            paper_type, prefix, _ = rng.choices(types, weights=weights)[0]
            sequence[(prefix, day.year)] = sequence.get((prefix, day.year), 0) + 1
            topic = rng.choice(TOPICS).format(
                street=rng.choice(STREETS), facility=rng.choice(FACILITIES), district=rng.choice(DISTRICTS),
                number=rng.randint(1, 400), year=day.year + rng.choice((0, 1)))
            paper = Paper(self.number("paper"), topic, f"{prefix}/{day.year}/{sequence[(prefix, day.year)]:04d}",
                          day, paper_type, rng.choice(self.admin))
            if paper_type == "Antrag":
                paper.originator_organization = rng.choice(self.factions)
                paper.name = f"Antrag der {paper.originator_organization.name}: {topic}"
            elif paper_type == "Anfrage":
                paper.originator_person = rng.choice(self.councillors)
                paper.name = f"Anfrage: {topic}"
            self._paper_links(paper)
            self._paper_files(paper)
            self._consult(paper, self._route(paper_type))
            self.city.papers.append(paper)

    def _paper_links(self, paper: Paper):
        earlier = self.city.papers
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
            attachment = self._file(f"Anlage {i + 1} – {self.rng.choice(ATTACHMENTS)}", f"{base}_Anlage_{i + 1}.pdf",
                                    paper.day, self.rng.randint(150, 400), keywords)
            attachment.papers.append(paper)
            paper.auxiliary_files.append(attachment)

    def _file(self, name, file_name, day, words, keywords) -> File:
        f = File(self.number("file"), name, file_name, day, words, keywords)
        self.city.files.append(f)
        return f

    def _route(self, paper_type: str) -> list[tuple[Organization, str, bool]]:
        """Which organizations consult a paper, in order: (organization, role, authoritative)."""
        rng = self.rng
        if paper_type == "Beschlussvorlage":
            route = []
            if rng.random() < 0.3:
                route.append((rng.choice(self.districts), "Anhörung", False))
            route += [(c, "Vorberatung", False) for c in rng.sample(self.committees, k=rng.choice((1, 2)))]
            if rng.random() < 0.6:
                route.append((self.council, "Entscheidung", True))
            else:
                route[-1] = (route[-1][0], "Entscheidung", True)
            return route
        if paper_type == "Informationsvorlage":
            route = [(rng.choice(self.committees), "Kenntnisnahme", False)]
            return route + ([(self.council, "Kenntnisnahme", False)] if rng.random() < 0.4 else [])
        if paper_type == "Antrag":
            return [(rng.choice(self.committees), "Vorberatung", False), (self.council, "Entscheidung", True)]
        if paper_type == "Anfrage":
            return [(self.council, "Kenntnisnahme", False)] if rng.random() < 0.5 else []
        return [(rng.choice(self.districts), "Anhörung", False)]

    def _consult(self, paper: Paper, route):
        after = paper.day + timedelta(days=self.rng.randint(7, 21))
        for org, role, authoritative in route:
            index = bisect.bisect_left(org.meeting_days, after)
            if index >= len(org.meetings):
                return
            meeting = org.meetings[index]
            consultation = Consultation(self.number("consultation"), paper, meeting, org, role, authoritative)
            paper.consultations.append(consultation)
            meeting.consultations.append(consultation)
            self.city.consultations.append(consultation)
            after = meeting.start.date() + timedelta(days=7)

    # -- agendas and meeting documents -------------------------------------

    def _agendas(self):
        rng = self.rng
        for meeting in self.city.meetings:
            opening = ["Eröffnung und Feststellung der Beschlussfähigkeit",
                       "Bestätigung der Niederschrift der letzten Sitzung"]
            entries = [(name, None) for name in opening]
            entries += [(c.paper.name, c) for c in sorted(meeting.consultations, key=lambda c: c.paper.number)]
            entries.append(("Informationen und Anfragen", None))
            for label_number, (name, consultation) in enumerate(entries, start=1):
                self._item(meeting, f"Ö {label_number}", name, True, consultation)
            for label_number in range(1, rng.choice((0, 1, 1, 2, 3)) + 1):
                topic = rng.choice(NON_PUBLIC_TOPICS).format(street=rng.choice(STREETS), facility=rng.choice(FACILITIES))
                self._item(meeting, f"N {label_number}", topic, False, None)

    def _item(self, meeting: Meeting, label: str, name: str, public: bool, consultation: Consultation | None):
        item = AgendaItem(self.number("agenda_item"), meeting, len(meeting.agenda_items) + 1, label, name, public,
                          consultation)
        if consultation is not None:
            consultation.agenda_item = item
            if meeting.held:
                if consultation.role in ("Kenntnisnahme", "Anhörung"):
                    item.result = "zur Kenntnis genommen"
                elif consultation.authoritative:
                    item.result = self.rng.choice(RESULTS)
                    item.resolution_text = f"Der {meeting.organization.name} beschließt: {consultation.paper.name}."
                else:
                    item.result = "empfohlen"
        meeting.agenda_items.append(item)
        self.city.agenda_items.append(item)

    def _meeting_files(self):
        for meeting in self.city.meetings:
            day = meeting.start.date()
            keywords = tuple(w for item in meeting.agenda_items if item.public for w in item.name.split() if len(w) > 4)
            stem = f"Sitzung_{meeting.number}"
            meeting.invitation = self._file("Einladung", f"{stem}_Einladung.pdf", day - timedelta(days=10),
                                            self.rng.randint(150, 300), keywords[:40])
            meeting.invitation.meetings.append(meeting)
            if meeting.held:
                meeting.protocol = self._file("Niederschrift", f"{stem}_Niederschrift.pdf", day + timedelta(days=14),
                                              self.rng.randint(400, 800), keywords[:40])
                meeting.protocol.meetings.append(meeting)


def _numbered(names: tuple[str, ...], index: int, fallback: str) -> str:
    return names[index] if index < len(names) else f"{fallback} {index + 1}"


def build_city(papers: int, seed: int = SEED) -> City:
    return CityBuilder(papers, seed).build()


def write_city(out_dir: Path, papers: int, seed: int = SEED) -> dict[str, int]:
    """Build the city and write it as an OParl dump into out_dir; return the object counts."""
    city = build_city(papers, seed)
    synthetic_oparl.write_dump(city, Path(out_dir))
    counts = {"System": 1, "Body": 1, **city.counts()}
    return counts


def main(argv=None):
    parser = argparse.ArgumentParser(description="Synthetische Großstadt als OParl-1.1-Dump schreiben")
    parser.add_argument("--papers", type=int, default=2000, help="Zahl der Vorlagen (60000 = Großstadt, 20 Jahre)")
    parser.add_argument("--out", type=Path, required=True, help="Zielordner des Dumps")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    print(json.dumps(write_city(args.out, args.papers, args.seed), indent=1))


if __name__ == "__main__":
    main()
