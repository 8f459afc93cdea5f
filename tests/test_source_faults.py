"""Faults of sources and networks: what a broken, hostile or endless source may not do.

A list that answers an error is no empty list, a resumed run trusts nothing the
source may have changed since, every answer and every run has a limit, and no
string of a source can stop the importer. All against the real importer over
loopback HTTP (tests/support/oparl_server.py).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from importers.content import read_front_matter
from importers.errors import ImportFailed
from importers.oparl import import_oparl
from importers.oparl.limits import Limits
from tests.conftest import base_of
from tests.support.loopback import LoopbackServer, QuietHandler
from tests.support.oparl_server import DumpServer


def snapshot(folder: Path) -> dict[str, bytes]:
    """Bytes of every object file (the import state folder is bookkeeping)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".ratsinfo" not in p.parts and p != folder / "site.yaml"  # the run's date
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


# -- 2. a resumed run trusts nothing the source may have changed since ---------------


def resume_folder(entry_url: str) -> Path:
    from importers.oparl import resume_dir

    return resume_dir(entry_url)


def drop_from_list(dump: Path, list_path: str, object_suffix: str):
    """The object leaves every page of the list, as a depublished record does (Karlsruhe, M13)."""
    for page in sorted((dump / list_path).parent.glob((dump / list_path).name + "*.json")):
        data = json.loads(page.read_text(encoding="utf-8"))
        kept = [o for o in data.get("data", []) if not o["id"].endswith(object_suffix)]
        if len(kept) != len(data.get("data", [])):
            page.write_text(json.dumps({**data, "data": kept}, ensure_ascii=False), encoding="utf-8")
            return
    raise AssertionError(f"{object_suffix} nicht in {list_path}")


def test_resumed_run_does_not_publish_a_paper_depublished_after_the_failure(own_dump, tmp_path):
    content = tmp_path / "content"
    with DumpServer(own_dump, base_of(own_dump)) as server:
        entry = server.url + "system"
        # The meeting list fails for good; the other lists were answered and are kept.
        server.faults["bodies/1/meetings"] = [500] * 4
        with pytest.raises(ImportFailed):
            import_oparl(entry, content, show_progress=False, mirror_files=False)
        assert resume_folder(entry).is_dir()
        # Before the next run, the town withdraws paper 7: out of the list, 401 alone.
        drop_from_list(own_dump, "bodies/1/papers", "/papers/7")
        server.faults["bodies/1/papers/7"] = [401] * 10
        server.requests.clear()
        import_oparl(entry, content, show_progress=False, mirror_files=False)
        assert "bodies/1/papers" in server.requests, "Liste nicht erneut gefragt"
    papers = {read_front_matter(p)["source"] for p in (content / "papers").glob("*.md")}
    assert server.url + "bodies/1/papers/7" not in papers
    assert server.url + "bodies/1/papers/8" in papers
    assert not resume_folder(entry).exists(), "Fortsetzungsspeicher nach Erfolg nicht gelöscht"


def test_resume_cache_is_readable_by_its_owner_only(demo_dump, tmp_path):
    with DumpServer(demo_dump, base_of(demo_dump)) as server:
        server.faults["bodies"] = [500] * 4
        with pytest.raises(ImportFailed):
            import_oparl(server.url + "system", tmp_path / "content", show_progress=False)
        folder = resume_folder(server.url + "system")
    entries = list(folder.iterdir())
    assert entries, "der abgebrochene Lauf hat nichts zum Fortsetzen behalten"
    assert folder.stat().st_mode & 0o777 == 0o700
    assert all(entry.stat().st_mode & 0o077 == 0 for entry in entries)


def test_a_failed_resume_leaves_no_cache(demo_dump, tmp_path):
    with DumpServer(demo_dump, base_of(demo_dump)) as server:
        entry = server.url + "system"
        server.faults["bodies"] = [500] * 8
        with pytest.raises(ImportFailed):
            import_oparl(entry, tmp_path / "content", show_progress=False)
        assert resume_folder(entry).is_dir()
        with pytest.raises(ImportFailed):
            import_oparl(entry, tmp_path / "content", show_progress=False)
    assert not resume_folder(entry).exists()


@pytest.mark.slow
def test_resumed_run_asks_again_for_lists_but_not_for_single_objects_it_got(tmp_path):
    from tests.support.karlsruhe_server import KarlsruheServer
    from tests.test_oparl_quirks import FIXTURES, KA, KARLSRUHE

    content = tmp_path / "content"
    paper, answered, broken = KA + "papers/vo/52547", KA + "consultations/35121", KA + "consultations/35096"
    with KarlsruheServer(FIXTURES / "karlsruhe") as server:
        local = lambda url: url.replace(KARLSRUHE, server.url)  # noqa: E731
        # Consultations 35121, 35096 and 35097 are in no list and fetched alone (35121
        # links paper 52547, taken out of the list here). 35096 answers 503 for good:
        # the run fails after the others were answered.
        server.unlist(paper)
        server.withdrawn[broken] = 503
        with pytest.raises(ImportFailed, match="nicht erreichbar"):
            import_oparl(server.system_url, content, show_progress=False, mirror_files=False, rate=0)
        assert answered.removeprefix(KARLSRUHE) in server.requests
        del server.withdrawn[broken]
        server.requests.clear()
        import_oparl(server.system_url, content, show_progress=False, mirror_files=False, rate=0)
        asked = list(server.requests)
    assert "oparl/bodies/0001/papers" in asked and "oparl/bodies/0001/meetings" in asked
    assert answered.removeprefix(KARLSRUHE) not in asked
    assert broken.removeprefix(KARLSRUHE) in asked
    papers = {read_front_matter(p)["source"] for p in (content / "papers").glob("*.md")}
    assert local(paper) in papers


