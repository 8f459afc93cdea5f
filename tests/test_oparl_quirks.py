"""Each quirk of real OParl servers, fed through the real importer over loopback HTTP.

One test per behaviour, on real data: trimmed real responses in
tests/fixtures/oparl/ (sources in its README.md) or the full samples in
shared/oparl-samples. The quirk numbers (S1, C2, M8 …) are those of
shared/research/oparl.md §3. Not here: the Sternberg non-public heading rule
(tests/test_import_oparl.py) and the quirks of `modified_since` itself.
GeoJSON with lat/lon swapped (S17) is not tested: the importer writes no
coordinates to content/ (docs/content-format.md has no field for them).
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote

import pytest

from importers.content import read_front_matter
from importers.oparl import import_oparl, quirks
from tests.conftest import base_of
from tests.support.karlsruhe_server import BODY, BODY_ID, SYSTEM, KarlsruheServer
from tests.support.loopback import LoopbackServer, QuietHandler
from tests.support.oparl_server import DumpServer

FIXTURES = Path(__file__).parent / "fixtures" / "oparl"
JSON_TYPE = "application/json; charset=utf-8"

HUERTGENWALD = "https://sdnetrim.kdvz-frechen.de/"
KARLSRUHE = "https://web1.karlsruhe.de/"
KA = KARLSRUHE + "oparl/bodies/0001/"
LEIPZIG = "https://ratsinfo.leipzig.de/"
BONN = "https://www.bonn.sitzung-online.de/"
BRAUNSCHWEIG = "https://ratsinfo.braunschweig.de/"
WUPPERTAL = "http://oparl.wuppertal.de/"
STERNBERG_API = HUERTGENWALD + "rim4220/webservice/oparl/v1.0/"


class FixtureServer(LoopbackServer):
    """Fixed answers on 127.0.0.1, registered under the source's own URLs.

    Unlike DumpServer (a folder, one file per URL path) it gives what these
    quirks need: answers for URLs with query strings (ALLRIS `bodies.asp?id=1`),
    raw invalid JSON, error bodies with their own status and content type, and
    other answers when the request asks for changes only.

    `origin` (the source's scheme and host) is rewritten to this server's
    address in every answer, as DumpServer does. A request matches its path
    and query first, then its path alone; answers added with `filtered=True`
    are given instead when the request carries `modified_since`.
    """

    def __init__(self, origin: str):
        self.origin = origin
        self.answers: dict[str, tuple[int, bytes, str]] = {}
        self.filtered: dict[str, tuple[int, bytes, str]] = {}
        self.requests: list[str] = []
        self.serve(self._handler())

    def local(self, url: str) -> str:
        return url.replace(self.origin, self.url)

    def add(self, url: str, payload, status: int = 200, content_type: str = JSON_TYPE, *, filtered=False):
        body = payload if isinstance(payload, bytes) else json.dumps(payload, ensure_ascii=False).encode()
        answers = self.filtered if filtered else self.answers
        answers[unquote(url.removeprefix(self.origin))] = (status, body, content_type)

    def add_list(self, url: str, objects: list, next_url: str | None = None):
        links = {"first": url, "self": url, **({"next": next_url} if next_url else {})}
        self.add(url, {"data": objects, "pagination": {"totalElements": len(objects)}, "links": links})

    def add_dump(self, folder: Path, base: str):
        """A folder in DumpServer's layout: `base + "body/1/meeting"` is `body/1/meeting.json`."""
        for path in sorted(folder.rglob("*.json")):
            self.add(base + path.relative_to(folder).as_posix().removesuffix(".json"), path.read_bytes())

    def _answer(self, relative: str) -> tuple[int, bytes, str]:
        path, _, query = relative.partition("?")
        if "modified_since" in query and path in self.filtered:
            return self.filtered[path]
        not_found = (404, b'{"error": "not found"}', JSON_TYPE)
        return self.answers.get(relative) or self.answers.get(path) or not_found

    def _handler(self):
        server = self

        class Handler(QuietHandler):
            def do_GET(self):
                relative = unquote(self.path.lstrip("/"))
                server.requests.append(relative)
                status, body, content_type = server._answer(relative)
                self.reply(status, body.replace(server.origin.encode(), server.url.encode()), content_type)

        return Handler


# -- helpers -------------------------------------------------------------------


def run_import(entry_url: str, content: Path, **options):
    # Loopback needs no politeness pause; attachments are not part of these quirks.
    options = {"show_progress": False, "mirror_files": False, "rate": 0, **options}
    return import_oparl(entry_url, content, **options)


def by_source(content: Path, folder: str) -> dict[str, dict]:
    return {
        data["source"]: data
        for data in (read_front_matter(p) for p in sorted((content / folder).glob("*.md")))
    }


def problems_of(report) -> dict[str, dict]:
    return {entry["problem"]: entry for entry in report.as_dict()["problems"]}


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".ratsinfo" not in p.parts and p != folder / "site.yaml"  # the run's date
    }


