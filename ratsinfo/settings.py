"""Every setting of ratsinfo, declared once: its name, default and meaning.

Three kinds, each in its own table:
- SITE: what a town sets in its site folder's ratsinfo.toml (ratsinfo/site.py reads it). Each
  is also a Pelican setting of the same name, except the import settings (step "import").
- PROGRAM: Pelican settings the program sets for a run; a town does not write them.
- ENVIRONMENT: environment variables read by the program.

pelicanconf.py takes its defaults from here, `ratsinfo init` writes the commented settings
file from here, and docs/settings.md holds the table `python -m ratsinfo.settings` prints
(tests/test_site.py keeps them equal).
"""

from __future__ import annotations

import datetime
import json
import re
import sys
from dataclasses import dataclass
from typing import Callable
from urllib.parse import urlsplit


class SettingInvalid(ValueError):
    """A value the setting cannot take; the message (German) says what to write instead."""


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    meaning: str
    example: str = ""  # the TOML value shown in the settings file, when the default is no example
    convert: Callable[[object], object] | None = None  # checks a value from ratsinfo.toml
    option: str = ""  # the command-line option that overrides it
    step: str = "build"  # "build": a Pelican setting; "import": read by the import commands


# Converters: each takes what tomllib gives and returns the setting's value, or raises SettingInvalid.

def _text(value):
    if not isinstance(value, str) or not value.strip():
        raise SettingInvalid("erwartet ist ein Text in Anführungszeichen, z. B. \"Ratsinformation Musterstadt\"")
    return value.strip()


def _flag(value):
    if not isinstance(value, bool):
        raise SettingInvalid("erwartet ist true oder false (ohne Anführungszeichen)")
    return value


def _whole(smallest: int):
    def convert(value):
        if isinstance(value, bool) or not isinstance(value, int) or value < smallest:
            raise SettingInvalid(f"erwartet ist eine ganze Zahl ab {smallest} (ohne Anführungszeichen)")
        return value
    return convert


