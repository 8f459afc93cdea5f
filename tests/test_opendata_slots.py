"""The dumps' database patched in place in a slot of the build cache (plugins/opendata/slots.py):
build after build it holds what a database made whole holds, a withheld document leaves no byte of
it at once, output/ keeps its own file until the overlay, and a slot that is not as the state says
is not trusted (the build copies output's database as before)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from plugins.opendata.slots import NAMES, STATE, slot_folder
from ratsinfo.build import BuildFailed, build_site
from ratsinfo.contracts import OPENDATA_STATE
from ratsinfo.killpoints import ENVIRONMENT
from ratsinfo.manifest import verify_manifest
from tests.test_opendata_incremental import CHANGES, FILE_3_WORD, OVERRIDES, SQLITE, open_data


def full_build_of(content: Path, output: Path) -> dict:
    """What a build from nothing writes (from a copy of the site: the API's tombstones and stamps)."""
    full = output.parent / "full"
    shutil.rmtree(full, ignore_errors=True)
    shutil.copytree(output, full)
    (full / OPENDATA_STATE).unlink()
    build_site(content, full, overrides={**OVERRIDES, "RATSINFO_CACHE": False, "RATSINFO_OVERLAY": False})
    return open_data(full)


def slot_of(content: Path, output: Path) -> str | None:
    """The slot whose file output/ serves, or None (a database copied or made anew beside it)."""
    served = os.stat(output / SQLITE).st_ino
    folder = slot_folder(content.resolve(), output.resolve())
    return next((n for n in NAMES if (folder / n).is_file() and os.stat(folder / n).st_ino == served), None)


@pytest.fixture
def site(mini_content, tmp_path):
    content = tmp_path / "site" / "content"
    shutil.copytree(mini_content, content)
    output = tmp_path / "site" / "output"
    build_site(content, output, overrides=OVERRIDES)
    return content, output


def rename_again(content: Path):
    path = content / "meetings" / "2.md"
    path.write_text(path.read_text(encoding="utf-8").replace("(verlegt)", "(erneut verlegt)"), encoding="utf-8")


@pytest.mark.slow  # five builds and five full builds: in the full suite, not the fast tier
def test_build_after_build_the_database_patched_in_its_slot_holds_what_a_full_build_makes(site):
    content, output = site
    changes = ["renamed meeting", "document text rewritten", "added paper", "file withheld by the takedown ledger",
               "deleted paper"]
    slots, inodes = [], []
    for change in changes:
        CHANGES[change](content)
        build_site(content, output, overrides=OVERRIDES)
        assert verify_manifest(output)[1] == []
        assert open_data(output) == full_build_of(content, output), change
        slots.append(slot_of(content, output))
        inodes.append(os.stat(output / SQLITE).st_ino)
    # The database made whole is no slot; each patched one is, the two in turn; from the third build
    # on a slot is patched where it is (its inode stays) instead of a copy of output's database.
    assert slots == ["a.sqlite", "b.sqlite", "a.sqlite", "b.sqlite", "a.sqlite"]
    assert inodes[2] == inodes[0] and inodes[3] == inodes[1] and inodes[4] == inodes[2]


def test_a_document_withheld_in_a_slot_patched_in_place_leaves_no_byte_of_it(site):
    content, output = site
    text = content / "files" / "3.txt"
    text.write_text(text.read_text(encoding="utf-8") + " Haushaltsausgleich" * 2000, encoding="utf-8")
    for change in ("renamed meeting", "document text rewritten", "added paper"):
        CHANGES[change](content)
        build_site(content, output, overrides=OVERRIDES)
    assert FILE_3_WORD.encode("utf-8") in (output / SQLITE).read_bytes()
    patched = os.stat(slot_folder(content.resolve(), output.resolve()) / "b.sqlite").st_ino

    CHANGES["file withheld by the takedown ledger"](content)
    build_site(content, output, overrides=OVERRIDES)

    assert os.stat(output / SQLITE).st_ino == patched  # in place: the journal, then the withheld file's row
    with sqlite3.connect(f"file:{output / SQLITE}?mode=ro", uri=True) as db:
        assert db.execute("SELECT count(*) FROM files WHERE id = '3'").fetchone()[0] == 0
    data = (output / SQLITE).read_bytes()
    assert FILE_3_WORD.encode("utf-8") not in data and b"Haushaltsausgleich" not in data
    assert open_data(output) == full_build_of(content, output)


def test_a_build_killed_while_it_patches_a_slot_leaves_output_and_the_next_build_trusts_no_slot(site, monkeypatch):
    content, output = site
    for change in ("renamed meeting", "added paper"):
        CHANGES[change](content)
        build_site(content, output, overrides=OVERRIDES)
    before = hashlib.sha256((output / SQLITE).read_bytes()).hexdigest()

    rename_again(content)
    monkeypatch.setenv(ENVIRONMENT, "build:dumps-patched:1")  # SIGKILL in the writers' child
    with pytest.raises(BuildFailed):
        build_site(content, output, overrides=OVERRIDES)
    monkeypatch.delenv(ENVIRONMENT)

    assert hashlib.sha256((output / SQLITE).read_bytes()).hexdigest() == before
    assert not (slot_folder(content.resolve(), output.resolve()) / STATE).exists()
    build_site(content, output, overrides=OVERRIDES)
    assert open_data(output) == full_build_of(content, output)


@pytest.mark.parametrize("how", ["changed", "linked elsewhere", "state names another file"])
def test_a_slot_not_as_its_state_says_is_copied_over_not_patched(site, how):
    content, output = site
    for change in ("renamed meeting", "added paper"):
        CHANGES[change](content)
        build_site(content, output, overrides=OVERRIDES)
    folder = slot_folder(content.resolve(), output.resolve())
    free = folder / "a.sqlite"  # output/ serves b
    if how == "changed":
        with sqlite3.connect(free) as db:
            db.execute("UPDATE meetings SET name = 'von Hand geändert'")
    elif how == "linked elsewhere":
        os.link(free, folder / "elsewhere.sqlite")
    else:
        state = json.loads((folder / STATE).read_text(encoding="utf-8"))
        state["other"][1][2] += 1
        (folder / STATE).write_text(json.dumps(state), encoding="utf-8")
    inode = os.stat(free).st_ino

    rename_again(content)
    build_site(content, output, overrides=OVERRIDES)

    assert os.stat(output / SQLITE).st_ino != inode  # a copy of output's database, not the slot patched
    assert open_data(output) == full_build_of(content, output)
    if how == "linked elsewhere":
        with sqlite3.connect(folder / "elsewhere.sqlite") as db:
            assert "(erneut verlegt)" not in str(db.execute("SELECT name FROM meetings").fetchall())