def fixture(*parts: str):
    return json.loads((FIXTURES.joinpath(*parts)).read_text(encoding="utf-8"))


def sternberg_server() -> FixtureServer:
    """Hürtgenwald (Sternberg SD.NET RIM, OParl 1.0), trimmed to one meeting and one paper."""
    server = FixtureServer(HUERTGENWALD)
    server.add_dump(FIXTURES / "sternberg", STERNBERG_API)
    return server


def karlsruhe_lists(server: FixtureServer, meetings: list, body: dict | None = None):
    """Karlsruhe's System and Body with the given meetings and the fixture's organizations."""
    server.add(SYSTEM["id"], SYSTEM)
    body = body or BODY
    server.add_list(SYSTEM["body"], [body])
    server.add_list(body["meeting"], meetings)
    server.add_list(body["organization"], fixture("karlsruhe", "organizations.json"))
    server.add_list(body["paper"], [])
    server.add_list(body["person"], [])


def bonn_server() -> FixtureServer:
    """Bonn (CC e-gov ALLRIS, OParl 1.1): the real Body of 2019 and a real meeting of 2021."""
    server = FixtureServer(BONN)
    body = fixture("bonn", "body.json")
    server.add(body["id"], (FIXTURES / "bonn" / "body.json").read_bytes())
    for name in ("organization", "person", "paper", "agendaItem", "consultation", "file",
                 "locationList", "legislativeTermList", "membership"):
        server.add_list(body[name], [])
    server.add_list(body["meeting"], [fixture("bonn", "meeting-664.json")])
    return server


# -- S1, S2: typeless tombstones -------------------------------------------------


def test_typeless_tombstones_are_not_imported(tmp_path):
    meeting_page = fixture("sternberg", "body", "1", "meeting.json")
    paper_page = fixture("sternberg", "body", "1", "paper.json")
    stubs = [o["id"] for o in meeting_page["data"] + paper_page["data"] if "type" not in o]
    assert len(stubs) == 2, "Testdaten: je ein Sternberg-Stub ohne type"
    with sternberg_server() as server:
        report = run_import(server.local(STERNBERG_API + "system"), tmp_path)
        stubs = [server.local(s) for s in stubs]
    written = set(by_source(tmp_path, "meetings")) | set(by_source(tmp_path, "papers"))
    assert len(written) == 2 and not written & set(stubs)
    tombstones = problems_of(report)["Gelöschtes Objekt ohne type (Tombstone)"]
    assert tombstones["count"] == 2 and sorted(tombstones["examples"]) == sorted(stubs)


@pytest.fixture(scope="module")
def huertgenwald_import(huertgenwald, tmp_path_factory):
    content = tmp_path_factory.mktemp("huertgenwald")
    with DumpServer(huertgenwald, base_of(huertgenwald)) as server:
        report = run_import(server.url + "system", content)
    return server, content, report


def test_huertgenwald_tombstones_never_reach_content(huertgenwald, huertgenwald_import):
    server, content, report = huertgenwald_import
    stubs = set()
    for page in sorted((huertgenwald / "body" / "1").glob("*.json")):
        data = json.loads(page.read_text(encoding="utf-8"))["data"]
        stubs |= {o["id"].replace(base_of(huertgenwald), server.url) for o in data if "type" not in o}
    # 21 meetings and 18 papers (shared/oparl-samples/README.md).
    assert len(stubs) == 39
    written = set(by_source(content, "meetings")) | set(by_source(content, "papers"))
    assert not written & stubs
    assert problems_of(report)["Gelöschtes Objekt ohne type (Tombstone)"]["count"] == 39


