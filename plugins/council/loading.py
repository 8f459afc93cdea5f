"""Loading: content/ into the object graph.

List content/ (one scandir per folder: each file's stamp), read every file (from the parse
cache where its stamp is unchanged, reuse/parse_cache.py), make the objects (reading.py),
then what only the whole graph knows: back-links (a committee's meetings, a document's
papers), papers' permalinks and the order of every list.
"""

from __future__ import annotations

import gc
import os
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

from plugins.council.graph import FAR_FUTURE, FOLDERS, Graph, Meeting, Paper, Person, meeting_sort_key, \
    paper_sort_key, slugify
from plugins.council.links import warn_skipped
from plugins.urls import is_list_page_name
from plugins.council.reading import ContentError, Maker, check_file_name, parse_files


@contextmanager
def bulk_allocation():
    """For loading the graph and planning: Python's cycle collector would walk every live
    object again and again while hundreds of thousands are made (a third of a no-op build
    at 100,000 pages). Afterwards they are frozen: later collections skip them and forked
    render workers do not copy them (gc.freeze). ratsinfo.build unfreezes after the build."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def list_folder(folder: str) -> tuple[dict[str, tuple], frozenset[str]]:
    """The stamp of each .md and .txt file in a content folder (mtime, ctime, size, inode: what
    changes when a file changes), and the names of the other files (documents' media: whether
    one is there decides whether it is published)."""
    stamps, others = {}, []
    if os.path.islink(folder):
        raise ContentError(f"{folder} ist eine symbolische Verknüpfung (auf {os.readlink(folder)}). ratsinfo liest "
                           f"Ratsdaten nur aus echten Ordnern im Inhaltsordner: den Ordner dorthin verschieben.")
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_symlink():  # never read nor published (plugins/council/links.py)
                    warn_skipped(entry.path)
                elif entry.name.endswith((".md", ".txt")):
                    if entry.is_file():
                        st = entry.stat()
                        stamps[entry.name] = (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)
                elif entry.is_file():
                    others.append(entry.name)
    except (FileNotFoundError, NotADirectoryError):
        pass
    return stamps, frozenset(others)


def list_content(content: Path) -> dict[str, tuple[dict[str, tuple], frozenset[str]]]:
    """Every content file by kind: one scandir per folder, done once per build."""
    return {kind: list_folder(os.path.join(content, folder)) for kind, folder in FOLDERS.items()}


def content_stamps(listing: dict) -> dict[tuple[str, str], tuple]:
    """(kind, id) -> stamp of its file(s), as load_graph records them in Graph.stamps."""
    stamps = {}
    for kind, (files, _) in listing.items():
        for name, stamp in files.items():
            if name.endswith(".md"):
                text = files.get(f"{name[:-3]}.txt")
                stamps[(kind, name[:-3])] = stamp if text is None else stamp + text
    return stamps


def _stamp(files: dict[str, tuple], name: str) -> tuple:
    """A file's stamp; for a document also its text's beside it (foo.md, foo.txt), which shows
    on its reading view."""
    text = files.get(f"{name[:-3]}.txt")
    return files[name] if text is None else files[name] + text


def _scan(content: Path, kind: str, cache, stats: dict[str, tuple]):
    """(stamp, front matter) of every content file of `kind`, parsed or from the cache.
    Plain strings: this runs for every object on every build that loads the whole graph."""
    if not stats:
        return
    folder = os.path.join(content, FOLDERS[kind])
    found, misses = [], []
    for name in sorted(stats):
        if not name.endswith(".md"):
            continue
        stamp = stats[name]
        data = cache.get(kind, name, stamp) if cache else None
        if data is None:
            misses.append(len(found))
        found.append([name, stamp, data])
    for index, data in zip(misses, parse_files([os.path.join(folder, found[i][0]) for i in misses])):
        found[index][2] = data
        if cache:
            cache.put(kind, found[index][0], found[index][1], data)
    for name, _, data in found:
        check_file_name(folder, name, data)
        yield _stamp(stats, name), data



def load_graph(content: Path, publish_contact_data: bool = False, cache=None, listing=None) -> Graph:
    """The whole graph from content/ (`listing`: list_content(content), if the caller has it)."""
    content = Path(content)
    listing = listing if listing is not None else list_content(content)
    graph = Graph()
    raw: dict[str, list[dict]] = defaultdict(list)
    for kind in FOLDERS:
        for stamp, data in _scan(content, kind, cache, listing[kind][0]):
            graph.stamps[(kind, str(data["id"]))] = stamp
            raw[kind].append(data)
    maker = Maker(graph, content, listing, publish_contact_data)
    for kind in ("body", "term", "file", "organization", "person"):
        objects = getattr(graph, FOLDERS[kind])
        for data in raw[kind]:
            obj = maker.make(kind, data)
            objects[obj.id] = obj
            if kind == "person":
                for membership in obj.memberships:
                    membership.organization.memberships.append(membership)
        if kind == "organization":
            # Parents are organizations: only now are all of them there.
            for data in raw["organization"]:
                maker.link_organization(graph.organizations[str(data["id"])], data)
            register_children(graph)
    papers = [maker.make("paper", data) for data in raw["paper"]]
    for paper in papers:
        graph.papers[paper.id] = paper
        _register_paper(paper)
    for data in raw["meeting"]:
        meeting = maker.make("meeting", data)
        graph.meetings[meeting.id] = meeting
        _register_meeting(meeting)
    # Consultations point at agenda items: only now are all meetings there.
    for paper, data in zip(papers, raw["paper"]):
        maker.link_paper(paper, data)
    _paper_slugs(graph)
    _sort(graph)
    return graph



def register_children(graph: Graph):
    """Each organization's sub-organizations, from their parents, in the order lists show them."""
    for org in graph.organizations.values():
        org.children = []
    for org in sorted(graph.organizations.values(), key=lambda o: (o.name.lower(), o.id)):
        if org.parent is not None:
            org.parent.children.append(org)


