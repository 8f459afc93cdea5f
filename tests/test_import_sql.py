"""The SQL importer: a database export gives the same content/ as OParl, only what is approved, incrementally."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import stat
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from importers.content import read_front_matter
from importers.errors import ImportFailed
from importers.oparl import import_oparl
from importers.sql import DEFAULT_MAPPING, MappingError, import_sql
from ratsinfo.demo import NON_PUBLIC_MARKERS, PDF_ONLY_WORD
from ratsinfo.demo.pdf import Document, render
from ratsinfo.demo.sqlite import SCHEMA
from tests.support.databases import scratch_database

PROJECT = Path(__file__).resolve().parent.parent
SESSION_EXAMPLE = PROJECT / "docs" / "mappings" / "session-beispiel.yaml"


def without_source(value):
    """A content object with every `source` removed (the one field that names the origin)."""
    if isinstance(value, dict):
        return {key: without_source(item) for key, item in value.items() if key != "source"}
    if isinstance(value, list):
        return [without_source(item) for item in value]
    return value


def content_tree(folder: Path, keep_source: bool = True) -> dict[str, object]:
    """Every file of content/ except the importer's bookkeeping and hand-written pages.

    Front matter is compared as data in its order (JSON keeps the order); media
    and extracted text byte for byte.
    """
    tree = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or ".ratsinfo" in path.parts or "pages" in path.parts or path == folder / "site.yaml":
            continue
        name = str(path.relative_to(folder))
        if path.suffix == ".md":
            data = read_front_matter(path)
            tree[name] = json.dumps(data if keep_source else without_source(data), ensure_ascii=False)
        else:
            tree[name] = path.read_bytes()
    return tree


def assert_same_trees(expected: dict, actual: dict):
    assert sorted(actual) == sorted(expected)
    different = [name for name in expected if expected[name] != actual[name]]
    assert not different, f"{len(different)} Dateien verschieden, z. B. {different[:3]}: " \
                          f"{expected[different[0]]!r:.600} ≠ {actual[different[0]]!r:.600}"


def every_byte(folder: Path) -> str:
    """All of content/ as text, bookkeeping included, to look for what must never be there."""
    return "\n".join(p.read_bytes().decode("utf-8", errors="replace") for p in folder.rglob("*") if p.is_file())


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*"))
            if p.is_file() and ".ratsinfo" not in p.parts and p != folder / "site.yaml"}  # the run's date


def neutral_database(path: Path, **tables: list[dict]) -> Path:
    """A small SQLite export in the neutral schema; missing columns stay NULL."""
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        SCHEMA.create_all(connection)
        for name, rows in tables.items():
            columns = [c.name for c in SCHEMA.tables[name].columns]
            connection.execute(SCHEMA.tables[name].insert(), [{c: row.get(c) for c in columns} for row in rows])
    engine.dispose()
    return path


def pdf(text: str) -> bytes:
    return render(Document("Testdokument", date(2026, 3, 1), blocks=[("text", text)]))


@pytest.fixture(scope="module")
def sql_demo(demo_sqlite) -> Path:
    """The session's demo export (tests/conftest.py): read here, or copied before a change."""
    return demo_sqlite


@pytest.fixture(scope="module")
def oparl_demo_content(demo_dump, tmp_path_factory, texts_read) -> Path:
    """The demo's OParl dump imported from its folder, so files keep their original URLs; its texts
    as demo_content's import read them (the SQL import reads every file itself)."""
    content = texts_read(tmp_path_factory.mktemp("oparl-demo-content"))
    import_oparl(str(demo_dump), content, show_progress=False)
    return content