# -- C1, M11: "N/A", "" and blanks ----------------------------------------------


def test_na_and_blank_strings_count_as_absent(tmp_path):
    system = fixture("leipzig", "system.json")
    body = fixture("leipzig", "body.json")
    organization = fixture("leipzig", "organization-2286.json")
    with FixtureServer(LEIPZIG) as server:
        server.add(system["id"], system)
        server.add_list(system["body"], [body])
        server.add_list(body["organization"], [organization])
        for name in ("person", "meeting", "paper"):
            server.add_list(body[name], [])
        run_import(server.local(system["id"]), tmp_path)
        body_file = by_source(tmp_path, "bodies")[server.local(body["id"])]
        organization_file = by_source(tmp_path, "organizations")[server.local(organization["id"])]
    # Leipzig: shortName "" and created "" (C9), endDate "" and subLocality "" (C8).
    assert body_file["name"] == "Stadt Leipzig" and "short_name" not in body_file
    assert organization_file["start_date"] == "2000-01-01" and "end_date" not in organization_file
    assert organization_file["location"] == {
        "description": "Friedrich-Ebert-Str. 19a, 04109 Leipzig",
        "street_address": "Friedrich-Ebert-Str. 19a",
        "postal_code": "04109",
        "locality": "Leipzig",
    }
    for path in tmp_path.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        assert "N/A" not in text and "''" not in text and "' '" not in text, path


def test_na_and_blanks_are_dropped_from_every_field():
    # The real Leipzig System (C1) and the blank street of CC e-gov's Locations
    # (meine-stadt-transparent CCEgovLoader: `"streetAddress": " "`).
    system = fixture("leipzig", "system.json")
    cleaned = quirks.clean_values({**system, "streetAddress": " ", "room": "\u00a0"})
    assert "name" not in cleaned and "website" not in cleaned
    assert "streetAddress" not in cleaned and "room" not in cleaned
    assert cleaned["contactName"] == "Stadt Leipzig" and cleaned["vendor"] == "http://cc-egov.de/"


def test_karlsruhe_empty_location_of_organizations_is_left_out(tmp_path):
    # Karlsruhe's organizations embed a Location with every field "" (gr/34531).
    with KarlsruheServer(FIXTURES / "karlsruhe") as server:
        run_import(server.system_url, tmp_path)
        organizations = by_source(tmp_path, "organizations")
        neureut = organizations[server.url + "oparl/bodies/0001/organizations/gr/34531"]
    assert neureut["name"] == "Ortschaftsrat Neureut" and "location" not in neureut


# -- C2, G6: a single object where an array belongs ------------------------------


def test_single_object_where_an_array_belongs_is_taken_as_a_list(tmp_path):
    meeting = fixture("bonn", "meeting-664.json")
    assert isinstance(meeting["auxiliaryFile"], dict), "Testdaten: auxiliaryFile als Objekt (C2)"
    with bonn_server() as server:
        report = run_import(server.local(BONN + "public/oparl/bodies?id=1"), tmp_path)
        meeting_file = by_source(tmp_path, "meetings")[server.local(meeting["id"])]
        files = by_source(tmp_path, "files")
        auxiliary = files[server.local(meeting["auxiliaryFile"]["id"])]
    assert meeting_file["auxiliary_files"] == [auxiliary["id"]]
    assert auxiliary["name"] == "Alle Anlagen öffentlich"
    mismatch = problems_of(report)["Einzelwert statt Liste (Meeting.auxiliaryFile)"]
    assert mismatch["examples"] == [server.local(meeting["id"])]


# -- S7, C14, S16: object and URL mixed up ---------------------------------------


def test_embedded_object_where_a_url_belongs_is_reported_and_not_published(tmp_path):
    # Sternberg sends Person.location as an embedded Location where the spec wants
    # its URL (S7; meine-stadt-transparent SternbergLoader keeps only its id).
    person_page = fixture("sternberg", "body", "1", "person.json")
    person = person_page["data"][0]
    person["location"] = {"id": person["location"], "type": "https://schema.oparl.org/1.0/Location"}
    with sternberg_server() as server:
        server.add(STERNBERG_API + "body/1/person", person_page)
        report = run_import(server.local(STERNBERG_API + "system"), tmp_path)
        person_file = by_source(tmp_path, "persons")[server.local(person["id"])]
        organizations = by_source(tmp_path, "organizations")
        wahlausschuss = organizations[server.local(person["membership"][0]["organization"])]
    assert person_file["family_name"] == "Grewe"
    assert [m["organization"] for m in person_file["memberships"]] == [wahlausschuss["id"]]
    assert "location" not in person_file
    assert not any("location/1-198" in p.read_text(encoding="utf-8") for p in tmp_path.rglob("*.md"))
    mixed = problems_of(report)["Eingebettetes Objekt statt URL (Person.location)"]
    assert mixed["examples"] == [server.local(person["id"])]


