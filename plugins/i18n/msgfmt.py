"""Compile a translated catalogue (.po) into the binary form gettext reads (.mo), without GNU gettext.

    python -m plugins.i18n.msgfmt                      # every theme/translations/*/LC_MESSAGES/*.po
    python -m plugins.i18n.msgfmt path/to/messages.po  # just this one, .mo beside it

The same logic as CPython's Tools/i18n/msgfmt.py, which is not importable from an installed Python:
fuzzy and untranslated entries are left out, so the page shows the German msgid for them.
"""

from __future__ import annotations

import array
import ast
import struct
import sys
from pathlib import Path

DEFAULT_FOLDER = Path(__file__).resolve().parents[2] / "theme" / "translations"


class CatalogueError(Exception):
    pass


def parse_po(text: str, name: str = "messages.po") -> dict[str, str]:
    """msgid → msgstr as gettext stores them (context joined by \\x04, plural forms by \\x00)."""
    messages: dict[str, str] = {}
    entry: dict[str, str] = {}
    fuzzy = fuzzy_next = False  # "#, fuzzy" stands before the entry it marks
    field = None

    def finish():
        nonlocal entry
        if "msgid" in entry:
            key = entry["msgid"]
            if "msgid_plural" in entry:
                key += "\0" + entry["msgid_plural"]
                forms = sorted((k for k in entry if k.startswith("msgstr[")), key=lambda k: int(k[7:-1]))
                value = "\0".join(entry[k] for k in forms)
            else:
                value = entry.get("msgstr", "")
            if "msgctxt" in entry:
                key = entry["msgctxt"] + "\x04" + key
            # The header (msgid "") always counts: it names the charset gettext decodes with.
            if key == "" or (value.strip("\0") and not fuzzy):
                messages[key] = value
        entry = {}

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            fuzzy_next = fuzzy_next or (line.startswith("#,") and "fuzzy" in line)
            continue
        if line.startswith('"'):
            if field is None:
                raise CatalogueError(f"{name}:{number}: Fortsetzungszeile ohne msgid/msgstr davor")
            entry[field] += _unquote(line, name, number)
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and any(k.startswith("msgstr") for k in entry):
            finish()
        if not entry:
            fuzzy, fuzzy_next = fuzzy_next, False
        if keyword not in ("msgctxt", "msgid", "msgid_plural", "msgstr") and not (
                keyword.startswith("msgstr[") and keyword.endswith("]") and keyword[7:-1].isdigit()):
            raise CatalogueError(f"{name}:{number}: unbekanntes Schlüsselwort {keyword!r}")
        field = keyword
        entry[field] = _unquote(rest.strip(), name, number)
    finish()
    charset = _charset(messages.get("", ""))
    if charset not in ("utf-8", "utf8"):
        raise CatalogueError(f"{name}: Zeichensatz {charset!r}; ratsinfo liest nur UTF-8 "
                             '(Kopfzeile "Content-Type: text/plain; charset=UTF-8\\n")')
    return messages


def mo_bytes(messages: dict[str, str]) -> bytes:
    """The GNU .mo layout: header, two offset tables, then all msgids and all msgstrs (sorted keys)."""
    keys = sorted(messages)
    ids = strs = b""
    offsets = []
    for key in keys:
        msgid, msgstr = key.encode("utf-8"), messages[key].encode("utf-8")
        offsets.append((len(ids), len(msgid), len(strs), len(msgstr)))
        ids += msgid + b"\0"
        strs += msgstr + b"\0"
    key_start = 7 * 4 + 16 * len(keys)
    value_start = key_start + len(ids)
    table = []
    for id_offset, id_length, _, _ in offsets:
        table += [id_length, id_offset + key_start]
    for _, _, str_offset, str_length in offsets:
        table += [str_length, str_offset + value_start]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + len(keys) * 8, 0, 0)
    return header + array.array("i", table).tobytes() + ids + strs


def compile_po(po: Path) -> tuple[Path, int]:
    """Write the .mo beside the .po; returns it and how many texts are translated."""
    po = Path(po)
    messages = parse_po(po.read_text(encoding="utf-8"), str(po))
    mo = po.with_suffix(".mo")
    mo.write_bytes(mo_bytes(messages))
    return mo, len(messages) - ("" in messages)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    catalogues = [Path(a) for a in args] or sorted(DEFAULT_FOLDER.glob("*/LC_MESSAGES/*.po"))
    if not catalogues:
        print(f"Keine .po-Datei unter {DEFAULT_FOLDER}/<sprache>/LC_MESSAGES/ (docs/i18n.md)", file=sys.stderr)
        return 1
    for po in catalogues:
        try:
            mo, translated = compile_po(po)
        except (OSError, CatalogueError) as exc:
            print(f"Fehler: {exc}", file=sys.stderr)
            return 1
        print(f"{po} → {mo} ({translated} übersetzte Texte)")
    return 0


def _unquote(token: str, name: str, number: int) -> str:
    if len(token) < 2 or not (token.startswith('"') and token.endswith('"')):
        raise CatalogueError(f"{name}:{number}: Text muss in doppelten Anführungszeichen stehen: {token}")
    try:
        # PO strings use C escapes (\n, \", \\, \t); Python's string syntax covers them.
        return ast.literal_eval(token)
    except (SyntaxError, ValueError) as exc:
        raise CatalogueError(f"{name}:{number}: ungültiger Text {token} ({exc})") from exc


def _charset(header: str) -> str:
    for line in header.splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() == "content-type" and "charset=" in value:
            return value.split("charset=", 1)[1].strip().lower()
    return "utf-8"


if __name__ == "__main__":
    sys.exit(main())
