"""A snapshot of the loaded graph, so that a rebuild after a few edits need not read the city.

Building the graph from 190,000 content files takes seconds at city scale, even with
every file's front matter cached (reuse/parse_cache.py). The snapshot is the
graph as the last full load made it, pickled in the user's cache folder with the stamp
of every content file. A later build lists content/ (one stat per file, as before),
and when the same files are there and only a few changed, it loads the snapshot and
copies the edits onto the objects they belong to. That is only possible when an edit
leaves alone what loading the graph derives from it: the back-links (a committee's
meetings, a document's papers), their order (dates, names) and the papers' permalinks
(their references). Such an edit, a new or deleted file, or anything unexpected, and
the graph is loaded in full as before; the tests compare both ways byte for byte.
"""

from __future__ import annotations

import copyreg
import hashlib
import logging
import os
import pickle
import uuid
from dataclasses import dataclass, fields
from pathlib import Path

from plugins.council import graph as model
from plugins.council import loading, reading, values
from plugins.council.graph import FOLDERS, Graph
from ratsinfo.files import replacing
from plugins.council.loading import content_stamps, sort_own_lists
from plugins.council.reading import Maker, check_file_name, read_front_matter
from plugins.council.reuse.cache import cache_file, waiting_for_writer, write_in_background

log = logging.getLogger(__name__)

VERSION = 1
# More edits than this since the snapshot was taken: loading the graph is about as quick.
MAX_EDITS = 1_000

# What loading the graph derives nothing from: copied from the edited object onto the
# snapshot's. Any other field must be unchanged (compared with ==: objects by identity).
DISPLAY = {
    model.Body: {"name", "source", "web", "modified", "short_name", "website", "ags", "rgs"},
    model.Term: {"name", "source", "web", "modified", "start_date", "end_date"},
    # The name orders a person's memberships.
    model.Organization: {"source", "web", "modified", "short_name", "organization_type", "classification",
                         "start_date", "end_date", "website", "location"},
    # Names order members lists.
    model.Person: {"source", "web", "modified", "form_of_address", "title", "affix", "gender", "email", "phone"},
    # Role and end order members lists.
    model.Membership: {"voting_right", "start_date", "on_behalf_of"},
    model.File: {"name", "source", "web", "modified", "mime_type", "date", "file_name", "size", "sha512", "sha1",
                 "access_url", "media", "media_type", "media_size", "media_sha512", "text_path", "versions",
                 "ocr_pages"},
    # The start orders every list of meetings; committees and documents are back-linked.
    model.Meeting: {"name", "source", "web", "modified", "end", "cancelled", "state", "location", "changes"},
    model.AgendaItem: {"number", "name", "result", "resolution_text", "start", "end"},
    # Reference (permalink) and date (order) stay; documents, committees and originating
    # organizations (a faction's papers) are back-linked.
    model.Paper: {"name", "source", "web", "modified", "paper_type", "changes", "originator_persons",
                  "related_papers", "superordinated_papers", "subordinated_papers"},
    model.Consultation: {"organizations", "role", "authoritative"},
}
# Of those, what neither the page plan nor the search bundles read (plugins/council/plan.py,
# shards.py): only templates show it. Edits of nothing else leave the plan as it was, so a
# build may take the plan of the last full planning and render only the pages that show the
# edited objects (reuse/plan_index.py). Not here: a meeting's cancellation (upcoming
# lists), a paper's type (lists by type), organization types (groups), term dates, membership
# dates (current members), a document's date (its search bundle), links (dependencies).
RENDER_ONLY = {
    model.Body: set(),
    model.Term: {"name", "source", "web", "modified"},
    model.Organization: {"source", "web", "modified", "short_name", "start_date", "end_date", "website", "location"},
    model.Person: {"source", "web", "modified", "form_of_address", "title", "affix", "gender", "email", "phone"},
    model.Membership: {"voting_right"},
    model.File: {"name", "source", "web", "modified", "mime_type", "file_name", "size", "sha512", "sha1",
                 "access_url", "media", "media_type", "media_size", "media_sha512", "text_path", "versions",
                 "ocr_pages"},
    model.Meeting: {"name", "source", "web", "modified", "end", "state", "location", "changes"},
    model.AgendaItem: {"number", "name", "result", "resolution_text", "start", "end"},
    model.Paper: {"name", "source", "web", "modified", "changes"},
    model.Consultation: {"role", "authoritative"},
}
# Lists of objects that belong to the edited one: compared and copied item by item.
OWNED = {"memberships": model.Person, "agenda": model.Meeting, "consultations": model.Paper}
# Filled in by loading the graph from other objects (back-links, owners, permalinks): not the edit's.
DERIVED = {
    model.Organization: {"memberships", "meetings", "papers", "originated_papers", "children"},
    model.File: {"meetings", "papers"},
    model.Membership: {"person"},
    model.AgendaItem: {"meeting"},
    model.Consultation: {"paper"},
    model.Paper: {"slug"},
}


class Unpatchable(Exception):
    """The edits cannot be copied onto the snapshot: load the graph in full."""


def snapshot_path(cache_folder: Path, publish_contact_data: bool) -> Path:
    return cache_file(cache_folder, "graph", publish_contact_data)


def code_digest() -> str:
    """Our classes and how they are loaded: a snapshot from other code is never used."""
    digest = hashlib.sha1()
    for source in (model.__file__, reading.__file__, values.__file__, loading.__file__, __file__):
        digest.update(Path(source).read_bytes())
    return digest.hexdigest()