def _register_paper(paper: Paper):
    for f in ([paper.main_file] if paper.main_file else []) + paper.auxiliary_files:
        f.papers.append(paper)
    for org in paper.under_direction_of:
        org.papers.append(paper)
    for org in paper.originator_organizations:
        org.originated_papers.append(paper)


def _register_meeting(meeting: Meeting):
    for org in meeting.organizations:
        org.meetings.append(meeting)
    items = [i for i in meeting.agenda if i.public]
    linked = [f for _, f in meeting.documents]
    linked += [f for i in items for f in ([i.resolution_file] if i.resolution_file else []) + i.auxiliary_files]
    for f in linked:
        if meeting not in f.meetings:
            f.meetings.append(meeting)



def _paper_slugs(graph: Graph):
    """Papers are known by their reference (VO/2025/0012 → vo-2025-0012), where it is unique and
    not the name of a list (`Index`, `Jahr 2030`, `Art …`): such a paper keeps its id."""
    candidates = defaultdict(list)
    for paper in graph.papers.values():
        slug = slugify(paper.reference) if paper.reference else ""
        if slug and not is_list_page_name("paper", slug):
            candidates[slug].append(paper)
    taken = {(paper.slug or paper.id).lower() for paper in graph.papers.values()}
    for slug, papers in sorted(candidates.items()):
        if len(papers) == 1 and slug not in taken:
            papers[0].slug = slug
            taken.add(slug)


def _sort(graph: Graph):
    for org in graph.organizations.values():
        org.meetings.sort(key=meeting_sort_key)
        org.papers.sort(key=paper_sort_key, reverse=True)
        org.originated_papers.sort(key=paper_sort_key, reverse=True)
        org.memberships.sort(key=lambda m: (m.end_date is not None, role_rank(m.role), m.person.sort_key))
    for person in graph.persons.values():
        sort_own_lists(person)
    for paper in graph.papers.values():
        sort_own_lists(paper)
    for f in graph.files.values():
        f.meetings.sort(key=meeting_sort_key)
        f.papers.sort(key=paper_sort_key)


def sort_own_lists(obj):
    """A person's memberships and a paper's consultations, in the order pages show them."""
    if isinstance(obj, Person):
        obj.memberships.sort(key=lambda m: (m.end_date is not None, m.organization.name.lower()))
    elif isinstance(obj, Paper):
        obj.consultations.sort(key=lambda c: meeting_sort_key(c.meeting) if c.meeting else (FAR_FUTURE, ""))


def role_rank(role: str | None) -> int:
    """Chairs first, then members, then deputies and everyone else (for member lists)."""
    label = (role or "Mitglied").lower()
    if "stellv" in label and "vorsitz" in label:
        return 1
    if "vorsitz" in label or "bürgermeister" in label or "sprecher" in label:
        return 0
    if "stellv" in label or "vertret" in label:
        return 3
    if label.startswith("mitglied"):
        return 2
    return 4
