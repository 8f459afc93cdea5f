"""The OParl importer against real data over loopback HTTP, and its write contract."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from importers.content import read_front_matter
from importers.errors import ImportFailed
from importers.oparl import import_oparl
from tests.conftest import base_of
from tests.support.oparl_server import DumpServer


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Bytes and mtime of every object file (the import state folder is bookkeeping)."""
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".ratsinfo" not in p.parts and p != folder / "site.yaml"  # the run's date
    }


def test_demo_import_writes_every_kind(demo_content):
    for folder in ("bodies", "terms", "organizations", "persons", "meetings", "papers", "files"):
        assert list((demo_content / folder).glob("*.md")), f"keine Objekte in {folder}/"
    meeting = read_front_matter(next((demo_content / "meetings").glob("*.md")))
    assert meeting["source"].startswith("http://127.0.0.1:")
    assert meeting["id"] and meeting["name"]


def test_demo_attachments_are_mirrored_under_our_names_with_text(demo_content):
    files = [read_front_matter(p) for p in (demo_content / "files").glob("*.md")]
    mirrored = [f for f in files if f.get("media")]
    assert len(mirrored) == len(files)
    for f in mirrored[:50]:
        assert f["media"] == f"{f['id']}.pdf"
        assert (demo_content / "files" / f["media"]).read_bytes().startswith(b"%PDF-")
        assert f["text"] == f"{f['id']}.txt"
        assert (demo_content / "files" / f["text"]).read_text(encoding="utf-8").strip()


def test_reimport_of_unchanged_data_rewrites_nothing(demo_server, tmp_path, texts_read):
    content = texts_read(tmp_path / "content")
    import_oparl(demo_server.url + "system", content, show_progress=False)
    before = snapshot(content)
    report = import_oparl(demo_server.url + "system", content, show_progress=False)
    assert snapshot(content) == before
    assert not report.created and not report.updated and not report.deleted
    assert sum(report.unchanged.values()) == sum(1 for name in before if name.endswith(".md"))


def test_import_from_dump_folder_equals_import_over_http(demo_dump, demo_content, tmp_path, texts_read):
    content = texts_read(tmp_path / "content")
    import_oparl(str(demo_dump), content, show_progress=False)
    over_http = sorted(p.relative_to(demo_content) for p in demo_content.rglob("*.md") if "pages" not in p.parts)
    from_folder = sorted(p.relative_to(content) for p in content.rglob("*.md"))
    assert from_folder == over_http


def test_failed_import_leaves_content_unchanged(demo_dump, demo_content, tmp_path, texts_read):
    content = texts_read(tmp_path / "content")
    with DumpServer(demo_dump, base_of(demo_dump)) as server:
        import_oparl(server.url + "system", content, show_progress=False)
        before = snapshot(content)
        # Every retry of the paper list answers 500: the import must give up cleanly.
        server.faults["bodies/1/papers"] = [500] * 10
        with pytest.raises(ImportFailed):
            import_oparl(server.url + "system", content, show_progress=False)
    assert snapshot(content) == before
    assert not list((content / ".ratsinfo").glob("staging-*"))


def test_a_spurious_500_is_retried(demo_dump, tmp_path, texts_read):
    content = texts_read(tmp_path / "content")
    with DumpServer(demo_dump, base_of(demo_dump)) as server:
        server.faults["bodies/1/meetings"] = [500]
        import_oparl(server.url + "system", content, show_progress=False)
        assert server.requests.count("bodies/1/meetings") == 2
    assert list((content / "meetings").glob("*.md"))


