"""The webmaster's command line. It only parses arguments and calls library code."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from ratsinfo.argparse_de import GermanParser
from ratsinfo.settings import SettingInvalid

DESCRIPTION = """\
ratsinfo veröffentlicht öffentliche Ratsinformationen (Sitzungen, Tagesordnungen,
Vorlagen, Personen, Gremien, Dokumente) als statisches Web-Portal mit Volltextsuche.

Ablauf:  ratsinfo import oparl URL   →  content/  →  ratsinfo build  →  output/
"""
EPILOG = """\
Exit-Codes (für cron und die Aufgabenplanung):
  0  alles in Ordnung
  1  check hat Probleme gefunden (kaputte Links, doppelte Adressen, Dateien anders als gebaut)
  2  Fehler: nichts wurde geändert oder veröffentlicht; die Meldung sagt, was zu tun ist

Hilfe zu einem Befehl: ratsinfo BEFEHL --help
"""
UPDATE_DESCRIPTION = """\
Import, Build, Linkprüfung und Veröffentlichung in einem Lauf, mit denselben Optionen
wie `ratsinfo import oparl` und `ratsinfo import sql`.

Welche Quelle: eine Datenbank, wenn --sql oder --mapping angegeben ist, wenn QUELLE eine
Datenbank-URL ist (sqlite:, postgresql:, mysql:, mariadb:, oracle:, mssql:, auch mit Treiber
wie postgresql+psycopg2:) oder eine SQLite-Datei; sonst eine OParl-URL oder ein Dump-Ordner.
Eine Option, die nur zur anderen Art von Quelle passt (z. B. --rate bei einer Datenbank,
--files-root bei OParl), ist ein Fehler.

Das Protokoll (--log) enthält Fortschritt, Warnungen von Import, Build und Prüfung und den
Importbericht. Ein fehlgeschlagenes Update lässt die veröffentlichte Seite unverändert.

--dry-run: Import, Build und Prüfung in einem Zwischenordner, dann ein Bericht, was sich
ändern würde; content/, output/, der Stand des Imports und ZIEL bleiben unverändert.
Exit 0: das Update würde gelingen, 1: die Prüfung würde scheitern, 2: Import oder Build scheitert.
"""
DEMO_OUT = "build/demo-oparl"


def _import_oparl(args) -> int:
    return _run_import(_oparl_step(args), args, f"aus {args.url}")


def _import_sql(args) -> int:
    return _run_import(_sql_step(args), args, "aus der Datenbank")


def _run_import(step, args, origin: str) -> int:
    from importers.errors import ImportFailed

    try:
        report = step(args.url, _content(args))
    except ImportFailed as exc:
        print(f"Import abgebrochen: {exc}\nDer Inhaltsordner {_content(args)} ist unverändert.", file=sys.stderr)
        return 2
    print(f"Import {origin} nach {_content(args)} abgeschlossen.")
    for line in report.summary_lines():
        print("  " + line)
    return 0


def _text_settings(args):
    """The OCR setting for the attachments' text (importers/files.py)."""
    from importers import files

    files.OCR = args.site.get("OCR")


def _oparl_step(args):
    """import_oparl(location, content) with the options of _add_import_options and _add_oparl_options."""
    from importers.oparl import import_oparl

    _text_settings(args)
    options = dict(force=args.force, full=args.full, mirror_files=not args.no_files, rate=args.rate,
                   concurrency=args.concurrency, timeout=args.timeout, **_guarded_source(args))
    return lambda location, content: import_oparl(location, content, takedowns=_import_takedowns(args), **options)


def _sql_step(args):
    """import_sql(location, content) with the options of _add_import_options and _add_sql_options."""
    from importers.publication import Policy
    from importers.sql import import_sql

    _text_settings(args)
    options = dict(mapping=args.mapping, files_root=args.files_root, force=args.force, full=args.full,
                   policy=Policy(publish_contact_data=_contact_data(args)), mirror_files=not args.no_files)
    return lambda location, content: import_sql(location, content, takedowns=_import_takedowns(args), **options)


def _import_takedowns(args):
    """The ledger an import applies: the one the build reads (the site's, or beside content/)."""
    from importers.errors import ImportFailed
    from ratsinfo.scrub import takedowns_of
    from ratsinfo.takedown import LedgerError

    try:
        return takedowns_of(_ledger(args))
    except LedgerError as exc:
        raise ImportFailed(f"Löschliste nicht lesbar: {exc}") from None


def _build(args) -> int:
    from ratsinfo.build import BuildFailed, build_site

    try:
        result = build_site(_content(args), _output(args), overrides=_build_settings(args))
    except BuildFailed as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(f"Portal gebaut: {result.pages} Seiten in {result.output} ({result.seconds:.1f} s).")
    print(f"Ansehen:  python -m http.server -d {result.output} 8000   (oder: make serve)")
    return 0