@pytest.mark.slow
def test_a_linked_object_the_server_fails_to_answer_fails_the_run(tmp_path):
    """A 503 says nothing about the object; reading it as absent would delete it."""
    from tests.support.karlsruhe_server import KarlsruheServer
    from tests.test_oparl_quirks import FIXTURES, KA

    content = tmp_path / "content"
    with KarlsruheServer(FIXTURES / "karlsruhe") as server:
        import_oparl(server.system_url, content, show_progress=False, mirror_files=False, rate=0)
        before = snapshot(content)
        server.withdraw(KA + "consultations/35096", 503)
        with pytest.raises(ImportFailed, match="nicht erreichbar"):
            import_oparl(server.system_url, content, show_progress=False, mirror_files=False, rate=0,
                         full=True)
    assert snapshot(content) == before


# -- 3. limits: pages per list, size of an answer, time of a run --------------------


class EndlessListServer(LoopbackServer):
    """A Body on 127.0.0.1 whose paper list never ends: page N names page N+1 as
    `links.next`, with a new paper on every page. For the test's own safety it
    stops after `pages` pages, far beyond the limit the test sets."""

    def __init__(self, pages: int = 400):
        self.pages = pages
        self.requests: list[str] = []
        server = self

        class Handler(QuietHandler):
            def do_GET(self):
                server.requests.append(self.path)
                base = server.url
                if self.path == "/body":
                    payload = {"id": base + "body", "type": "https://schema.oparl.org/1.1/Body",
                               "name": "Endlosstadt", "paper": base + "papers?page=1",
                               "legislativeTerm": []}
                else:
                    number = int(self.path.rsplit("=", 1)[1])
                    payload = {
                        "data": [{"id": f"{base}papers/{number}", "type": "https://schema.oparl.org/1.1/Paper",
                                  "name": f"Vorlage {number}", "reference": f"VO/{number}"}],
                        "links": {"next": f"{base}papers?page={number + 1}"} if number < server.pages else {},
                    }
                self.reply(200, json.dumps(payload).encode("utf-8"), "application/json")

        self.serve(Handler)


def test_endless_links_next_stops_at_the_page_limit_and_writes_nothing(tmp_path):
    content = tmp_path / "content"
    with EndlessListServer() as server:
        with pytest.raises(ImportFailed, match="mehr als 50 Seiten") as failure:
            import_oparl(server.url + "body", content, show_progress=False, limits=Limits(list_pages=50))
        paper_pages = [r for r in server.requests if r.startswith("/papers")]
    assert len(paper_pages) == 50
    assert "--max-list-pages" in str(failure.value)
    assert not content.exists() or not list(content.rglob("*.md"))


def test_json_answer_over_the_size_limit_fails_the_run_and_keeps_content(demo_dump, tmp_path):
    content = tmp_path / "content"
    with DumpServer(demo_dump, base_of(demo_dump)) as server:
        import_oparl(server.url + "system", content, show_progress=False, mirror_files=False)
        before = snapshot(content)
        # Every page of the demo's lists is larger than 20 KB.
        with pytest.raises(ImportFailed, match="--max-json-size"):
            import_oparl(server.url + "system", content, show_progress=False, mirror_files=False,
                         full=True, limits=Limits(json_bytes=20_000))
    assert snapshot(content) == before


def test_json_answer_over_the_size_limit_in_a_dump_folder_fails_the_run(demo_dump, tmp_path):
    with pytest.raises(ImportFailed, match="--max-json-size"):
        import_oparl(str(demo_dump), tmp_path / "content", show_progress=False, mirror_files=False,
                     limits=Limits(json_bytes=20_000))
    assert not list((tmp_path / "content").rglob("*.md"))


def test_a_server_that_stops_answering_ends_the_run_at_its_time_limit(demo_dump, tmp_path):
    content = tmp_path / "content"
    with DumpServer(demo_dump, base_of(demo_dump)) as server:
        import_oparl(server.url + "system", content, show_progress=False, mirror_files=False)
        before = snapshot(content)
        # The person list holds its answer far longer than the run may take (a per-request
        # timeout alone would wait 30 s and then try again, four times).
        server.delays["bodies/1/persons"] = [600.0]
        server.requests.clear()
        with pytest.raises(ImportFailed, match="Zeitlimit von 0.05 Minuten") as failure:
            import_oparl(server.url + "system", content, show_progress=False, mirror_files=False,
                         full=True, limits=Limits(run_seconds=3))
        assert server.requests.count("bodies/1/persons") == 1
    assert "--max-run-time" in str(failure.value)
    assert snapshot(content) == before


