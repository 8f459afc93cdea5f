"""`ratsinfo update` does what the import commands do: OParl or SQL sources with every import
option, --strict, --dry-run, and a log file with the run's progress and every warning."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
from rich.console import Console

from importers.errors import ImportFailed
from importers.oparl import import_oparl, resume_dir
from importers.progress import ImportProgress
from importers.state import state_path
from ratsinfo.publish import releases_of
from ratsinfo.update import run_update, source_kind
from tests.conftest import base_of, copy_of
from tests.support.oparl_server import DumpServer
from tests.test_publish import run_cli

QUIET = Console(stderr=True, quiet=True)


@dataclass
class Town:
    """A town that ran `ratsinfo update` from cron: its folders, as the command names them."""
    root: Path
    source: str

    content = property(lambda self: self.root / "inhalt")
    output = property(lambda self: self.root / "bau")
    target = property(lambda self: self.root / "www" / "ratsinfo")

    def update(self, *options: str, log: str = "update.log"):
        return run_cli("update", self.source, "--content", "inhalt", "--output", "bau", "--log", log, *options,
                       cwd=self.root)

    def log(self, name: str = "update.log") -> str:
        return (self.root / name).read_text(encoding="utf-8")

    def snapshot(self) -> dict[str, tuple]:
        """Every file of content/, output/, the published releases and the importer's private
        state: its bytes and mtime; and where the published link points."""
        folders = {"inhalt": self.content, "bau": self.output, "versionen": releases_of(self.target),
                   "zustand": state_path(self.content)}
        files = {}
        for name, folder in folders.items():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    files[f"{name}/{path.relative_to(folder)}"] = (
                        hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
        files["ziel"] = os.readlink(self.target)
        return files

    def scratch_left(self) -> list[Path]:
        return list(self.root.glob(".ratsinfo-probelauf-*"))


@pytest.fixture(scope="module")
def sql_town(demo_sqlite, tmp_path_factory) -> Town:
    """A town whose council system exports SQLite: its first update, documents only linked."""
    root = tmp_path_factory.mktemp("sql-stadt")
    copy_of(demo_sqlite, root / "export.sqlite")  # change_meeting changes it
    town = Town(root, "export.sqlite")
    first = town.update("--to", str(town.target), "--no-files")
    assert first.returncode == 0, first.stderr
    return town


def change_meeting(town: Town, name: str):
    db = sqlite3.connect(town.root / town.source)
    try:
        with db:
            # A day after the newest change the last run saw: an incremental run reads it.
            db.execute("UPDATE meetings SET name = ?, modified = datetime((SELECT max(modified) FROM meetings), '+1 day') "
                       "WHERE id = '1'", (name,))
    finally:
        db.close()


def test_source_kind_is_sql_for_database_urls_and_sqlite_files(demo_sqlite, tmp_path):
    copy_of(demo_sqlite, tmp_path / "export.db")
    (tmp_path / "dump.json").write_text("{}", encoding="utf-8")
    assert source_kind(str(tmp_path / "export.db")) == "sql"
    for url in ("sqlite:///x.db", "postgresql://ratsinfo@db/rats", "postgresql+psycopg2://db/rats",
                "mariadb://u:p@db/rats", "MySQL://db/rats", "oracle+oracledb://db/rats", "mssql+pyodbc://dsn"):
        assert source_kind(url) == "sql", url
    for other in ("https://oparl.example/oparl/v1", "http://127.0.0.1:8080/system", str(tmp_path),
                  str(tmp_path / "dump.json"), str(tmp_path / "gibt-es-nicht")):
        assert source_kind(other) == "oparl", other


def test_update_refuses_an_option_of_the_other_kind_of_source_before_doing_anything(demo_sqlite, tmp_path):
    copy_of(demo_sqlite, tmp_path / "export.sqlite")
    (tmp_path / "dump").mkdir()
    refused = {
        ("export.sqlite", "--rate", "3"): ("--rate", "OParl"),
        ("export.sqlite", "--allow-host", "docs.example"): ("--allow-host", "OParl"),
        ("dump", "--sql", "--max-run-time", "5"): ("--max-run-time", "OParl"),
        ("dump", "--files-root", "dokumente"): ("--files-root", "--sql"),
    }
    for (source, *options), (option, advice) in refused.items():
        result = run_cli("update", source, "--to", "www", "--log", "update.log", *options, cwd=tmp_path)
        assert result.returncode == 2, (options, result.stderr)
        assert option in result.stderr and advice in result.stderr and "Traceback" not in result.stderr
    without_target = run_cli("update", "dump", cwd=tmp_path)
    assert without_target.returncode == 2 and "--to" in without_target.stderr and "--dry-run" in without_target.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dump", "export.sqlite"]


def test_import_progress_logs_a_line_per_kind_every_n_objects(caplog):
    progress = ImportProgress(None, every=10, interval=float("inf"))
    with caplog.at_level(logging.INFO, logger="importers.progress"):
        for _ in range(25):
            progress.count("Paper")
        progress.count("Meeting", 12)
        download = progress.task("Dateien", 20)
        for _ in range(20):
            download()
    assert caplog.messages == ["Import läuft: Paper 10", "Import läuft: Paper 20", "Import läuft: Meeting 12",
                               "Import läuft: Dateien 10 von 20", "Import läuft: Dateien 20 von 20"]


@pytest.fixture(scope="module")
def oparl_town(demo_dump, tmp_path_factory):
    """A town whose council system speaks OParl (a real server on loopback): its first update,
    with a log line per 200 objects of a kind. Its own copy of the demo dump: a test renames a meeting there."""
    root = tmp_path_factory.mktemp("oparl-stadt")
    shutil.copytree(demo_dump, root / "dump")
    # Its own cache: a run killed by another test on a server that had the same port would
    # otherwise be resumed here (the resume cache is keyed by the source's address).
    with pytest.MonkeyPatch.context() as cache, DumpServer(root / "dump", base_of(root / "dump")) as server:
        cache.setenv("XDG_CACHE_HOME", str(root / "cache"))
        town = Town(root, server.url + "system")
        town.server = server
        town.result = run_update(town.source, town.content, town.output, town.target, root / "update.log",
                                 console=QUIET, import_step=oparl_step)
        yield town


def oparl_step(source, content):
    return import_oparl(source, content, mirror_files=False, show_progress=False, progress_every=200)


def test_update_logs_progress_while_importing_and_the_warnings_of_build_and_check(oparl_town):
    """cron's first run of a large city takes hours: the log shows it moving, and says what to fix."""
    lines = oparl_town.log().splitlines()
    progress = [n for n, line in enumerate(lines) if "INFO Import läuft: " in line]
    imported = next(n for n, line in enumerate(lines) if "Import fertig" in line)
    assert len(progress) >= 5 and max(progress) < imported
    assert any("Import läuft: AgendaItem 1" in lines[n] for n in progress)
    assert any("Abruf: vollständig" in line for line in lines[:imported])  # the import report
    warnings = [line for line in lines if " WARNING " in line]
    assert any("PUBLIC_URL fehlt" in line for line in warnings)  # plugins.feeds, during the build
    assert any("Keine Seite Impressum" in line and "Prüfung" not in line for line in warnings)  # the build's
    assert any("Prüfung: Keine öffentliche Adresse" in line for line in warnings)  # check's
    assert any("Impressum" in warning for warning in oparl_town.result.warnings)