def karlsruhe_meeting_with_location_url() -> tuple[dict, dict]:
    # Karlsruhe meeting 10090 with its Location as a URL, the form Bonn's client
    # code expects (C14) and Sternberg 1.0 servers send (S16).
    meeting = fixture("karlsruhe", "meetings", "10090.json")
    location = meeting["location"]
    meeting["location"] = location["id"]
    return meeting, location


def test_url_where_an_embedded_object_belongs_is_resolved_from_the_location_list(tmp_path):
    meeting, location = karlsruhe_meeting_with_location_url()
    body = {**BODY, "locationList": BODY_ID + "/locations"}
    with FixtureServer(KARLSRUHE) as server:
        karlsruhe_lists(server, [meeting], body)
        server.add_list(body["locationList"], [location])
        run_import(server.local(SYSTEM["id"]), tmp_path)
        meeting_file = by_source(tmp_path, "meetings")[server.local(meeting["id"])]
    assert meeting_file["location"] == {"description": "Bürgersaal, Rathaus am Marktplatz"}


def test_url_where_an_embedded_object_belongs_is_fetched_when_in_no_list(tmp_path):
    meeting, location = karlsruhe_meeting_with_location_url()
    with FixtureServer(KARLSRUHE) as server:
        karlsruhe_lists(server, [meeting])
        server.add(location["id"], location)
        run_import(server.local(SYSTEM["id"]), tmp_path)
        meeting_file = by_source(tmp_path, "meetings")[server.local(meeting["id"])]
    assert meeting_file.get("location") == {"description": "Bürgersaal, Rathaus am Marktplatz"}


# -- C5, C6: "+01::00" and date-times in date fields -----------------------------


def test_double_colon_offsets_and_date_times_in_date_fields_are_repaired(tmp_path):
    with bonn_server() as server:
        run_import(server.local(BONN + "public/oparl/bodies?id=1"), tmp_path)
        body_file = by_source(tmp_path, "bodies")[server.local(BONN + "public/oparl/bodies?id=1")]
        terms = by_source(tmp_path, "terms")
        first_term = terms[server.local(BONN + "public/oparl/legislativeTerms?id=1_1")]
        invitation = by_source(tmp_path, "files")[
            server.local(BONN + "public/oparl/files?id=2026137&dtyp=108")]
    # "2019-12-15T05:01:23+01::00" and "startDate": "1971-05-04T00:00:00+01::00" in the source.
    assert body_file["modified"] == "2019-12-15T05:01:23+01:00"
    assert len(body_file["terms"]) == 2 and len(terms) == 2
    assert first_term["name"] == "1. Wahlperiode"
    assert (first_term["start_date"], first_term["end_date"]) == ("1971-05-04", "1975-05-04")
    assert first_term["modified"] == "2019-12-16T11:21:11+01:00"
    # File.date "2021-04-27T21:51:03+02:00" (C6).
    assert invitation["date"] == "2021-04-27"
    assert not any("::" in p.read_text(encoding="utf-8") for p in tmp_path.rglob("*.md"))


def test_double_colon_offset_is_repaired_in_strings_and_arrays():
    cleaned = quirks.clean_values({
        "modified": "2019-12-16T11:21:11+01::00", "keyword": ["2019-12-16T11:21:11-02::30"],
    })
    assert cleaned == {"modified": "2019-12-16T11:21:11+01:00", "keyword": ["2019-12-16T11:21:11-02:30"]}


# -- M8, C7: Meeting.end before start --------------------------------------------