def _megabytes(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise SettingInvalid("erwartet ist eine Zahl größer 0 (Megabyte, ohne Anführungszeichen)")
    return value


def public_address(value):
    """An http(s) address with a host, ending in "/"; a missing scheme gets a hint."""
    text = _text(value)
    parts = urlsplit(text)
    if not parts.scheme and "." in text.split("/")[0]:
        raise SettingInvalid(f"{text!r} hat kein http:// oder https:// – meinten Sie \"https://{text}\"?")
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise SettingInvalid(f"{text!r} ist keine Web-Adresse; erwartet ist z. B. \"https://ratsinfo.stadt.example/\"")
    return text if text.endswith("/") else text + "/"


def base_path(value):
    """An absolute path on the web server, "/" or "/ratsinfo/"."""
    text = _text(value)
    parts = [part for part in text.split("/") if part]
    if "\\" in text or "?" in text or "#" in text or any(part in (".", "..") for part in parts) \
            or urlsplit(text).scheme:
        raise SettingInvalid(f"{text!r} ist kein Pfad auf dem Webserver; erwartet ist z. B. \"/ratsinfo/\" "
                             f"(die ganze Adresse gehört in PUBLIC_URL)")
    return "/" + "".join(part + "/" for part in parts)


def _language(value):
    text = _text(value)
    if not re.fullmatch(r"[a-z]{2,3}(_[A-Z]{2})?", text):
        raise SettingInvalid(f"{text!r} ist kein Sprachcode; erwartet ist z. B. \"de\" oder \"en\"")
    return text


def _timezone(value):
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    text = _text(value)
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingInvalid(f"{text!r} ist keine Zeitzone; erwartet ist z. B. \"Europe/Berlin\"") from None
    return text


def _day(value):
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    try:
        return datetime.date.fromisoformat(_text(value)).isoformat()
    except (SettingInvalid, ValueError):
        raise SettingInvalid("erwartet ist ein Datum wie 2026-05-01") from None


def _days_or_all(value):
    if value is False:
        return None
    return _whole(1)(value)


def _hosts(value):
    if not isinstance(value, list) or not all(isinstance(host, str) for host in value):
        raise SettingInvalid("erwartet ist eine Liste von Hostnamen, z. B. [\"dokumente.stadt.example\"]")
    hosts = [host.strip().lower() for host in value]
    for host in hosts:
        if not re.fullmatch(r"[a-z0-9.-]+(:\d+)?|\[[0-9a-f:]+\](:\d+)?", host):
            raise SettingInvalid(f"{host!r} ist kein Hostname; nur den Namen angeben, ohne https:// und Pfad")
    return hosts


def _years_by_type(value):
    if not isinstance(value, dict) or not all(isinstance(k, str) and k.strip() for k in value):
        raise SettingInvalid('erwartet ist eine Tabelle Art = Jahre, z. B. { "Einwohneranfrage" = 5 }')
    for kind, years in value.items():
        if isinstance(years, bool) or not isinstance(years, int) or years < 1:
            raise SettingInvalid(f"{kind!r}: erwartet ist eine ganze Zahl von Jahren ab 1 (ohne Anführungszeichen)")
    return {kind.strip(): years for kind, years in value.items()}


SITE = (
    Setting("SITENAME", None,
            "Name des Portals: oben auf jeder Seite, im Fenstertitel und in Feeds. Ohne Angabe der Name "
            "der Körperschaft aus den Daten (z. B. \"Stadt Musterstadt\").",
            example='"Ratsinformation Musterstadt"', convert=_text),
    Setting("PUBLIC_URL", None,
            "Öffentliche Adresse des Portals, mit https:// und dem Pfad, unter dem es liegt. Kalender, "
            "Atom-Feeds und sitemap.xml brauchen sie; ohne sie fehlen Feeds und Sitemap und der Build warnt.",
            example='"https://www.musterstadt.example/ratsinfo/"', convert=public_address,
            option="--public-url"),
    Setting("BASE_PATH", None,
            "Pfad auf dem Webserver, unter dem das Portal liegt (für die Fehlerseite 404 und die "
            "Serverdateien .htaccess/web.config). Ohne Angabe der Pfad aus PUBLIC_URL, sonst \"/\". Ein "
            "Intranet-Spiegel unter einem anderen Pfad baut mit eigenem BASE_PATH.",
            example='"/ratsinfo/"', convert=base_path, option="--base-path"),
    Setting("RATSINFO_LANGUAGE", "de",
            "Sprache der Texte des Portals und des Suchindex; theme/translations/<Sprache>/ (docs/i18n.md), "
            "sonst Deutsch.",
            convert=_language),
    Setting("RATSINFO_TRANSLATIONS", None,
            "Eigener Ordner mit Übersetzungen (<Sprache>/LC_MESSAGES/messages.mo), relativ zum Site-Ordner.",
            example='"uebersetzungen"', convert=_text),
    Setting("TIMEZONE", "Europe/Berlin", "Zeitzone der Sitzungstermine in Kalendern und Feeds.",
            convert=_timezone),
    Setting("PUBLISH_CONTACT_DATA", False,
            "E-Mail-Adressen, Telefonnummern und Geschlecht von Personen veröffentlichen: nur mit deren "
            "Einwilligung. "
            "Gilt beim Import (was übernommen wird) und beim Bauen (was gezeigt wird).",
            convert=_flag, option="--publish-contact-data"),
    Setting("CALENDAR_PAST_DAYS", 366,
            "Abo-Kalender (kalender/*.ics) enthalten die Sitzungen ab so vielen Tagen vor heute und alle "
            "späteren; false: alle Sitzungen. Jede Sitzung hat daneben ihre eigene .ics-Datei.",
            convert=_days_or_all),
    Setting("PAGEFIND", True, "Den Suchindex bauen (Pagefind). false: Portal ohne Suche.", convert=_flag),
    Setting("SEARCH_SHARD_PAGES", 20000,
            "Ab so vielen Detailseiten wird der Suchindex nach Art und Jahr geteilt: der Speicherbedarf "
            "bleibt begrenzt und ein Update indiziert nur Geändertes; die erste Suche lädt etwas mehr.",
            convert=_whole(1)),
    Setting("SEARCH_DELTA_PAGES", 500,
            "Ändert ein Update höchstens so viele Seiten im Suchindex, kommen sie in einen kleinen Nachtrag "
            "(pagefind/_delta/) statt die betroffenen Teile des Index neu zu bauen: die Suche ist in Sekunden "
            "aktuell. Was etwas entfernt (eine Seite, einen nichtöffentlichen Tagesordnungspunkt, ein Dokument, "
            "Text), baut seinen Teil immer sofort neu. Ein größeres Update oder ein vollständiger Build arbeitet "
            "den Nachtrag ein. 0: kein Nachtrag.",
            convert=_whole(0)),
    Setting("SEARCH_BUNDLE_CHARS", 8_000_000,
            "Höchstens so viele Zeichen Dokumenttext (dazu etwa 1.100 je Seite) in einem Teil des "
            "Suchindex: Pagefind braucht etwa 55 Byte Speicher je Zeichen, 8 Millionen also etwa "
            "450 MB je Lauf. 0: nur nach SEARCH_SHARD_PAGES teilen.",
            convert=_whole(0)),
    Setting("SEARCH_JOBS", 0,
            "So viele Teile des Suchindex indiziert Pagefind zugleich; 0: so viele wie Kerne, "
            "höchstens zwei (zwei Läufe brauchen zusammen bis zu etwa 1 GB, siehe SEARCH_BUNDLE_CHARS).",
            convert=_whole(0)),
    Setting("DATA_LICENCE", None,
            "Lizenz der veröffentlichten Daten, im Fuß jeder Seite genannt, z. B. die Datenlizenz "
            "Deutschland – Namensnennung 2.0.",
            example='"dl-de/by-2-0"', convert=_text),
    Setting("OPARL_TOMBSTONE_DAYS", 365,
            "So viele Tage bleibt ein gelöschtes Objekt in der OParl-Schnittstelle (oparl/) als Grabstein "
            "(`deleted: true`), damit Programme, die nur Änderungen abholen, die Löschung sehen.",
            example="90", convert=_whole(1)),
    Setting("RATSINFO_WORKERS", None,
            "So viele Prozesse rendern die Seiten (ohne Angabe: einer je Prozessorkern).",
            example="2", convert=_whole(1)),
    Setting("RATSINFO_CACHE", True,
            "Zwischenspeicher für schnelle Folge-Builds (gelesene Inhalte, unveränderte Seiten). "
            "false: jeder Build beginnt bei null.", convert=_flag),
    Setting("RATSINFO_TODAY", None,
            "Das Datum, das kommende von vergangenen Sitzungen trennt. Nur für Tests und Vorschauen; "
            "ohne Angabe: heute.", example="2026-05-01", convert=_day),
    Setting("RATSINFO_STRICT", False,
            "Fehler im Inhalt (unmögliches Datum, Verweis ins Leere, fehlende Textdatei) brechen den Build "
            "ab, statt nur gewarnt zu werden.", convert=_flag, option="--strict"),
    Setting("TAKEDOWN_LEDGER", "loeschungen.yaml",
            "Die Löschliste (ratsinfo takedown, docs/takedown.md): was das Portal auf Antrag nicht mehr "
            "zeigt. Jeder Import und jeder Build wenden sie an; relativ zum Site-Ordner.", convert=_text),
    Setting("RETENTION_PERSON_REDUCE_YEARS", None,
            "Personen, die seit so vielen Jahren keinem Gremium mehr angehören, zeigt das Portal nur mit Namen "
            "und Zeitraum (keine Kontaktdaten, keine Mitgliedschaften). Ohne Angabe: aus.",
            example="10", convert=_whole(1)),
    Setting("RETENTION_PERSON_WITHHOLD_YEARS", None,
            "Personen, die seit so vielen Jahren keinem Gremium mehr angehören, zeigt das Portal gar nicht "
            "mehr. Ohne Angabe: aus.", example="30", convert=_whole(1)),
    Setting("RETENTION_PAPER_TYPES", {},
            "Vorlagen dieser Arten zeigt das Portal so viele Jahre nach ihrem Datum nicht mehr (Art wie in "
            "den Daten). Ohne Angabe: keine.", example='{ "Einwohneranfrage" = 5 }', convert=_years_by_type),
    Setting("ALLOW_HOSTS", [],
            "Dokumente auch von diesen Hosts laden (neben dem Host der Quelle).",
            example='["dokumente.musterstadt.example"]', convert=_hosts, option="--allow-host",
            step="import"),
    Setting("MAX_FILE_SIZE_MB", 50,
            "Größere Dokumente werden nicht gespiegelt, nur verlinkt (Megabyte).",
            convert=_megabytes, option="--max-file-size", step="import"),
    Setting("OCR", None,
            "Seiten von PDF-Dateien ohne Textebene (Scans) mit Tesseract auf Deutsch erkennen, damit die "
            "Suche sie findet; die Leseansicht nennt diese Seiten. Ohne Angabe: an, wenn Tesseract "
            "(tesseract-ocr, tesseract-ocr-deu) und poppler-utils installiert sind.",
            example="false", convert=_flag, step="import"),
)

PROGRAM = (
    Setting("PATH", "content", "Inhaltsordner; `ratsinfo build --content` oder der Site-Ordner setzt ihn.",
            option="--content"),
    Setting("OUTPUT_PATH", "output", "Wohin Pelican schreibt; `ratsinfo build` setzt einen Zwischenordner, "
            "der erst nach einem vollständigen Build den Ausgabeordner ersetzt.", option="--output"),
    Setting("RATSINFO_PREVIOUS_OUTPUT", None,
            "Wo der vorige Build liegt: für Weiterleitungen geänderter Adressen und wiederverwendete Seiten. "
            "`ratsinfo build` setzt den Ausgabeordner; ein bloßes `pelican content` nimmt OUTPUT_PATH."),
    Setting("RATSINFO_REPORT", None,
            "Wohin ein Build meldet, welchen Weg er nahm (ratsinfo.contracts.BuildReport); `ratsinfo build` "
            "setzt es und gibt den Bericht zurück."),
    Setting("RATSINFO_OVERLAY", False,
            "Ein Folge-Build schreibt nur Geändertes in den Ausgabeordner (Overlay). `ratsinfo build` "
            "setzt true, wenn der Ausgabeordner von einem vorigen Build stammt."),
)

ENVIRONMENT = (
    Setting("RATSINFO_STATE_DIR", "$XDG_STATE_HOME/ratsinfo oder ~/.local/state/ratsinfo",
            "Private Ablage der Importer (Stand des letzten Imports, zurückgehaltene Punkte), nur für das "
            "importierende Konto lesbar (docs/security.md)."),
    Setting("XDG_CACHE_HOME", "~/.cache",
            "Darunter liegen ratsinfo/ (Zwischenspeicher der Builds, Sperrdateien) und die Fortsetzungsdaten "
            "eines abgebrochenen Imports."),
    Setting("RATSINFO_TEST_KILL_AT", None,
            "Nur für Tests: beendet den Prozess hart an einer benannten Stelle (ratsinfo/killpoints.py)."),
)

BY_NAME = {setting.name: setting for setting in SITE}


def pelican_defaults() -> dict:
    """The build settings' defaults, for pelicanconf.py."""
    return {s.name: s.default for s in SITE + PROGRAM if s.step == "build" and s.name not in ("PATH", "OUTPUT_PATH")}


def _shown(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return json.dumps(list(value))
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


def markdown_table() -> str:
    """The tables of docs/settings.md."""
    def table(settings, head) -> list[str]:
        rows = [head, "|---|---|---|---|"]
        for s in settings:
            used = {"build": "Build", "import": "Import"}[s.step]
            option = f"`{s.option}`" if s.option else ""
            rows.append(f"| `{s.name}` | {_shown(s.default)} | {option} | {used}: {s.meaning} |")
        return rows

    lines = ["### In ratsinfo.toml", ""]
    lines += table(SITE, "| Name | Standard | Option | Bedeutung |")
    lines += ["", "### Vom Programm gesetzt", ""]
    lines += table(PROGRAM, "| Name | Standard | Option | Bedeutung |")
    lines += ["", "### Umgebungsvariablen", "", "| Name | Standard | Bedeutung |", "|---|---|---|"]
    lines += [f"| `{s.name}` | {s.default or '–'} | {s.meaning} |" for s in ENVIRONMENT]
    return "\n".join(lines) + "\n"


def settings_file() -> str:
    """ratsinfo.toml as `ratsinfo init` writes it: every setting, commented out, with its meaning."""
    import textwrap

    lines = [
        "# Einstellungen dieses Portals (ratsinfo). Jeder Befehl liest sie, wenn er in diesem Ordner",
        "# läuft oder --site mit diesem Ordner bekommt. Eine Zeile mit # am Anfang gilt nicht: zum Setzen",
        "# das # vor dem Namen entfernen und den Wert anpassen. Texte stehen in Anführungszeichen, Zahlen",
        "# und true/false nicht. Alle Einstellungen erklärt docs/settings.md im Programm.",
        "# Optionen auf der Kommandozeile (z. B. --public-url) gehen diesen Einstellungen vor.",
    ]
    for setting in SITE:
        lines.append("")
        lines += textwrap.wrap(setting.meaning, 96, initial_indent="# ", subsequent_indent="# ")
        if setting.option:
            lines.append(f"# Auf der Kommandozeile: {setting.option}")
        value = setting.example or _shown(setting.default)
        lines.append(f"# {setting.name} = {value}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(markdown_table())
