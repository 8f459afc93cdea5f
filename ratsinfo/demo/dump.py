"""Write the town as an offline OParl dump: one file per URL.

`BASE_URL + p` is stored as `p + ".json"`; pages after the first of an
external list keep their query in the file name (`bodies/1/papers?page=2.json`),
PDFs keep their own name (`documents/7.pdf`). importers/oparl/source.py
(DumpSource) reads exactly this layout.
"""

from __future__ import annotations

import json
from pathlib import Path

from ratsinfo.demo.oparl import BASE_URL, Serializer, list_path
from ratsinfo.demo.town import build_town

PAGE_SIZE = 50


def write_demo(out_dir: Path) -> dict:
    """Write the Muldenau dump into out_dir; return how many objects of each type."""
    out_dir = Path(out_dir)
    town = build_town()
    serializer = Serializer(town)
    council = town.council
    for obj in (serializer.system(), body := serializer.body()):
        _write(out_dir, obj["id"], obj)
    _write_list(out_dir, "bodies", [body])
    lists = {
        "LegislativeTerm": [serializer.legislative_term(t) for t in council.terms],
        "Location": [serializer.location(loc) for loc in council.locations],
        "Organization": [serializer.organization(o) for o in council.organizations],
        "Person": [serializer.person(p) for p in council.persons],
        "Membership": [serializer.membership(m) for m in council.memberships],
        "Meeting": [serializer.meeting(m) for m in town.meetings],
        "AgendaItem": [serializer.agenda_item(i) for i in town.agenda_items],
        "Paper": [serializer.paper(p) for p in town.papers],
        "Consultation": [serializer.consultation(c) for c in town.consultations],
        "File": [serializer.file(f) for f in town.files],
    }
    for kind, objects in lists.items():
        _write_list(out_dir, list_path(kind), objects)
        for obj in objects:
            _write(out_dir, obj["id"], obj)
    documents = out_dir / "documents"
    documents.mkdir(parents=True, exist_ok=True)
    for file in town.files:
        (documents / f"{file.number}.pdf").write_bytes(file.content)
    counts = {"System": 1, "Body": 1}
    counts.update({kind: len(objects) for kind, objects in lists.items()})
    return counts


def _write(out_dir: Path, url: str, obj: dict):
    path = out_dir / (url[len(BASE_URL):] + ".json")
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(obj, ensure_ascii=False, indent=1)
    path.write_text(text + "\n", encoding="utf-8")


def page_url(path: str, page: int) -> str:
    # The first page carries no query, as servers link it from Body and System.
    return BASE_URL + path + ("" if page == 1 else f"?page={page}")


def _write_list(out_dir: Path, path: str, objects: list[dict]):
    total_pages = max(1, -(-len(objects) // PAGE_SIZE))
    for page in range(1, total_pages + 1):
        links = {"first": page_url(path, 1)}
        if page > 1:
            links["prev"] = page_url(path, page - 1)
        links["self"] = page_url(path, page)
        if page < total_pages:
            links["next"] = page_url(path, page + 1)
        links["last"] = page_url(path, total_pages)
        _write(out_dir, page_url(path, page), {
            "data": objects[(page - 1) * PAGE_SIZE: page * PAGE_SIZE],
            "pagination": {
                "totalElements": len(objects),
                "elementsPerPage": PAGE_SIZE,
                "currentPage": page,
                "totalPages": total_pages,
            },
            "links": links,
        })