def test_meeting_end_before_start_is_dropped_and_reported(tmp_path):
    with KarlsruheServer(FIXTURES / "karlsruhe") as server:
        report = run_import(server.system_url, tmp_path)
        meetings = by_source(tmp_path, "meetings")
        neureut = meetings[server.url + "oparl/bodies/0001/meetings/10320"]
        personalausschuss = meetings[server.url + "oparl/bodies/0001/meetings/10090"]
    # Source: start 2025-11-04T19:00, end 2025-11-04T00:00 (SessionNet's "unknown end").
    assert neureut["start"] == "2025-11-04T19:00:00+01:00" and "end" not in neureut
    assert personalausschuss["end"] == "2025-12-12T18:30:00+01:00"
    end_first = problems_of(report)["Meeting.end liegt vor start (als unbekannt behandelt)"]
    assert end_first["count"] == 1
    assert end_first["examples"] == [server.url + "oparl/bodies/0001/meetings/10320"]


# -- C3: invalid JSON with control characters ------------------------------------


def test_invalid_json_with_control_characters_imports(tmp_path):
    raw = (FIXTURES / "braunschweig" / "paper-1664.broken_json").read_bytes()
    with pytest.raises(ValueError):
        json.loads(raw)
    api = BRAUNSCHWEIG + "bi/oparl/1.0/"
    # Braunschweig's Body is not in the samples; this one has the ALLRIS URL shapes of Leipzig's.
    body = {
        "id": api + "bodies.asp?id=1", "type": "https://schema.oparl.org/1.0/Body",
        "name": "Stadt Braunschweig", "organization": api + "organizations.asp?body=1",
        "person": api + "persons.asp?body=1", "meeting": api + "meetings.asp?body=1",
        "paper": api + "papers.asp?body=1",
    }
    with FixtureServer(BRAUNSCHWEIG) as server:
        server.add(body["id"], body)
        for name in ("organization", "person", "meeting"):
            server.add_list(body[name], [])
        server.add(body["paper"], b'{"data": [' + raw + b'], "pagination": {}, "links": {}}')
        report = run_import(server.local(body["id"]), tmp_path)
        paper = by_source(tmp_path, "papers")[server.local(api + "papers.asp?id=1664")]
    assert paper["name"].startswith(
        "Volkshochschule Braunschweig e. V. Umwandlung in eine Gesellschaft mit beschr„nkter Haftung (GmbH)")
    assert not any(ord(c) < 32 for c in paper["name"])
    assert paper["reference"] == "1664/99"
    assert not any("JSON" in p for p in problems_of(report))


# -- S3, S4: an empty filtered list as 404 with an error object, or as [] --------

SDNET_NOT_FOUND = (
    404,
    b'{"error":"Die angeforderte Ressource wurde nicht gefunden.","code":802,"type":"SD.NET RIM Webservice"}',
    "text/html",
)


@pytest.mark.parametrize("empty_answer", [SDNET_NOT_FOUND, (200, b"[]", JSON_TYPE)],
                         ids=["404-mit-fehlerobjekt", "nacktes-array"])
def test_empty_filtered_list_deletes_nothing(tmp_path, empty_answer):
    api = STERNBERG_API
    with sternberg_server() as server:
        run_import(server.local(api + "system"), tmp_path)
        before = snapshot(tmp_path)
        assert len([name for name in before if name.startswith("meetings/")]) == 1
        # Nothing changed since the first run: Sternberg answers every list asked
        # for changes with a 404 and its error object, or with a bare [] (S3, S4).
        lists = ("body/1/organization", "body/1/person", "body/1/meeting", "body/1/paper")
        for path in lists:
            server.add(api + path, empty_answer[1], empty_answer[0], empty_answer[2], filtered=True)
        report = run_import(server.local(api + "system"), tmp_path)
        asked = {r.split("?")[0] for r in server.requests if "modified_since" in r}
        assert {"rim4220/webservice/oparl/v1.0/" + path for path in lists} <= asked
    assert snapshot(tmp_path) == before
    assert report.as_dict()["deleted"] == {}


def test_a_run_that_fails_leaves_the_last_good_content_as_it_was(tmp_path):
    """The rule of every import, kept in the fast tier on a two-object source (the whole demo
    does the same in test_source_faults): the meeting list answers 403 on the next run."""
    from importers.errors import ImportFailed

    api = STERNBERG_API
    with sternberg_server() as server:
        run_import(server.local(api + "system"), tmp_path)
        before = snapshot(tmp_path)
        for filtered in (False, True):
            server.add(api + "body/1/meeting", b'{"error": "gesperrt"}', 403, filtered=filtered)
        with pytest.raises(ImportFailed):
            run_import(server.local(api + "system"), tmp_path)
    assert snapshot(tmp_path) == before and before