def _demo(args) -> int:
    from ratsinfo.demo import write_demo, write_demo_sqlite

    if args.sqlite and args.papers:
        print("--papers gibt es nur für den OParl-Dump, nicht für --sqlite.", file=sys.stderr)
        return 2
    if args.sqlite:
        tables = write_demo_sqlite(Path(args.sqlite))
        print(f"Demo-Rat als SQL-Export (neutrales Schema) nach {args.sqlite} geschrieben: "
              f"{sum(tables.values())} Zeilen in {len(tables)} Tabellen")
        print(f"Importieren:  ratsinfo import sql {args.sqlite}")
        if args.out is None:
            return 0
    args.out = args.out or DEMO_OUT
    counts = write_demo(Path(args.out), papers=args.papers)
    summary = ", ".join(f"{kind} {count}" for kind, count in sorted(counts.items()))
    print(f"Demo-Rat als OParl-Dump nach {args.out} geschrieben: {summary}")
    print(f"Importieren:  ratsinfo import oparl {args.out}")
    return 0


def _check(args) -> int:
    from ratsinfo.check import CheckFailed, check_site

    try:
        result = check_site(_output(args))
    except CheckFailed as exc:
        print(f"Prüfung nicht möglich: {exc}", file=sys.stderr)
        return 2
    for page, link, why in result.broken[:200]:
        print(f"{page}: {link} – {why}")
    for first, second in result.collisions[:200]:
        print(f"{first} und {second}: dieselbe Adresse auf IIS und Windows-Freigaben (Groß-/Kleinschreibung)")
    for path, why in result.checksums[:200]:
        print(f"{path}: {why}")
    if result.checksums:
        print("Diese Dateien sind nicht die des Builds (SHA256SUMS): die Ausgabe erneut vollständig kopieren "
              "bzw. neu bauen, dann wieder prüfen.")
    for warning in result.warnings:
        print(f"Warnung: {warning}")
    print(f"{result.pages} Seiten, {result.links} interne Links geprüft, {len(result.broken)} kaputt, "
          f"{len(result.collisions)} Adressen doppelt, {result.files} Dateien gegen SHA256SUMS geprüft, "
          f"{len(result.checksums)} abweichend, {len(result.warnings)} Warnungen.")
    return 0 if result.ok else 1


def _publish(args) -> int:
    from ratsinfo.publish import PublishFailed, publish, purge_releases
    from ratsinfo.takedown import LedgerError
    from ratsinfo.takedown_scan import scanner

    try:
        scan = scanner(_content(args), _ledger(args))
        release = publish(_output(args), Path(args.to), keep=args.keep, scan=scan)
        purged = purge_releases(Path(args.to), scan) if scan else []
    except (PublishFailed, LedgerError) as exc:
        print(f"Veröffentlichen abgebrochen: {exc}", file=sys.stderr)
        return 2
    print(f"Veröffentlicht: {args.to} zeigt jetzt auf {release}.")
    for name in purged:
        print(f"Gelöscht wegen der Löschliste: ältere Version {name} (enthielt Zurückgehaltenes; "
              f"ein Zurückschalten dorthin ist nicht mehr möglich).")
    return 0


def _ledger(args) -> Path:
    from ratsinfo.takedown import ledger_path

    return ledger_path(_content(args), args.site.get("TAKEDOWN_LEDGER"))


def _takedown_add(args) -> int:
    import shutil

    from ratsinfo import takedown

    ledger = _ledger(args)
    action, what, replacement = next((name, value, None) for name, value in
                                     (("zurueckhalten", args.zurueckhalten), ("schwaerzen", args.schwaerzen),
                                      ("ersetzen", args.ersetzen)) if value)
    if action == "ersetzen":
        source = Path(args.durch).absolute()
        if not source.is_file():
            print(f"Nicht eingetragen: die geschwärzte Fassung {source} gibt es nicht.", file=sys.stderr)
            return 2
        folder = ledger.parent.absolute()
        if folder not in source.parents:  # kept beside the ledger, so that the site folder holds all it needs
            keep = folder / "loeschungen" / source.name
            keep.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, keep)
            for text in [source.with_suffix(".txt")] if source.with_suffix(".txt").is_file() else []:
                shutil.copy2(text, keep.with_suffix(".txt"))
            source = keep
        replacement = source.relative_to(folder).as_posix()
    elif args.durch:
        print("Nicht eingetragen: --durch gehört nur zu --ersetzen.", file=sys.stderr)
        return 2
    from plugins.council.withhold import implied_texts
    from ratsinfo.scrub import after_add

    found = _found_in_content(args, what) if action != "schwaerzen" else None
    # A withheld person's or paper's names, noted: redacted even where the importer dropped the object.
    names = [t for obj in found or [] for t in implied_texts(obj)] if action == "zurueckhalten" else []
    try:
        entry = takedown.add(ledger, action, what, args.grund, args.entschieden_von, args.am, args.bis, replacement,
                             names=list(dict.fromkeys(names)))
    except takedown.LedgerError as exc:
        print(f"Nicht eingetragen: {exc}", file=sys.stderr)
        return 2
    print(f"Eintrag {entry.nr} in {ledger} eingetragen ({entry.action}: {entry.what}).")
    if entry.names:
        print(f"Ebenfalls überall geschwärzt: {', '.join(entry.names)} (als „namen“ im Eintrag).")
    if found == []:
        print(f"Hinweis: {entry.target} gibt es im Inhalt {_content(args)} nicht; bitte Art und Id prüfen "
              f"(ratsinfo takedown list zeigt den Eintrag, ratsinfo takedown remove {entry.nr} beendet ihn).")
    caches, stores = after_add(_content(args))
    for path in caches:
        print(f"Gelöscht: Zwischenspeicher {path}")
    for path in stores:
        print(f"Geleert: Importstand {path} (behält nur Ids; der nächste Import liest die Quelle vollständig)")
    print("Wirksam mit dem nächsten Build (ratsinfo build oder update). Aus content/ entfernt es der nächste Import "
          "(ratsinfo update). Danach ratsinfo publish, das ältere Versionen mit dem Entfernten löscht, und "
          "ratsinfo takedown check zur Kontrolle.")
    return 0