@pytest.fixture(scope="module")
def sql_demo_content(sql_demo, tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("sql-demo-content")
    import_sql(str(sql_demo), content, show_progress=False)
    return content


# -- the demo both ways ------------------------------------------------------

def test_demo_export_gives_the_same_content_as_the_oparl_dump(sql_demo_content, oparl_demo_content):
    """Ids, fields, their order, attachments and extracted text: all the same, only `source` differs."""
    assert_same_trees(content_tree(oparl_demo_content, keep_source=False),
                      content_tree(sql_demo_content, keep_source=False))
    meeting = read_front_matter(sql_demo_content / "meetings" / "100.md")
    assert meeting["source"] == "sql:meetings/100"
    assert meeting["agenda"][0]["source"].startswith("sql:agendaitems/")
    assert any(PDF_ONLY_WORD in p.read_text(encoding="utf-8") for p in (sql_demo_content / "files").glob("*.txt"))


def copy_export(sqlite_file: Path, url: str):
    """The demo export, row for row, into a server database (faster than building the town again)."""
    source, target = sa.create_engine(f"sqlite:///{sqlite_file}"), sa.create_engine(url)
    with source.connect() as reading, target.begin() as writing:
        SCHEMA.create_all(writing)
        for table in SCHEMA.sorted_tables:
            rows = [dict(row._mapping) for row in reading.execute(table.select())]
            if rows:
                writing.execute(table.insert(), rows)
    source.dispose()
    target.dispose()


@pytest.mark.parametrize("system", ["postgresql", "mariadb"])
def test_postgresql_and_mariadb_give_the_same_content_as_sqlite(system, sql_demo, sql_demo_content, tmp_path):
    content = tmp_path / "content"
    with scratch_database(system) as url:
        copy_export(sql_demo, url)
        report = import_sql(url, content, show_progress=False)
        assert report.files_failed == 0 and not report.problem_counts
        # A second run asks the server only for newer rows and finds nothing to write or fetch.
        again = import_sql(url, content, show_progress=False)
    assert again.mode.startswith("inkrementell")
    assert not again.updated and not again.created and again.files_downloaded == 0
    assert_same_trees(content_tree(sql_demo_content), content_tree(content))


# -- publication --------------------------------------------------------------

def test_non_public_demo_items_never_reach_content_not_even_the_importers_memory(sql_demo_content):
    from importers.state import state_dir

    everything = every_byte(sql_demo_content) + every_byte(state_dir(sql_demo_content))
    assert "Muldenau" in every_byte(state_dir(sql_demo_content)), "the importer's memory was not looked at"
    for marker in NON_PUBLIC_MARKERS:
        assert marker not in everything, marker
    # Contact data is not published by default, so not remembered either.
    assert "@muldenau.example" not in everything


def test_unapproved_rows_and_their_files_are_not_written(tmp_path):
    now = datetime.now().replace(microsecond=0)
    database = neutral_database(
        tmp_path / "export.sqlite",
        meetings=[
            {"id": "1", "name": "Öffentliche Sitzung", "starts_at": now, "is_public": True, "modified": now},
            {"id": "2", "name": "Noch nicht freigegeben", "starts_at": now, "is_public": True,
             "released_at": now + timedelta(days=1), "modified": now},
            {"id": "3", "name": "Nicht freigegeben", "starts_at": now, "is_public": False,
             "invitation_file_id": "13", "modified": now},
        ],
        agenda_items=[
            {"id": "10", "meeting_id": "1", "position": 1, "item_number": "Ö 1", "name": "Spielplatz",
             "is_public": True, "paper_id": "20", "modified": now},
            {"id": "11", "meeting_id": "1", "position": 2, "item_number": "N 1",
             "name": "Vorkaufsrechtsverzicht Flurstück 12", "is_public": False, "result": "beschlossen",
             "resolution_text": "Vorkaufsrechtsverzicht erklärt", "resolution_file_id": "12", "modified": now},
        ],
        papers=[
            {"id": "20", "name": "Spielplatz", "is_public": True, "main_file_id": "10", "modified": now},
            {"id": "21", "name": "Entwurf", "is_public": False, "main_file_id": "11", "modified": now},
        ],
        files=[
            {"id": str(n), "name": f"Dokument {n}", "content": pdf(f"Inhalt {n}"), "modified": now}
            for n in (10, 11, 12, 13)
        ],
    )
    content = tmp_path / "content"
    report = import_sql(str(database), content, show_progress=False)

    assert sorted(p.name for p in (content / "meetings").glob("*.md")) == ["1.md"]
    assert sorted(p.name for p in (content / "papers").glob("*.md")) == ["20.md"]
    assert sorted(p.name for p in (content / "files").glob("*.md")) == ["10.md"]
    agenda = read_front_matter(content / "meetings" / "1.md")["agenda"]
    assert agenda[1] == {"id": "11", "source": "sql:agendaitems/11", "number": "N 1", "public": False}
    assert agenda[0]["paper"] == "20"
    assert "Vorkaufsrechtsverzicht" not in every_byte(content)
    assert report.withheld["nicht freigegeben (Sitzung)"] == 2
    assert report.withheld["nichtöffentliche TOPs"] == 1

    # The release time passes; the row itself does not change. The next run publishes it.
    with sqlite3.connect(database) as db:
        db.execute("UPDATE meetings SET released_at = ? WHERE id = '2'", (str(now - timedelta(minutes=1)),))
    later = import_sql(str(database), content, show_progress=False)
    assert later.mode.startswith("inkrementell")
    assert read_front_matter(content / "meetings" / "2.md")["name"] == "Noch nicht freigegeben"


# -- incremental runs ---------------------------------------------------------

def test_second_run_reads_only_newer_rows_and_removes_deleted_ones(sql_demo, tmp_path):
    database = tmp_path / "export.sqlite"
    shutil.copy(sql_demo, database)
    content = tmp_path / "content"
    import_sql(str(database), content, show_progress=False, mirror_files=False)
    before = snapshot(content)
    with sqlite3.connect(database) as db:
        db.execute("UPDATE meetings SET name = 'Verlegte Sitzung', modified = '2026-12-24 10:00:00' WHERE id = '150'")
        # Changed without touching `modified`: an incremental run cannot see it, a full run does.
        db.execute("UPDATE meetings SET name = 'Stille Änderung' WHERE id = '151'")
        db.execute("DELETE FROM papers WHERE id = '7'")
    report = import_sql(str(database), content, show_progress=False, mirror_files=False)
    after = snapshot(content)

    assert report.mode.startswith("inkrementell")
    assert read_front_matter(content / "meetings" / "150.md")["name"] == "Verlegte Sitzung"
    assert read_front_matter(content / "meetings" / "151.md")["name"] != "Stille Änderung"
    assert "papers/7.md" in before and "papers/7.md" not in after
    assert report.deleted["paper"] == 1 and report.deleted["file"] >= 1  # its documents belong to nothing now
    changed = {name for name in set(before) | set(after) if before.get(name) != after.get(name)}
    for name in changed - {"meetings/150.md", "papers/7.md"}:
        assert name.startswith("files/") or b"'7'" in before[name][0], name

    full = import_sql(str(database), content, show_progress=False, mirror_files=False, full=True)
    assert full.mode == "vollständig"
    assert read_front_matter(content / "meetings" / "151.md")["name"] == "Stille Änderung"


def test_sql_importers_memory_lives_in_the_private_state_folder_not_in_content(sql_demo, tmp_path):
    """content/ is shared (web root, network share); rows read from the export are bookkeeping."""
    from importers.state import state_dir

    content = tmp_path / "content"
    import_sql(str(sql_demo), content, show_progress=False, mirror_files=False)

    assert not list((content / ".ratsinfo").glob("sql-*")), "the store is in content/"
    private = state_dir(content)
    stores = list(private.glob("sql-*.sqlite"))
    assert len(stores) == 1 and stat.S_IMODE(private.stat().st_mode) == 0o700
    assert stat.S_IMODE(stores[0].stat().st_mode) & 0o077 == 0
    # Where versions before issue 13 kept it (as JSON): the next run deletes it there.
    shutil.copy(stores[0], content / ".ratsinfo" / stores[0].with_suffix(".json").name)
    second = import_sql(str(sql_demo), content, show_progress=False, mirror_files=False)
    assert second.mode.startswith("inkrementell")
    assert not list((content / ".ratsinfo").glob("sql-*"))


# -- the mapping --------------------------------------------------------------

@pytest.mark.parametrize("find, replace, message", [
    ("    table: meetings", "    table: sitzungen", "Tabelle oder Sicht 'sitzungen' gibt es in der Datenbank nicht"),
    ("      start: starts_at", "      start: startzeit", "Spalte 'startzeit' gibt es in Tabelle 'meetings' nicht"),
    ("      start: starts_at", "      start: is_public", "hat den Typ BOOLEAN, gebraucht wird: Zeitpunkt"),
    ("      start: starts_at", "      start: [starts_at]", "muss ein Text sein, nicht eine Liste"),
    ("    table: meetings", "    tabel: meetings", "unbekannter Schlüssel 'tabel' in objects.meeting"),
    ("      start: starts_at", "      beginn: starts_at", "unbekannter Schlüssel 'beginn' in objects.meeting.fields"),
    ("      public: is_public            # nur", "      oeffentlich: is_public  # nur", "unbekannter Schlüssel 'oeffentlich'"),
])
def test_wrong_mapping_names_file_and_line_and_writes_nothing(sql_demo, tmp_path, find, replace, message):
    lines = DEFAULT_MAPPING.read_text(encoding="utf-8").splitlines()
    line = next(number for number, text in enumerate(lines, 1) if text.startswith(find))
    lines[line - 1] = lines[line - 1].replace(find, replace)
    mapping = tmp_path / "zuordnung.yaml"
    mapping.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(MappingError) as failure:
        import_sql(str(sql_demo), tmp_path / "content", mapping=mapping, show_progress=False)
    assert f"Zuordnung {mapping}, Zeile {line}: " in str(failure.value)
    assert message in str(failure.value)
    assert not (tmp_path / "content").exists()


def test_neutral_mapping_in_docs_is_the_package_default():
    assert (PROJECT / "docs" / "mappings" / "neutral.yaml").read_bytes() == DEFAULT_MAPPING.read_bytes()


def test_create_table_statements_in_the_docs_are_the_demo_export_schema(tmp_path):
    text = (PROJECT / "docs" / "sql-export.md").read_text(encoding="utf-8")
    ddl = text.split("```sql\n", 1)[1].split("```", 1)[0]
    with sqlite3.connect(tmp_path / "dokumentiert.sqlite") as db:
        db.executescript(ddl)
    inspector = sa.inspect(sa.create_engine(f"sqlite:///{tmp_path / 'dokumentiert.sqlite'}"))
    assert sorted(inspector.get_table_names()) == sorted(SCHEMA.tables)
    for name, table in SCHEMA.tables.items():
        columns = inspector.get_columns(name)
        assert [(c["name"], c["nullable"]) for c in columns] == \
               [(c.name, c.nullable) for c in table.columns], name
        assert inspector.get_pk_constraint(name)["constrained_columns"] == [c.name for c in table.primary_key], name


# -- attachments --------------------------------------------------------------

def test_attachment_paths_must_stay_under_the_root(tmp_path):
    root = tmp_path / "ablage"
    (root / "2026").mkdir(parents=True)
    (root / "2026" / "plan.pdf").write_bytes(pdf("Bebauungsplan Mühlgraben"))
    outside = tmp_path / "geheim"
    outside.mkdir()
    (outside / "personal.pdf").write_bytes(pdf("Personalakte"))
    (root / "verknuepfung").symlink_to(outside, target_is_directory=True)
    paths = {"1": "2026/plan.pdf", "2": "../geheim/personal.pdf", "3": str(outside / "personal.pdf"),
             "4": "verknuepfung/personal.pdf", "5": "2026\\plan.pdf"}
    database = neutral_database(
        tmp_path / "export.sqlite",
        papers=[{"id": "1", "name": "Bebauungsplan", "is_public": True}],
        auxiliary_files=[{"paper_id": "1", "file_id": key, "position": int(key)} for key in paths],
        files=[{"id": key, "name": f"Anlage {key}", "file_name": f"anlage-{key}.pdf", "file_path": path}
               for key, path in paths.items()],
    )
    content = tmp_path / "content"
    report = import_sql(str(database), content, files_root=root, show_progress=False)

    mirrored = {p.stem for p in (content / "files").glob("*.pdf")}
    assert mirrored == {"1", "5"}
    assert "Mühlgraben" in (content / "files" / "1.txt").read_text(encoding="utf-8")
    refused = report.problems["Dateipfad verlässt den Dateiordner (abgelehnt)"]
    assert sorted(example.split(":")[0] for example in refused) == ["2", "3", "4"]
    assert read_front_matter(content / "files" / "1.md")["access_url"] == "sql-export:files/1"
    assert "access_url" not in read_front_matter(content / "files" / "2.md")
    assert "Personalakte" not in every_byte(content)


# -- a Session-like schema with the example mapping ---------------------------

SESSION_TABLES = """
CREATE TABLE MANDANT (MANDANT_ID INTEGER PRIMARY KEY, NAME VARCHAR(200), KURZNAME VARCHAR(50),
  WEBSEITE VARCHAR(200), AGS VARCHAR(8));
CREATE TABLE WAHLPERIODE (WP_ID INTEGER PRIMARY KEY, MANDANT_ID INTEGER, BEZEICHNUNG VARCHAR(100),
  BEGINN DATE, ENDE DATE);
CREATE TABLE GREMIUM (GR_ID INTEGER PRIMARY KEY, BEZEICHNUNG VARCHAR(200), KURZBEZ VARCHAR(50),
  GREMIENART VARCHAR(50), KLASSE VARCHAR(50), BEGINN DATE, ENDE DATE, UEBERGEORDNET_ID INTEGER,
  RAUM VARCHAR(100), STRASSE VARCHAR(100), PLZ VARCHAR(10), ORT VARCHAR(100), AENDERUNG TIMESTAMP);
CREATE TABLE PERSON (PE_ID INTEGER PRIMARY KEY, ANREDE VARCHAR(20), TITEL VARCHAR(20), VORNAME VARCHAR(100),
  NACHNAME VARCHAR(100), GESCHLECHT VARCHAR(10), EMAIL VARCHAR(100), TELEFON VARCHAR(50), AENDERUNG TIMESTAMP);
CREATE TABLE MITGLIED (MI_ID INTEGER PRIMARY KEY, PE_ID INTEGER, GR_ID INTEGER, FUNKTION VARCHAR(50),
  STIMMBERECHTIGT CHAR(1), VON DATE, BIS DATE, FRAKTION_ID INTEGER, AENDERUNG TIMESTAMP);
CREATE TABLE SITZUNG (SI_ID INTEGER PRIMARY KEY, GR_ID INTEGER, BEZEICHNUNG VARCHAR(200), BEGINN TIMESTAMP,
  ENDE TIMESTAMP, ABGESAGT CHAR(1), STATUS VARCHAR(30), RAUM VARCHAR(100), STRASSE VARCHAR(100),
  PLZ VARCHAR(10), ORT VARCHAR(100), FREIGABE CHAR(1), FREIGABE_AB TIMESTAMP, AENDERUNG TIMESTAMP);
CREATE TABLE TOP (TO_ID INTEGER PRIMARY KEY, SI_ID INTEGER, REIHENFOLGE INTEGER, TOP_NR VARCHAR(10),
  BETREFF VARCHAR(500), NICHTOEFFENTLICH INTEGER, VO_ID INTEGER, BESCHLUSSART VARCHAR(100),
  BESCHLUSSTEXT TEXT, AENDERUNG TIMESTAMP);
CREATE TABLE VORLAGE (VO_ID INTEGER PRIMARY KEY, BETREFF VARCHAR(500), VORLAGEN_NR VARCHAR(30), DATUM DATE,
  VORLAGENART VARCHAR(50), STATUS VARCHAR(30), FEDERFUEHRUNG_ID INTEGER, EINREICHER_PE_ID INTEGER,
  AENDERUNG TIMESTAMP);
CREATE TABLE BERATUNG (BE_ID INTEGER PRIMARY KEY, VO_ID INTEGER, LFD_NR INTEGER, SI_ID INTEGER, TO_ID INTEGER,
  GR_ID INTEGER, ROLLE VARCHAR(50), ENTSCHEIDEND CHAR(1), AENDERUNG TIMESTAMP);
CREATE TABLE DOKUMENT (DO_ID INTEGER PRIMARY KEY, BEZEICHNUNG VARCHAR(200), DATEINAME VARCHAR(200),
  MIMETYP VARCHAR(100), DATUM DATE, GROESSE INTEGER, INHALT BLOB, PFAD VARCHAR(500), DOKUMENTART VARCHAR(30),
  VO_ID INTEGER, SI_ID INTEGER, TO_ID INTEGER, REIHENFOLGE INTEGER, AENDERUNG TIMESTAMP);
"""


def session_like_export(path: Path) -> Path:
    changed = "2026-03-13 09:00:00"
    with sqlite3.connect(path) as db:
        db.executescript(SESSION_TABLES)
        db.execute("INSERT INTO MANDANT VALUES (1, 'Stadt Musterstadt', 'Musterstadt', 'https://www.musterstadt.example/', '14524998')")
        db.execute("INSERT INTO WAHLPERIODE VALUES (7, 1, 'Wahlperiode 2024–2029', '2024-08-01', '2029-07-31')")
        db.executemany("INSERT INTO GREMIUM VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?)", [
            (3, "Stadtrat", "SR", "Gremium", "Parlament", "2024-08-01", None, "Ratssaal", "Markt 1", "08000", "Musterstadt", changed),
            (9, "Fraktion Bürger für Musterstadt", "BfM", "Fraktion", "Fraktion", None, None, None, None, None, None, changed),
            (12, "Bauamt", "BA", "Verwaltungsbereich", "Amt", None, None, None, None, None, None, changed),
        ])
        db.execute("INSERT INTO PERSON VALUES (21, 'Frau', 'Dr.', 'Erika', 'Beispiel', 'female', 'erika@musterstadt.example', NULL, ?)", (changed,))
        db.execute("INSERT INTO MITGLIED VALUES (31, 21, 3, 'Mitglied', 'J', '2024-08-01', NULL, 9, ?)", (changed,))
        db.executemany("INSERT INTO SITZUNG VALUES (?, 3, ?, ?, ?, 'N', 'durchgeführt', 'Ratssaal', 'Markt 1', '08000', 'Musterstadt', ?, ?, ?)", [
            (100, "5. Sitzung des Stadtrates", "2026-03-12 17:00:00", "2026-03-12 19:30:00", "J", None, changed),
            (101, "Sitzung ohne Freigabe", "2026-03-19 17:00:00", None, "N", None, changed),
            (102, "Sitzung mit späterer Freigabe", "2026-04-02 17:00:00", None, "J", "2099-01-01 00:00:00", changed),
        ])
        db.executemany("INSERT INTO TOP VALUES (?, 100, ?, ?, ?, ?, ?, ?, ?, ?)", [
            (1000, 2, "Ö 2", "Bebauungsplan Nr. 12 „Am Mühlgraben“", 0, 500, "einstimmig beschlossen",
             "Der Stadtrat beschließt den Bebauungsplan.", changed),
            (1001, 3, "N 1", "Grundstücksangelegenheit – Vorkaufsrechtsverzicht", 1, None, "beschlossen",
             "Vorkaufsrechtsverzicht erklärt.", changed),
            (1003, 1, "Ö 1", "Eröffnung und Begrüßung", 0, None, None, None, changed),
        ])
        db.executemany("INSERT INTO VORLAGE VALUES (?, ?, ?, '2026-02-20', 'Beschlussvorlage', ?, 12, 21, ?)", [
            (500, "Bebauungsplan Nr. 12 „Am Mühlgraben“", "VO/2026/012", "freigegeben", changed),
            (501, "Entwurf: Verkauf Grundstück", "VO/2026/013", "Entwurf", changed),
        ])
        db.execute("INSERT INTO BERATUNG VALUES (600, 500, 1, 100, 1000, 3, 'Entscheidung', 'J', ?)", (changed,))
        db.executemany("INSERT INTO DOKUMENT VALUES (?, ?, ?, 'application/pdf', '2026-02-20', NULL, ?, ?, ?, ?, ?, ?, ?, ?)", [
            (800, "Vorlage VO/2026/012", "vo-2026-012.pdf", pdf("Begründung Mühlgraben"), None, "Vorlage", 500, None, None, 0, changed),
            (801, "Anlage 1 – Lageplan", "lageplan.pdf", None, "2026/lageplan.pdf", "Anlage", 500, None, None, 1, changed),
            (802, "Einladung", "einladung.pdf", pdf("Einladung zur Sitzung"), None, "Einladung", None, 100, None, 0, changed),
            (803, "Beschluss N 1", "beschluss.pdf", pdf("Vorkaufsrechtsverzicht Beschluss"), None, "Beschluss", None, None, 1001, 0, changed),
            (804, "Entwurf", "entwurf.pdf", pdf("Entwurf Grundstücksverkauf"), None, "Vorlage", 501, None, None, 0, changed),
        ])
    return path


def test_session_example_mapping_reads_a_session_like_schema(tmp_path):
    database = session_like_export(tmp_path / "session.sqlite")
    root = tmp_path / "dokumente"
    (root / "2026").mkdir(parents=True)
    (root / "2026" / "lageplan.pdf").write_bytes(pdf("Lageplan Mühlgraben"))
    content = tmp_path / "content"
    import_sql(f"sqlite:///{database}", content, mapping=SESSION_EXAMPLE, files_root=root, show_progress=False)

    assert sorted(p.stem for p in (content / "meetings").glob("*.md")) == ["100"]
    meeting = read_front_matter(content / "meetings" / "100.md")
    assert meeting["start"] == "2026-03-12T17:00:00+01:00" and meeting["organizations"] == ["3"]
    assert meeting["invitation"] == "802"
    assert [item["number"] for item in meeting["agenda"]] == ["Ö 1", "Ö 2", "N 1"]
    assert meeting["agenda"][2] == {"id": "1001", "source": "sql:agendaitems/1001", "number": "N 1", "public": False}
    assert sorted(p.stem for p in (content / "papers").glob("*.md")) == ["500"]
    paper = read_front_matter(content / "papers" / "500.md")
    assert paper["main_file"] == "800" and paper["auxiliary_files"] == ["801"]
    assert paper["originator_persons"] == ["21"] and paper["under_direction_of"] == ["12"]
    assert paper["consultations"][0] == {"source": "sql:consultations/600", "meeting": "100", "agenda_item": "1000",
                                         "organizations": ["3"], "role": "Entscheidung", "authoritative": True}
    person = read_front_matter(content / "persons" / "21.md")
    assert person["name"] == "Erika Beispiel" and "email" not in person
    assert person["memberships"][0]["voting_right"] is True and person["memberships"][0]["on_behalf_of"] == "9"
    assert read_front_matter(content / "bodies" / "1.md")["terms"] == ["7"]
    assert sorted(p.name for p in (content / "files").glob("*.pdf")) == ["800.pdf", "801.pdf", "802.pdf"]
    assert "Lageplan Mühlgraben" in (content / "files" / "801.txt").read_text(encoding="utf-8")
    everything = every_byte(content)
    assert "Vorkaufsrechtsverzicht" not in everything and "Grundstücksverkauf" not in everything


# -- the command line ---------------------------------------------------------

def run_cli(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ratsinfo.cli", *args], capture_output=True, text=True, cwd=cwd)


@pytest.mark.slow
def test_cli_writes_the_demo_as_sqlite_and_imports_it(tmp_path):
    assert run_cli("demo", "--sqlite", "muldenau.sqlite", cwd=tmp_path).returncode == 0
    result = run_cli("import", "sql", "muldenau.sqlite", "--content", "inhalt", "--no-files", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Abruf: vollständig" in result.stdout
    assert len(list((tmp_path / "inhalt" / "meetings").glob("*.md"))) == 189
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inhalt", "muldenau.sqlite"]

    (tmp_path / "falsch.yaml").write_text("objects:\n  meeting:\n    table: meetings\n    key: id\n"
                                          "    fields: {name: titel}\n", encoding="utf-8")
    failed = run_cli("import", "sql", "muldenau.sqlite", "--mapping", "falsch.yaml", "--content", "neu", cwd=tmp_path)
    assert failed.returncode == 2 and "Traceback" not in failed.stderr
    assert "Zuordnung falsch.yaml, Zeile 5: Spalte 'titel' gibt es in Tabelle 'meetings' nicht" in failed.stderr
    assert not (tmp_path / "neu").exists()


@pytest.mark.parametrize("args", [["import", "sql"], ["demo"]])
def test_sql_commands_have_german_help(args, tmp_path):
    result = run_cli(*args, "--help", cwd=tmp_path)
    assert result.returncode == 0 and "Aufruf: ratsinfo" in result.stdout and "Optionen" in result.stdout
    assert ("--mapping" if args[0] == "import" else "--sqlite") in result.stdout


def test_missing_database_file_is_a_clear_error_and_creates_nothing(tmp_path):
    with pytest.raises(ImportFailed, match="gibt es nicht"):
        import_sql(str(tmp_path / "fehlt.sqlite"), tmp_path / "content", show_progress=False)
    assert sorted(tmp_path.iterdir()) == []


@pytest.mark.parametrize("contact", [False, True])
def test_export_values_are_cleaned_and_gender_follows_the_contact_data_rule(tmp_path, contact):
    """Keys get a lost leading zero back, a file name is never a path, a checksum is hex or nothing,
    gender is OParl's word or nothing, and only published with PUBLISH_CONTACT_DATA."""
    from importers.publication import Policy

    database = neutral_database(
        tmp_path / "export.sqlite",
        bodies=[{"id": "1", "name": "Gemeinde", "ags": "5358016"}],
        persons=[{"id": "1", "name": "A", "gender": "männlich", "affix": "MdL"},
                 {"id": "2", "name": "B", "gender": "<script>alert(1)</script>"}],
        papers=[{"id": "1", "name": "Plan", "is_public": True, "main_file_id": "1"}],
        files=[{"id": "1", "name": "Plan", "file_name": "../../etc/passwd", "sha512": "<script>",
                "content": pdf("Plan")}],
    )
    content = tmp_path / "content"
    import_sql(str(database), content, policy=Policy(publish_contact_data=contact), show_progress=False)

    assert read_front_matter(content / "bodies" / "1.md")["ags"] == "05358016"
    first, second = (read_front_matter(content / "persons" / f"{n}.md") for n in (1, 2))
    assert first["affix"] == "MdL"
    assert first.get("gender") == ("male" if contact else None)
    assert "gender" not in second
    document = read_front_matter(content / "files" / "1.md")
    assert document["file_name"] == "passwd" and "sha512" not in document
    copy = (content / "files" / document["media"]).read_bytes()
    assert (document["media_size"], document["media_sha512"]) == (len(copy), hashlib.sha512(copy).hexdigest())
    assert "<script>" not in every_byte(content)