# -- G14: pagination loop ----------------------------------------------------------


def test_pagination_loop_ends_and_is_reported(tmp_path):
    first = fixture("karlsruhe", "meetings", "10320.json")
    second = fixture("karlsruhe", "meetings", "10090.json")
    meetings_url = BODY["meeting"]
    with FixtureServer(KARLSRUHE) as server:
        karlsruhe_lists(server, [])
        server.add_list(meetings_url, [first], next_url=meetings_url + "?page=2")
        # Page 2 points back to page 1 (liboparl URL_LOOP; "Pagination cycle detected").
        server.add_list(meetings_url + "?page=2", [second], next_url=meetings_url + "?page=1")
        report = run_import(server.local(SYSTEM["id"]), tmp_path)
        assert server.requests.count("oparl/bodies/0001/meetings?page=2") == 1
        meetings = set(by_source(tmp_path, "meetings"))
        assert meetings == {server.local(first["id"]), server.local(second["id"])}
    loop = problems_of(report)["Paginierungs-Schleife: links.next zeigt auf eine frühere Seite"]
    assert loop["count"] == 1


# -- S15, S16, M4: linked, but in no list ------------------------------------------


def test_linked_object_in_no_list_is_fetched_one_by_one_and_reported(tmp_path):
    paper_id = KA + "papers/vo/52547"
    with KarlsruheServer(FIXTURES / "karlsruhe") as server:
        # The paper is linked from agenda item 1 of meeting 10320 (through consultation
        # 35121) but missing from the paper list.
        server.unlist(paper_id)
        report = run_import(server.system_url, tmp_path)
        local = lambda url: url.replace(KARLSRUHE, server.url)  # noqa: E731
        papers = by_source(tmp_path, "papers")
        meeting = by_source(tmp_path, "meetings")[local(KA + "meetings/10320")]
    paper = papers[local(paper_id)]
    assert paper["reference"] == "2025/1027"
    assert meeting["agenda"][0]["paper"] == paper["id"]
    fetched = problems_of(report)["Objekt ist verlinkt, steht aber in keiner Liste"]
    # The paper and its consultation, and the two consultations Karlsruhe links from
    # meeting 10320 that are in no paper at all (35096, 35097; real, M14).
    assert fetched["count"] == 4
    assert {local(KA + "consultations/35121"), local(paper_id)} <= set(fetched["examples"])


def test_linked_objects_the_server_does_not_have_are_reported(tmp_path):
    # Wuppertal (SessionNet): the meeting's two organizations answer 404 and are in
    # no list (meine-stadt-transparent importer/tests/test_missing.py).
    system = fixture("wuppertal", "system.json")
    body = fixture("wuppertal", "body.json")
    meeting = fixture("wuppertal", "meeting.json")
    with FixtureServer(WUPPERTAL) as server:
        server.add(system["id"], system)
        server.add_list(system["body"], [body])
        server.add_list(body["meeting"], [meeting])
        for name in ("organization", "person", "paper"):
            server.add_list(body[name], [])
        report = run_import(server.local(system["id"]), tmp_path)
        meeting_file = by_source(tmp_path, "meetings")[server.local(meeting["id"])]
        missing = problems_of(report)["Verlinktes Objekt nicht abrufbar (HTTP 404)"]
        organizations = [server.local(url) for url in meeting["organization"]]
    assert meeting_file["name"] == "SI/0507/20" and "organizations" not in meeting_file
    assert not list((tmp_path / "organizations").glob("*.md"))
    assert missing["count"] == 2
    assert sorted(e.split(" ")[0] for e in missing["examples"]) == sorted(organizations)


# -- M13: 401/404/410 for linked objects -------------------------------------------