def _found_in_content(args, what: str) -> list | None:
    """The objects an entry's target names in content/; None when content/ cannot be read."""
    from plugins.council.loading import load_graph
    from plugins.council.withhold import resolve
    from ratsinfo.takedown import parse_target

    try:
        return resolve(load_graph(_content(args), publish_contact_data=True), parse_target(what))
    except Exception:  # an unreadable content folder or target: the build and add say why
        return None


def _takedown_list(args) -> int:
    from datetime import date

    from ratsinfo import takedown

    try:
        ledger = takedown.load(_ledger(args))
    except takedown.LedgerError as exc:
        print(f"Löschliste nicht lesbar: {exc}", file=sys.stderr)
        return 2
    if not ledger.entries:
        print(f"Die Löschliste {ledger.path} ist leer.")
        return 0
    today = date.today()
    for entry in ledger.entries:
        state = "" if entry.active(today) else f"  (abgelaufen am {entry.until.isoformat()})"
        until = f", bis {entry.until.isoformat()}" if entry.until else ""
        print(f"{entry.nr:>3}  {entry.action}: {entry.what}{state}")
        print(f"     Grund: {entry.reason}; entschieden von {entry.decided_by} am {entry.decided_on.isoformat()}{until}")
        if entry.replacement:
            print(f"     ersetzt durch {entry.replacement}")
    return 0


def _takedown_check(args) -> int:
    from ratsinfo import takedown
    from ratsinfo.scrub import places
    from ratsinfo.takedown_scan import needles, scan, texts_only

    output = _output(args)
    if not (output / "index.html").is_file():
        print(f"Prüfung nicht möglich: {output} enthält kein gebautes Portal (index.html fehlt).", file=sys.stderr)
        return 2
    try:
        ledger = takedown.load(_ledger(args))
    except takedown.LedgerError as exc:
        print(f"Löschliste nicht lesbar: {exc}", file=sys.stderr)
        return 2
    found = needles(ledger, _content(args))
    findings = scan(output, found)
    for finding in findings:
        print(finding)
    private = [(folder, finding) for folder in places(_content(args)) if folder.is_dir()
               for finding in scan(folder, texts_only(found))]
    for folder, finding in private:
        print(f"{finding} (in {folder})")
    if findings:
        print(f"{len(findings)} Stellen in {output} zeigen noch, was die Löschliste zurückhält. Neu bauen "
              f"(ratsinfo build) und veröffentlichen; bleibt eine Stelle, sie melden.")
    if private:
        print(f"{len(private)} Stellen im Inhalt, im Importstand oder in den Zwischenspeichern halten es noch. "
              f"Der nächste Import (ratsinfo update) entfernt es dort; von Hand geschriebener Inhalt muss von Hand "
              f"geändert werden.")
    if findings or private:
        return 1
    print(f"{len(ledger.entries)} Einträge geprüft: nichts davon in {output}, im Inhalt, im Importstand und in "
          f"den Zwischenspeichern.")
    return 0


def _takedown_remove(args) -> int:
    from ratsinfo import takedown
    from ratsinfo.scrub import after_remove

    try:
        entry = takedown.remove(_ledger(args), args.nr, args.grund)
    except takedown.LedgerError as exc:
        print(f"Nicht beendet: {exc}", file=sys.stderr)
        return 2
    full = after_remove(_content(args))
    print(f"Eintrag {entry.nr} beendet ({entry.action}: {entry.what}); das Protokoll behält ihn. "
          + ("Der nächste Import liest die Quelle vollständig (ratsinfo update) und holt zurück, was er "
             "zurückhielt; mit dem Build danach erscheint es wieder." if full else
             "Mit dem nächsten Build erscheint wieder, was er zurückhielt."))
    return 0


def _rollback(args) -> int:
    from ratsinfo.publish import PublishFailed, rollback

    try:
        release = rollback(Path(args.to))
    except PublishFailed as exc:
        print(f"Zurückschalten nicht möglich: {exc}", file=sys.stderr)
        return 2
    print(f"Zurückgeschaltet: {args.to} zeigt jetzt auf {release}.")
    return 0


