"""The takedown ledger: what the portal must no longer show, one entry per decision.

A YAML file in the town's site folder, beside content/ (TAKEDOWN_LEDGER, default loeschungen.yaml), written by
`ratsinfo takedown add|remove` or by hand, read by every build (plugins/council/withhold.py),
so that a re-import never brings anything back. Each entry does one of three things:

    zurueckhalten: person 17      an object (person, vorlage, sitzung, datei, gremium, top + id,
                                  or its address in the portal or at the source) is withheld
    schwaerzen: "Erika Muster"    a text is replaced wherever it appears; a document whose text
                                  holds it is no longer mirrored
    ersetzen: datei 31            a document is mirrored as the clerk's redacted copy
    durch: loeschungen/31.pdf     (relative to the ledger's folder)

with `grund`, `entschieden_von`, `am` and, optionally, `bis` (the day the entry ends). A withheld
person or paper also takes `namen`: the texts it implies (its name, a paper's reference), noted by
`add` from content/; they are redacted everywhere even after the importer dropped the object. Every
change by the command is appended to an audit log beside the ledger (loeschungen.log, JSON lines).

The importer (importers/publication.py) and the build (plugins/council/withhold.py) apply the
ledger alike, with `redaction_pattern` and `redact_value` below.

Bottom layer: read by the council plugin and the command line; imports neither.
"""

from __future__ import annotations

import difflib
import getpass
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

import yaml

import boundedyaml
from ratsinfo.files import write_atomic

DEFAULT_FILE = "loeschungen.yaml"
LIST_KEY = "eintraege"
ACTIONS = ("zurueckhalten", "schwaerzen", "ersetzen")
FIELDS = ("nr", *ACTIONS, "durch", "namen", "grund", "entschieden_von", "am", "bis")
# The words an entry names an object's kind with, and the graph's kinds they mean.
KINDS = {"person": "person", "vorlage": "paper", "sitzung": "meeting", "datei": "file",
         "gremium": "organization", "top": "agendaitem"}
# A text shorter than this would blank out ordinary words everywhere.
MIN_REDACTION = 3
REDACTED = "[entfernt]"
# Fields that name, not show: never redacted (a redacted address field is dropped instead).
KEEP_FIELDS = frozenset({"id", "slug", "media", "text", "text_path", "media_type", "mime_type", "item_id", "change",
                         "role", "version"})
ADDRESS_FIELDS = frozenset({"source", "web", "access_url", "download_url", "website"})

HEADER = """\
# Löschliste dieses Portals (ratsinfo takedown). Jeder Build wendet sie an, nach jedem Import:
# was hier steht, erscheint auf keiner Seite, in keinem Suchindex, Feed, Kalender, keiner
# Sitemap und keiner Schnittstelle. Am besten mit `ratsinfo takedown add` ändern: das prüft
# die Felder und schreibt das Protokoll loeschungen.log. Anleitung: docs/takedown.md.
"""


class LedgerError(Exception):
    """The ledger cannot be used; the message (German) names file, line and what to write."""


@dataclass(frozen=True)
class Target:
    """What an entry names: a kind and id (`person 17`), or an address (portal or source)."""

    kind: str | None = None
    id: str | None = None
    address: str | None = None

    def __str__(self):
        if self.address:
            return self.address
        word = next(word for word, kind in KINDS.items() if kind == self.kind)
        return f"{word} {self.id}"


@dataclass(frozen=True)
class Entry:
    nr: int
    action: str                 # one of ACTIONS
    target: Target | None       # zurueckhalten, ersetzen
    text: str | None            # schwaerzen
    replacement: Path | None    # ersetzen: the clerk's redacted copy (absolute)
    reason: str
    decided_by: str
    decided_on: date
    until: date | None = None
    line: int = 0
    names: tuple[str, ...] = ()  # zurueckhalten: the texts the object implies (`namen`)

    def active(self, today: date) -> bool:
        return self.until is None or today <= self.until

    @property
    def what(self) -> str:
        return self.text if self.action == "schwaerzen" else str(self.target)

    def as_yaml(self) -> dict:
        data = {"nr": self.nr, self.action: self.what}
        if self.replacement is not None:
            data["durch"] = str(self.replacement)
        if self.names:
            data["namen"] = list(self.names)
        data.update({"grund": self.reason, "entschieden_von": self.decided_by, "am": self.decided_on})
        if self.until is not None:
            data["bis"] = self.until
        return data


