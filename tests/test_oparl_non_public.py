"""Non-public data stays closed: in content/, in the importer's private state, across incremental runs.

The source is a small OParl 1.1 council on 127.0.0.1 ("Musterstadt"), written
out here because no real server sends exactly these hostile values together:
`public` as a string or a number, a Sternberg-style heading before items
without `public` (research/oparl.md S19), a paper that answers 401 (M13,
Karlsruhe), contact data and private addresses of persons.
"""

from __future__ import annotations

import json
import sqlite3
import stat
from pathlib import Path

import pytest

from tests.test_oparl_quirks import FixtureServer, by_source, problems_of, run_import

MUSTER = "https://ris.musterstadt.example/"
API = MUSTER + "oparl/"
V11 = "https://schema.oparl.org/1.1/"
FIRST_RUN = "2026-03-01T10:00:00+01:00"
LATER = "2026-03-08T10:00:00+01:00"
LISTS = ("organization", "person", "meeting", "paper", "agendaItem", "consultation", "file")


def oparl(kind: str, path: str, **fields) -> dict:
    return {"id": API + path, "type": V11 + kind, "created": FIRST_RUN, "modified": FIRST_RUN, **fields}


def item(n: int, name: str, **fields) -> dict:
    fields = {"number": str(n), **fields}
    return oparl("AgendaItem", f"agendaitems/{n}", meeting=API + "meetings/1", order=n, name=name, **fields)


class Musterstadt(FixtureServer):
    """System, Body, council, one meeting with the given agenda; every Body list in OParl 1.1 form."""

    def __init__(self, items: list[dict], **lists: list[dict]):
        super().__init__(MUSTER)
        self.system = oparl("System", "system", oparlVersion=V11, name="Musterstadt", body=API + "bodies")
        self.body = oparl("Body", "bodies/1", system=self.system["id"], name="Stadt Musterstadt",
                          legislativeTerm=[], **{name: API + f"lists/{name}" for name in LISTS})
        self.add(self.system["id"], self.system)
        self.add_list(self.system["body"], [self.body])
        council = oparl("Organization", "organizations/1", name="Stadtrat", organizationType="Gremium")
        self.lists = {"organization": [council], "person": [], "paper": [], "consultation": [], "file": [],
                      **lists}
        self.set_agenda(items)

    def set_agenda(self, items: list[dict]):
        meeting = oparl("Meeting", "meetings/1", name="5. Sitzung des Stadtrates",
                        start="2026-02-26T16:00:00+01:00", organization=[API + "organizations/1"], agendaItem=items)
        self.lists.update(meeting=[meeting], agendaItem=items)
        for name in LISTS:
            self.add_list(self.body[name], self.lists[name])

    def changes_only(self, **changed: list[dict]):
        """What the server answers to `modified_since`: only the changed objects, per list."""
        for name in LISTS:
            objects = changed.get(name, [])
            self.add(self.body[name], {"data": objects, "pagination": {"totalElements": len(objects)},
                                       "links": {}}, filtered=True)

    @property
    def entry(self) -> str:
        return self.local(self.system["id"])


def agenda_of(content: Path, server: Musterstadt) -> list[dict]:
    return by_source(content, "meetings")[server.local(API + "meetings/1")]["agenda"]


def every_byte(folder: Path) -> bytes:
    return b"\n".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


@pytest.fixture(autouse=True)
def state_dir(tmp_path, monkeypatch) -> Path:
    """The importer's private state of this test, to look into."""
    folder = tmp_path / "state"
    monkeypatch.setenv("RATSINFO_STATE_DIR", str(folder))
    return folder


# -- AgendaItem.public: only an explicit true publishes ---------------------------


def test_agenda_item_public_that_is_not_a_json_boolean_is_withheld_and_reported(tmp_path):
    doubtful = {2: "false", 3: 0, 4: "0", 5: "nein", 6: 1}
    items = [item(1, "Bürgerfragestunde", public=True), item(7, "Bericht des Bürgermeisters", public="true")]
    items += [item(n, f"Geheimsache Nummer {n}", public=value, resolutionText=f"Vertraulicher Beschluss {n}")
              for n, value in doubtful.items()]
    content = tmp_path / "content"
    with Musterstadt(items) as server:
        report = run_import(server.entry, content)
        agenda = {entry["number"]: entry for entry in agenda_of(content, server)}
        problems = problems_of(report)
        for n, value in doubtful.items():
            problem = problems[f"Unklarer Wert {value!r} in AgendaItem.public (als nichtöffentlich behandelt)"]
            assert problem["examples"] == [server.local(API + f"agendaitems/{n}")]
    assert agenda["1"]["public"] is True and agenda["7"]["public"] is True
    assert agenda["7"]["name"] == "Bericht des Bürgermeisters"
    for n in doubtful:
        assert agenda[str(n)] == {"id": agenda[str(n)]["id"], "source": agenda[str(n)]["source"],
                                  "number": str(n), "public": False}
    written = every_byte(content)
    assert b"Geheimsache" not in written and b"Vertraulicher Beschluss" not in written


