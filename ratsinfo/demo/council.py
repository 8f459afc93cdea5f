"""Who sits where: the terms, places, Gremien, Fraktionen, persons and memberships.

The Stadtrat of the current term (from 1 August 2024) has 34 seats in five
Fraktionen plus one Einzelstadtrat; the Oberbürgermeisterin chairs it with a
vote, as the Sächsische Gemeindeordnung provides. Some councillors sat in the
previous term too, others left in 2024, so ended memberships exist.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from ratsinfo.demo import names
from ratsinfo.demo.model import LegislativeTerm, Location, Membership, Organization, Person
from ratsinfo.demo.timeline import CURRENT_TERM, PREVIOUS_TERM

COMMITTEE_SEATS = 9
# Committees are formed a month after the new Stadtrat meets.
COMMITTEES_FORMED = date(2024, 9, 1)
OB_TERM_START = date(2022, 8, 1)
# One councillor of the previous term resigned; a successor moved up (Nachrücker).
RESIGNATION = date(2022, 3, 31)


@dataclass
class Council:
    terms: list[LegislativeTerm]
    locations: list[Location] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    committees: dict[str, Organization] = field(default_factory=dict)
    ortschaftsraete: dict[str, Organization] = field(default_factory=dict)
    fraktionen: list[Organization] = field(default_factory=list)
    units: dict[str, Organization] = field(default_factory=dict)

    @property
    def stadtrat(self) -> Organization:
        return self.organizations[0]

    @property
    def oberbuergermeisterin(self) -> Person:
        return next(m.person for m in self.stadtrat.memberships
                    if m.role == "Oberbürgermeisterin")

    @property
    def rathaus(self) -> Location:
        return self.locations[0]

    def gremien(self) -> list[Organization]:
        return [self.stadtrat, *self.committees.values(), *self.ortschaftsraete.values()]

    def add_membership(self, person: Person, organization: Organization, role: str,
                       start: date, end: date | None = None, voting_right: bool | None = None,
                       on_behalf_of: Organization | None = None) -> Membership:
        membership = Membership(len(self.memberships) + 1, person, organization, role, start,
                                end, voting_right, on_behalf_of)
        self.memberships.append(membership)
        person.memberships.append(membership)
        organization.memberships.append(membership)
        return membership


def active_members(organization: Organization, day: date) -> list[Membership]:
    return [m for m in organization.memberships
            if m.start_date <= day and (m.end_date is None or day <= m.end_date)]


def build_council(rng: random.Random) -> Council:
    council = Council(terms=[
        LegislativeTerm(1, "Wahlperiode 2019–2024", *PREVIOUS_TERM),
        LegislativeTerm(2, "Wahlperiode 2024–2029", *CURRENT_TERM),
    ])
    _add_locations(council)
    _add_organizations(council)
    people = _PersonFactory(rng, council)
    _add_administration(council, people)
    councillors = _add_stadtrat(council, people, rng)
    _add_committees(council, councillors)
    _add_ortschaftsraete(council, people, councillors, rng)
    for organization in council.organizations:
        organization.post = tuple(sorted({m.role for m in organization.memberships}))
    return council


def _add_locations(council: Council):
    # Invented coordinates on round numbers, not those of any real town hall.
    council.locations += [
        Location(1, "Rathaus Muldenau, Ratssaal", "Hauptmarkt 1", "Ratssaal", None, 50.75, 12.6),
        Location(2, "Rathaus Muldenau, Beratungsraum", "Hauptmarkt 1", "Beratungsraum 2.14",
                 None, 50.75, 12.6),
        Location(3, "Stadthalle Muldenau, Konferenzraum", "Uferstraße 5", "Konferenzraum",
                 None, 50.748, 12.604),
    ]
    halls = ("Bürgerhaus", "Dorfgemeinschaftshaus", "Ortschaftsverwaltung", "Vereinshaus",
             "Alte Schule", "Feuerwehrgerätehaus")
    for index, (ortsteil, hall) in enumerate(zip(names.ORTSTEILE, halls)):
        council.locations.append(Location(
            4 + index, f"{hall} {ortsteil}", f"{names.STREETS[index * 2]} {3 + index * 4}",
            "Saal", ortsteil, round(50.72 + index * 0.011, 3), round(12.55 + index * 0.017, 3),
        ))


def _add_organizations(council: Council):
    def add(key, name, short, org_type, classification, **extra) -> Organization:
        organization = Organization(len(council.organizations) + 1, key, name, short,
                                    org_type, classification, **extra)
        council.organizations.append(organization)
        return organization

    add("stadtrat", "Stadtrat", "SR", "Gremium", "Parlament", location=council.rathaus)
    for key, name, short, _weekday in names.AUSSCHUESSE:
        place = council.locations[2] if key == "betrieb" else council.locations[1]
        council.committees[key] = add(key, name, short, "Gremium", "Ausschuss", location=place,
                                      start_date=COMMITTEES_FORMED)
    for index, ortsteil in enumerate(names.ORTSTEILE):
        council.ortschaftsraete[ortsteil] = add(
            f"or-{index + 1}", f"Ortschaftsrat {ortsteil}", f"OR {ortsteil}", "Gremium",
            "Ortschaftsrat", location=council.locations[3 + index],
        )
    for name, short, _seats, existed_before in names.FRAKTIONEN:
        start = PREVIOUS_TERM[0] if existed_before else CURRENT_TERM[0]
        council.fraktionen.append(add(short.lower(), name, short, "Fraktion", "Fraktion",
                                      start_date=start))
    for key, name, short, classification, parent in names.VERWALTUNG:
        council.units[key] = add(key, name, short, "Verwaltungsbereich", classification,
                                 sub_organization_of=council.units.get(parent))


class _PersonFactory:
    """Invents persons with names not used twice and, sometimes, contact data."""

    def __init__(self, rng: random.Random, council: Council):
        self.rng = rng
        self.council = council
        self.family_names = list(names.FAMILY_NAMES)
        rng.shuffle(self.family_names)

    def new(self, gender: str | None = None, status: str | None = None,
            contact: bool = False) -> Person:
        rng = self.rng
        gender = gender or rng.choice(("female", "male", "male"))
        pool = names.FEMALE_GIVEN_NAMES if gender == "female" else names.MALE_GIVEN_NAMES
        family = self.family_names.pop()
        given = rng.choice(pool)
        person = Person(len(self.council.persons) + 1, given, family, gender,
                        title="Dr." if rng.random() < 0.12 else None, status=status)
        if contact:
            person.email = f"{_ascii(given)}.{_ascii(family)}@muldenau.example".lower()
            person.phone = f"{names.PHONE_PREFIX} {100 + person.number * 7 % 900}"
        self.council.persons.append(person)
        return person


def _gendered(person: Person, female: str, male: str) -> str:
    return female if person.gender == "female" else male


def _ascii(text: str) -> str:
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("é", "e"),
                          ("Ä", "Ae"), ("Ö", "Oe"), ("Ü", "Ue")):
        text = text.replace(umlaut, plain)
    return text


def _add_administration(council: Council, people: _PersonFactory):
    ob = people.new("female", "Oberbürgermeisterin", contact=True)
    council.add_membership(ob, council.stadtrat, "Oberbürgermeisterin", OB_TERM_START,
                           voting_right=True)
    council.add_membership(ob, council.units["ob"], "Leiterin", OB_TERM_START)
    # The OB chairs the finance and the Betriebsausschuss, with a vote; each
    # Beigeordnete chairs the committee of their Dezernat, without one.
    for key in ("finanzen", "betrieb"):
        council.add_membership(ob, council.committees[key], "Vorsitzende", COMMITTEES_FORMED,
                               voting_right=True)
    for unit_key, committee_key, gender in (("dez1", "ordnung", "male"),
                                            ("dez2", "bau", "male"),
                                            ("dez3", "soziales", "female")):
        person = people.new(gender, contact=True)
        person.status = _gendered(person, "Bürgermeisterin", "Bürgermeister")
        council.add_membership(person, council.units[unit_key],
                               _gendered(person, "Beigeordnete", "Beigeordneter"),
                               PREVIOUS_TERM[0])
        council.add_membership(person, council.committees[committee_key],
                               _gendered(person, "Vorsitzende", "Vorsitzender"),
                               COMMITTEES_FORMED, voting_right=False)


def _add_stadtrat(council: Council, people: _PersonFactory,
                  rng: random.Random) -> dict[Organization, list[Person]]:
    """Seat the councillors of both terms; returns the current ones per Fraktion."""
    current: dict[Organization, list[Person]] = {}
    for fraktion, (_name, _short, seats, existed_before) in zip(council.fraktionen,
                                                               names.FRAKTIONEN):
        members = [people.new(contact=rng.random() < 0.4) for _ in range(seats)]
        current[fraktion] = members
        for index, person in enumerate(members):
            person.status = _gendered(person, "Stadträtin", "Stadtrat")
            chair = _gendered(person, "Fraktionsvorsitzende", "Fraktionsvorsitzender")
            role = chair if index == 0 else "Mitglied"
            if index == 0 and fraktion is council.fraktionen[0]:
                person.affix = "MdL"  # the biggest Fraktion's chair also sits in the Landtag
            council.add_membership(person, fraktion, role, CURRENT_TERM[0])
            council.add_membership(person, council.stadtrat, "Mitglied", CURRENT_TERM[0],
                                   voting_right=True, on_behalf_of=fraktion)
            # Two thirds of each old Fraktion were re-elected.
            if existed_before and index % 3 != 2:
                _add_previous_term(council, person, fraktion)
        if existed_before:
            for _ in range(2 if seats > 6 else 1):
                leaver = people.new()
                _add_previous_term(council, leaver, fraktion)
    _add_resignation(council)
    loner = people.new("male", "Einzelstadtrat", contact=True)
    council.add_membership(loner, council.stadtrat, "Mitglied", CURRENT_TERM[0],
                           voting_right=True)
    return current


def _add_previous_term(council: Council, person: Person, fraktion: Organization):
    start, end = PREVIOUS_TERM
    council.add_membership(person, fraktion, "Mitglied", start, end)
    council.add_membership(person, council.stadtrat, "Mitglied", start, end,
                           voting_right=True, on_behalf_of=fraktion)


def _add_resignation(council: Council):
    """The first leaver of the previous term resigned early; a successor followed."""
    leaver_seat = next(m for m in council.memberships if m.organization is council.stadtrat
                       and m.end_date == PREVIOUS_TERM[1] and not _current(m.person, council))
    successor_seat = next(m for m in council.memberships if m.organization is council.stadtrat
                          and m.end_date == PREVIOUS_TERM[1] and _current(m.person, council)
                          and m.on_behalf_of is leaver_seat.on_behalf_of)
    for membership in leaver_seat.person.memberships:
        membership.end_date = RESIGNATION
    for membership in successor_seat.person.memberships:
        if membership.end_date == PREVIOUS_TERM[1]:
            membership.start_date = RESIGNATION + timedelta(days=1)


def _current(person: Person, council: Council) -> bool:
    return any(m.organization is council.stadtrat and m.end_date is None
               for m in person.memberships)


def _dhondt(seats: dict[Organization, int], total: int) -> dict[Organization, int]:
    won = {party: 0 for party in seats}
    for _ in range(total):
        # Ties go to the larger Fraktion, then to the one listed first.
        best = max(seats, key=lambda p: (seats[p] / (won[p] + 1), seats[p], -p.number))
        won[best] += 1
    return won


def _add_committees(council: Council, councillors: dict[Organization, list[Person]]):
    """Seats by d'Hondt; members rotate through each Fraktion's list so the work spreads."""
    shares = _dhondt({f: len(p) for f, p in councillors.items()}, COMMITTEE_SEATS)
    turn = {fraktion: 0 for fraktion in councillors}
    for committee in council.committees.values():
        for fraktion, members in councillors.items():
            for slot in range(shares[fraktion] + 1):
                person = members[turn[fraktion] % len(members)]
                turn[fraktion] += 1
                deputy = slot == shares[fraktion]
                council.add_membership(
                    person, committee, "stellvertretendes Mitglied" if deputy else "Mitglied",
                    COMMITTEES_FORMED, voting_right=not deputy, on_behalf_of=fraktion,
                )


def _add_ortschaftsraete(council: Council, people: _PersonFactory,
                         councillors: dict[Organization, list[Person]], rng: random.Random):
    """An Ortsvorsteher(in) each, plus councillors who live in the village."""
    pool = [person for members in councillors.values() for person in members[2:]]
    rng.shuffle(pool)
    for index, ortschaftsrat in enumerate(council.ortschaftsraete.values()):
        chair = people.new()
        chair.status = _gendered(chair, "Ortsvorsteherin", "Ortsvorsteher")
        council.add_membership(chair, ortschaftsrat, chair.status, CURRENT_TERM[0],
                               voting_right=True)
        members = [pool.pop() for _ in range(3)]
        if index < 2:
            villager = people.new()
            villager.status = _gendered(villager, "Ortschaftsrätin", "Ortschaftsrat")
            members.append(villager)
        for person in members:
            council.add_membership(person, ortschaftsrat, "Mitglied", CURRENT_TERM[0],
                                   voting_right=True)