@pytest.mark.parametrize("status", [401, 404, 410])
def test_unreachable_linked_object_is_not_published(tmp_path, status):
    paper_id = KA + "papers/vo/52547"
    with KarlsruheServer(FIXTURES / "karlsruhe") as server:
        # Karlsruhe: a record that becomes member-only leaves the list and answers 401,
        # without a tombstone (research/oparl.md M13); 404 and 410 (spec 2-07) alike.
        server.withdraw(paper_id, status)
        report = run_import(server.system_url, tmp_path)
        local = lambda url: url.replace(KARLSRUHE, server.url)  # noqa: E731
        papers = by_source(tmp_path, "papers")
        meeting = by_source(tmp_path, "meetings")[local(KA + "meetings/10320")]
        # Its attachments go with it (fixture: papers/52547.json).
        files = set(by_source(tmp_path, "files"))
        assert not files & {local(KA + "files/671503"), local(KA + "files/671606")}
    assert local(paper_id) not in papers and len(papers) == 1
    first_item = meeting["agenda"][0]
    assert first_item["name"].startswith("Linienänderung der Buslinie 71") and "paper" not in first_item
    unreachable = problems_of(report)[f"Verlinktes Objekt nicht abrufbar (HTTP {status})"]
    assert any(e.startswith(local(KA + "consultations/35121")) for e in unreachable["examples"])


# -- S19: Sternberg's older agenda headings ---------------------------------------


def test_bracketed_sternberg_heading_starts_the_non_public_part(tmp_path):
    # Hürtgenwald meeting 432 (2008): "< Sitzungsteil öffentlich >", item 1.,
    # "< Sitzungsteil nichtöffentlich >". (The "A/B … Sitzung" headings of newer
    # meetings are tested in test_import_oparl.py.)
    with sternberg_server() as server:
        run_import(server.local(STERNBERG_API + "system"), tmp_path)
        meeting = by_source(tmp_path, "meetings")[server.local(STERNBERG_API + "body/1/meeting/432")]
    heading, item, non_public = meeting["agenda"]
    assert heading["public"] and item["public"] and item["number"] == "1."
    assert item["name"].startswith("Kommunalwahl 2009; hier: Einteilung")
    assert non_public == {"id": non_public["id"], "source": non_public["source"], "public": False}


# -- spec 2-04: an empty mandatory array is not a missing field -------------------


def test_empty_mandatory_array_is_not_reported_missing(tmp_path):
    assert BODY["legislativeTerm"] == []
    with KarlsruheServer(FIXTURES / "karlsruhe") as server:
        report = run_import(server.system_url, tmp_path)
    assert "Body ohne legislativeTerm (Pflichtfeld fehlt)" not in problems_of(report)


# -- a system with several bodies ------------------------------------------------

ZWEI = "https://rat.zwei.example/"
OPARL_11 = "https://schema.oparl.org/1.1/"


def two_bodies_server() -> FixtureServer:
    """One System, two Bodies (a Verwaltungsgemeinschaft): each with a council and a
    meeting, and both meetings end in the same path segment (`…/meetings/1`)."""
    server = FixtureServer(ZWEI)
    system = {"id": ZWEI + "oparl/system", "type": OPARL_11 + "System", "oparlVersion": OPARL_11,
              "name": "Verwaltungsgemeinschaft Zwei", "body": ZWEI + "oparl/bodies"}
    server.add(system["id"], system)
    bodies = []
    for n in (1, 2):
        base = f"{ZWEI}oparl/bodies/{n}/"
        body = {"id": base.rstrip("/"), "type": OPARL_11 + "Body", "system": system["id"],
                "name": f"Gemeinde Nummer {n}", "organization": base + "organizations",
                "meeting": base + "meetings", "paper": base + "papers", "person": base + "persons",
                "legislativeTerm": []}
        bodies.append(body)
        council = {"id": base + "organizations/1", "type": OPARL_11 + "Organization", "body": body["id"],
                   "name": f"Gemeinderat Nummer {n}", "organizationType": "Gremium"}
        meeting = {"id": base + "meetings/1", "type": OPARL_11 + "Meeting", "name": f"Sitzung in Gemeinde {n}",
                   "start": f"2026-03-0{n}T18:00:00+01:00", "organization": [council["id"]]}
        server.add_list(body["organization"], [council])
        server.add_list(body["meeting"], [meeting])
        server.add_list(body["paper"], [])
        server.add_list(body["person"], [])
    server.add_list(system["body"], bodies)
    return server


