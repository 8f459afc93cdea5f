"""Faults of sources and networks: what a broken, hostile or endless source may not do.

A list that answers an error is no empty list, a resumed run trusts nothing the
source may have changed since, every answer and every run has a limit, and no
string of a source can stop the importer. All against the real importer over
loopback HTTP (tests/support/oparl_server.py).
"""

from __future__ import annotations

import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from importers.errors import ImportFailed
from importers.oparl import import_oparl
from importers.oparl.source import Limits
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


# -- 3. limits: pages per list, size of an answer, time of a run --------------------


class EndlessListServer:
    """A Body on 127.0.0.1 whose paper list never ends: page N names page N+1 as
    `links.next`, with a new paper on every page. For the test's own safety it
    stops after `pages` pages, far beyond the limit the test sets."""

    def __init__(self, pages: int = 400):
        self.pages = pages
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

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
                body = json.dumps(payload).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


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
