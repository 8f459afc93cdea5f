"""What each page depends on: the objects whose change must render it again.

A page's `depends_on` (plugins/council/plan.py) names every object it shows something of (a
name, a date, a reference, a link), as (kind, id). The fingerprint of the page is made of
them (reuse/fingerprints.py), so a page that shows an object but does not name it here keeps
showing the old name after an edit. tests/test_depends.py renders each kind of page and
checks that it names every object its template touched.
"""

from __future__ import annotations


def keys_of(*objects) -> frozenset:
    """(kind, id) of each object; None (a missing link) is left out."""
    return frozenset([o.key for o in objects if o is not None])


# What each detail page shows of other objects (names, dates, references): a change
# to any of them must render the page again (reuse/fingerprints.py).

def meeting_deps(m) -> frozenset:
    items = [i for i in m.agenda if i.public]
    files = [f for _, f in m.documents] + [i.resolution_file for i in items] + [f for i in items for f in i.auxiliary_files]
    # Each row links its paper's documents too.
    files += [f for i in items if i.paper for f in [i.paper.main_file, *i.paper.auxiliary_files]]
    return keys_of(m, *m.organizations, *(i.paper for i in items), *files, *(c.file for c in m.changes))


def paper_deps(p) -> frozenset:
    consulted = [c.meeting for c in p.consultations] + [o for c in p.consultations for o in c.organizations]
    consulted += [o for c in p.consultations if c.meeting for o in c.meeting.organizations]
    return keys_of(p, p.main_file, *p.auxiliary_files, *p.originator_persons, *p.originator_organizations,
                 *p.under_direction_of, *p.related_papers, *p.superordinated_papers, *p.subordinated_papers,
                 *consulted, *(c.file for c in p.changes))


def person_deps(person) -> frozenset:
    return keys_of(person, *(m.organization for m in person.memberships), *(m.on_behalf_of for m in person.memberships))


def organization_deps(org) -> frozenset:
    # The council's page counts its seats by Fraktion: each member's Fraktion comes from the
    # member's file (a person key) and shows that Fraktion's name.
    factions = [pm.organization for m in org.memberships for pm in m.person.memberships] if org.is_council else []
    return keys_of(org, org.parent, *org.children, *(m.person for m in org.memberships),
                   *(m.on_behalf_of for m in org.memberships), *org.meetings, *org.papers,
                   *org.originated_papers, *factions)


# What a list shows of each row (theme/templates/_macros.html): the object, and for
# meetings the committees that name an untitled one.

def meeting_row_deps(meetings) -> frozenset:
    return keys_of(*meetings, *(o for m in meetings for o in m.organizations))


def paper_row_deps(papers) -> frozenset:
    return keys_of(*papers)


def file_deps(f, deps_of_paper=paper_deps) -> frozenset:
    # A paper's document shows the paper's committees and result, from its consultations.
    return keys_of(f, *f.meetings, *(o for m in f.meetings for o in m.organizations)).union(
        *(deps_of_paper(p) for p in f.papers))
