"""YAML with a cap on aliases, for every file ratsinfo reads: content/ and SQL mappings.

Why a package of its own: both rooms read YAML from places they do not control
(content/ may be edited by hand or written by an older version; a mapping comes
from the webmaster), and by the one-way rule of docs/architecture.md importers/
may not import plugins/ nor the other way round. This tiny package knows neither
room, so both may import it.

Why a cap: a YAML alias repeats a whole subtree. Nested aliases ("billion
laughs") let a 1 KB file expand to gigabytes as soon as anything walks or
prints the value (issue 13: 6.7 GB from one content file). Our importer never
writes aliases, and the neutral mapping uses none. With at most MAX_ALIASES
aliases the expansion is bounded (b aliases on each of L levels, b·L <= 16,
repeat a subtree at most 3^5 ≈ 250 times), so a hand-written file may still use
a few.
"""

from __future__ import annotations

import yaml

try:
    _SafeLoader = yaml.CSafeLoader
except AttributeError:  # PyYAML without libyaml
    _SafeLoader = yaml.SafeLoader


class Loader(_SafeLoader):
    """The safe loader, except that a date that does not exist (2025-02-30) stays text: the
    reader reports it with its file and line (plugins/council/problems.py) instead of YAML
    stopping with Python's "day is out of range for month"."""


def _timestamp_or_text(loader, node):
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)

MAX_ALIASES = 16


class TooManyAliases(yaml.YAMLError):
    """A YAML file uses more aliases than MAX_ALIASES; the message names the file."""

    def __init__(self, source: str, line: int):
        super().__init__(
            f"{source}, Zeile {line}: mehr als {MAX_ALIASES} YAML-Aliase (*name) – so eine Datei kann "
            "beim Lesen Gigabytes an Speicher belegen und wird nicht gelesen. ratsinfo schreibt "
            "keine Aliase: die Datei neu importieren oder die Aliase durch die Werte ersetzen."
        )
        self.source = source
        self.line = line


class InvalidYaml(yaml.YAMLError):
    """A YAML file that does not parse; the message names the file's own line, in German."""

    def __init__(self, source: str, line: int, reason: str):
        super().__init__(f"{source}, Zeile {line}: ungültiges YAML – {reason}. Die Zeile im Editor "
                         "korrigieren oder die Datei neu importieren.")
        self.source = source
        self.line = line


# libyaml's commonest complaints, as a webmaster editing a file by hand meets them.
_REASONS = (
    ("while scanning a quoted scalar", "ein Text in Anführungszeichen wird nicht geschlossen"),
    ("while parsing a flow sequence", "eine mit [ geöffnete Liste wird nicht mit ] geschlossen"),
    ("while parsing a flow mapping", "eine mit { geöffnete Zuordnung wird nicht mit } geschlossen"),
    ("tab character", "ein Tabulator rückt ein; bitte nur Leerzeichen verwenden"),
    ("cannot start any token", "ein Zeichen, mit dem kein Wert beginnen darf (etwa ein Tabulator, "
     "@ oder `); den Wert in Anführungszeichen setzen"),
    ("mapping values are not allowed", "ein Doppelpunkt an unerwarteter Stelle: Einrückung prüfen oder "
     "einen Text mit „: “ in Anführungszeichen setzen"),
    ("expected <block end>", "die Einrückung passt nicht zu den Zeilen davor"),
    ("could not find expected ':'", "nach einem Namen fehlt der Doppelpunkt"),
    ("found undefined alias", "ein Alias (*name) ohne passenden Anker (&name)"),
    ("found duplicate anchor", "ein Anker (&name) steht zweimal"),
)
# Where the error began, not where libyaml noticed it: an unclosed quote or bracket is noticed
# lines later (often at the end of the front matter), but must be fixed where it was opened.
_OPENED_AT = ("while scanning a quoted scalar", "while parsing a flow")


def _invalid(exc: yaml.MarkedYAMLError, source: str, first_line: int) -> InvalidYaml:
    said = f"{exc.context or ''} {exc.problem or ''}"
    opened = exc.context_mark is not None and (exc.context or "").startswith(_OPENED_AT)
    mark = exc.context_mark if opened or exc.problem_mark is None else exc.problem_mark
    reason = next((german for english, german in _REASONS if english in said),
                  "der Text folgt nicht den YAML-Regeln (Einrückung, Doppelpunkte, Anführungszeichen prüfen)")
    return InvalidYaml(source, first_line + (mark.line if mark else 0), reason)


def check_aliases(text: str, source: str, max_aliases: int = MAX_ALIASES, first_line: int = 1):
    """Raise TooManyAliases when `text` holds more than `max_aliases` aliases.

    `first_line` is the line of the file on which `text` starts (front matter
    starts below its `---`), so the message names the line an editor shows.
    An alias is always written with a literal `*`, so text without one needs no
    scan (most files: this runs once per content file on a full build).
    """
    if "*" not in text:
        return
    parser = Loader(text)
    try:
        count = 0
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, yaml.AliasEvent):
                count += 1
                if count > max_aliases:
                    line = first_line + (event.start_mark.line if event.start_mark else 0)
                    raise TooManyAliases(source, line)
    finally:
        parser.dispose()


def load(text: str, source: str, max_aliases: int = MAX_ALIASES, first_line: int = 1):
    """The data of one YAML document (safe types only), after the alias check."""
    try:
        check_aliases(text, source, max_aliases, first_line)
        return yaml.load(text, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        raise _invalid(exc, source, first_line) from None


def compose(text: str, source: str, max_aliases: int = MAX_ALIASES):
    """The node tree of one YAML document (with marks for line numbers), after the alias check."""
    check_aliases(text, source, max_aliases)
    return yaml.compose(text, Loader=yaml.SafeLoader)
