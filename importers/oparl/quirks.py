"""What real OParl servers send that the spec does not allow, handled in one place.

Each function names the vendors and the evidence (research/oparl.md §3). The rest
of the importer sees only what these functions return.
"""

from __future__ import annotations

import re

from importers import publication
from importers.report import Report

# CC e-gov ALLRIS sends "N/A" and blanks for missing values (C1); Karlsruhe's
# SessionNet keeps "" in tombstones (M11). All of them mean "absent".
_ABSENT = {"", "n/a", "N/A", "-"}

# "+01::00" instead of "+01:00" (CC e-gov, Bonn 2019; research/oparl.md C5).
_DOUBLE_COLON_OFFSET = re.compile(r"([+-]\d{2})::(\d{2})$")

# Unescaped control characters inside JSON strings (CC e-gov, Braunschweig paper
# 1664; research/oparl.md C3): source.parse_json accepts them, this removes them.
# Tab, line feed and carriage return are text; the rest never is.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def is_absent(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() in _ABSENT)


def _clean_string(value: str) -> str:
    return _DOUBLE_COLON_OFFSET.sub(r"\1:\2", _CONTROL.sub("", value))


def clean_values(obj: dict) -> dict:
    """Drop absent values, strip control characters and repair broken offsets in top-level fields.

    An array stays, even when empty: a mandatory array is `[]` when it has no
    entries (spec 2-04), which is not the same as a missing field.
    """
    cleaned = {}
    for key, value in obj.items():
        if isinstance(value, str):
            value = _clean_string(value)
            if is_absent(value):
                continue
        elif isinstance(value, list):
            value = [_clean_string(v) if isinstance(v, str) else v for v in value]
            value = [v for v in value if not is_absent(v)]
        elif value is None:
            continue
        cleaned[key] = value
    return cleaned


def as_list(value) -> list:
    """A scalar where the spec wants an array (CC e-gov auxiliaryFile, C2; G6)."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def link(value) -> str | None:
    """The URL of a linked object, also when the server embedded the object instead
    (Sternberg Person.location, S7; "seen in the wild", G6)."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


# Fields that hold arrays of embedded objects or of URLs (spec 1.1 §3). After the
# walk an embedded array is a list of ids, a single embedded object one id.
_ARRAY_FIELDS = {
    "Body": ("legislativeTerm", "equivalent"),
    "Organization": ("membership", "post"),
    "Person": ("membership", "title", "email", "phone", "status"),
    "Meeting": ("organization", "participant", "auxiliaryFile", "agendaItem"),
    "AgendaItem": ("auxiliaryFile",),
    "Paper": (
        "relatedPaper", "superordinatedPaper", "subordinatedPaper", "auxiliaryFile", "location",
        "originatorPerson", "underDirectionOf", "originatorOrganization", "consultation",
    ),
    "Consultation": ("organization",),
    "File": ("derivativeFile",),
}
# Fields that hold URLs, never embedded objects (spec 1.1 §3; Person.location is a
# URL in 1.0 and 1.1, the embedded form is the separate locationObject).
_LINK_FIELDS = {
    "Body": ("system",),
    "Organization": ("membership", "subOrganizationOf", "externalBody"),
    "Person": ("location",),
    "Membership": ("person", "organization", "onBehalfOf"),
    "Meeting": ("organization", "participant"),
    "AgendaItem": ("meeting", "consultation"),
    "Paper": (
        "relatedPaper", "superordinatedPaper", "subordinatedPaper", "originatorPerson",
        "underDirectionOf", "originatorOrganization",
    ),
    "Consultation": ("paper", "agendaItem", "meeting", "organization"),
    "File": ("masterFile", "derivativeFile"),
}


def shape_problems(obj: dict, kind: str) -> list[str]:
    """Report texts for values in the wrong shape: a single value where the spec
    wants an array (C2, G6), an embedded object where it wants a URL (S7, G6)."""
    problems = []
    for name in _ARRAY_FIELDS.get(kind, ()):
        if name in obj and not isinstance(obj[name], list):
            problems.append(f"Einzelwert statt Liste ({kind}.{name})")
    for name in _LINK_FIELDS.get(kind, ()):
        if any(isinstance(value, dict) for value in as_list(obj.get(name))):
            problems.append(f"Eingebettetes Objekt statt URL ({kind}.{name})")
    return problems


