"""Faults of sources and networks: what a broken, hostile or endless source may not do.

A list that answers an error is no empty list, a resumed run trusts nothing the
source may have changed since, every answer and every run has a limit, and no
string of a source can stop the importer. All against the real importer over
loopback HTTP (tests/support/oparl_server.py).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from importers.errors import ImportFailed
from importers.oparl import import_oparl
from tests.conftest import base_of
from tests.support.oparl_server import DumpServer


def snapshot(folder: Path) -> dict[str, bytes]:
    """Bytes of every object file (the import state folder is bookkeeping)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*")) if p.is_file() and ".ratsinfo" not in p.parts
    }


@pytest.fixture
def own_dump(demo_dump, tmp_path) -> Path:
    copy = tmp_path / "dump"
    shutil.copytree(demo_dump, copy)
    return copy


# -- 1. a list that answers an error is no empty list ------------------------------


@pytest.mark.parametrize("status", [401, 403, 404])
def test_list_answering_an_error_fails_the_full_run_and_keeps_content(demo_dump, tmp_path, status):
    content = tmp_path / "content"
    with DumpServer(demo_dump, base_of(demo_dump)) as server:
        import_oparl(server.url + "system", content, show_progress=False, mirror_files=False)
        before = snapshot(content)
        server.faults["bodies/1/papers"] = [status] * 10
        with pytest.raises(ImportFailed, match=f"HTTP {status}") as failure:
            import_oparl(server.url + "system", content, show_progress=False, mirror_files=False, full=True)
    assert "bodies/1/papers" in str(failure.value)
    assert snapshot(content) == before


def test_a_later_list_page_answering_403_fails_the_run(demo_dump, tmp_path):
    content = tmp_path / "content"
    with DumpServer(demo_dump, base_of(demo_dump)) as server:
        import_oparl(server.url + "system", content, show_progress=False, mirror_files=False)
        before = snapshot(content)
        # Page 3 of 8 goes missing: pages 4 to 8 would look like deleted papers.
        server.faults["bodies/1/papers?page=3"] = [403] * 10
        with pytest.raises(ImportFailed, match="HTTP 403"):
            import_oparl(server.url + "system", content, show_progress=False, mirror_files=False, full=True)
    assert snapshot(content) == before


def empty_list(dump: Path, list_path: str):
    """The list answers 200 with no entries, as if the source had lost every object in it."""
    (dump / f"{list_path}.json").write_text(
        json.dumps({"data": [], "pagination": {"totalElements": 0}, "links": {}}), encoding="utf-8")


def test_losing_one_kind_is_refused_without_force_even_when_others_outnumber_it(own_dump, tmp_path):
    content = tmp_path / "content"
    with DumpServer(own_dump, base_of(own_dump)) as server:
        import_oparl(server.url + "system", content, show_progress=False, mirror_files=False)
        before = snapshot(content)
        persons = [name for name in before if name.startswith("persons/") and name.endswith(".md")]
        # All 53 persons vanish from the list and answer 404 alone; meetings, papers
        # and files (far more objects) stay as they are.
        empty_list(own_dump, "bodies/1/persons")
        server.missing_prefixes = {"bodies/1/persons/"}
        with pytest.raises(ImportFailed, match="--force") as refusal:
            import_oparl(server.url + "system", content, show_progress=False, mirror_files=False, full=True)
        assert f"{len(persons)} von {len(persons)} Personen" in str(refusal.value)
        assert snapshot(content) == before
        report = import_oparl(server.url + "system", content, show_progress=False, mirror_files=False,
                              full=True, force=True)
    assert report.deleted["person"] == len(persons)
    assert not list((content / "persons").glob("*.md"))
