"""What changed between two versions of a document's text, as the paper page shows it.

A readable diff, not a patch: the text's lines compared (difflib), changed lines again word by
word, unchanged stretches shortened to a line of context. Bounded for any document: only the
first MAX_TEXT characters of each version are compared, at most MAX_ROWS rows are shown, and a
changed block longer than MAX_WORD_DIFF characters is shown whole (removed, then added) instead
of word by word (difflib is quadratic in the worst case). The template marks each part with
<ins>/<del> and a text for screen readers (theme/templates/_changes.html).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

MAX_TEXT = 200_000
MAX_ROWS = 300
MAX_WORD_DIFF = 4_000
CONTEXT = 1


@dataclass(frozen=True)
class Part:
    op: str      # "same", "ins", "del"
    text: str

    @property
    def inserted(self) -> bool:
        return self.op == "ins"

    @property
    def deleted(self) -> bool:
        return self.op == "del"


@dataclass
class Diff:
    # Rows of Parts. A row of None: unchanged lines left out.
    rows: list = field(default_factory=list)
    truncated: bool = False   # the texts were longer than MAX_TEXT or the diff than MAX_ROWS
    changed: bool = False     # whether the texts differ at all (in what was compared)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text[:MAX_TEXT].splitlines() if line.strip()]


def _words(text: str) -> list[str]:
    return re.findall(r"\S+\s*", text)


def text_diff(old: str, new: str) -> Diff:
    diff = Diff(truncated=len(old) > MAX_TEXT or len(new) > MAX_TEXT)
    a, b = _lines(old), _lines(new)
    opcodes = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            same = a[i1:i2]
            head = same[:CONTEXT] if index > 0 else []
            tail = same[-CONTEXT:] if index < len(opcodes) - 1 else []
            if len(same) <= len(head) + len(tail):
                diff.rows += [[("same", line)] for line in same]
            else:
                diff.rows += [[("same", line)] for line in head] + [None] + [[("same", line)] for line in tail]
            continue
        diff.changed = True
        old_part, new_part = "\n".join(a[i1:i2]), "\n".join(b[j1:j2])
        if op == "replace" and len(old_part) + len(new_part) <= MAX_WORD_DIFF:
            diff.rows += _word_rows(old_part, new_part)
        else:
            diff.rows += [[("del", line)] for line in a[i1:i2]] + [[("ins", line)] for line in b[j1:j2]]
    if len(diff.rows) > MAX_ROWS:
        diff.rows, diff.truncated = diff.rows[:MAX_ROWS], True
    if not diff.changed:
        diff.rows = []
    diff.rows = [None if row is None else [Part(op, text) for op, text in row] for row in diff.rows]
    return diff


def _word_rows(old: str, new: str) -> list[list[tuple[str, str]]]:
    """Changed lines word by word; a row per line of the new text."""
    a, b = _words(old), _words(new)
    parts: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("del", "".join(a[i1:i2])))
        if j2 > j1:
            parts.append(("ins", "".join(b[j1:j2])))
    rows, row = [], []
    for op, text in parts:
        pieces = text.split("\n")
        for n, piece in enumerate(pieces):
            if n > 0:
                rows.append(row)
                row = []
            if piece:
                row.append((op, piece))
    return rows + ([row] if row else [])


@dataclass
class VersionView:
    number: int
    until: object            # the day it was replaced
    diff: Diff               # what changed from it to the next version


@dataclass
class DocumentHistory:
    file: object
    current: int             # the current version's number
    versions: list           # VersionView, newest first


def histories(files) -> list[DocumentHistory]:
    """Per document with earlier versions: each version and what changed to the next (the last one:
    to the current text). Made when the page is rendered (plugins/council/plan.py, `load`)."""
    out = []
    for f in files:
        if f is None or not f.versions:
            continue
        texts = [v.read_text() for v in f.versions] + [f.read_text()]
        views = [VersionView(v.number, v.until, text_diff(texts[n], texts[n + 1])) for n, v in enumerate(f.versions)]
        out.append(DocumentHistory(f, f.versions[-1].number + 1, views[::-1]))
    return out