def _update(args) -> int:
    from ratsinfo.update import UpdateFailed, run_update, source_kind

    kind = "sql" if args.sql or args.mapping is not None else source_kind(args.source)
    refused = _options_of_the_other_kind(args, kind)
    if refused:
        print(f"Update nicht begonnen: {refused}", file=sys.stderr)
        return 2
    if args.to is None and not args.dry_run:
        print("Update nicht begonnen: --to ZIEL fehlt, der veröffentlichte Ordner (z. B. --to /var/www/ratsinfo). "
              "Oder mit --dry-run nur ausprobieren, was sich ändern würde.", file=sys.stderr)
        return 2
    for name, default in OPARL_DEFAULTS.items():
        if getattr(args, name) is None:
            setattr(args, name, default)
    try:
        result = run_update(args.source, _content(args), _output(args), args.to and Path(args.to),
                            _log(args), import_step=_sql_step(args) if kind == "sql" else _oparl_step(args),
                            build_overrides=_build_settings(args), dry_run=args.dry_run)
    except UpdateFailed as exc:
        print(f"Update fehlgeschlagen: {exc}\nDetails im Protokoll {_log(args)}.", file=sys.stderr)
        return 2
    for name, seconds, summary in result.steps:
        print(f"{name:18} {seconds:6.1f} s  {summary}")
    for warning in result.warnings:
        print(f"Warnung: {warning}")
    if args.dry_run:
        for line in result.changes:
            print(line)
        verdict = "würde scheitern" if result.check_failed else "würde gelingen"
        print(f"Probelauf fertig, das Update {verdict}. Nichts wurde veröffentlicht; {_content(args)}, "
              f"{_output(args)} und der Stand des Imports sind unverändert. Protokoll: {_log(args)}")
        return 1 if result.check_failed else 0
    print(f"Update fertig. Protokoll: {_log(args)}")
    return 0


def _init(args) -> int:
    from ratsinfo.site import SiteError, init

    try:
        written = init(Path(args.folder))
    except SiteError as exc:
        print(f"Anlegen abgebrochen: {exc}", file=sys.stderr)
        return 2
    folder = Path(args.folder)
    print(f"Site-Ordner {folder} angelegt:")
    for path in written:
        print(f"  {path}")
    print(f"""
Als Nächstes:
  1. In {folder / 'ratsinfo.toml'} SITENAME und PUBLIC_URL setzen (das # davor entfernen).
  2. Impressum und Datenschutz in {folder / 'content' / 'pages'} ausfüllen.
  3. ratsinfo update QUELLE --site {folder} --to ZIEL   (erst einmal mit --dry-run statt --to)""")
    return 0


# Paths and settings of a command: its option, else the site folder's (ratsinfo/site.py).

def _content(args) -> Path:
    return Path(args.content) if getattr(args, "content", None) else args.site.content


def _output(args) -> Path:
    return Path(args.output) if args.output else args.site.output


def _log(args) -> Path:
    return Path(args.log) if args.log else args.site.log


def _contact_data(args) -> bool:
    return bool(args.publish_contact_data or args.site.get("PUBLISH_CONTACT_DATA"))


def _build_settings(args) -> dict:
    """The site's settings, overridden by the build options given."""
    settings = args.site.build_settings()
    for name, value in (("PUBLIC_URL", args.public_url), ("BASE_PATH", args.base_path),
                        ("RATSINFO_STRICT", args.strict or None)):
        if value is not None:
            settings[name] = value
    return settings


def _setting(convert):
    """An argparse type from a setting's converter (ratsinfo/settings.py): one check for both."""
    def parse(text: str):
        try:
            return convert(text)
        except SettingInvalid as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    return parse


def _add_site_option(parser):
    parser.add_argument("--site", metavar="ORDNER",
                        help="Site-Ordner mit ratsinfo.toml, Inhalt und Ausgabe (ratsinfo init ORDNER). Standard: "
                        "der aktuelle Ordner, wenn er eine ratsinfo.toml hat; sonst content/ und output/ hier")


def _add_address_options(parser):
    from ratsinfo.settings import base_path, public_address

    parser.add_argument("--public-url", type=_setting(public_address), metavar="URL",
                        help="öffentliche Adresse des Portals, z. B. https://www.stadt.example/ratsinfo/ "
                        "(statt PUBLIC_URL in ratsinfo.toml); nötig für Feeds, Kalender-Links und sitemap.xml")
    parser.add_argument("--base-path", type=_setting(base_path), metavar="/PFAD/",
                        help="Pfad auf dem Webserver, z. B. /ratsinfo/ (statt BASE_PATH; Standard: der Pfad "
                        "aus der öffentlichen Adresse, sonst /)")
    parser.add_argument("--strict", action="store_true", default=None,
                        help="Fehler im Inhalt (unmögliches Datum, Verweis ins Leere, fehlende Textdatei) "
                        "brechen den Build ab, statt nur gewarnt zu werden; output/ bleibt dann unverändert")


def _first(*values):
    return next(value for value in values if value is not None)


def _options_of_the_other_kind(args, kind: str) -> str | None:
    """The message when an option given to `update` does not fit the kind of its source."""
    if kind == "sql":
        given = [name for name in OPARL_DEFAULTS if getattr(args, name) is not None]
        if given:
            fits, them = ("passt", "Die Option") if len(given) == 1 else ("passen", "Diese Optionen")
            return (f"{_option_names(given)} {fits} nur zu einer OParl-Quelle, aber {args.source} wird als "
                    f"Datenbank gelesen (Datenbank-URL, SQLite-Datei, --sql oder --mapping). {them} "
                    f"weglassen, oder als Quelle eine OParl-URL oder einen Dump-Ordner angeben.")
    elif args.files_root is not None:
        return (f"--files-root passt nur zu einer Datenbank-Quelle, aber {args.source} wird als OParl gelesen "
                f"(keine Datenbank-URL, keine SQLite-Datei). Die Option weglassen, oder mit --sql angeben, "
                f"dass die Quelle eine Datenbank ist.")
    return None