def test_deeply_nested_json_is_reported_as_invalid_not_a_traceback(tmp_path):
    from importers.oparl.source import parse_json

    with pytest.raises(ImportFailed, match="zu tief verschachtelt"):
        parse_json(b"[" * 100_000 + b"]" * 100_000, "http://127.0.0.1/bodies/1/papers")


# -- 4. no string of a source can stop the importer ---------------------------------


def put_lone_surrogate(dump: Path, object_suffix: str) -> str:
    """Paper `object_suffix` gets a name with half a UTF-16 pair, as JSON escape."""
    for page in sorted((dump / "bodies/1").glob("papers*.json")):
        data = json.loads(page.read_text(encoding="utf-8"))
        for obj in data["data"]:
            if obj["id"].endswith(object_suffix):
                obj["name"] = "Haushalt \ud800 2027"
                page.write_text(json.dumps(data), encoding="utf-8")  # ASCII: "\ud800" stays an escape
                own = dump / (obj["id"].split("/oparl/v1.1/", 1)[1] + ".json")
                own.write_text(json.dumps(obj), encoding="utf-8")
                return obj["id"]
    raise AssertionError(object_suffix)


def test_lone_surrogate_in_a_name_is_replaced_and_reported_in_every_run(own_dump, tmp_path):
    from importers.values import LONE_SURROGATE_PROBLEM

    put_lone_surrogate(own_dump, "/papers/7")
    content = tmp_path / "content"
    with DumpServer(own_dump, base_of(own_dump)) as server:
        first = import_oparl(server.url + "system", content, show_progress=False, mirror_files=False)
        second = import_oparl(server.url + "system", content, show_progress=False, mirror_files=False,
                              full=True)
    paper = read_front_matter(content / "papers" / "7.md")
    assert paper["name"] == "Haushalt \ufffd 2027"
    for report in (first, second):
        problem = {p["problem"]: p for p in report.as_dict()["problems"]}[LONE_SURROGATE_PROBLEM]
        assert any(e.startswith(server.url + "bodies/1/papers") for e in problem["examples"])


def test_lone_surrogate_in_a_dump_folder_is_replaced(own_dump, tmp_path):
    put_lone_surrogate(own_dump, "/papers/7")
    import_oparl(str(own_dump), tmp_path / "content", show_progress=False, mirror_files=False)
    assert read_front_matter(tmp_path / "content" / "papers" / "7.md")["name"] == "Haushalt \ufffd 2027"


@pytest.mark.slow
def test_text_that_is_no_utf8_in_a_sqlite_export_is_replaced_and_reported(demo_sqlite, tmp_path):
    import sqlite3

    from importers.sql import import_sql
    from importers.values import LONE_SURROGATE_PROBLEM
    from tests.conftest import copy_of

    database = copy_of(demo_sqlite, tmp_path / "export.sqlite")
    with sqlite3.connect(database) as db:
        # "Haushalt <ED A0 80> 2027": a surrogate encoded as if it were a character
        # (CESU-8, what some exports write for text from an NVARCHAR column).
        db.execute("UPDATE papers SET name = CAST(x'4861757368616c7420eda0802032303237' AS TEXT) "
                   "WHERE id = (SELECT MIN(id) FROM papers)")
    report = import_sql(str(database), tmp_path / "content", mirror_files=False, show_progress=False)
    names = [read_front_matter(p).get("name", "") for p in (tmp_path / "content" / "papers").glob("*.md")]
    assert "Haushalt \ufffd\ufffd\ufffd 2027" in names
    problem = {p["problem"]: p for p in report.as_dict()["problems"]}[LONE_SURROGATE_PROBLEM]
    assert problem["count"] == 1 and "papers" in problem["examples"][0]


# -- the webmaster's view ----------------------------------------------------------


def test_import_help_names_every_limit_with_its_default():
    result = subprocess.run([sys.executable, "-m", "ratsinfo.cli", "import", "oparl", "--help"],
                            capture_output=True, text=True, check=True)
    text = " ".join(result.stdout.split())
    assert "--max-run-time MIN" in text and "(Standard: 480; 0 = unbegrenzt)" in text
    assert "--max-list-pages N" in text and "(Standard: 20000)" in text
    assert "--max-json-size MB" in text and "(Standard: 50 MB)" in text


def test_a_list_answering_403_ends_the_command_with_a_german_message_and_exit_2(demo_dump, tmp_path):
    content = tmp_path / "content"
    with DumpServer(demo_dump, base_of(demo_dump)) as server:
        import_oparl(server.url + "system", content, show_progress=False, mirror_files=False)
        before = snapshot(content)
        server.faults["bodies/1/papers"] = [403] * 10
        result = subprocess.run(
            [sys.executable, "-m", "ratsinfo.cli", "import", "oparl", server.url + "system",
             "--content", str(content), "--full", "--no-files"],
            capture_output=True, text=True,
        )
    assert result.returncode == 2
    assert "antwortet mit HTTP 403" in result.stderr and "ist unverändert" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(content) == before
