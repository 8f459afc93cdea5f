"""A rebuild after a change writes the API and the dumps as a build from nothing would: every API
file and every JSON Lines and CSV file byte for byte, the SQLite database (patched row by row,
plugins/opendata/formats.Database) by what it holds, and SHA256SUMS that checks. A withheld
document leaves no byte of its text in the patched database."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from importers.content import read_front_matter, render_front_matter
from ratsinfo.build import build_site
from ratsinfo.contracts import OPENDATA_STATE
from ratsinfo.manifest import MANIFEST, verify_manifest
from tests.conftest import MINI_OVERRIDES
from tests.support.sqlite_content import sqlite_content
from tests.support.takedown import ledger_text

OVERRIDES = {**MINI_OVERRIDES, "PAGEFIND": False}
SQLITE = "daten/ratsinfo.sqlite"
# A word only the text of file 3 (tests/fixtures/minisite/files/3.txt) holds; the full-text index
# keeps it without its umlaut (remove_diacritics).
FILE_3_WORD = "Stellplätzen"


def rename_meeting(content: Path):
    path = content / "meetings" / "2.md"
    meeting = read_front_matter(path)
    meeting["name"] = "3. Sitzung des Bauausschusses (verlegt)"
    path.write_bytes(render_front_matter(meeting))


def add_paper(content: Path):
    (content / "papers" / "3.md").write_bytes(render_front_matter({
        "id": "3", "source": "https://oparl.kleinstadt.example/oparl/v1.1/bodies/1/papers/3",
        "name": "Neue Vorlage zum Radweg", "reference": "BV/2026/0003", "date": "2026-03-01",
        "paper_type": "Beschlussvorlage"}))


def delete_paper(content: Path):
    (content / "papers" / "2.md").unlink()


def withhold_file(content: Path):
    (content.parent / "loeschungen.yaml").write_text(ledger_text(("zurueckhalten", "datei 3")), encoding="utf-8")


def rewrite_text(content: Path):
    # The File object stays as it was; only its text (in the dumps, not in the object) changes:
    # a table kept because its objects are the same (plugins/opendata Dumps.table) must not keep it.
    text = content / "files" / "3.txt"
    text.write_text(text.read_text(encoding="utf-8") + " Nachtrag zur Tiefgarage", encoding="utf-8")


CHANGES = {"renamed meeting": rename_meeting, "document text rewritten": rewrite_text, "added paper": add_paper, "deleted paper": delete_paper,
           "file withheld by the takedown ledger": withhold_file}


def open_data(folder: Path) -> dict:
    """oparl/ and daten/ as a client reads them, and their lines of SHA256SUMS (the database's
    line apart: equal content, other bytes)."""
    files = {p.relative_to(folder).as_posix(): p.read_bytes() for sub in ("oparl", "daten")
             for p in sorted((folder / sub).rglob("*")) if p.is_file()}
    files[SQLITE] = sqlite_content(folder / SQLITE)
    files[MANIFEST] = [line for line in (folder / MANIFEST).read_bytes().splitlines()
                       if line.split(b"  ", 1)[1].decode() in files and not line.endswith(SQLITE.encode())]
    return files


def rebuilt_and_full(content: Path, output: Path, change: str, overrides: dict) -> Path:
    """After `change`: output/ rebuilt as a webmaster's build does, and beside it the full build to
    compare with. That one starts from the same site, for the API's memory (tombstones of deleted
    objects, created stamps), but makes every file and the database anew."""
    full = output.parent / "full"
    shutil.copytree(output, full)
    (full / OPENDATA_STATE).unlink()
    CHANGES[change](content)
    build_site(content, output, overrides=overrides)
    build_site(content, full, overrides={**overrides, "RATSINFO_CACHE": False, "RATSINFO_OVERLAY": False})
    return full


@pytest.mark.parametrize("change", CHANGES)
def test_a_rebuild_after_a_change_writes_the_api_and_dumps_of_a_full_build(change, mini_content, tmp_path):
    site_folder = tmp_path / "site"
    content = site_folder / "content"
    shutil.copytree(mini_content, content)
    output = site_folder / "output"
    build_site(content, output, overrides=OVERRIDES)
    with sqlite3.connect(output / SQLITE) as db:
        rowids = dict(db.execute("SELECT id, rowid FROM meetings").fetchall())
    full = rebuilt_and_full(content, output, change, OVERRIDES)

    assert verify_manifest(output)[1] == []
    assert open_data(output) == open_data(full)
    with sqlite3.connect(output / SQLITE) as db:
        after = dict(db.execute("SELECT id, rowid FROM meetings").fetchall())
    if change == "renamed meeting":
        # Patched, not made anew: the other meetings keep their rows, the renamed one is a new row.
        assert {k: v for k, v in after.items() if k != "2"} == {k: v for k, v in rowids.items() if k != "2"}
        assert after["2"] > max(rowids.values())


def test_a_withheld_document_leaves_nothing_of_its_text_in_the_patched_database(mini_content, tmp_path):
    site_folder = tmp_path / "site"
    content = site_folder / "content"
    shutil.copytree(mini_content, content)
    # A long text, as a council's documents have: it lies on overflow pages of its own, which a
    # delete hands to the free list as they are, unless the database overwrites them.
    text = content / "files" / "3.txt"
    text.write_text(text.read_text(encoding="utf-8") + " Haushaltsausgleich" * 2000, encoding="utf-8")
    output = site_folder / "output"
    build_site(content, output, overrides=OVERRIDES)
    word, term = FILE_3_WORD.encode("utf-8"), b"stellplatzen"

    def terms(db) -> set[str]:
        db.execute('CREATE VIRTUAL TABLE IF NOT EXISTS temp.files_terms USING fts5vocab(main, "files_fts", row)')
        return {t for (t,) in db.execute("SELECT term FROM temp.files_terms")}

    with sqlite3.connect(output / SQLITE) as db:
        assert term.decode() in terms(db)  # the test finds the words where they are
        blocks = b"".join(b for (b,) in db.execute("SELECT block FROM files_fts_data") if isinstance(b, bytes))
    assert b"ausgleich" in blocks and b"platzen" in blocks
    assert word in (output / SQLITE).read_bytes()

    withhold_file(content)
    build_site(content, output, overrides=OVERRIDES)
    with sqlite3.connect(f"file:{output / SQLITE}?mode=ro", uri=True) as db:
        assert db.execute("SELECT count(*) FROM files WHERE id = '3'").fetchone()[0] == 0
        assert term.decode() not in terms(db)
        # The index's segments as stored (terms prefix-compressed: the end of a word is there as it is).
        blocks = b"".join(b for (b,) in db.execute("SELECT block FROM files_fts_data") if isinstance(b, bytes))
    assert b"ausgleich" not in blocks and b"platzen" not in blocks
    # Not on a free page either (secure_delete).
    assert word not in (output / SQLITE).read_bytes()
    assert b"Haushaltsausgleich" not in (output / SQLITE).read_bytes()


@pytest.mark.parametrize("change", ["document text rewritten", "renamed meeting", "file withheld by the takedown ledger"])
def test_without_the_api_a_rebuild_writes_the_dumps_of_a_full_build(change, mini_content, tmp_path):
    """Without PUBLIC_URL the dumps make their own objects, Files without their texts: a table whose
    objects are the same is kept without reading a text, so a text that changed must count."""
    overrides = {**OVERRIDES, "PUBLIC_URL": None}
    site_folder = tmp_path / "site"
    content = site_folder / "content"
    shutil.copytree(mini_content, content)
    output = site_folder / "output"
    build_site(content, output, overrides=overrides)
    full = rebuilt_and_full(content, output, change, overrides)

    assert not (output / "oparl").exists()
    assert verify_manifest(output)[1] == []
    assert open_data(output) == open_data(full)