def rename_meeting(dump: Path, meeting: str, name: str):
    """The council renames a meeting: in its own answer and in every list that embeds it."""
    def edit(value):
        if isinstance(value, dict):
            if value.get("type", "").endswith("/Meeting") and value.get("id", "").endswith(meeting):
                value.update(name=name, modified="2027-01-04T09:00:00+01:00")
            for child in value.values():
                edit(child)
        elif isinstance(value, list):
            for child in value:
                edit(child)

    for path in dump.rglob("*.json"):
        text = path.read_text(encoding="utf-8")
        if meeting in text:
            data = json.loads(text)
            edit(data)
            path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_oparl_dry_run_starts_where_the_next_run_would_and_leaves_its_state_alone(oparl_town):
    """The real run's store, withheld items and an interrupted run's answers stay as they were."""
    rename_meeting(oparl_town.root / "dump", "/meetings/1", "Sondersitzung zur Schulsanierung")
    server = oparl_town.server
    server.faults["bodies/1/papers"] = [500] * 4  # a real run breaks off: its answers are kept to resume
    with pytest.raises(ImportFailed):
        oparl_step(oparl_town.source, oparl_town.content)
    resume = resume_dir(oparl_town.source)
    assert resume.is_dir()
    before = oparl_town.snapshot(), tree_of(resume)
    result = run_update(oparl_town.source, oparl_town.content, oparl_town.output, None,
                        oparl_town.root / "probelauf.log", console=QUIET, import_step=oparl_step, dry_run=True)
    assert "  geändert: meetings/1.md" in result.changes and "  geändert: sitzungen/1.html" in result.changes
    assert result.check_failed is None
    assert (oparl_town.snapshot(), tree_of(resume)) == before
    assert oparl_town.scratch_left() == []
    assert "Abruf: inkrementell" in oparl_town.log("probelauf.log")