def test_mass_deletion_is_refused_without_force(own_dump, tmp_path, texts_read):
    content = texts_read(tmp_path / "content")
    with DumpServer(own_dump, base_of(own_dump)) as server:
        import_oparl(server.url + "system", content, show_progress=False)
        before = snapshot(content)
        # The server loses its meetings and papers: the lists answer empty, the single
        # objects 404 (a list that answers 404 fails the run before any guard).
        lost = ("meetings", "papers", "agendaitems", "consultations", "files")
        for name in lost:
            (own_dump / f"bodies/1/{name}.json").write_text(
                '{"data": [], "pagination": {"totalElements": 0}, "links": {}}', encoding="utf-8")
        server.missing_prefixes = {f"bodies/1/{name}/" for name in lost}
        with pytest.raises(ImportFailed, match="--force"):
            import_oparl(server.url + "system", content, show_progress=False, full=True)
        assert snapshot(content) == before
        report = import_oparl(server.url + "system", content, show_progress=False, force=True, full=True)
    assert report.deleted["meeting"] > 0 and not list((content / "meetings").glob("*.md"))


def test_huertgenwald_imports_completely_over_http(huertgenwald, tmp_path):
    content = tmp_path / "content"
    with DumpServer(huertgenwald, base_of(huertgenwald)) as server:
        report = import_oparl(server.url + "system", content, show_progress=False)
    # 346 meetings and 2,097 papers, tombstones not counted (shared/oparl-samples/README.md).
    assert len(list((content / "meetings").glob("*.md"))) == 346
    assert len(list((content / "papers").glob("*.md"))) == 2097
    assert len(list((content / "persons").glob("*.md"))) == 49
    assert len(list((content / "organizations").glob("*.md"))) >= 22
    problems = {p["problem"]: p["count"] for p in report.as_dict()["problems"]}
    assert problems["Body ohne legislativeTerm (Pflichtfeld fehlt)"] == 1
    assert problems["Gelöschtes Objekt ohne type (Tombstone)"] == 39
    # The twelve dead Organization.meeting lists oparl-validator-rs names for this body.
    assert problems["Organization.meeting-Liste nicht abrufbar"] == 12


def test_sternberg_non_public_part_is_withheld(huertgenwald, tmp_path):
    content = tmp_path / "content"
    import_oparl(str(huertgenwald), content, show_progress=False, mirror_files=False)
    # Meeting 337 (Hürtgenwald): items after "B Nichtöffentliche Sitzung" are non-public,
    # among them "Entwicklung von touristischen Produkten …; hier: Auftragsvergabe".
    raw = json.loads((huertgenwald / "body/1/meeting.json").read_text(encoding="utf-8"))
    source = next(m for m in raw["data"] if m["id"].endswith("/meeting/337"))
    names = [" ".join(item["name"].split()) for item in source["agendaItem"]]
    heading = next(i for i, n in enumerate(names) if n.startswith("Nichtöffentliche Sitzung"))
    hidden_names = [n for n in names[heading + 1:] if n not in names[:heading]]
    meeting_file = content / "meetings" / "337.md"
    meeting = read_front_matter(meeting_file)
    public_names = [item.get("name") for item in meeting["agenda"] if item["public"]]
    assert hidden_names, "Testdaten: Sitzung 337 hat nichtöffentliche Punkte"
    withheld = [item for item in meeting["agenda"] if not item["public"]]
    assert len(withheld) == len(names) - heading
    assert all(set(item) <= {"id", "source", "number", "public"} for item in withheld)
    assert public_names == names[:heading]
    assert not any(name in meeting_file.read_text(encoding="utf-8") for name in hidden_names)


def test_contact_data_is_not_written_by_default(huertgenwald, tmp_path):
    content = tmp_path / "content"
    import_oparl(str(huertgenwald), content, show_progress=False, mirror_files=False)
    for path in (content / "persons").glob("*.md"):
        person = read_front_matter(path)
        assert "email" not in person and "phone" not in person


def test_state_survives_only_complete_runs(tmp_path):
    with pytest.raises(ImportFailed):
        import_oparl(str(tmp_path / "nirgends"), tmp_path / "content", show_progress=False)
    assert not (tmp_path / "content").exists()
    assert not os.listdir(tmp_path) or os.listdir(tmp_path) == []


# -- incremental runs --------------------------------------------------------

