"""Write the catalogue template theme/translations/messages.pot from the templates and the plugins.

    python -m plugins.i18n.extract            # after changing a text in theme/templates/ or plugins/

Templates: every `_()`, `gettext()`, `pgettext()`, `ngettext()` and `{% trans %}` (Jinja's own
extractor). Python: calls of `N_()`, `….gettext()`, `….pgettext()` and `….ngettext()` with literal
texts (see plugins/council/format.py). No Babel needed; the output has no date in it, so it only
changes when a text changes (tests/test_i18n.py checks the shipped file is current).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from jinja2 import Environment

from plugins.i18n.catalogue import Extension

PROJECT = Path(__file__).resolve().parents[2]
TEMPLATES = PROJECT / "theme" / "templates"
PYTHON_SOURCES = PROJECT / "plugins"
POT = PROJECT / "theme" / "translations" / "messages.pot"

HEADER = """\
# Texte des Ratsinformationsportals ratsinfo. Die deutschen Texte sind die msgids.
# Nicht von Hand ändern: python -m plugins.i18n.extract
# Eine Sprache hinzufügen: docs/i18n.md
msgid ""
msgstr ""
"Project-Id-Version: ratsinfo\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"""

# (msgctxt, msgid, msgid_plural) → where it occurs
Messages = dict[tuple[str | None, str, str | None], list[str]]


class ExtractError(Exception):
    pass


def template_messages(folder: Path = TEMPLATES) -> Messages:
    # The same lexer options as JINJA_ENVIRONMENT in pelicanconf.py: they shape {% trans %} msgids.
    env = Environment(extensions=[Extension], trim_blocks=True, lstrip_blocks=True)
    messages: Messages = {}
    for template in sorted(folder.rglob("*.html")):
        where = template.relative_to(PROJECT).as_posix() if template.is_relative_to(PROJECT) else template.name
        for line, function, strings in env.extract_translations(template.read_text(encoding="utf-8")):
            _add(messages, function, strings if isinstance(strings, tuple) else (strings,), f"{where}:{line}")
    return messages


def python_messages(folder: Path = PYTHON_SOURCES) -> Messages:
    messages: Messages = {}
    for source in sorted(folder.rglob("*.py")):
        tree = ast.parse(source.read_text(encoding="utf-8"), str(source))
        where = source.relative_to(PROJECT).as_posix() if source.is_relative_to(PROJECT) else source.name
        calls = sorted((n for n in ast.walk(tree) if isinstance(n, ast.Call)), key=lambda n: (n.lineno, n.col_offset))
        for node in calls:
            function = node.func.id if isinstance(node.func, ast.Name) else (
                node.func.attr if isinstance(node.func, ast.Attribute) else None)
            if function not in ("N_", "gettext", "pgettext", "ngettext"):
                continue
            strings = tuple(a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
                            for a in node.args)
            _add(messages, "gettext" if function == "N_" else function, strings, f"{where}:{node.lineno}",
                 literal_only=False)
    return messages


def pot_text(messages: Messages) -> str:
    parts = [HEADER]
    for (context, msgid, plural), places in messages.items():
        entry = ["", f"#: {' '.join(places)}"]
        if "%(" in msgid:
            entry.append("#, python-format")
        if context is not None:
            entry.append(f"msgctxt {_quote(context)}")
        entry.append(f"msgid {_quote(msgid)}")
        if plural is not None:
            entry += [f"msgid_plural {_quote(plural)}", 'msgstr[0] ""', 'msgstr[1] ""']
        else:
            entry.append('msgstr ""')
        parts.append("\n".join(entry) + "\n")
    return "".join(parts)


def current_pot() -> str:
    messages = template_messages()
    for key, places in python_messages().items():
        messages.setdefault(key, []).extend(places)
    return pot_text(messages)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else POT
    try:
        text = current_pot()
    except ExtractError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"{target}: {text.count('msgid ') - 1} Texte")
    return 0


def _add(messages: Messages, function: str, strings: tuple, where: str, literal_only: bool = True) -> None:
    context = None
    if function in ("pgettext", "npgettext"):
        context, strings = strings[0], strings[1:]
    msgid = strings[0] if strings else None
    plural = strings[1] if function in ("ngettext", "npgettext") and len(strings) > 1 else None
    if msgid is None or (function in ("pgettext", "npgettext") and context is None):
        if not literal_only:
            return  # Python: gettext(WEEKDAYS[i]) translates a text already marked with N_()
        # A template's msgid must be a literal: `_(paper.name)` would make source data a msgid.
        raise ExtractError(f"{where}: {function}() ohne festen Text; nur Literale übersetzen, Daten als "
                           f"%(name)s-Variablen übergeben")
    messages.setdefault((context, msgid, plural), []).append(where)


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n")
    return f'"{escaped}"'


if __name__ == "__main__":
    sys.exit(main())