@dataclass
class Ledger:
    path: Path
    entries: list[Entry] = field(default_factory=list)

    def active(self, today: date) -> list[Entry]:
        return [entry for entry in self.entries if entry.active(today)]


def ledger_path(content: Path, setting: str | None) -> Path:
    """TAKEDOWN_LEDGER: absolute (ratsinfo/site.py makes a site's setting so), or relative to the
    folder that holds content/, which is the site folder."""
    path = Path(setting or DEFAULT_FILE)
    return path if path.is_absolute() else Path(content).absolute().parent / path


def log_path(ledger: Path) -> Path:
    return ledger.with_suffix(".log")


def parse_target(text: str) -> Target:
    """`person 17`, `vorlage 42`, `top 7`, or an address: a portal page (personen/17.html, with
    or without host) or the object's address at the source (its OParl URL)."""
    text = str(text).strip()
    word, _, rest = text.partition(" ")
    if word.lower() in KINDS and rest.strip() and " " not in rest.strip():
        return Target(KINDS[word.lower()], rest.strip())
    if "/" in text and " " not in text:
        return Target(address=text)
    raise ValueError(f"{text!r} nennt kein Objekt; erwartet ist Art und Id (z. B. \"person 17\", "
                     f"\"vorlage 42\"; Arten: {', '.join(KINDS)}) oder die Adresse der Seite im Portal "
                     f"(z. B. personen/17.html) oder in der Quelle")