def tree_of(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def test_update_from_a_sqlite_export_publishes_with_the_import_options(sql_town):
    assert (sql_town.target / "index.html").is_file() and sql_town.target.is_symlink()
    log = sql_town.log()
    assert "Abruf: vollständig" in log and "meeting        neu    189" in log
    assert "Dateien geladen: 0" in log  # --no-files reached the SQL importer
    assert (sql_town.target / "sitzungen" / "1.html").is_file()


def test_dry_run_reports_what_would_change_and_changes_nothing(sql_town):
    change_meeting(sql_town, "Sondersitzung zum Haushalt")
    before = sql_town.snapshot()
    result = sql_town.update("--dry-run", "--no-files", log="probelauf.log")
    assert result.returncode == 0, result.stderr
    assert "Inhalt: 0 neu, 1 geändert, 0 gelöscht" in result.stdout
    assert "geändert: meetings/1.md" in result.stdout and "geändert: sitzungen/1.html" in result.stdout
    assert "würde gelingen" in result.stdout
    assert sql_town.snapshot() == before
    assert sql_town.scratch_left() == []
    # The scratch import started from a copy of the private state: an incremental run, as cron's would be.
    assert "Abruf: inkrementell" in sql_town.log("probelauf.log")
    assert "Sondersitzung" not in (sql_town.target / "sitzungen" / "1.html").read_text(encoding="utf-8")


def test_dry_run_exit_code_says_whether_the_update_would_succeed(sql_town):
    """1: the check would fail; 2: import or build would. --strict reaches the build."""
    pages, meetings = sql_town.content / "pages", sql_town.content / "meetings"
    pages.mkdir()
    (pages / "kaputt.md").write_text("Title: Kaputt\nSlug: kaputt\n\n[Anfahrt](anfahrt.html)\n", encoding="utf-8")
    (meetings / "nachtrag.md").write_text(
        "---\nid: nachtrag\nname: Nachgetragene Sitzung\nstart: '2025-02-30T17:00:00+01:00'\n---\n", encoding="utf-8")
    try:
        before = sql_town.snapshot()
        strict = sql_town.update("--dry-run", "--no-files", "--strict", log="streng.log")
        assert strict.returncode == 2, strict.stdout + strict.stderr
        assert "Build fehlgeschlagen" in strict.stderr and "--strict" in strict.stderr
        # The file to correct is the real one, not its copy in the scratch folder.
        assert f"{meetings / 'nachtrag.md'}, Zeile 4" in strict.stderr and "probelauf" not in strict.stderr
        broken = sql_town.update("--dry-run", "--no-files", log="kaputt.log")
        assert broken.returncode == 1, broken.stdout + broken.stderr
        assert "würde scheitern" in broken.stdout and "neu: seiten/kaputt.html" in broken.stdout
        log = sql_town.log("kaputt.log")
        assert "anfahrt.html" in log and f"{meetings / 'nachtrag.md'}, Zeile 4" in log  # plugins.council's warning
        assert "probelauf-" not in log
        assert sql_town.snapshot() == before
    finally:
        (pages / "kaputt.md").unlink()
        pages.rmdir()
        (meetings / "nachtrag.md").unlink()
    missing = run_cli("update", "fehlt.sqlite", "--sql", "--dry-run", "--content", "inhalt", "--output", "bau",
                      cwd=sql_town.root)
    assert missing.returncode == 2 and "Import fehlgeschlagen" in missing.stderr
    assert sql_town.scratch_left() == []


def test_every_failed_update_ends_with_a_message_and_exit_2_and_the_site_untouched(sql_town):
    published = os.readlink(sql_town.target)
    (sql_town.root / "protokolle").mkdir()
    unwritable_log = sql_town.update("--to", str(sql_town.target), log="protokolle")
    assert unwritable_log.returncode == 2 and "Traceback" not in unwritable_log.stderr
    assert "Protokolldatei" in unwritable_log.stderr and "--log" in unwritable_log.stderr
    foreign = sql_town.root / "fremd"
    foreign.mkdir()
    (foreign / "index.html").write_text("Die Seite des Bauamts", encoding="utf-8")
    refused = sql_town.update("--to", str(foreign), "--no-files")
    assert refused.returncode == 2 and "Veröffentlichung fehlgeschlagen" in refused.stderr
    assert [p.name for p in foreign.iterdir()] == ["index.html"]
    assert os.readlink(sql_town.target) == published


def test_every_update_in_one_process_logs_its_whole_report(oparl_town, tmp_path):
    """Pelican's loggers drop a message the process logged once before (pelican.log.LimitFilter);
    ours must not: a second update in one process (a service, the tests) logs its report too."""
    for number in (1, 2):
        log_file = tmp_path / f"probelauf-{number}.log"
        run_update(oparl_town.source, oparl_town.content, oparl_town.output, None, log_file, console=QUIET,
                   import_step=oparl_step, dry_run=True)
        text = log_file.read_text(encoding="utf-8")
        assert "INFO   Abruf: " in text, (number, text[:2000])
