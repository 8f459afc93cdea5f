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
        for p in sorted(folder.rglob("*")) if p.is_file() and ".ratsinfo" not in p.parts
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


def test_reimport_of_unchanged_data_rewrites_nothing(demo_server, tmp_path):
    content = tmp_path / "content"
    import_oparl(demo_server.url + "system", content, show_progress=False)
    before = snapshot(content)
    report = import_oparl(demo_server.url + "system", content, show_progress=False)
    assert snapshot(content) == before
    assert not report.created and not report.updated and not report.deleted
    assert sum(report.unchanged.values()) == sum(1 for name in before if name.endswith(".md"))


def test_import_from_dump_folder_equals_import_over_http(demo_dump, demo_content, tmp_path):
    content = tmp_path / "content"
    import_oparl(str(demo_dump), content, show_progress=False)
    over_http = sorted(p.relative_to(demo_content) for p in demo_content.rglob("*.md") if "pages" not in p.parts)
    from_folder = sorted(p.relative_to(content) for p in content.rglob("*.md"))
    assert from_folder == over_http


def test_failed_import_leaves_content_unchanged(demo_dump, demo_content, tmp_path):
    content = tmp_path / "content"
    with DumpServer(demo_dump, base_of(demo_dump)) as server:
        import_oparl(server.url + "system", content, show_progress=False)
        before = snapshot(content)
        # Every retry of the paper list answers 500: the import must give up cleanly.
        server.faults["bodies/1/papers"] = [500] * 10
        with pytest.raises(ImportFailed):
            import_oparl(server.url + "system", content, show_progress=False)
    assert snapshot(content) == before
    assert not list((content / ".ratsinfo").glob("staging-*"))


def test_a_spurious_500_is_retried(demo_dump, tmp_path):
    content = tmp_path / "content"
    with DumpServer(demo_dump, base_of(demo_dump)) as server:
        server.faults["bodies/1/meetings"] = [500]
        import_oparl(server.url + "system", content, show_progress=False)
        assert server.requests.count("bodies/1/meetings") == 2
    assert list((content / "meetings").glob("*.md"))


def test_mass_deletion_is_refused_without_force(demo_dump, tmp_path):
    content = tmp_path / "content"
    with DumpServer(demo_dump, base_of(demo_dump)) as server:
        import_oparl(server.url + "system", content, show_progress=False)
        before = snapshot(content)
        # The server loses its meetings and papers (lists and single objects alike).
        server.missing_prefixes = {f"bodies/1/{name}" for name in
                                   ("meetings", "papers", "agendaitems", "consultations", "files")}
        with pytest.raises(ImportFailed, match="--force"):
            import_oparl(server.url + "system", content, show_progress=False)
        assert snapshot(content) == before
        report = import_oparl(server.url + "system", content, show_progress=False, force=True)
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
