"""What the council's page shows of its Fraktionen: the seats each holds today."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from plugins.council.graph import Organization


def council_seats(council: Organization, today: date) -> dict:
    """The council's seats today by Fraktion: [(faction, members)], largest first, the members
    without one ("fraktionslos") under None, and those who sit ex officio apart."""
    by_faction, ex_officio, seen = defaultdict(list), [], set()
    for membership in council.memberships:
        person = membership.person
        if not membership.is_current(today) or person in seen:
            continue
        seen.add(person)
        faction = membership.on_behalf_of or person.current_faction(today)
        if faction is None and membership.is_ex_officio:
            ex_officio.append(membership)
        else:
            by_faction[faction].append(person)
    factions = sorted(by_faction.items(), key=lambda item: (item[0] is None, -len(item[1]),
                                                              item[0].name.lower() if item[0] else ""))
    return {"factions": factions, "ex_officio": ex_officio, "total": sum(len(p) for _, p in factions)}