def edit_list_object(dump: Path, list_path: str, object_suffix: str, change) -> dict:
    """Change one object in the static list pages and in its own file, like a server would."""
    for page in sorted((dump / list_path).parent.glob((dump / list_path).name + "*.json")):
        data = json.loads(page.read_text(encoding="utf-8"))
        for index, obj in enumerate(data.get("data", [])):
            if obj["id"].endswith(object_suffix):
                data["data"][index] = changed = change(obj)
                page.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
                own = dump / (obj["id"].split("/oparl/v1.1/", 1)[1] + ".json")
                own.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
                return changed
    raise AssertionError(f"{object_suffix} nicht in {list_path}")


@pytest.fixture
def own_dump(demo_dump, tmp_path) -> Path:
    import shutil

    copy = tmp_path / "dump"
    shutil.copytree(demo_dump, copy)
    return copy


def test_second_run_asks_only_for_changes(own_dump, tmp_path, texts_read):
    content = texts_read(tmp_path / "content")
    with DumpServer(own_dump, base_of(own_dump)) as server:
        first = import_oparl(server.url + "system", content, show_progress=False)
        server.requests.clear()
        second = import_oparl(server.url + "system", content, show_progress=False)
    assert first.mode == "vollständig" and second.mode.startswith("inkrementell")
    list_requests = [r for r in server.requests if r.startswith("bodies/1/") and "?" in r]
    assert list_requests and all("modified_since=" in r and "omit_internal=true" in r for r in list_requests)
    assert not any(r.startswith("documents/") for r in server.requests), "unveränderte Dateien neu geladen"


def test_changed_meeting_and_tombstone_are_applied_incrementally(own_dump, tmp_path, texts_read):
    content = texts_read(tmp_path / "content")
    with DumpServer(own_dump, base_of(own_dump)) as server:
        import_oparl(server.url + "system", content, show_progress=False)
        before = snapshot(content)
        edit_list_object(own_dump, "bodies/1/meetings", "/meetings/150",
                         lambda m: {**m, "name": "Verlegte Sitzung", "modified": "2026-12-24T10:00:00+01:00"})
        edit_list_object(own_dump, "bodies/1/papers", "/papers/7",
                         lambda p: {"id": p["id"], "type": p["type"], "deleted": True,
                                    "created": p["created"], "modified": "2026-12-24T10:00:00+01:00"})
        report = import_oparl(server.url + "system", content, show_progress=False)
    after = snapshot(content)
    changed = {name for name in set(before) | set(after) if before.get(name) != after.get(name)}
    assert "meetings/150.md" in changed and "papers/7.md" not in after
    assert read_front_matter(content / "meetings" / "150.md")["name"] == "Verlegte Sitzung"
    assert report.deleted["paper"] == 1
    # Everything else stays byte for byte, except what linked the deleted paper,
    # and the paper's own documents, which now belong to nothing public.
    for name in changed - {"meetings/150.md", "papers/7.md"}:
        if name.startswith("files/"):
            assert name not in after, name
        else:
            assert b"paper: '7'" in before[name][0] or b"- '7'" in before[name][0], name


def test_unchanged_attachment_is_asked_for_conditionally(own_dump, tmp_path, texts_read):
    content = texts_read(tmp_path / "content")
    with DumpServer(own_dump, base_of(own_dump)) as server:
        import_oparl(server.url + "system", content, show_progress=False)
        media = {p.name: p.stat().st_mtime_ns for p in (content / "files").glob("*.pdf")}
        # The File object changes (new modified), its bytes do not: the server answers 304.
        edit_list_object(own_dump, "bodies/1/files", "/files/100",
                         lambda f: {**f, "modified": "2026-12-24T10:00:00+01:00"})
        server.requests.clear()
        report = import_oparl(server.url + "system", content, show_progress=False)
    assert server.requests.count("documents/100.pdf") == 1
    assert report.files_downloaded == 0 and report.updated["file"] == 1
    assert {p.name: p.stat().st_mtime_ns for p in (content / "files").glob("*.pdf")} == media