def _option_names(names: list[str]) -> str:
    return ", ".join("--" + name.replace("_", "-") for name in names)


def _guarded_source(args) -> dict:
    """import_oparl's keywords from the limits and hosts of _add_oparl_options."""
    from importers.oparl.limits import Limits
    from importers.publication import Policy

    return {
        "policy": Policy(publish_contact_data=_contact_data(args)),
        "limits": Limits(run_seconds=args.max_run_time * 60 or None, list_pages=args.max_list_pages,
                         json_bytes=int(args.max_json_size * 1024 * 1024)),
        "max_file_size": int(_first(args.max_file_size, args.site.get("MAX_FILE_SIZE_MB")) * 1024 * 1024),
        "allow_hosts": tuple(args.site.get("ALLOW_HOSTS")) + tuple(args.allow_host),
    }


# The options only an OParl source takes, with their defaults. `update` leaves them unset
# (None) until it knows its source is OParl: given with a database, they are an error.
OPARL_DEFAULTS = {"rate": 10.0, "concurrency": 4, "timeout": 30.0, "max_run_time": 480,
                  "max_list_pages": 20_000, "max_json_size": 50, "max_file_size": None, "allow_host": []}


def _add_import_options(parser):
    """What every import takes, from OParl or a database; `import oparl`, `import sql` and `update` alike."""
    parser.add_argument("--full", action="store_true",
                        help="alles neu lesen statt nur der Änderungen seit dem letzten Lauf")
    parser.add_argument("--force", action="store_true",
                        help="auch dann schreiben, wenn mehr als die Hälfte der Objekte (insgesamt oder "
                        "einer Art) gelöscht würde")
    parser.add_argument("--no-files", action="store_true",
                        help="Dokumente nicht übernehmen, nur auf das Original verlinken")
    parser.add_argument("--publish-contact-data", action="store_true",
                        help="E-Mail und Telefon von Personen übernehmen (nur mit Einwilligung!)")


def _add_oparl_options(parser):
    """How an OParl import talks to its source, and what it may take from it and publish;
    `import oparl` and `update` alike."""
    parser.add_argument("--rate", type=float, default=OPARL_DEFAULTS["rate"], metavar="N",
                        help="höchstens N Anfragen pro Sekunde an den Server (Standard: 10; 0 = unbegrenzt)")
    parser.add_argument("--concurrency", type=int, default=OPARL_DEFAULTS["concurrency"], metavar="N",
                        help="höchstens N gleichzeitige Anfragen (Standard: 4)")
    parser.add_argument("--timeout", type=float, default=OPARL_DEFAULTS["timeout"], metavar="SEK",
                        help="Zeitlimit je Anfrage in Sekunden (Standard: 30), danach neuer Versuch")
    parser.add_argument("--max-run-time", type=_not_negative, default=OPARL_DEFAULTS["max_run_time"], metavar="MIN",
                        help="Zeitlimit des ganzen Laufs in Minuten, danach Abbruch ohne Änderung "
                        "(Standard: 480; 0 = unbegrenzt)")
    parser.add_argument("--max-list-pages", type=_positive_int, default=OPARL_DEFAULTS["max_list_pages"],
                        metavar="N", help="höchstens N Seiten je Liste; eine längere (endloses links.next) "
                        "bricht den Lauf ab (Standard: 20000)")
    parser.add_argument("--max-json-size", type=_positive, default=OPARL_DEFAULTS["max_json_size"], metavar="MB",
                        help="größte angenommene JSON-Antwort; eine größere bricht den Lauf ab (Standard: 50 MB)")
    parser.add_argument("--max-file-size", type=float, default=OPARL_DEFAULTS["max_file_size"], metavar="MB",
                        help="größere Dokumente nicht spiegeln, nur verlinken (Standard: 50 MB)")
    parser.add_argument("--allow-host", action="append", default=OPARL_DEFAULTS["allow_host"], metavar="HOST",
                        help="Dokumente auch von diesem Host laden (mehrfach möglich). Ohne diese Option nur "
                        "vom Host der Quelle; nie über Weiterleitungen auf andere Hosts, nie von https auf "
                        "http, nie aus internen Netzen (außer die Quelle liegt selbst dort). Abgelehnte "
                        "Dokumente werden nicht veröffentlicht und im Bericht genannt.")


def _add_sql_options(parser):
    """Where a database import finds its tables and documents; `import sql` and `update` alike."""
    parser.add_argument("--mapping", metavar="DATEI",
                        help="Zuordnung als YAML (Standard: neutrales Exportschema)")
    parser.add_argument("--files-root", metavar="ORDNER",
                        help="Ordner, unter dem die Dateipfade der Dokumente liegen (statt root in der Zuordnung)")


def _number(text: str, convert, smallest, wanted: str):
    try:
        value = convert(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} ist keine {wanted}") from None
    if value < smallest:
        raise argparse.ArgumentTypeError(f"{text!r} ist keine {wanted}")
    return value


def _not_negative(text: str) -> float:
    return _number(text, float, 0, "Zahl ≥ 0")


def _positive(text: str) -> float:
    value = _number(text, float, 0, "Zahl > 0")
    if value == 0:
        raise argparse.ArgumentTypeError(f"{text!r} ist keine Zahl > 0")
    return value