@dataclass
class Patched:
    graph: Graph
    edited: list  # (kind, id) of the objects edited since the snapshot was taken
    render_only: bool  # whether all their edits are of RENDER_ONLY fields


def load(path: Path, content: Path, listing: dict, publish_contact_data: bool) -> Patched | None:
    """The graph from the snapshot with content/'s edits copied onto it; None when the graph
    must be loaded in full."""
    try:
        with waiting_for_writer(path), path.open("rb") as handle:
            header = pickle.load(handle)
            if header != {"version": VERSION, "code": code_digest()}:
                log.debug("ratsinfo: Schnappschuss von anderem Code")
                return None
            media, objects, states, graph = pickle.load(handle)
    except FileNotFoundError:
        log.debug("ratsinfo: kein Schnappschuss")
        return None
    except Exception as exc:  # a broken or foreign snapshot is ignored, never trusted
        log.debug("ratsinfo: Schnappschuss %s unbrauchbar: %s", path, exc)
        return None
    if media != listing["file"][1]:
        log.debug("ratsinfo: Schnappschuss: andere Dokumentdateien")
        return None  # a document's file came or went: whether it is published changed
    for obj, state in zip(objects, states):
        obj.__dict__ = state
    stamps = content_stamps(listing)
    if stamps.keys() != graph.stamps.keys():
        log.debug("ratsinfo: Schnappschuss: andere Objekte")
        return None  # an object came or went
    edited = [key for key, stamp in stamps.items() if graph.stamps[key] != stamp]
    if len(edited) > MAX_EDITS:
        return None
    try:
        render_only = patch(graph, content, listing, publish_contact_data, edited)
    except Unpatchable as exc:
        log.debug("ratsinfo: Schnappschuss nicht anwendbar, %s geändert", exc)
        return None
    except Exception as exc:  # a broken file: loading in full reports it to the webmaster
        log.debug("ratsinfo: Schnappschuss nicht anwendbar: %s", exc)
        return None
    graph.stamps.update((key, stamps[key]) for key in edited)
    log.info("ratsinfo: Objektgraph aus dem Schnappschuss, %d Dateien seitdem bearbeitet", len(edited))
    return Patched(graph, edited, render_only)


def patch(graph: Graph, content: Path, listing: dict, publish_contact_data: bool, edited: list) -> bool:
    """Copy the edits onto the graph; True if all of them are of RENDER_ONLY fields."""
    maker = Maker(graph, content, listing, publish_contact_data)
    render_only = True
    for kind, object_id in edited:
        folder = os.path.join(content, FOLDERS[kind])
        data = read_front_matter(Path(folder, f"{object_id}.md"))
        check_file_name(folder, f"{object_id}.md", data)
        old = getattr(graph, FOLDERS[kind])[object_id]
        new = maker.make(kind, data)
        if kind == "paper":
            maker.link_paper(new, data)
        if kind == "organization":
            maker.link_organization(new, data)
        sort_own_lists(new)
        render_only &= _copy_edit(old, new)
    return render_only


def _copy_edit(old, new) -> bool:
    """Copy `new`'s DISPLAY fields onto `old`; True if only RENDER_ONLY fields differed."""
    cls = type(old)
    if type(new) is not cls:
        raise Unpatchable(cls.__name__)
    display, derived = DISPLAY[cls], DERIVED.get(cls, set())
    changes, render_only = [], True
    for f in fields(cls):
        name = f.name
        if name in derived:
            continue
        before, after = getattr(old, name), getattr(new, name)
        if name in display:
            changes.append((name, after))
            render_only &= name in RENDER_ONLY[cls] or before == after
        elif OWNED.get(name) is cls:
            if len(before) != len(after):
                raise Unpatchable(f"{cls.__name__}.{name}")
            for old_part, new_part in zip(before, after):
                render_only &= _copy_edit(old_part, new_part)
        elif before != after:
            raise Unpatchable(f"{cls.__name__}.{name}")
    for name, value in changes:
        setattr(old, name, value)
    return render_only


def write(path: Path, graph: Graph, media: frozenset):
    """Pickle the graph flat: every object as an empty shell first, then their fields. Pickled
    as it is, the graph is one long chain (paper → meeting → committee → meeting → …) and
    pickle recurses along it until the stack ends."""
    objects = _objects(graph)
    shells = {id(obj) for obj in objects}

    class FlatPickler(pickle.Pickler):
        def reducer_override(self, obj):
            if id(obj) in shells:
                return copyreg.__newobj__, (type(obj),)
            return NotImplemented

    with replacing(path) as handle:
        pickle.dump({"version": VERSION, "code": code_digest()}, handle, protocol=pickle.HIGHEST_PROTOCOL)
        FlatPickler(handle, protocol=pickle.HIGHEST_PROTOCOL).dump(
            (media, objects, [obj.__dict__ for obj in objects], graph))


def _objects(graph: Graph) -> list:
    objects = []
    for folder in FOLDERS.values():
        for obj in getattr(graph, folder).values():
            objects.append(obj)
            for owned, owner in OWNED.items():
                if type(obj) is owner:
                    objects.extend(getattr(obj, owned))
    return objects


def write_graph_in_background(path: Path, graph: Graph, media: frozenset):
    """The snapshot of a graph just loaded in full, under a new id (plan_index refers to it)."""
    graph.snapshot_id = uuid.uuid4().hex
    write_in_background(path, lambda target: write(target, graph, media))