def load(path: Path, today: date | None = None) -> Ledger:
    """The ledger, every field checked; a missing file is an empty ledger unless its audit log
    exists (then the ledger was lost, and building without it would publish what it withheld)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if log_path(path).exists():
            raise LedgerError(f"{path} fehlt, aber das Protokoll {log_path(path)} gibt es: die Löschliste ist "
                              f"verloren gegangen. Aus der Sicherung zurückholen; ohne sie würde der Build "
                              f"wieder veröffentlichen, was sie zurückhält.") from None
        return Ledger(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise LedgerError(f"{path} lässt sich nicht lesen ({exc}); als UTF-8-Text speichern.") from None
    try:
        root = boundedyaml.compose(text, str(path))
        data = boundedyaml.load(text, str(path))
    except yaml.YAMLError as exc:
        raise LedgerError(str(exc)) from None
    if root is None or data is None:
        return Ledger(path)
    if not isinstance(root, yaml.MappingNode) or not isinstance(data, dict):
        raise LedgerError(f"{path}, Zeile {_line(root)}: erwartet ist „{LIST_KEY}:“ und darunter die Einträge.")
    for key_node, _ in root.value:
        if key_node.value != LIST_KEY:
            raise LedgerError(f"{path}, Zeile {_line(key_node)}: unbekanntes Feld {key_node.value!r}"
                              f"{_suggest(key_node.value, (LIST_KEY,))}; erlaubt ist nur „{LIST_KEY}:“.")
    items_node = next(node for key, node in root.value if key.value == LIST_KEY)
    items = data.get(LIST_KEY) or []
    if not isinstance(items, list):
        raise LedgerError(f"{path}, Zeile {_line(items_node)}: unter „{LIST_KEY}:“ steht eine Liste, "
                          f"jeder Eintrag beginnt mit „- nr:“.")
    entries, seen = [], {}
    for node, item in zip(items_node.value, items):
        entry = _entry(path, node, item)
        if entry.nr in seen:
            raise LedgerError(f"{path}, Zeile {entry.line}: die Nummer {entry.nr} hat schon der Eintrag in "
                              f"Zeile {seen[entry.nr]}; jede Nummer nur einmal.")
        seen[entry.nr] = entry.line
        entries.append(entry)
    return Ledger(path, entries)


def _entry(path: Path, node, item) -> Entry:
    line = _line(node)
    where = f"{path}, Zeile {line}"
    if not isinstance(node, yaml.MappingNode) or not isinstance(item, dict):
        raise LedgerError(f"{where}: ein Eintrag hat Felder (nr, zurueckhalten/schwaerzen/ersetzen, grund, "
                          f"entschieden_von, am).")
    for key_node, _ in node.value:
        if key_node.value not in FIELDS:
            raise LedgerError(f"{path}, Zeile {_line(key_node)}: unbekanntes Feld {key_node.value!r}"
                              f"{_suggest(key_node.value, FIELDS)}. Erlaubt: {', '.join(FIELDS)}.")
    lines = {key.value: _line(key) for key, _ in node.value}

    def fail(name: str, message: str):
        raise LedgerError(f"{path}, Zeile {lines.get(name, line)}: {name}: {message}")

    nr = item.get("nr")
    if isinstance(nr, bool) or not isinstance(nr, int) or nr < 1:
        fail("nr", "erwartet ist eine ganze Zahl ab 1 (die Nummer des Eintrags)")
    actions = [name for name in ACTIONS if name in item]
    if len(actions) != 1:
        raise LedgerError(f"{where}: Eintrag {nr} braucht genau eines von zurueckhalten, schwaerzen, ersetzen "
                          f"(gefunden: {', '.join(actions) or 'keines'}).")
    action = actions[0]
    target = text = replacement = None
    value = item[action]
    if not isinstance(value, (str, int)) or not str(value).strip():
        fail(action, "erwartet ist ein Text")
    if action == "schwaerzen":
        text = str(value).strip()
        if len(text) < MIN_REDACTION:
            fail(action, f"mindestens {MIN_REDACTION} Zeichen: ein kürzerer Text träfe gewöhnliche Wörter")
    else:
        try:
            target = parse_target(str(value))
        except ValueError as exc:
            fail(action, str(exc))
    if action == "ersetzen":
        if target.kind not in (None, "file"):
            fail(action, "ersetzt wird nur ein Dokument (datei ID oder seine Adresse)")
        if not isinstance(item.get("durch"), str) or not item["durch"].strip():
            fail("durch", "fehlt: die geschwärzte Fassung, als Pfad relativ zum Ordner der Löschliste")
        replacement = (path.parent / item["durch"].strip()).absolute()
        if not replacement.is_file():
            fail("durch", f"{replacement} gibt es nicht")
    elif "durch" in item:
        fail("durch", "gehört nur zu ersetzen")
    names = item.get("namen") or []
    if "namen" in item and action != "zurueckhalten":
        fail("namen", "gehört nur zu zurueckhalten")
    if not isinstance(names, list) or not all(isinstance(n, str) and len(n.strip()) >= MIN_REDACTION for n in names):
        fail("namen", f"erwartet ist eine Liste von Texten mit mindestens {MIN_REDACTION} Zeichen")
    reason = _text(item, "grund", fail)
    decided_by = _text(item, "entschieden_von", fail)
    decided_on = _day(item.get("am"), "am", fail, required=True)
    until = _day(item.get("bis"), "bis", fail, required=False)
    if until is not None and until < decided_on:
        fail("bis", "liegt vor dem Tag der Entscheidung (am)")
    return Entry(nr, action, target, text, replacement, reason, decided_by, decided_on, until, line,
                 tuple(n.strip() for n in names))


def _text(item: dict, name: str, fail) -> str:
    value = item.get(name)
    if not isinstance(value, str) or not value.strip():
        fail(name, "fehlt oder ist leer; erwartet ist ein Text")
    return value.strip()


def _day(value, name: str, fail, required: bool) -> date | None:
    if value is None:
        if required:
            fail(name, "fehlt; erwartet ist ein Datum wie 2026-05-01")
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        fail(name, f"{value!r} ist kein Datum; erwartet ist z. B. 2026-05-01")


def _line(node) -> int:
    return node.start_mark.line + 1 if node is not None and node.start_mark else 1


def _suggest(name: str, allowed) -> str:
    close = difflib.get_close_matches(str(name), list(allowed), n=1, cutoff=0.6)
    return f" – meinten Sie {close[0]!r}?" if close else ""


# Changing the ledger: only through these, so that each change is checked and logged.

def add(path: Path, action: str, what: str, reason: str, decided_by: str, decided_on: date,
        until: date | None = None, replacement: str | None = None, names: list[str] = ()) -> Entry:
    """Append an entry (checked like the whole file) and log it; comments in the file stay."""
    path = Path(path)
    ledger = load(path)
    nr = max((entry.nr for entry in ledger.entries), default=0) + 1
    data = {"nr": nr, action: what}
    if replacement is not None:
        data["durch"] = replacement
    if names:
        data["namen"] = list(names)
    data.update({"grund": reason, "entschieden_von": decided_by, "am": decided_on})
    if until is not None:
        data["bis"] = until
    block = yaml.safe_dump([data], allow_unicode=True, sort_keys=False, width=1000)
    old = path.read_text(encoding="utf-8") if path.exists() else None
    if old is None or not ledger.entries and LIST_KEY not in old:
        base = old if old is not None else HEADER
        new = base + ("" if base.endswith("\n") else "\n") + f"{LIST_KEY}:\n" + block
    else:
        new = old + ("" if old.endswith("\n") else "\n") + _indented(block, _item_indent(old))
    entry = _checked_write(path, new, old, lambda ledger: next(e for e in ledger.entries if e.nr == nr))
    _log(path, "add", entry)
    return entry


def remove(path: Path, nr: int, reason: str | None = None) -> Entry:
    """End entry `nr`: it leaves the ledger (the audit log keeps it); the object returns at the next build."""
    path = Path(path)
    ledger = load(path)
    entry = next((e for e in ledger.entries if e.nr == nr), None)
    if entry is None:
        known = ", ".join(str(e.nr) for e in ledger.entries) or "keine"
        raise LedgerError(f"{path}: einen Eintrag {nr} gibt es nicht (Einträge: {known}).")
    old = path.read_text(encoding="utf-8")
    lines = old.splitlines(keepends=True)
    after = [e.line for e in ledger.entries if e.line > entry.line]
    end = min(after) - 1 if after else len(lines)
    new = "".join(lines[:entry.line - 1] + lines[end:])
    _checked_write(path, new, old, lambda ledger: None)
    _log(path, "remove", entry, reason)
    return entry


def _item_indent(text: str) -> int:
    match = re.search(rf"^{LIST_KEY}:\s*\n(?:\s*#.*\n)*( *)- ", text, re.MULTILINE)
    return len(match.group(1)) if match else 0


def _indented(block: str, indent: int) -> str:
    return "".join(" " * indent + line if line.strip() else line for line in block.splitlines(keepends=True))


def _checked_write(path: Path, new: str, old: str | None, pick):
    """Write `new` only if it reads back as a valid ledger; the file stays as it was otherwise."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, new.encode("utf-8"))
    try:
        return pick(load(path))
    except (LedgerError, StopIteration):
        if old is None:
            path.unlink()
        else:
            write_atomic(path, old.encode("utf-8"))
        raise