def is_tombstone(obj: dict) -> bool:
    """Deleted objects: `deleted: true`, or Sternberg's stubs without type and name (S1)."""
    if obj.get("deleted") is True:
        return True
    return "type" not in obj and set(obj) <= {"id", "created", "modified", "deleted"}


def single_object(payload):
    """An object fetched alone: Sternberg sends an array (S9), Lahr `null` or `{}` (S23)."""
    if isinstance(payload, list):
        payload = payload[0] if payload else None
    if isinstance(payload, dict) and payload.get("id"):
        return payload
    return None


def list_page(page, url: str, report: Report) -> tuple[list, str | None]:
    """Return (objects, next URL) of one list page, whatever shape the server chose."""
    if isinstance(page, list):
        # Sternberg answers an empty filtered list with a bare [] (S4).
        if page:
            report.problem("Liste als JSON-Array statt Listenobjekt", url)
        return page, None
    if not isinstance(page, dict):
        report.problem("Listenseite ist kein JSON-Objekt", url)
        return [], None
    if "data" not in page:
        if page.get("id"):
            # Krefeld's /body returns one Body instead of a list (S5).
            report.problem("Einzelobjekt statt Liste", url)
            return [page], None
        report.problem("Listenseite ohne data", url)
        return [], None
    data = page.get("data")
    if not isinstance(data, list):
        report.problem("data ist keine Liste", url)
        data = []
    links = page.get("links") if isinstance(page.get("links"), dict) else {}
    next_url = links.get("next")
    return data, next_url if isinstance(next_url, str) and next_url else None


# Sternberg SD.NET has no AgendaItem.public: the agenda is split by heading items
# "A Öffentliche Sitzung" / "B Nichtöffentliche Sitzung" (Hürtgenwald, 606 headings
# in 346 meetings; research/oparl.md §2.3, S19). Six of its meetings (2008–2014) use
# "< Sitzungsteil öffentlich >" / "< Sitzungsteil nichtöffentlich >" instead (11×).
_NON_PUBLIC_HEADING = re.compile(
    r"^\s*(nicht\s*-?\s*öffentlich(e|er)?\s+(sitzung|teil)\b|<\s*sitzungsteil\s+nicht\s*-?\s*öffentlich\b)",
    re.IGNORECASE,
)
_PUBLIC_HEADING = re.compile(
    r"^\s*(öffentlich(e|er)?\s+(sitzung|teil)\b|<\s*sitzungsteil\s+öffentlich\b)", re.IGNORECASE
)


def is_agenda_heading(item: dict) -> bool:
    """A Sternberg heading item ("Nichtöffentliche Sitzung", "< Sitzungsteil öffentlich >")."""
    name = item.get("name") if isinstance(item.get("name"), str) else ""
    return not item.get("consultation") and bool(_NON_PUBLIC_HEADING.match(name) or _PUBLIC_HEADING.match(name))


def agenda_publicity(items: list[dict], report: Report, withheld_before: set[str] = frozenset()) -> list[bool]:
    """Whether each agenda item is public, in agenda order.

    Each item's own flag, or its absence, is judged by the publication rule
    (importers/publication.agenda_item_public: only `true` publishes; without a
    flag, an item an earlier run withheld stays withheld). What is quirk here:
    servers without the flag mark the closed part by a heading, so items after
    a non-public heading are non-public (the heading itself too).
    """
    result = []
    in_non_public_part = False
    for item in items:
        name = item.get("name") if isinstance(item.get("name"), str) else ""
        if not item.get("consultation"):
            if _NON_PUBLIC_HEADING.match(name):
                in_non_public_part = True
            elif _PUBLIC_HEADING.match(name):
                in_non_public_part = False
        public = publication.agenda_item_public(item, report, withheld_before)
        result.append(public and not in_non_public_part)
    return result
