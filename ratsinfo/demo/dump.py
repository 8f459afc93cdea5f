"""Write the town as an offline OParl dump: one file per URL.

`BASE_URL + p` is stored as `p + ".json"`; pages after the first of an
external list keep their query in the file name (`bodies/1/papers?page=2.json`),
PDFs keep their own name (`documents/7.pdf`). importers/oparl/source.py
(DumpSource) reads exactly this layout.

A town at city scale (`papers=N`, city.py) is written leaner: compact JSON,
objects only in their lists (the importer reads everything from the lists;
stored at their ids too, the files' texts would triple the dump), and lists
serialized a page at a time, so the town is never held in memory as JSON.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from ratsinfo.demo.archive import attach_texts, realise
from ratsinfo.demo.oparl import BASE_URL, Serializer, list_path
from ratsinfo.demo.town import build_town

PAGE_SIZE = 50


def write_demo(out_dir: Path, papers: int | None = None, archive: str = "text",
               cache: Path | None = None) -> dict:
    """Write the town into out_dir; return how many objects of each type.

    Without `papers` it is the Muldenau demo; with it, the same town grown to
    that many papers, whose files carry their text instead of a PDF, or with
    `archive="realistic"` real PDFs shaped like a council's (archive.py; made
    PDFs are kept in `cache`), or with `archive="realistic-text"` the same archive's text in
    File.text, as text extraction would read it (archive.attach_texts). The archive's volume is in counts["archive"].
    """
    out_dir = Path(out_dir)
    town = build_town(papers)
    volume = None
    if archive == "realistic" and papers is not None:
        volume = realise(town, out_dir / "documents", cache)
    elif archive == "realistic-text" and papers is not None:
        volume = attach_texts(town)
    elif archive != "text":
        raise ValueError(f"unbekanntes Archiv: {archive}")
    serializer = Serializer(town)
    council = town.council
    demo = papers is None
    _write(out_dir, BASE_URL + "system", serializer.system(), demo)
    _write_list(out_dir, "bodies", [town], lambda _town: serializer.body(), demo)
    lists = {
        "LegislativeTerm": (council.terms, serializer.legislative_term),
        "Location": (council.locations, serializer.location),
        "Organization": (council.organizations, serializer.organization),
        "Person": (council.persons, serializer.person),
        "Membership": (council.memberships, serializer.membership),
        "Meeting": (town.meetings, serializer.meeting),
        "AgendaItem": (town.agenda_items, serializer.agenda_item),
        "Paper": (town.papers, serializer.paper),
        "Consultation": (town.consultations, serializer.consultation),
        "File": (town.files, serializer.file),
    }
    for kind, (objects, serialize) in lists.items():
        _write_list(out_dir, list_path(kind), objects, serialize, demo)
    documents = out_dir / "documents"
    documents.mkdir(parents=True, exist_ok=True)
    for file in town.files:
        if file.content:
            (documents / f"{file.number}.pdf").write_bytes(file.content)
    counts = {"System": 1, "Body": 1}
    counts.update({kind: len(objects) for kind, (objects, _serialize) in lists.items()})
    if volume:
        counts["archive"] = volume
    return counts


def _write(out_dir: Path, url: str, obj: dict, readable: bool):
    path = out_dir / (url[len(BASE_URL):] + ".json")
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(obj, ensure_ascii=False, indent=1 if readable else None)
    path.write_text(text + "\n", encoding="utf-8")


def page_url(path: str, page: int) -> str:
    # The first page carries no query, as servers link it from Body and System.
    return BASE_URL + path + ("" if page == 1 else f"?page={page}")


def _write_list(out_dir: Path, path: str, objects: list, serialize: Callable[[object], dict],
                demo: bool):
    """Write the list's pages; for the demo, each object at its own id as well."""
    total_pages = max(1, -(-len(objects) // PAGE_SIZE))
    for page in range(1, total_pages + 1):
        data = [serialize(o) for o in objects[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]]
        for obj in data if demo else ():
            _write(out_dir, obj["id"], obj, demo)
        links = {"first": page_url(path, 1)}
        if page > 1:
            links["prev"] = page_url(path, page - 1)
        links["self"] = page_url(path, page)
        if page < total_pages:
            links["next"] = page_url(path, page + 1)
        links["last"] = page_url(path, total_pages)
        _write(out_dir, page_url(path, page), {
            "data": data,
            "pagination": {
                "totalElements": len(objects),
                "elementsPerPage": PAGE_SIZE,
                "currentPage": page,
                "totalPages": total_pages,
            },
            "links": links,
        }, demo)