def test_every_body_of_a_system_is_imported_without_id_clashes(tmp_path):
    content = tmp_path / "content"
    with two_bodies_server() as server:
        run_import(server.local(ZWEI + "oparl/system"), content)
    bodies = by_source(content, "bodies")
    assert sorted(b["name"] for b in bodies.values()) == ["Gemeinde Nummer 1", "Gemeinde Nummer 2"]
    meetings = {m["name"]: m for m in by_source(content, "meetings").values()}
    assert set(meetings) == {"Sitzung in Gemeinde 1", "Sitzung in Gemeinde 2"}
    # Same last path segment, two objects: two ids, each meeting with its own body's council.
    assert meetings["Sitzung in Gemeinde 1"]["id"] != meetings["Sitzung in Gemeinde 2"]["id"]
    councils = {o["id"]: o["name"] for o in by_source(content, "organizations").values()}
    assert len(councils) == 2
    for n in (1, 2):
        assert [councils[o] for o in meetings[f"Sitzung in Gemeinde {n}"]["organizations"]] == [f"Gemeinderat Nummer {n}"]


# -- M5, S11: person words and official keys; hostile file names and checksums ------


def wuppertal_with_person_and_file(server: FixtureServer) -> str:
    """Wuppertal's System and Body; a person as SessionNet Wuppertal sends it (key typo
    `formOfAdress`, `gender: "männlich"`, `web: ""`: meine-stadt-transparent commit cb94e6ef,
    importer/tests/test_missing.py, person_292), one with a hostile gender, and a paper whose
    document advertises a path as its name and a checksum that is none."""
    system = fixture("wuppertal", "system.json")
    # S11: the AGS 05124000 with its leading zero lost, as SessionNet sends such numbers.
    body = {**fixture("wuppertal", "body.json"), "ags": "5124000", "rgs": "<b>051240000000</b>"}
    people = WUPPERTAL + "oparl/bodies/0001/people/"
    server.add(system["id"], system)
    server.add_list(system["body"], [body])
    server.add_list(body["person"], [
        {"id": people + "292", "type": "https://schema.oparl.org/1.0/Person", "name": "Herr Max Beispiel",
         "familyName": "Beispiel", "givenName": "Max", "formOfAdress": "Herr", "gender": "männlich", "web": ""},
        {"id": people + "293", "type": "https://schema.oparl.org/1.0/Person", "name": "Erika Probe",
         "gender": "<script>alert(1)</script>", "affix": "MdB"},
    ])
    server.add_list(body["paper"], [{
        "id": WUPPERTAL + "oparl/bodies/0001/papers/1", "type": "https://schema.oparl.org/1.0/Paper",
        "name": "Plan", "mainFile": {
            "id": WUPPERTAL + "oparl/bodies/0001/files/1", "type": "https://schema.oparl.org/1.0/File",
            "name": "Plan", "fileName": "../../etc/passwd", "accessUrl": WUPPERTAL + "dokumente/1.pdf",
            "size": 1234, "sha512Checksum": "<script>", "sha1Checksum": "0F777408B06A0D472886910A33412C6C6BCBC6B1"}}])
    for name in ("organization", "meeting"):
        server.add_list(body[name], [])
    return server.local(system["id"])


@pytest.mark.parametrize("contact", [False, True])
def test_person_words_keys_file_names_and_checksums_are_cleaned(tmp_path, contact):
    from importers.publication import Policy

    with FixtureServer(WUPPERTAL) as server:
        run_import(wuppertal_with_person_and_file(server), tmp_path, policy=Policy(publish_contact_data=contact))
        persons = by_source(tmp_path, "persons")
        typo, hostile = (persons[server.local(WUPPERTAL + f"oparl/bodies/0001/people/{n}")] for n in (292, 293))
    body = read_front_matter(next((tmp_path / "bodies").glob("*.md")))
    assert body["ags"] == "05124000" and "rgs" not in body
    assert typo["form_of_address"] == "Herr"
    assert typo.get("gender") == ("male" if contact else None)  # only with PUBLISH_CONTACT_DATA
    assert "gender" not in hostile and hostile["affix"] == "MdB"
    document = read_front_matter(next((tmp_path / "files").glob("*.md")))
    assert document["file_name"] == "passwd"
    assert "sha512" not in document and document["sha1"] == "0f777408b06a0d472886910a33412c6c6bcbc6b1"
    assert document["size"] == 1234
    assert not any("script" in p.read_text(encoding="utf-8") for p in tmp_path.rglob("*.md"))