def test_a_slow_answer_is_retried_after_the_timeout(own_dump, tmp_path, texts_read):
    content = texts_read(tmp_path / "content")
    with DumpServer(own_dump, base_of(own_dump)) as server:
        server.delays["bodies/1/persons"] = [3.0]
        import_oparl(server.url + "system", content, show_progress=False, timeout=0.5)
        assert server.requests.count("bodies/1/persons") == 2
    assert len(list((content / "persons").glob("*.md"))) == 53


def test_a_full_run_is_due_after_a_week(own_dump, tmp_path, texts_read):
    """Depublished objects vanish without a tombstone; only a full run notices them."""
    from importers import store

    content = texts_read(tmp_path / "content")
    with DumpServer(own_dump, base_of(own_dump)) as server:
        import_oparl(server.url + "system", content, show_progress=False)
        path = store.store_path(content, "oparl", server.url + "system")
        memory = store.load(path)
        memory.meta["last_full"] = "2026-01-01T00:00:00+00:00"
        store.save(path, memory)
        report = import_oparl(server.url + "system", content, show_progress=False)
    assert report.mode == "vollständig"


def test_filters_survive_a_links_next_that_drops_them():
    from importers.oparl.vendors import with_filters

    filters = {"modified_since": "2026-11-20T05:00:00+01:00", "omit_internal": "true"}
    url = with_filters("https://ris.example/oparl/papers?page=2", filters, "unbekannt")
    assert url == "https://ris.example/oparl/papers?page=2&modified_since=2026-11-20T05%3A00%3A00%2B01%3A00&omit_internal=true"
    # SessionNet answers 404 to an encoded value (research/oparl.md M1).
    raw = with_filters("https://ris.example/oparl/papers?page=2", filters, "somacos")
    assert raw == "https://ris.example/oparl/papers?page=2&modified_since=2026-11-20T05:00:00+01:00&omit_internal=true"


# -- attachments and broken responses ----------------------------------------

def test_oversized_and_unsafe_attachments_are_linked_not_mirrored(own_dump, tmp_path, texts_read):
    documents = sorted((own_dump / "documents").glob("*.pdf"))
    documents[0].write_bytes(b"<html><script>alert('x')</script></html>")  # a server answering HTML
    content = texts_read(tmp_path / "content")
    with DumpServer(own_dump, base_of(own_dump)) as server:
        report = import_oparl(server.url + "system", content, show_progress=False, max_file_size=2_000)
    problems = {p["problem"]: p["count"] for p in report.as_dict()["problems"]}
    too_large = sum(1 for d in documents[1:] if d.stat().st_size > 2_000)
    assert problems["Datei nicht geladen: TooLarge"] == too_large > 0
    assert problems["Datei mit nicht erlaubtem oder unbekanntem Typ nicht übernommen"] == 1
    mirrored = list((content / "files").glob("*.pdf"))
    assert all(p.stat().st_size <= 2_000 and p.read_bytes().startswith(b"%PDF") for p in mirrored)
    assert not list((content / "files").glob("*.htm*"))
    # Files that were not mirrored still have their page, linking to the original.
    unmirrored = [read_front_matter(p) for p in (content / "files").glob("*.md")]
    assert any("media" not in f and f["access_url"].startswith(server.url) for f in unmirrored)


def test_broken_json_stops_the_import_with_a_clear_message_and_changes_nothing(own_dump, tmp_path, texts_read):
    content = texts_read(tmp_path / "content")
    with DumpServer(own_dump, base_of(own_dump)) as server:
        import_oparl(server.url + "system", content, show_progress=False)
        before = snapshot(content)
        (own_dump / "bodies/1/papers?page=2.json").write_text('{"data": [{"id": "kaputt"', encoding="utf-8")
        with pytest.raises(ImportFailed, match="Ungültiges JSON"):
            import_oparl(server.url + "system", content, show_progress=False, full=True)
    assert snapshot(content) == before