def test_the_sql_and_oparl_importers_share_one_publicity_rule():
    """Only an explicit yes publishes; any other value withholds, and is reported unless it is a clear no."""
    from importers.publication import public_flag
    from importers.report import Report
    from importers.sql.convert import to_bool

    report = Report()
    assert public_flag(True, report, "top-1", "AgendaItem.public") is True
    assert public_flag("true", report, "top-2", "AgendaItem.public") is True
    assert public_flag(False, report, "top-3", "AgendaItem.public") is False
    assert public_flag(None, report, "top-4", "AgendaItem.public") is False
    assert public_flag("nein", report, "top-5", "AgendaItem.public") is False
    assert public_flag("ja", report, "row-6", "der Freigabe-Spalte", meaning=to_bool) is True
    assert public_flag("nein", report, "row-7", "der Freigabe-Spalte", meaning=to_bool) is False
    assert public_flag("vielleicht", report, "row-8", "der Freigabe-Spalte", meaning=to_bool) is False
    assert dict(report.problem_counts) == {
        "Unklarer Wert 'nein' in AgendaItem.public (als nichtöffentlich behandelt)": 1,
        "Unklarer Wert 'vielleicht' in der Freigabe-Spalte (als nichtöffentlich behandelt)": 1,
    }


# -- once withheld, withheld until the source says otherwise ----------------------


def sternberg_style_agenda(last_name: str, **last_fields) -> list[dict]:
    """Headings split the agenda; the items under them carry no `public` (research/oparl.md S19)."""
    return [
        item(1, "Öffentliche Sitzung", number="A"),
        item(2, "Sanierung der Grundschule"),
        item(3, "Nichtöffentliche Sitzung", number="B"),
        item(4, last_name, **last_fields),
    ]


def test_incremental_answer_with_only_the_changed_item_keeps_it_withheld(tmp_path):
    content = tmp_path / "content"
    with Musterstadt(sternberg_style_agenda("Grundstücksangelegenheit")) as server:
        run_import(server.entry, content)
        assert [entry["public"] for entry in agenda_of(content, server)] == [True, True, False, False]
        # The item under the heading changes; the server sends it alone, without its meeting.
        changed = item(4, "Verkauf Flurstück 12 an Familie Geheim", modified=LATER,
                       resolutionText="Kaufpreis 480.000 Euro")
        server.changes_only(agendaItem=[changed])
        report = run_import(server.entry, content)
        agenda = agenda_of(content, server)
    assert report.mode.startswith("inkrementell")
    assert [entry["public"] for entry in agenda] == [True, True, False, False]
    written = every_byte(content)
    assert b"Familie Geheim" not in written and b"480.000" not in written


def test_withheld_item_becomes_public_only_when_the_source_says_so(tmp_path):
    content = tmp_path / "content"
    agenda = [item(1, "Haushaltssatzung 2026"), item(2, "Personalangelegenheit", public=False)]
    with Musterstadt(agenda) as server:
        run_import(server.entry, content)
        # The server forgets the flag: nothing says the item is public now.
        server.changes_only(agendaItem=[item(2, "Personalangelegenheit Meier", modified=LATER)])
        run_import(server.entry, content)
        assert [entry["public"] for entry in agenda_of(content, server)] == [True, False]
        assert b"Meier" not in every_byte(content)
        # Even a full run does not publish it without an explicit true.
        server.set_agenda([agenda[0], item(2, "Personalangelegenheit Meier", modified=LATER)])
        run_import(server.entry, content, full=True)
        assert [entry["public"] for entry in agenda_of(content, server)] == [True, False]
        server.changes_only(agendaItem=[item(2, "Ernennung der Amtsleiterin", public=True,
                                             modified="2026-03-15T10:00:00+01:00")])
        run_import(server.entry, content)
        published = agenda_of(content, server)
    assert [entry["public"] for entry in published] == [True, True]
    assert published[1]["name"] == "Ernennung der Amtsleiterin"


# -- the importer's private state -------------------------------------------------

SECRETS = ("geheim@example.org", "0171 5550199", "Privatweg 7", "Anhang nur für den Rat",
           "Vorberatung im Ältestenrat", "Zurückgezogene Vorlage")


def council_with_secrets() -> Musterstadt:
    """Contact data and a home address, a file only a non-public item links, a paper the server
    took back (401 without tombstone, research/oparl.md M13) whose consultation stays in the list."""
    home = oparl("Location", "locations/9", streetAddress="Privatweg 7", locality="Musterstadt")
    person = oparl("Person", "persons/1", name="Erika Muster", email=["geheim@example.org"],
                   phone=["0171 5550199"], locationObject=home)
    secret_file = oparl("File", "files/1", name="Anlage", accessUrl=API + "documents/1.pdf",
                        text="Anhang nur für den Rat")
    withdrawn = API + "papers/9"
    consultation = oparl("Consultation", "consultations/9", paper=withdrawn, meeting=API + "meetings/1",
                         agendaItem=API + "agendaitems/1", role="Vorberatung im Ältestenrat")
    items = [item(1, "Bericht zur Lage", consultation=consultation["id"]),
             item(2, "Vertragsangelegenheit", public=False, auxiliaryFile=[secret_file])]
    server = Musterstadt(items, person=[person], consultation=[consultation])
    server.add(withdrawn, {"error": "Zurückgezogene Vorlage: nicht öffentlich"}, 401)
    return server


