"""The static OParl 1.1 API (plugins/oparlapi): valid by the spec's schemas, public parts only,
tombstones for deleted objects, readable by our own importer, served by Apache as JSON with CORS."""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import urllib.request
from datetime import date, timedelta
from pathlib import Path

import pytest

from importers.content import read_front_matter
from ratsinfo.build import build_site
from tests.conftest import DEMO_TODAY, MINI_OVERRIDES, MINI_PUBLIC_URL, MINI_SOURCE, SHARED
from tests.support.loopback import FolderServer
from tests.test_golden_site import SECRET

SCHEMAS = SHARED / "schema" / "spec-json-schema-draft-7"


def api_files(site: Path) -> dict[str, object]:
    return {p.relative_to(site).as_posix(): json.loads(p.read_text(encoding="utf-8"))
            for p in sorted((site / "oparl").rglob("*")) if p.is_file() and p.name != ".htaccess"}


def every_object(files: dict[str, object]):
    """Each object file, each list entry, and every object embedded in them."""
    def walk(obj):
        if isinstance(obj, dict):
            if "id" in obj and "type" in obj:
                yield obj
            for value in obj.values():
                yield from walk(value)
        elif isinstance(obj, list):
            for value in obj:
                yield from walk(value)
    for data in files.values():
        yield from walk(data)


