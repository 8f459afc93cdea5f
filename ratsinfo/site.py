"""A town's site folder: its settings, hand-written pages and content, outside the program.

    ORDNER/ratsinfo.toml          settings (ratsinfo/settings.py declares every one)
    ORDNER/content/pages/*.md     Impressum, Datenschutz, Hilfe and other pages of the town
    ORDNER/content/...            what the importers write
    ORDNER/output/                the built portal
    ORDNER/ratsinfo-update.log    the log of `ratsinfo update`

The settings are TOML, not a Python file like Pelican's publishconf.py: the file is edited by a
webmaster, often on a share, and is data, not code that runs with the build's rights. TOML is read
with the standard library (tomllib), a typo in a name is an error with a suggestion instead of a
silently new variable, and every value is checked before anything is imported or built.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ratsinfo import PROJECT_ROOT
from ratsinfo.settings import BY_NAME, SettingInvalid, settings_file

SETTINGS_FILE = "ratsinfo.toml"
LOG_FILE = "ratsinfo-update.log"
TEMPLATES = PROJECT_ROOT / "ratsinfo" / "site_templates"


class SiteError(Exception):
    """The site folder or its settings are unusable; the message (German) says what to do."""


@dataclass(frozen=True)
class Site:
    """`folder` None: no site folder, paths relative to the current folder as before."""

    folder: Path | None
    values: dict = field(default_factory=dict)  # the settings the file sets, checked

    def path(self, name: str) -> Path:
        return self.folder / name if self.folder else Path(name)

    @property
    def content(self) -> Path:
        return self.path("content")

    @property
    def output(self) -> Path:
        return self.path("output")

    @property
    def log(self) -> Path:
        return self.path(LOG_FILE)

    def get(self, name: str):
        return self.values.get(name, BY_NAME[name].default)

    def build_settings(self) -> dict:
        """The Pelican settings this site sets (the rest keep pelicanconf.py's defaults)."""
        return {name: value for name, value in self.values.items() if BY_NAME[name].step == "build"}


def locate(option: str | None, cwd: Path | None = None) -> Site:
    """The site of a command: --site ORDNER, else the current folder when it holds a settings
    file, else none (the repository's content/ and output/, as `make html` uses them)."""
    if option is not None:
        folder = Path(option)
        if not (folder / SETTINGS_FILE).is_file():
            raise SiteError(f"{folder} ist kein Site-Ordner (dort liegt keine {SETTINGS_FILE}). "
                            f"Einen anlegen mit: ratsinfo init {folder}")
        return load(folder)
    here = Path(cwd or Path.cwd())
    if (here / SETTINGS_FILE).is_file():
        return load(here)
    return Site(None)


def load(folder: Path) -> Site:
    folder = Path(folder).absolute()
    settings = folder / SETTINGS_FILE
    try:
        raw = tomllib.loads(settings.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SiteError(f"{settings} lässt sich nicht lesen: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise SiteError(f"{settings} ist nicht in UTF-8 gespeichert. Im Editor als UTF-8 speichern.") from None
    except tomllib.TOMLDecodeError as exc:
        raise SiteError(f"{settings}: {_german_toml_error(str(exc))}. Die Zeile korrigieren "
                        f"(Texte in \"Anführungszeichen\", true/false und Zahlen ohne).") from None
    values = {}
    for name, value in raw.items():
        setting = BY_NAME.get(name)
        if setting is None:
            raise SiteError(f"{settings}: unbekannte Einstellung {name!r}{_suggestion(name)}. "
                            f"Alle Einstellungen: docs/settings.md")
        try:
            values[name] = setting.convert(value)
        except SettingInvalid as exc:
            raise SiteError(f"{settings}, {name}{_line_of(settings, name)}: {exc}") from None
    if values.get("TAKEDOWN_LEDGER"):
        values["TAKEDOWN_LEDGER"] = str(folder / values["TAKEDOWN_LEDGER"])
    if values.get("RATSINFO_TRANSLATIONS"):
        values["RATSINFO_TRANSLATIONS"] = str(folder / values["RATSINFO_TRANSLATIONS"])
    return Site(folder, values)


def _suggestion(name: str) -> str:
    close = difflib.get_close_matches(name.upper(), list(BY_NAME), n=1, cutoff=0.6)
    return f" – meinten Sie {close[0]}?" if close else ""


def _line_of(settings: Path, name: str) -> str:
    for number, line in enumerate(settings.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip().startswith(name) and line.strip()[len(name):].lstrip().startswith("="):
            return f" (Zeile {number})"
    return ""


def _german_toml_error(message: str) -> str:
    """tomllib's message with the place in German ("… (at line 3, column 7)")."""
    text, _, place = message.partition(" (at line ")
    if not place:
        return f"kein gültiges TOML ({message})"
    line, _, column = place.rstrip(")").partition(", column ")
    return f"Zeile {line}, Spalte {column}: kein gültiges TOML ({text})"


def init(folder: Path) -> list[Path]:
    """Create a site folder; returns the files written. Never overwrites a file."""
    folder = Path(folder)
    if (folder / SETTINGS_FILE).exists():
        raise SiteError(f"{folder} ist schon ein Site-Ordner ({SETTINGS_FILE} gibt es). Nichts wurde geändert.")
    if folder.exists() and not folder.is_dir():
        raise SiteError(f"{folder} ist eine Datei, kein Ordner. Einen anderen Namen wählen.")
    files = {SETTINGS_FILE: settings_file()}
    for template in sorted(TEMPLATES.rglob("*")):
        if template.is_file():
            files[template.relative_to(TEMPLATES).as_posix()] = template.read_text(encoding="utf-8")
    clashes = [name for name in files if (folder / name).exists()]
    if clashes:
        raise SiteError(f"In {folder} gibt es schon {', '.join(clashes)}. Einen leeren oder neuen Ordner "
                        f"angeben; nichts wurde geändert.")
    written = []
    for name, text in files.items():
        target = folder.joinpath(*name.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        written.append(target)
    os.makedirs(folder / "content", exist_ok=True)
    return written
