"""The takedown ledger reaches the private copies too (issue 18): the importer applies it (nothing
withheld or redacted in content/ or its store), `takedown add` deletes the build caches and empties
the store, `takedown remove` makes the next import a full one that brings the object back.

One small database export (SQLite, neutral schema) imported through the command line, as
`ratsinfo update` does; the build without search index (its canaries are tests/test_takedown.py's).
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

import pytest

from importers.content import read_front_matter
from importers.state import state_path
from plugins.council.reuse.cache import cache_folder
from ratsinfo import takedown
from ratsinfo.build import build_site
from ratsinfo.cli import main
from tests.conftest import MINI_OVERRIDES
from tests.support.takedown import occurrences
from tests.test_import_sql import neutral_database, pdf

PERSON = "Erika Kanarienfeld"
SECRET = "Geheimwort Zaunkönig"
CANARIES = (PERSON, "Kanarienfeld", SECRET)
OVERRIDES = {**MINI_OVERRIDES, "PAGEFIND": False}


def _export(path):
    now = datetime(2026, 3, 1, 10, 0)
    return neutral_database(
        path,
        bodies=[{"id": "1", "name": "Kleinstadt", "modified": now}],
        organizations=[{"id": "1", "name": "Stadtrat", "modified": now}],
        persons=[{"id": "1", "name": PERSON, "given_name": "Erika", "family_name": "Kanarienfeld", "modified": now},
                 {"id": "2", "name": "Max Normal", "modified": now}],
        memberships=[{"id": "1", "person_id": "1", "organization_id": "1", "role": "Mitglied", "modified": now},
                     {"id": "2", "person_id": "2", "organization_id": "1", "role": "Mitglied", "modified": now}],
        meetings=[{"id": "1", "name": "Sitzung des Stadtrats", "starts_at": now, "is_public": True,
                   "invitation_file_id": "11", "modified": now}],
        meeting_organizations=[{"meeting_id": "1", "organization_id": "1", "position": 1}],
        agenda_items=[
            {"id": "10", "meeting_id": "1", "position": 1, "item_number": "Ö 1", "name": "Spielplatz",
             "is_public": True, "paper_id": "20", "modified": now},
            {"id": "11", "meeting_id": "1", "position": 2, "item_number": "Ö 2",
             "name": f"Dank an {PERSON}", "is_public": True, "modified": now}],
        papers=[{"id": "20", "name": "Antrag Spielplatz", "reference": "AN/2026/1", "is_public": True,
                 "main_file_id": "10", "modified": now}],
        paper_originators=[{"paper_id": "20", "person_id": "1", "position": 1}],
        consultations=[{"id": "1", "paper_id": "20", "meeting_id": "1", "agenda_item_id": "10",
                        "organization_id": "1", "modified": now}],
        files=[{"id": "10", "name": "Antrag", "content": pdf(f"Der Spielplatz braucht {SECRET} und Schaukeln"),
                "modified": now},
               {"id": "11", "name": "Einladung", "content": pdf("Einladung zur Sitzung"), "modified": now}],
    )


@pytest.fixture
def town(tmp_path):
    """A site folder beside content/, the export imported once and built once (caches filled)."""
    database = _export(tmp_path / "export.sqlite")
    content, output = tmp_path / "content", tmp_path / "output"
    assert main(["import", "sql", str(database), "--content", str(content)]) == 0
    build_site(content, output, overrides=OVERRIDES)
    return database, content, output


def _private(content):
    return [content, state_path(content), cache_folder(content)]


def _anywhere(content, output) -> dict:
    return {str(folder): found for folder in [*_private(content), output] if folder.exists()
            for found in [occurrences(folder, CANARIES)] if found}


def _add(content, *what):
    return main(["takedown", "add", "--content", str(content), "--grund", "Antrag nach Art. 17 DSGVO",
                 "--entschieden-von", "Hauptamt", *what])


def test_a_takedown_leaves_nothing_in_content_the_importers_state_or_the_build_caches(town, capsys):
    database, content, output = town
    assert PERSON in occurrences(state_path(content), CANARIES)  # the store had the row
    assert occurrences(cache_folder(content), CANARIES)
    assert (content / "files" / "10.pdf").is_file()

    assert _add(content, "--zurueckhalten", "person 1") == 0
    assert _add(content, "--schwaerzen", SECRET) == 0
    said = capsys.readouterr().out
    assert f"Ebenfalls überall geschwärzt: {PERSON}" in said and "vollständig" in said
    assert takedown.load(content.parent / takedown.DEFAULT_FILE).entries[0].names == (PERSON,)
    # At once: no build cache, no record in the store; content/ waits for the next import.
    assert not cache_folder(content).exists()
    assert occurrences(state_path(content), CANARIES) == {}
    assert main(["takedown", "check", "--content", str(content), "--output", str(output)]) == 1
    assert f"(in {content})" in capsys.readouterr().out

    assert main(["import", "sql", str(database), "--content", str(content)]) == 0
    assert "Abruf: vollständig" in capsys.readouterr().out
    assert not (content / "persons" / "1.md").exists()
    assert not (content / "files" / "10.pdf").exists()  # its text held the redacted words
    text = (content / "files" / "10.txt").read_text(encoding="utf-8")
    assert f"braucht {takedown.REDACTED} und Schaukeln" in text
    assert "access_url" not in read_front_matter(content / "files" / "10.md")
    assert not list((content / "files").glob("10.v*.txt"))  # a redaction is no new version
    agenda = read_front_matter(content / "meetings" / "1.md")["agenda"]
    assert agenda[1]["name"] == f"Dank an {takedown.REDACTED}"
    build_site(content, output, overrides=OVERRIDES)
    assert _anywhere(content, output) == {}
    assert main(["takedown", "check", "--content", str(content), "--output", str(output)]) == 0
    htaccess = (output / ".htaccess").read_text(encoding="utf-8")
    assert "RewriteRule ^personen/1\\.html$ - [G,L]" in htaccess  # gone, though content/ no longer has it

    # The next runs are incremental; a changed row names the person again: still nothing anywhere.
    with sqlite3.connect(database) as db:
        db.execute("UPDATE meetings SET name = ?, modified = ? WHERE id = '1'",
                   (f"Sitzung mit {PERSON}", str(datetime(2026, 3, 1, 10, 0) + timedelta(days=1))))
    assert main(["import", "sql", str(database), "--content", str(content)]) == 0
    assert "Abruf: inkrementell" in capsys.readouterr().out
    assert read_front_matter(content / "meetings" / "1.md")["name"] == f"Sitzung mit {takedown.REDACTED}"
    build_site(content, output, overrides=OVERRIDES)
    assert _anywhere(content, output) == {}


def test_an_ended_takedown_brings_the_object_back_with_the_next_import(town, capsys):
    database, content, output = town
    assert _add(content, "--zurueckhalten", "person 1") == 0
    assert main(["import", "sql", str(database), "--content", str(content)]) == 0
    assert main(["import", "sql", str(database), "--content", str(content)]) == 0  # incremental: still gone
    assert not (content / "persons" / "1.md").exists()
    capsys.readouterr()

    assert main(["takedown", "remove", "1", "--content", str(content)]) == 0
    assert "Der nächste Import liest die Quelle vollständig" in capsys.readouterr().out
    assert main(["import", "sql", str(database), "--content", str(content)]) == 0
    assert "Abruf: vollständig" in capsys.readouterr().out
    assert read_front_matter(content / "persons" / "1.md")["name"] == PERSON  # under its old id
    assert read_front_matter(content / "papers" / "20.md")["originator_persons"] == ["1"]
    build_site(content, output, overrides=OVERRIDES)
    assert (output / "personen" / "1.html").is_file()