def _log(path: Path, action: str, entry: Entry, reason: str | None = None):
    """One line per change, appended: when, who (the account that ran the command), what."""
    record = {"zeit": datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds"),
              "benutzer": getpass.getuser(), "aktion": action,
              "eintrag": json.loads(json.dumps(entry.as_yaml(), default=str))}
    if reason:
        record["begruendung"] = reason
    with open(log_path(path), "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def read_log(path: Path) -> list[dict]:
    try:
        return [json.loads(line) for line in log_path(path).read_text(encoding="utf-8").splitlines() if line]
    except FileNotFoundError:
        return []


# Applying it: one rule for the importer and the build.

def redaction_pattern(texts) -> re.Pattern | None:
    """The redacted texts as one case-insensitive pattern (the longest first), or None."""
    texts = sorted({t for t in texts if t}, key=len, reverse=True)
    return re.compile("|".join(re.escape(t) for t in texts), re.IGNORECASE) if texts else None


def redact_value(value, pattern: re.Pattern, field: str | None = None, keep=KEEP_FIELDS):
    """`value` with every text `pattern` finds replaced by REDACTED, however deeply nested; fields
    that name (`keep`) stay, an address field that holds it is dropped (returns None)."""
    if isinstance(value, str):
        if field in keep or not pattern.search(value):
            return value
        return None if field in ADDRESS_FIELDS else pattern.sub(REDACTED, value)
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            item = redact_value(item, pattern, key, keep)
            if item is not None or value[key] is None:
                out[key] = item
        return out
    if isinstance(value, list):
        return [out for item in value
                if (out := redact_value(item, pattern, field, keep)) is not None or item is None]
    return value


def implied_names(name: str | None, *more: str | None) -> list[str]:
    """What withholding an object redacts besides it: its names (a person's name, and given and
    family name together; a paper's name and reference), long enough to be redacted."""
    return [text.strip() for text in dict.fromkeys([name, *more]) if text and len(text.strip()) >= MIN_REDACTION]