def _positive_int(text: str) -> int:
    return _number(text, int, 1, "ganze Zahl ≥ 1")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ratsinfo")
    except PackageNotFoundError:  # run from a checkout that was never installed (`python -m ratsinfo.cli`)
        return "(nicht installiert)"


def parser() -> argparse.ArgumentParser:
    root = GermanParser(prog="ratsinfo", description=DESCRIPTION, epilog=EPILOG)
    root.add_argument("--version", action="version", version=f"ratsinfo {_version()}",
                      help="Versionsnummer anzeigen und beenden")
    commands = root.add_subparsers(dest="command", metavar="BEFEHL", required=True, parser_class=GermanParser)

    imp = commands.add_parser(
        "import", help="Daten aus einer Quelle nach content/ importieren",
        description="Importiert freigegebene, öffentliche Datensätze nach content/. "
        "Nichtöffentliches wird nie geschrieben. Ein fehlgeschlagener Import lässt content/ unverändert.",
    )
    sources = imp.add_subparsers(dest="source", metavar="QUELLE", required=True, parser_class=GermanParser)
    oparl = sources.add_parser(
        "oparl", help="OParl-1.0/1.1-Schnittstelle oder OParl-Dump-Ordner",
        description="Liest ein OParl-System (System- oder Body-URL über http/https) oder einen lokalen "
        "Ordner mit OParl-JSON (z. B. von `ratsinfo demo`). Unveränderte Daten schreiben keine Datei neu. "
        "Ab dem zweiten Lauf werden nur Änderungen abgefragt (modified_since); gelöschte Objekte "
        "verschwinden. Ein abgebrochener Lauf setzt beim nächsten Mal fort (einmal; alle Listen werden "
        "neu abgefragt). Eine Liste, die mit 401, 403 oder 404 antwortet, bricht den Lauf ab, ebenso ein "
        "überschrittenes Limit (Zeit, Seiten je Liste, Größe einer Antwort). Am Ende steht ein Bericht "
        "über die Mängel der Quelle (auch in content/.ratsinfo/last-import-report.json).",
    )
    oparl.add_argument("url", metavar="URL", help="System- oder Body-URL, oder Ordner/Datei eines OParl-Dumps")
    oparl.add_argument("--content", metavar="ORDNER", help="Inhaltsordner (Standard: content im Site-Ordner oder hier)")
    _add_import_options(oparl)
    _add_oparl_options(oparl)
    _add_site_option(oparl)
    oparl.set_defaults(run=_import_oparl)

    sql = sources.add_parser(
        "sql", help="Datenbank-Export des Ratsinformationssystems (SQLite, PostgreSQL, MariaDB, Oracle …)",
        description="Liest Sitzungen, Tagesordnungen, Vorlagen, Personen, Gremien und Dokumente aus einer "
        "Datenbank. Eine Zuordnung (YAML) nennt Tabellen, Spalten und die Freigaberegel; ohne --mapping "
        "gilt das neutrale Exportschema (docs/sql-export.md). Eine falsche Zuordnung wird mit Datei und "
        "Zeile gemeldet, bevor etwas geschrieben wird. Ab dem zweiten Lauf werden nur geänderte Zeilen "
        "gelesen; gelöschte Zeilen verschwinden.",
    )
    sql.add_argument("url", metavar="DB_URL",
                     help="Datenbank-URL (z. B. postgresql://benutzer@host/ratsinfo, "
                     "mariadb://benutzer:passwort@host/ratsinfo) oder Pfad einer SQLite-Datei")
    sql.add_argument("--content", metavar="ORDNER", help="Inhaltsordner (Standard: content im Site-Ordner oder hier)")
    _add_sql_options(sql)
    _add_import_options(sql)
    _add_site_option(sql)
    sql.set_defaults(run=_import_sql)

    build = commands.add_parser(
        "build", help="Portal aus content/ nach output/ bauen (mit Suchindex)",
        description="Baut mit Pelican und Pagefind das statische Portal. Gebaut wird in einen "
        "Zwischenordner; erst ein vollständiger Build ersetzt den Ausgabeordner.",
    )
    build.add_argument("--content", metavar="ORDNER", help="Inhaltsordner (Standard: content im Site-Ordner oder hier)")
    build.add_argument("--output", metavar="ORDNER", help="Ausgabeordner (Standard: output im Site-Ordner oder hier)")
    _add_address_options(build)
    _add_site_option(build)
    build.set_defaults(run=_build)

    check = commands.add_parser(
        "check", help="gebautes Portal auf kaputte interne Links und Anker prüfen",
        description="Prüft alle Seiten in ORDNER auf interne Links und Anker, deren Ziel fehlt, und auf "
        "Adressen, die sich nur in Groß-/Kleinschreibung unterscheiden, und jede Datei gegen die "
        "Prüfsummenliste SHA256SUMS des Builds (geändert, fehlt, zu viel; z. B. auf einem Spiegel). Warnt, "
        "wenn Impressum, Datenschutz, die öffentliche Adresse (PUBLIC_URL) oder SHA256SUMS fehlen. Exit 0: in Ordnung (auch mit "
        "Warnungen), 1: etwas ist kaputt, 2: ORDNER fehlt oder enthält kein gebautes Portal.",
    )
    check.add_argument("--output", metavar="ORDNER", help="gebautes Portal (Standard: output im Site-Ordner oder hier)")
    _add_site_option(check)
    check.set_defaults(run=_check)

    pub = commands.add_parser(
        "publish", help="gebautes Portal atomar veröffentlichen",
        description="Kopiert das gebaute Portal als neue Version neben das Ziel und schaltet das Ziel "
        "(eine symbolische Verknüpfung) in einem Schritt um. Frühere Versionen bleiben für "
        "`ratsinfo rollback` erhalten.",
    )
    pub.add_argument("--output", metavar="ORDNER", help="gebautes Portal (Standard: output im Site-Ordner oder hier)")
    pub.add_argument("--to", required=True, metavar="ZIEL", help="veröffentlichter Ordner, z. B. /var/www/ratsinfo")
    pub.add_argument("--keep", type=int, default=3, metavar="N", help="so viele Versionen behalten (Standard: 3; mindestens 2: die laufende und die vorige)")
    _add_site_option(pub)
    pub.set_defaults(run=_publish)

    back = commands.add_parser(
        "rollback", help="auf die vorige veröffentlichte Version zurückschalten",
        description="Schaltet ZIEL auf die vorige Version zurück (nach einem fehlerhaften Update).",
    )
    back.add_argument("--to", required=True, metavar="ZIEL", help="veröffentlichter Ordner")
    _add_site_option(back)
    back.set_defaults(run=_rollback)

    upd = commands.add_parser(
        "update", help="importieren, bauen, prüfen und veröffentlichen (für cron/Aufgabenplanung)",
        description=UPDATE_DESCRIPTION,
    )
    upd.add_argument("source", metavar="QUELLE",
                     help="OParl-System-URL oder Dump-Ordner, Datenbank-URL oder SQLite-Datei")
    upd.add_argument("--content", metavar="ORDNER", help="Inhaltsordner (Standard: content im Site-Ordner oder hier)")
    upd.add_argument("--output", metavar="ORDNER", help="Build-Ordner (Standard: output im Site-Ordner oder hier)")
    upd.add_argument("--to", metavar="ZIEL",
                     help="veröffentlichter Ordner, z. B. /var/www/ratsinfo (nötig außer mit --dry-run)")
    upd.add_argument("--log", metavar="DATEI",
                     help="Protokolldatei (Standard: ratsinfo-update.log im Site-Ordner oder hier)")
    upd.add_argument("--dry-run", action="store_true",
                     help="nur ausprobieren: importieren, bauen und prüfen in einem Zwischenordner, berichten, "
                     "was sich ändern würde; nichts wird veröffentlicht, content/, output/ und der Stand des "
                     "Imports bleiben unverändert")
    _add_address_options(upd)
    upd.add_argument("--sql", action="store_true",
                     help="QUELLE ist eine Datenbank (nur nötig, wenn das nicht an URL oder Datei zu erkennen ist)")
    _add_import_options(upd)
    _add_oparl_options(upd)
    _add_sql_options(upd)
    # Unset until the source is known to be OParl (see _options_of_the_other_kind).
    upd.set_defaults(**dict.fromkeys(OPARL_DEFAULTS))
    _add_site_option(upd)
    upd.set_defaults(run=_update)

    _add_takedown_commands(commands)

    init = commands.add_parser(
        "init", help="Site-Ordner einer Stadt anlegen (Einstellungen, Impressum, Datenschutz, Hilfe)",
        description="Legt ORDNER an: ratsinfo.toml mit jeder Einstellung (auskommentiert und erklärt), "
        "content/pages/ mit Vorlagen für Impressum, Datenschutz und Hilfe und eine README. Alle Befehle "
        "nehmen den Ordner mit --site ORDNER (oder laufen in ihm). So bleiben Einstellungen und eigene "
        "Seiten der Stadt bei jedem Update des Programms unberührt. Überschreibt nie eine Datei.",
    )
    init.add_argument("folder", metavar="ORDNER", help="neuer oder leerer Ordner, z. B. /srv/ratsinfo-site")
    init.set_defaults(run=_init)

    demo = commands.add_parser(
        "demo", help="Demo-Stadtrat als OParl-Dump (oder SQL-Export) schreiben",
        description="Schreibt einen erfundenen, realistischen Stadtrat (Große Kreisstadt Muldenau) "
        "als OParl-1.1-Dump mit PDF-Anlagen, mit --sqlite als SQLite-Datenbank im neutralen "
        "Exportschema. Immer gleich (deterministisch).",
    )
    demo.add_argument("--out", default=None, metavar="ORDNER",
                      help=f"Zielordner des OParl-Dumps (Standard: {DEMO_OUT}; mit --sqlite nur, wenn angegeben)")
    demo.add_argument("--papers", type=_positive_int, metavar="N",
                      help="dieselbe Stadt in Großstadtgröße: N Vorlagen über 20 Jahre, Dokumente mit Text statt "
                      "PDF (für Messungen; 60000 = Großstadt). Ohne Angabe: die kleine Demo")
    demo.add_argument("--sqlite", metavar="DATEI",
                      help="stattdessen als SQL-Export in diese SQLite-Datei schreiben (wird ersetzt)")
    demo.set_defaults(run=_demo)
    return root