def test_every_object_the_api_writes_is_valid_by_the_spec_schemas(mini_site):
    jsonschema = pytest.importorskip("jsonschema")
    from referencing import Registry, Resource

    if not SCHEMAS.is_dir():
        pytest.skip("../shared/oparl-samples fehlt")
    schemas = {}
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        schemas[path.stem] = schema
    registry = Registry().with_resources(
        (f"https://schema.oparl.org/1.1/{name}.json", Resource.from_contents(schema))
        for name, schema in schemas.items())
    objects = list(every_object(api_files(mini_site)))
    assert {o["type"].rsplit("/", 1)[1] for o in objects} == set(schemas)
    for obj in objects:
        name = obj["type"].rsplit("/", 1)[1]
        validator = jsonschema.Draft7Validator(schemas[name], registry=registry,
                                               format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
        errors = [e.message for e in validator.iter_errors(obj)]
        assert errors == [], (obj["id"], errors)
        # Mandatory by the spec's text, not its schemas (1.1: on embedded objects too).
        assert obj["created"] and obj["modified"] and obj["id"].startswith(MINI_PUBLIC_URL), obj["id"]


def test_api_is_linked_from_system_to_every_list_and_object(mini_site):
    files = api_files(mini_site)
    system = files["oparl/system"]
    assert system["oparlVersion"] == "https://schema.oparl.org/1.1/"
    bodies = files[system["body"].removeprefix(MINI_PUBLIC_URL)]
    body = bodies["data"][0]
    for name in ("organization", "person", "meeting", "paper", "agendaItem", "consultation", "file",
                 "locationList", "legislativeTermList", "membership"):
        page = files[body[name].removeprefix(MINI_PUBLIC_URL)]
        assert page["pagination"]["totalElements"] == len(page["data"]) > 0, name
        for entry in page["data"]:
            assert files[entry["id"].removeprefix(MINI_PUBLIC_URL)] == entry
    meeting = files["oparl/meeting/1"]
    assert [i["number"] for i in meeting["agendaItem"]] == ["Ö 1", "Ö 2", "N 1"]
    assert "meeting" not in meeting["agendaItem"][0]  # embedded: no back-reference (spec 3-00)
    assert files["oparl/agendaitem/1"]["meeting"] == MINI_PUBLIC_URL + "oparl/meeting/1"


def test_files_point_at_our_mirrored_copy_and_carry_their_text(mini_site):
    files = api_files(mini_site)
    mirrored = files["oparl/file/3"]
    assert mirrored["accessUrl"] == mirrored["downloadUrl"] == MINI_PUBLIC_URL + "dateien/3.pdf"
    assert mirrored["text"] == (MINI_SOURCE / "files" / "3.txt").read_text(encoding="utf-8")
    # Not mirrored: the original, as the pages link it.
    assert files["oparl/file/1"]["accessUrl"] == "https://oparl.kleinstadt.example/dokumente/1.pdf"
    assert "downloadUrl" not in files["oparl/file/1"]
    # The text is in the File and in the file list; the copies its owners embed leave it out
    # (it would be the documents' text many times over: docs/opendata.md).
    assert mirrored in files["oparl/lists/file/1"]["data"]
    embedded = [o for path, data in files.items() if not path.startswith(("oparl/file/", "oparl/lists/file/"))
                for o in every_object(data) if o["type"].endswith("/File")]
    assert any(o["id"] == mirrored["id"] for o in embedded)
    assert embedded and all("text" not in o for o in embedded)


def test_non_public_item_and_consultation_appear_as_the_pages_show_them(mini_site):
    for path in (mini_site / "oparl").rglob("*"):
        if path.is_file():
            assert SECRET not in path.read_text(encoding="utf-8"), path
    files = api_files(mini_site)
    item = files["oparl/agendaitem/3"]
    assert set(item) == {"id", "type", "meeting", "number", "order", "public", "name", "created", "modified"}
    assert item["public"] is False and item["number"] == "N 1"
    # The meeting page's label: clients need a name (Meine Stadt Transparent's import stops without).
    assert item["name"] == "Nichtöffentlicher Tagesordnungspunkt"
    closed = files["oparl/paper/2"]["consultation"][0]
    assert "agendaItem" not in closed and "role" not in closed
    for person in files["oparl/lists/person/1"]["data"]:
        assert "email" not in person and "phone" not in person


def test_without_public_address_no_api_and_the_build_says_why(mini_content, tmp_path, caplog, monkeypatch):
    from pelican.log import LimitFilter

    # Pelican's loggers drop a message already logged in this process (see test_feeds.py).
    monkeypatch.setattr(LimitFilter, "_raised_messages", set())
    caplog.set_level(logging.WARNING, logger="plugins.oparlapi")
    output = tmp_path / "output"
    build_site(mini_content, output, overrides={"RATSINFO_TODAY": DEMO_TODAY, "PAGEFIND": False})
    assert not (output / "oparl").exists()
    assert "PUBLIC_URL fehlt: die OParl-Schnittstelle" in caplog.text
    assert "oparl" not in (output / "web.config").read_text(encoding="utf-8")


def test_a_deleted_paper_stays_as_tombstone_for_the_set_time(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(MINI_SOURCE, content)
    site = tmp_path / "site"
    overrides = {**MINI_OVERRIDES, "PAGEFIND": False, "OPARL_TOMBSTONE_DAYS": 30}
    build_site(content, site, overrides=overrides)
    created = json.loads((site / "oparl/paper/2").read_text(encoding="utf-8"))["created"]
    (content / "papers" / "2.md").unlink()
    build_site(content, site, overrides=overrides)
    tombstone = json.loads((site / "oparl/paper/2").read_text(encoding="utf-8"))
    assert tombstone == {"id": MINI_PUBLIC_URL + "oparl/paper/2", "type": "https://schema.oparl.org/1.1/Paper",
                         "created": created, "modified": f"{DEMO_TODAY}T00:00:00+01:00", "deleted": True}
    listed = json.loads((site / "oparl/lists/paper/1").read_text(encoding="utf-8"))["data"]
    assert tombstone in listed
    # Its embedded consultation is gone too, and says so under its own URL.
    assert json.loads((site / "oparl/consultation/2-1").read_text(encoding="utf-8"))["deleted"] is True

    later = (date.fromisoformat(DEMO_TODAY) + timedelta(days=29)).isoformat()
    build_site(content, site, overrides={**overrides, "RATSINFO_TODAY": later})
    assert json.loads((site / "oparl/paper/2").read_text(encoding="utf-8"))["modified"].startswith(DEMO_TODAY)
    gone = (date.fromisoformat(DEMO_TODAY) + timedelta(days=31)).isoformat()
    build_site(content, site, overrides={**overrides, "RATSINFO_TODAY": gone})
    assert not (site / "oparl/paper/2").exists()
    assert all(p["id"] != tombstone["id"] for p in
               json.loads((site / "oparl/lists/paper/1").read_text(encoding="utf-8"))["data"])


def test_unchanged_api_files_keep_their_mtime_on_rebuild(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(MINI_SOURCE, content)
    site = tmp_path / "site"
    overrides = {**MINI_OVERRIDES, "PAGEFIND": False}
    build_site(content, site, overrides=overrides)
    before = {p: p.stat().st_mtime_ns for p in (site / "oparl").rglob("*") if p.is_file()}
    meeting = content / "meetings" / "2.md"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("3. Sitzung", "Dritte Sitzung"), encoding="utf-8")
    build_site(content, site, overrides=overrides)
    changed = sorted(p.relative_to(site).as_posix() for p, m in before.items() if p.stat().st_mtime_ns != m)
    assert "oparl/meeting/2" in changed and "oparl/lists/meeting/1" in changed
    assert "oparl/paper/1" not in changed and "oparl/person/1" not in changed


# Where an object came from and where its document lies: provenance, not what the object is.
PROVENANCE = ("source", "web", "access_url", "download_url")


def _comparable(folder: Path) -> dict:
    """content/ as the portal publishes it, without provenance. A hand-written non-public item or
    consultation counts as what the publication rule leaves of it; OParl has no way to say that a
    consultation was closed, so `public: false` is left out of both. The API must give every object
    a `modified`: content that had none gets the build's day, left out here."""
    out = {}
    for path in sorted(folder.rglob("*.md")):
        if "pages" in path.parts or ".ratsinfo" in path.parts:
            continue
        data = read_front_matter(path)
        for key in PROVENANCE:
            data.pop(key, None)
        data["agenda"] = [entry if entry.get("public") is True else
                          {k: entry[k] for k in ("id", "number", "public") if k in entry}
                          for entry in data.get("agenda", [])]
        data["consultations"] = [entry if entry.get("public", True) is True else
                                 {k: entry[k] for k in ("meeting", "organizations") if k in entry}
                                 for entry in data.get("consultations", [])]
        data["memberships"] = data.get("memberships", [])
        for entry in data["agenda"] + data["consultations"] + data["memberships"]:
            entry.pop("source", None)
        data["memberships"].sort(key=repr)  # the API lists them as the portal orders them
        out[path.relative_to(folder).as_posix()] = data
    return out


def test_our_importer_reads_our_api_back_into_the_same_content(tmp_path):
    """Every field, the personal ones too where the town publishes them (PUBLISH_CONTACT_DATA), and
    the checksums and size of the mirrored copy, which the import takes again."""
    from importers.oparl import import_oparl
    from importers.publication import Policy

    site = tmp_path / "site"
    site.mkdir()
    with FolderServer(site) as server:
        build_site(MINI_SOURCE, site, overrides={**MINI_OVERRIDES, "PAGEFIND": False, "PUBLIC_URL": server.url,
                                                 "PUBLISH_CONTACT_DATA": True})
        content = tmp_path / "again"
        import_oparl(server.url + "oparl/system", content, show_progress=False,
                     policy=Policy(publish_contact_data=True))
    before = _comparable(MINI_SOURCE)
    after = _comparable(content)
    for name, data in before.items():
        if "modified" not in data:
            after[name].pop("modified", None)
    assert sorted(after) == sorted(before)
    differing = {name: (before[name], after[name]) for name in before if before[name] != after[name]}
    assert differing == {}


def test_apache_serves_the_api_as_json_with_cors(mini_site):
    import httpx

    from tests.support.apache import apache_serving

    with apache_serving(mini_site) as base:
        for path in ("oparl/system", "oparl/lists/paper/1", "oparl/meeting/1", "oparl/agendaitem/3"):
            response = httpx.get(base + path)
            assert response.status_code == 200, path
            assert response.headers["content-type"] == "application/json; charset=utf-8", path
            assert response.headers["access-control-allow-origin"] == "*", path
            assert response.json()["id"if path != "oparl/lists/paper/1" else "links"]
        # A query string changes nothing on a static server: the whole list, as documented.
        listed = httpx.get(base + "oparl/lists/paper/1?modified_since=2030-01-01T00%3A00%3A00%2B01%3A00")
        assert listed.status_code == 200 and len(listed.json()["data"]) == 2
        # The portal's pages send no CORS header.
        assert "access-control-allow-origin" not in httpx.get(base + "index.html").headers


def test_a_new_public_address_drops_the_old_addresses_graves(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(MINI_SOURCE, content)
    site = tmp_path / "site"
    overrides = {**MINI_OVERRIDES, "PAGEFIND": False}
    build_site(content, site, overrides=overrides)
    build_site(content, site, overrides={**overrides, "PUBLIC_URL": "https://rat.kleinstadt.example/"})
    for path in (site / "oparl").rglob("*"):
        if path.is_file():
            assert MINI_PUBLIC_URL not in path.read_text(encoding="utf-8"), path


def test_api_carries_keys_parents_times_file_names_and_checksums_of_what_it_serves(mini_site):
    files = api_files(mini_site)
    body = files["oparl/body/1"]
    assert (body["ags"], body["rgs"]) == ("14999001", "149990010001")
    assert files["oparl/organization/2"]["subOrganizationOf"] == MINI_PUBLIC_URL + "oparl/organization/1"
    item = files["oparl/agendaitem/2"]
    assert (item["start"], item["end"]) == ("2026-03-12T18:15:00+01:00", "2026-03-12T19:00:00+01:00")
    assert files["oparl/person/1"]["affix"] == "MdL"
    # Our copy: its own size and SHA-512, and the source's SHA-1 only because the copy is the original.
    copy = (MINI_SOURCE / "files" / "3.pdf").read_bytes()
    mirrored = files["oparl/file/3"]
    assert mirrored["fileName"] == 'BV_2026_0001 <b onmouseover="alert(1)">.pdf'
    assert (mirrored["size"], mirrored["sha512Checksum"]) == (len(copy), hashlib.sha512(copy).hexdigest())
    # No copy: the original's values, as the source gave them.
    original = files["oparl/file/1"]
    assert original["size"] == 52341 and len(original["sha512Checksum"]) == 128 and len(original["sha1Checksum"]) == 40


def test_gender_is_published_only_with_contact_data(mini_site):
    """Gender is personal data beyond name and role (docs/security.md): like e-mail and phone."""
    assert read_front_matter(MINI_SOURCE / "persons" / "1.md")["gender"] == "female"
    assert not any("gender" in obj for obj in every_object(api_files(mini_site)))


def test_hand_edited_file_name_gender_and_parent_circle_are_left_out_when_read(tmp_path):
    """The plugins check again what the importers clean: a path as file name, a gender that is no
    OParl word, a parent circle. Gender also needs PUBLISH_CONTACT_DATA."""
    from plugins.council.loading import load_graph

    content = tmp_path / "content"
    shutil.copytree(MINI_SOURCE, content)
    for path, old, new in (("files/1.md", "file_name: Einladung_GR_5.pdf", "file_name: ../../etc/passwd"),
                           ("persons/2.md", "form_of_address: Herr", "form_of_address: Herr\ngender: <script>"),
                           ("organizations/1.md", "short_name: GR", "short_name: GR\nparent: '2'")):
        (content / path).write_text((content / path).read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    graph = load_graph(content, publish_contact_data=True)
    assert graph.files["1"].file_name is None
    assert graph.persons["2"].gender is None and graph.persons["1"].gender == "female"
    assert load_graph(content).persons["1"].gender is None
    # 2 names 1 as parent and 1 names 2: one of the two links is dropped, so no page walks a circle.
    assert [o.parent for o in (graph.organizations["1"], graph.organizations["2"])].count(None) == 1


def _one_paper_on_an_agenda(content: Path, paper_id: str = "v", item_id: str = "1", other_paper: str | None = None):
    """Paper `paper_id` with one consultation that names no agenda item, and item `item_id` of
    meeting m that names the paper: the item's consultation is one the API makes up."""
    from tests.test_escaping import write

    write(content, "bodies", {"id": "b", "name": "Stadt"})
    write(content, "organizations", {"id": "o", "name": "Rat"})
    for paper in filter(None, (paper_id, other_paper)):
        write(content, "papers", {"id": paper, "name": f"Vorlage {paper}", "reference": f"V/{paper}",
                                  "consultations": [{"meeting": "m", "organizations": ["o"]}]})
    write(content, "meetings", {"id": "m", "name": "Rat", "start": "2025-05-05T17:00:00+02:00", "organizations": ["o"],
                                "agenda": [{"id": item_id, "number": "1", "name": "Punkt", "public": True,
                                            "paper": paper_id}]})


def test_a_consultation_known_only_from_its_agenda_item_keeps_its_own_address(tmp_path):
    """Item "1" of a paper whose first consultation is `v-1`: two consultations, two files."""
    content, site = tmp_path / "content", tmp_path / "site"
    _one_paper_on_an_agenda(content)
    build_site(content, site, overrides={**MINI_OVERRIDES, "PAGEFIND": False})
    files = api_files(site)
    listed = files["oparl/lists/consultation/1"]["data"]
    assert len(listed) == len({c["id"] for c in listed}) == 2
    for consultation in listed:
        assert files[consultation["id"].removeprefix(MINI_PUBLIC_URL)] == consultation
    item = files["oparl/agendaitem/1"]
    lone = files[item["consultation"].removeprefix(MINI_PUBLIC_URL)]
    assert lone["agendaItem"] == item["id"] and "agendaItem" not in files["oparl/consultation/v-1"]


def test_two_api_objects_at_one_address_stop_the_build_naming_both(tmp_path):
    """Ids made of content ids can still meet (paper `v-top` beside item `1` of paper `v`): the
    build stops, as for two pages at one address, instead of writing one file over the other."""
    from ratsinfo.build import BuildFailed

    content, site = tmp_path / "content", tmp_path / "site"
    _one_paper_on_an_agenda(content, other_paper="v-top")
    with pytest.raises(BuildFailed, match="oparl/consultation/v-top-1"):
        build_site(content, site, overrides={**MINI_OVERRIDES, "PAGEFIND": False})
