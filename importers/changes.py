"""What changed since the last import: the change record of meetings and papers, the versions of documents.

The content writer (importers/content.py) compares each object as it will be written with the
file the last run wrote, so every source (OParl, SQL) gets the same record, and both sides of
the comparison are already published data. Decisions made here (docs/content-format.md,
"Änderungen"):

- The first import of a content folder is the baseline: it records nothing. An object that
  appears later gets one entry (`agenda_published` for a meeting with an agenda), not one per
  agenda item.
- Nothing non-public enters the record: changes of non-public agenda items are never noted,
  and when an item becomes non-public, every entry about it goes (as the item's text goes from
  the agenda). The entries say only what the agenda shows, with the date the change was seen.
- A document whose extracted text (or copy) changed gets a new version; the previous text is
  kept beside it as `<id>.v<n>.txt`, so that the paper page can show what changed.
"""

from __future__ import annotations

from difflib import SequenceMatcher

# Enough for a meeting's whole history, bounded against a source that changes every run.
MAX_CHANGES = 200
# Old versions kept per document (their texts lie in content/files/).
MAX_VERSIONS = 10
MEETING_DOCUMENTS = ("invitation", "results_protocol", "verbatim_protocol")
# The meeting documents that are minutes (the feed "Neue Niederschriften").
MINUTES = ("results_protocol", "verbatim_protocol")
PAPER_DOCUMENTS = ("main_file",)


def meeting_changes(before: dict | None, after: dict, seen: str, versioned: dict[str, int]) -> list[dict]:
    """The meeting's record as it is to be written: the kept entries and what is new since `before`
    (None: the meeting is new in this run, which is not the first)."""
    items = {item.get("id"): item for item in after.get("agenda", []) if isinstance(item, dict)}
    closed = {item_id for item_id, item in items.items() if item.get("public") is not True}
    kept = [c for c in _entries(before) if c.get("item") not in closed]
    new: list[dict] = []
    if before is None or not _public_items(before):
        if _public_items(after) or after.get("invitation"):
            new.append({"change": "agenda_published"})
        before = {**(before or {}), "agenda": []}
    else:
        new += _agenda_changes(before, after)
    if before.get("start") and after.get("start") and before["start"] != after["start"]:
        new.append({"change": "meeting_moved", "from": before["start"], "to": after["start"]})
    if after.get("cancelled") is True and before.get("cancelled") is not True:
        new.append({"change": "meeting_cancelled"})
    new += _documents(before, after, MEETING_DOCUMENTS, versioned)
    return _bounded(kept + [{"seen": seen, **entry} for entry in new])


def paper_changes(before: dict | None, after: dict, seen: str, versioned: dict[str, int]) -> list[dict]:
    """The paper's record: new documents and new versions of its documents."""
    kept = _entries(before)
    new = _documents(before or {}, after, PAPER_DOCUMENTS, versioned) if before is not None else []
    return _bounded(kept + [{"seen": seen, **entry} for entry in new])


def _entries(data: dict | None) -> list[dict]:
    changes = (data or {}).get("changes")
    return [c for c in changes if isinstance(c, dict)] if isinstance(changes, list) else []


def _bounded(entries: list[dict]) -> list[dict]:
    return entries[-MAX_CHANGES:]


def _public_items(data: dict) -> list[dict]:
    return [i for i in data.get("agenda", []) if isinstance(i, dict) and i.get("public") is True]


def _agenda_changes(before: dict, after: dict) -> list[dict]:
    """Items added, withdrawn, moved (out of the order the others keep) and results entered: of
    public items only, with what the agenda shows of them."""
    old = {i.get("id"): i for i in before.get("agenda", []) if isinstance(i, dict)}
    new = {i.get("id"): i for i in after.get("agenda", []) if isinstance(i, dict)}
    out = []
    for item_id, item in new.items():
        if item_id not in old and item.get("public") is True:
            out.append({"change": "item_added", **_shown(item)})
    for item_id, item in old.items():
        if item_id not in new and item.get("public") is True:
            out.append({"change": "item_withdrawn", **_shown(item)})
    # Moved: not in the longest run of items that kept their order (an item inserted before
    # others renumbers them, but moves nothing).
    both_old = [i for i in old if i in new]
    both_new = [i for i in new if i in old]
    staying = set()
    for block in SequenceMatcher(None, both_old, both_new, autojunk=False).get_matching_blocks():
        staying.update(both_old[block.a:block.a + block.size])
    for item_id in both_new:
        item = new[item_id]
        if item_id not in staying and item.get("public") is True and old[item_id].get("public") is True:
            out.append({"change": "item_moved", **_shown(item), "from": old[item_id].get("number")})
    for item_id in both_new:
        item, was = new[item_id], old[item_id]
        if item.get("public") is True and was.get("public") is True and item.get("result") \
                and item.get("result") != was.get("result"):
            out.append({"change": "result", **_shown(item), "result": item["result"]})
    return [{k: v for k, v in entry.items() if v is not None} for entry in out]


def _shown(item: dict) -> dict:
    return {"item": item.get("id"), "number": item.get("number"), "name": item.get("name")}


def _documents(before: dict, after: dict, roles: tuple, versioned: dict[str, int]) -> list[dict]:
    """Documents new to the object (in one of `roles` or among its other files), and new versions."""
    def files(data: dict) -> dict[str, str]:
        found = {data[role]: role for role in roles if isinstance(data.get(role), str)}
        for f in data.get("auxiliary_files") or []:
            found.setdefault(f, "auxiliary_files")
        return found

    old, now = files(before), files(after)
    out = [{"change": "document_added", "file": f, "role": role} for f, role in now.items() if f not in old]
    out += [{"change": "document_version", "file": f, "role": role, "version": versioned[f]}
            for f, role in now.items() if f in old and f in versioned]
    return out


def new_version(previous: dict, data: dict, old_text: bytes | None, new_text: bytes | None) -> bool:
    """Whether the document changed since the last run: its copy or its extracted text differs
    (a failed download, which leaves no copy, is no new version)."""
    if previous.get("media_sha512") and data.get("media_sha512"):
        if previous["media_sha512"] != data["media_sha512"]:
            return True
    return old_text is not None and new_text is not None and old_text != new_text


def versions_after(previous: dict, object_id: str, seen: str, old_text: bytes | None) -> tuple[list[dict], dict]:
    """The document's versions once its current one is replaced: the old one noted with the day it
    was replaced, and its text as a file to keep (name -> bytes); the oldest beyond MAX_VERSIONS go."""
    versions = kept_versions(previous)
    number = (versions[-1]["version"] if versions else 0) + 1
    entry = {"version": number, "until": seen}
    texts = {}
    if old_text is not None:
        entry["text"] = f"{object_id}.v{number}.txt"
        texts[entry["text"]] = old_text
    return (versions + [entry])[-MAX_VERSIONS:], texts


def kept_versions(previous: dict) -> list[dict]:
    versions = previous.get("versions")
    if not isinstance(versions, list):
        return []
    return [v for v in versions if isinstance(v, dict) and isinstance(v.get("version"), int)]