def _day(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} ist kein Datum; erwartet ist z. B. 2026-05-01") from None


def _add_takedown_commands(commands):
    from datetime import date

    down = commands.add_parser(
        "takedown", help="Löschliste: Personen, Vorlagen, Dokumente, Texte auf Antrag entfernen",
        description="Die Löschliste (loeschungen.yaml im Site-Ordner, Einstellung TAKEDOWN_LEDGER) nennt, was "
        "das Portal nicht mehr zeigt. Jeder Build wendet sie an, nach jedem Import: Seiten, Suchindex, Feeds, "
        "Kalender, Sitemap, Schnittstelle und Dateikopien. Jede Änderung steht mit Zeit und Benutzer im "
        "Protokoll loeschungen.log daneben. Anleitung: docs/takedown.md.",
    )
    actions = down.add_subparsers(dest="action", metavar="AKTION", required=True, parser_class=GermanParser)
    add = actions.add_parser(
        "add", help="einen Eintrag hinzufügen",
        description="Trägt eine Entscheidung ein: genau eines von --zurueckhalten, --schwaerzen, --ersetzen, "
        "dazu Grund, wer entschieden hat und wann. Die Felder werden geprüft, bevor etwas geschrieben wird. "
        "Danach löscht es die Zwischenspeicher der Builds und leert den privaten Importstand; der nächste Import "
        "liest die Quelle vollständig und entfernt das Zurückgehaltene aus dem Inhaltsordner.",
    )
    what = add.add_mutually_exclusive_group(required=True)
    what.add_argument("--zurueckhalten", metavar="WAS",
                      help="ein Objekt zurückhalten: \"person 17\", \"vorlage 42\", \"sitzung 7\", \"datei 31\", "
                      "\"gremium 3\", \"top 12\" oder die Adresse seiner Seite (z. B. personen/17.html)")
    what.add_argument("--schwaerzen", metavar="TEXT",
                      help="einen Text überall ersetzen (Namen in Titeln, Tagesordnungen, Dokumenttexten); "
                      "Dokumente, deren Text ihn enthält, werden nicht mehr gespiegelt")
    what.add_argument("--ersetzen", metavar="WAS", help="ein Dokument (\"datei 31\") durch eine geschwärzte Fassung ersetzen")
    add.add_argument("--durch", metavar="DATEI",
                     help="die geschwärzte Fassung zu --ersetzen (eine .txt gleichen Namens daneben wird ihr Text); "
                     "sie wird in den Ordner loeschungen/ neben der Löschliste kopiert")
    add.add_argument("--grund", required=True, metavar="TEXT", help="warum, z. B. \"Antrag nach Art. 17 DSGVO vom 2026-03-02\"")
    add.add_argument("--entschieden-von", required=True, metavar="NAME", help="wer entschieden hat (Stelle, Person)")
    add.add_argument("--am", type=_day, default=date.today(), metavar="DATUM", help="Tag der Entscheidung (Standard: heute)")
    add.add_argument("--bis", type=_day, metavar="DATUM", help="bis zu diesem Tag (einschließlich); ohne Angabe: unbefristet")
    add.set_defaults(run=_takedown_add)
    listing = actions.add_parser("list", help="alle Einträge zeigen", description="Zeigt jeden Eintrag der Löschliste.")
    listing.set_defaults(run=_takedown_list)
    check = actions.add_parser(
        "check", help="gebautes Portal nach Zurückgehaltenem durchsuchen",
        description="Durchsucht jede Datei des gebauten Portals (auch den Suchindex), den Inhaltsordner, den "
        "privaten Importstand und die Zwischenspeicher der Builds nach dem, was die Löschliste zurückhält, und "
        "nennt jede Stelle. Exit 0: nichts gefunden, 1: Stellen gefunden, 2: nicht prüfbar.",
    )
    check.add_argument("--output", metavar="ORDNER", help="gebautes Portal (Standard: output im Site-Ordner oder hier)")
    check.set_defaults(run=_takedown_check)
    remove = actions.add_parser(
        "remove", help="einen Eintrag beenden",
        description="Beendet Eintrag NR: er verlässt die Löschliste (das Protokoll behält ihn). Der nächste "
        "Import liest die Quelle vollständig und holt zurück, was er zurückhielt; mit dem Build danach erscheint "
        "es wieder.",
    )
    remove.add_argument("nr", type=_positive_int, metavar="NR", help="Nummer des Eintrags (ratsinfo takedown list)")
    remove.add_argument("--grund", metavar="TEXT", help="warum der Eintrag endet (ins Protokoll)")
    remove.set_defaults(run=_takedown_remove)
    for sub in (add, listing, check, remove):
        sub.add_argument("--content", metavar="ORDNER",
                         help="Inhaltsordner (Standard: content im Site-Ordner oder hier); die Löschliste liegt daneben")
        _add_site_option(sub)


def main(argv: list[str] | None = None) -> int:
    from ratsinfo.site import SiteError, locate

    args = parser().parse_args(argv)
    if "site" in args:
        try:
            args.site = locate(args.site)
        except SiteError as exc:
            print(f"Einstellungen nicht lesbar: {exc}", file=sys.stderr)
            return 2
    return args.run(args)


def command():
    """The `ratsinfo` command. It ends without freeing what it built object by object: after a
    city's build that takes longer than the change itself (0.7 s at 114,502 pages). Every file
    is closed by then; output and logs are flushed here."""
    code = main()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    command()