def test_private_state_lives_outside_content_and_holds_nothing_the_rule_rejects(tmp_path, state_dir):
    content = tmp_path / "content"
    with council_with_secrets() as server:
        report = run_import(server.entry, content)
    assert report.problem_counts["Verlinktes Objekt nicht abrufbar (HTTP 401)"] == 1
    assert not [p for p in content.rglob("*") if p.suffix in (".sqlite", ".tmp")]
    stores = [p for p in state_dir.rglob("*") if p.is_file()]
    assert stores
    for folder in [state_dir, *(p for p in state_dir.rglob("*") if p.is_dir())]:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    for place in (content, state_dir):
        written = every_byte(place)
        for secret in SECRETS:
            assert secret.encode() not in written, (place, secret)


def test_state_of_two_content_folders_is_kept_apart(tmp_path, state_dir):
    with Musterstadt([item(1, "Haushalt")]) as server:
        run_import(server.entry, tmp_path / "a")
        run_import(server.entry, tmp_path / "b")
    assert len([p for p in state_dir.iterdir() if p.is_dir()]) == 2


def test_old_store_in_content_is_replaced_by_the_private_one(tmp_path, state_dir):
    from importers.oparl import remember as store

    content = tmp_path / "content"
    with council_with_secrets() as server:
        run_import(server.entry, content)
        # A store as earlier versions kept it in content/.ratsinfo/, with contact data.
        current = next(p for p in state_dir.rglob("oparl-*.sqlite"))
        legacy = store.legacy_store_path(content, server.entry)
        legacy.write_bytes(current.read_bytes())
        current.unlink()
        with sqlite3.connect(legacy) as db:
            db.execute("UPDATE objects SET data = ? WHERE type = 'Person'",
                       (json.dumps({"id": server.local(API + "persons/1"), "email": ["geheim@example.org"]}),))
        report = run_import(server.entry, content)
    assert report.mode == "vollständig"
    assert not legacy.exists()
    assert b"geheim@example.org" not in every_byte(state_dir) + every_byte(content)


# -- a public paper consulted in a non-public item ---------------------------------


def test_paper_consulted_in_non_public_item_shows_only_that_it_was_discussed(tmp_path):
    paper = oparl("Paper", "papers/1", name="Ankauf des Bahnhofsgebäudes", reference="VO/2026/0001",
                  consultation=[oparl("Consultation", "consultations/1", meeting=API + "meetings/1",
                                      agendaItem=API + "agendaitems/2", role="Beratung über Kaufpreis",
                                      authoritative=True, organization=[API + "organizations/1"])])
    agenda = [item(1, "Einwohnerfragestunde"),
              item(2, "Ankauf des Bahnhofsgebäudes: Kaufpreisverhandlung", public=False,
                   consultation=API + "consultations/1")]
    content = tmp_path / "content"
    with Musterstadt(agenda, paper=[paper]) as server:
        run_import(server.entry, content)
        written = by_source(content, "papers")[server.local(paper["id"])]
        meeting = by_source(content, "meetings")[server.local(API + "meetings/1")]
    assert written["consultations"] == [{"source": server.local(API + "consultations/1"),
                                         "meeting": meeting["id"], "organizations": ["1"], "public": False}]
    assert b"Kaufpreis" not in every_byte(content)


def test_broken_private_state_stops_the_import_with_a_clear_message(tmp_path, state_dir):
    """It remembers which items were withheld; guessing without it could open one."""
    from importers.errors import ImportFailed

    content = tmp_path / "content"
    with Musterstadt([item(1, "Haushalt"), item(2, "Personalsache", public=False)]) as server:
        run_import(server.entry, content)
        before = every_byte(content)
        next(state_dir.rglob("oparl-*.sqlite")).write_bytes(b"kein SQLite " * 100)
        with pytest.raises(ImportFailed, match="beschädigt.*löschen"):
            run_import(server.entry, content, full=True)
    assert every_byte(content) == before


def test_withheld_mark_outlives_a_run_without_its_meeting(tmp_path):
    content = tmp_path / "content"
    with Musterstadt([item(1, "Haushalt"), item(2, "Personalsache", public=False)]) as server:
        run_import(server.entry, content)
        # For one run the server has lost the meeting (the town let it go, with --force).
        server.add_list(server.body["meeting"], [])
        server.add_list(server.body["agendaItem"], [])
        run_import(server.entry, content, full=True, force=True)
        assert not list((content / "meetings").glob("*.md"))
        # It comes back, the item without its flag.
        server.set_agenda([item(1, "Haushalt"), item(2, "Personalsache Meier")])
        run_import(server.entry, content, full=True)
        agenda = agenda_of(content, server)
    assert [entry["public"] for entry in agenda] == [True, False]
    assert b"Meier" not in every_byte(content)
