"""A killed import or build loses nothing and leaves nothing behind: the next run ends exactly
where an uninterrupted run ends, and no staging folder or file that no run owns remains.

Each run is a real process (`python -m ratsinfo.cli import …`, `ratsinfo.build.build_site`)
killed with SIGKILL at a named point (ratsinfo/killpoints.py), as a power cut or the OOM
killer would: no `finally` runs. The source changes between the killed run and the next one
(a paper that only the killed run saw disappears again, a renamed meeting gets its old name
back), so whatever the killed run wrote must be owned by someone to be taken back.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from importers.content import LOCK_FILE, STAGING_PREFIX, STATE_DIR, STATE_FILE
from importers.records import KINDS
from plugins.council.reuse.fingerprints import STATE_FILE as BUILD_STATE
from ratsinfo.contracts import OPENDATA_STATE
from ratsinfo.killpoints import ENVIRONMENT
from tests.conftest import DEMO_TODAY, PROJECT, base_of
from ratsinfo.manifest import MANIFEST, verify_manifest
from tests.test_incremental import indexed, manifest_of, tree

# Written by every run with its own time and counts: a report of the run, not content.
RUN_NOTES = {"last-import-report.json"}
# The run's time as content ("Stand der Daten", docs/content-format.md): differs by run, too.
RUN_DATE = "site.yaml"
BUILD = ("import sys; from ratsinfo.build import build_site; "
         f"build_site(sys.argv[1], sys.argv[2], overrides={{'RATSINFO_TODAY': {DEMO_TODAY!r}}})")


# -- the source: the demo council (A), and two later states of it (B, C) ----------------------

def _edit_objects(folder: Path, edit):
    """Apply `edit` to every OParl object (listed, embedded or in its own file) of a dump;
    `edit` returns False to drop the object, and every reference to it."""
    dropped: set[str] = set()

    def walk(value):
        if isinstance(value, dict):
            if isinstance(value.get("id"), str) and edit(value) is False:
                dropped.add(value["id"])
                return None
            return {k: w for k, v in value.items() if (w := walk(v)) is not None}
        if isinstance(value, list):
            return [w for w in map(walk, value) if w is not None]
        return None if value in dropped else value

    for path in sorted(folder.rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("id") and edit(copy.deepcopy(data)) is False:
            path.unlink()
            continue
        edited = walk(copy.deepcopy(data))
        if edited != data:
            path.write_text(json.dumps(edited, ensure_ascii=False), encoding="utf-8")


def _add_paper(folder: Path, base: str, number: int, name: str, pdf_of: int):
    papers = folder / "bodies" / "1" / "papers.json"
    listing = json.loads(papers.read_text(encoding="utf-8"))
    model = listing["data"][0]
    paper = {key: model[key] for key in ("type", "body", "date", "paperType", "created", "modified")}
    main_file = {key: model["mainFile"][key] for key in ("type", "name", "mimeType", "date", "created", "modified")}
    main_file.update(id=f"{base}bodies/1/files/{number}", accessUrl=f"{base}documents/{number}.pdf",
                     downloadUrl=f"{base}documents/{number}.pdf", fileName=f"{number}.pdf")
    paper.update(id=f"{base}bodies/1/papers/{number}", name=name, reference=f"VO/2026/{number}", mainFile=main_file)
    listing["data"].append(paper)
    papers.write_text(json.dumps(listing, ensure_ascii=False), encoding="utf-8")
    (folder / "bodies" / "1" / "papers" / f"{number}.json").write_text(json.dumps(paper, ensure_ascii=False),
                                                                        encoding="utf-8")
    shutil.copyfile(folder / "documents" / f"{pdf_of}.pdf", folder / "documents" / f"{number}.pdf")


def _later_state(demo: Path, folder: Path, *, killed_run: bool) -> Path:
    """C: a new paper, a file with new bytes, an attachment withdrawn. B (the state the killed
    run saw) also has a paper and a meeting name that C no longer has."""
    shutil.copytree(demo, folder)
    base = base_of(folder)
    _add_paper(folder, base, 9002, "Neue Vorlage zum Radwegenetz", pdf_of=5)
    new_bytes = (folder / "documents" / "4.pdf").read_bytes()
    (folder / "documents" / "1.pdf").write_bytes(new_bytes)

    def edit(obj):
        if obj["id"] == f"{base}bodies/1/files/2":
            return False
        if obj["id"] == f"{base}bodies/1/files/1":
            obj.update(size=len(new_bytes), sha512Checksum=hashlib.sha512(new_bytes).hexdigest(),
                       modified="2026-11-19T10:00:00+01:00")
        if killed_run and obj["id"] == f"{base}bodies/1/meetings/3":
            obj["name"] = "Sondersitzung, nur im abgebrochenen Lauf"
        return True

    _edit_objects(folder, edit)
    if killed_run:
        _add_paper(folder, base, 9001, "Vorlage, die nur der abgebrochene Lauf sah", pdf_of=3)
    return folder


@pytest.fixture(scope="module")
def sources(demo_dump, tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("sources")
    return {"A": demo_dump,
            "B": _later_state(demo_dump, root / "B", killed_run=True),
            "C": _later_state(demo_dump, root / "C", killed_run=False)}


# -- runs as processes ----------------------------------------------------------------------

def _run(args: list[str], home: Path, kill_at: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(PROJECT), "HOME": str(home),
           "XDG_CACHE_HOME": str(home / "cache"), "XDG_STATE_HOME": str(home / "state")}
    env.pop(ENVIRONMENT, None)
    if kill_at:
        env[ENVIRONMENT] = kill_at
    done = subprocess.run([sys.executable, *args], env=env, cwd=PROJECT, capture_output=True, text=True)
    if kill_at:
        assert done.returncode == -signal.SIGKILL, f"nicht bei {kill_at} beendet:\n{done.stdout}\n{done.stderr}"
    else:
        assert done.returncode == 0, done.stderr
    return done


def _import(source: Path, content: Path, home: Path, kill_at: str | None = None):
    _run(["-m", "ratsinfo.cli", "import", "oparl", str(source), "--content", str(content)], home, kill_at)


def _build(content: Path, output: Path, home: Path, kill_at: str | None = None):
    _run(["-c", BUILD, str(content), str(output)], home, kill_at)


# -- what must hold after the next run --------------------------------------------------------

def content_tree(content: Path) -> dict[str, bytes]:
    return {path: _without_history(data) for path, data in tree(content).items()
            if path != RUN_DATE and not _VERSION_TEXT.search(path)
            and not (path.startswith(f"{STATE_DIR}/") and (path.split("/")[-1] in RUN_NOTES or path.endswith(".sqlite")))}


# The change record (importers/changes.py) is history: what a killed run had already applied was
# content that may have been built and seen, and the next run notes its changes from there. So the
# record and old versions' texts may differ from an uninterrupted run; everything else may not.
_VERSION_TEXT = re.compile(r"\.v[0-9]+\.txt$")
_HISTORY = re.compile(rb"\n(?:changes|versions):\n.*?(?=\n---\n$)", re.S)


def _without_history(data: bytes) -> bytes:
    return _HISTORY.sub(b"", data) if data.startswith(b"---\n") else data


def unowned_content(content: Path) -> list[str]:
    """Files in the importers' folders that the import state does not name: no run would ever
    update or delete them."""
    state = json.loads((content / STATE_DIR / STATE_FILE).read_text(encoding="utf-8"))
    owned = {path for paths in state["owned"].values() for path in paths}
    present = {p.relative_to(content).as_posix() for folder in KINDS.values()
               for p in (content / folder).rglob("*") if p.is_file()}
    return sorted(present - owned)


def leftovers(root: Path, allowed: set[str]) -> list[str]:
    """Staging folders and temporary files (dot-names, except those that belong there)."""
    return sorted(rel.as_posix() for rel in (p.relative_to(root) for p in root.rglob("*"))
                  if any(part.startswith((".", STAGING_PREFIX)) and part not in allowed for part in rel.parts))


@pytest.fixture(scope="module")
def imported(sources, tmp_path_factory, texts_read) -> dict[str, Path]:
    """content/ after uninterrupted imports: of A; of A, then C; of A, then B. A's import starts
    with the demo's texts read (texts_read): reading PDFs is not what is killed here, and C and B
    read only their new files (the killed runs too, without that cache)."""
    root = tmp_path_factory.mktemp("imported")
    home = root / "home"
    texts_read(root / "A", state_home=home / "state")
    # Hand-written pages beside imported data, as in the checkout: Pelican writes them (build:page).
    shutil.copytree(PROJECT / "content" / "pages", root / "A" / "pages")
    _import(sources["A"], root / "A", home)
    shutil.copytree(root / "A", root / "C")
    _import(sources["C"], root / "C", home)
    shutil.copytree(root / "A", root / "B")
    _import(sources["B"], root / "B", home)
    return {"A": root / "A", "B": root / "B", "C": root / "C"}


@pytest.mark.parametrize("kill_at", [
    "import:before-staging:1",
    "import:staged-file:2",
    "import:applied-file:1",
    "import:applied-file:9",
    "import:before-state:1",
])
def test_a_killed_import_is_completed_by_the_next_run_without_leftovers(kill_at, sources, imported, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(imported["A"], content)
    _import(sources["B"], content, tmp_path, kill_at=kill_at)
    _import(sources["C"], content, tmp_path)

    assert unowned_content(content) == []
    assert leftovers(content, allowed={STATE_DIR}) == [], "Zwischenstände blieben liegen"
    expected, got = content_tree(imported["C"]), content_tree(content)
    assert sorted(p for p in expected.keys() | got.keys() if expected.get(p) != got.get(p)) == []


def test_the_source_changes_reach_content_so_the_comparison_means_something(imported):
    a, b, c = (content_tree(imported[k]) for k in "ABC")
    only_b = sorted(b.keys() - a.keys() - c.keys())
    assert any(p.startswith("papers/") for p in only_b), only_b
    assert b[next(p for p in b if p.startswith("meetings/3."))] != c[next(p for p in c if p.startswith("meetings/3."))]
    assert sorted(a.keys() - c.keys()), "C hat nichts gelöscht"


def site_tree(output: Path) -> dict[str, bytes]:
    """Every file of the site. The build state's fingerprints contain the stamps (inode, mtime)
    of the content files, which differ between two copies of the same content: of the build
    state, what it names is compared."""
    files = tree(output)
    state = json.loads(files.pop(BUILD_STATE))
    files[BUILD_STATE] = json.dumps([state["stand"], sorted(state["pages"]), state["attachments"]]).encode()
    # The dumps' state names where each document text lies by its file's stamps too (a table's
    # "inputs", plugins/opendata/generator.table_inputs): of it, the tables' rows are compared.
    dumps = json.loads(files.pop(OPENDATA_STATE))
    for table in dumps.get("tables", {}).values():
        table.pop("inputs", None)
    files[OPENDATA_STATE] = json.dumps(dumps, sort_keys=True).encode()
    files[MANIFEST] = manifest_of(files[MANIFEST], set(files) - {BUILD_STATE, OPENDATA_STATE})
    return files


def _sync(source: Path, target: Path):
    """Make `target` hold `source`'s files, writing only those whose bytes differ (as an import does)."""
    wanted = {p.relative_to(source): p for p in source.rglob("*") if p.is_file()}
    for rel, path in wanted.items():
        goal = target / rel
        if not goal.is_file() or goal.read_bytes() != path.read_bytes():
            goal.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, goal)
    for path in [p for p in target.rglob("*") if p.is_file() and p.relative_to(target) not in wanted]:
        path.unlink()


@pytest.fixture(scope="module")
def built(imported, tmp_path_factory) -> Path:
    """output/ after an uninterrupted build of A, then of C."""
    root = tmp_path_factory.mktemp("built")
    content = root / "content"
    shutil.copytree(imported["A"], content)
    _build(content, root / "site" / "output", root)
    _sync(imported["C"], content)
    _build(content, root / "site" / "output", root)
    return root / "site" / "output"


@pytest.mark.parametrize("kills", [
    ["build:page:1"],
    ["build:overlay-move:5"],
    ["build:overlay-move:5", "build:swap:1"],
])
def test_a_killed_build_is_repaired_by_the_next_build_without_leftovers(kills, imported, built, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(imported["A"], content)
    output = tmp_path / "site" / "output"
    _build(content, output, tmp_path)
    _sync(imported["B"], content)
    _build(content, output, tmp_path, kill_at=kills[0])
    _sync(imported["C"], content)
    for kill_at in kills[1:]:
        _build(content, output, tmp_path, kill_at=kill_at)
    _build(content, output, tmp_path)

    assert sorted(p.name for p in output.parent.iterdir()) == ["output"], "Zwischenordner blieben liegen"
    assert leftovers(output, allowed={".htaccess"}) == []
    expected, got = site_tree(built), site_tree(output)
    assert sorted(p for p in expected.keys() | got.keys() if expected.get(p) != got.get(p)) == []
    assert indexed(output) == indexed(built)
    assert verify_manifest(output)[1] == []


def test_a_second_import_into_the_same_content_stops_and_leaves_the_running_imports_staging_alone(imported, tmp_path):
    """Two imports into one content/ (cron and a webmaster): the second stops with a message and
    deletes nothing; the staging folder belongs to the run that holds the lock."""
    from importers.content import ContentWriter
    from importers.errors import ImportFailed
    from importers.report import Report
    from ratsinfo.locking import exclusive

    content = tmp_path / "content"
    shutil.copytree(imported["A"], content)
    running = content / STATE_DIR / "staging-laufender-import"
    running.mkdir()
    (running / "17.pdf").write_bytes(b"%PDF-1.4 halb geladen")
    before = content_tree(content)
    with exclusive(content / STATE_DIR / LOCK_FILE):  # as a running import holds it
        with pytest.raises(ImportFailed, match="schreibt gerade ein anderer Import"):
            ContentWriter(content, "https://example.org/oparl", Report()).write([])
    assert (running / "17.pdf").is_file()
    assert content_tree(content) == before


def test_a_staging_folder_that_no_running_import_holds_is_removed(sources, imported, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(imported["A"], content)
    stale = content / STATE_DIR / "staging-abgebrochen"
    stale.mkdir()
    (stale / "17.pdf").write_bytes(b"%PDF-1.4 halb geladen")
    (content / STATE_DIR / ".tmp-state").write_bytes(b"{")
    _import(sources["A"], content, tmp_path)
    assert leftovers(content, allowed={STATE_DIR}) == []
    assert content_tree(content) == content_tree(imported["A"])


def test_a_build_removes_what_builds_killed_before_it_left_beside_and_in_output(imported, tmp_path):
    from ratsinfo.build import build_site

    content = tmp_path / "content"
    shutil.copytree(imported["A"], content)
    output = tmp_path / "site" / "output"
    build_site(content, output, overrides={"RATSINFO_TODAY": DEMO_TODAY, "PAGEFIND": False})
    for leftover in (output.parent / ".output.neu-4711", output.parent / ".output.alt-4712",
                     output.parent / ".output.neu-4711.pagefind-x1", output / ".pagefind.alt-4713"):
        (leftover / "sitzungen").mkdir(parents=True)
        (leftover / "sitzungen" / "1.html").write_text("alt", encoding="utf-8")
    unrelated = output.parent / ".andere-seite.neu-1"  # another site's folder is none of ours
    unrelated.mkdir()
    build_site(content, output, overrides={"RATSINFO_TODAY": DEMO_TODAY, "PAGEFIND": False})
    assert sorted(p.name for p in output.parent.iterdir()) == [".andere-seite.neu-1", "output"]
    assert leftovers(output, allowed={".htaccess"}) == []


def test_while_an_overlay_is_applied_output_claims_no_build_and_keeps_its_redirect_history(imported, tmp_path):
    """A build killed while moving files into output/ leaves pages of two builds. Without a build
    state the next build trusts none of them and builds from nothing; the permalinks from which
    redirects are made stay those of the last complete build until the very end."""
    content = tmp_path / "content"
    shutil.copytree(imported["A"], content)
    output = tmp_path / "site" / "output"
    _build(content, output, tmp_path)
    history = (output / "_ratsinfo" / "permalinks.json").read_bytes()
    assert (output / MANIFEST).is_file()
    _sync(imported["B"], content)
    _build(content, output, tmp_path, kill_at="build:overlay-move:1")

    assert not (output / MANIFEST).exists(), "SHA256SUMS gäbe halb verschobene Seiten als den alten Build aus"
    assert not (output / BUILD_STATE).exists()
    assert not (output / "_ratsinfo" / "search-state.json").exists()
    assert (output / "_ratsinfo" / "permalinks.json").read_bytes() == history


def test_a_build_killed_before_its_manifest_leaves_none_and_the_next_build_writes_a_true_one(imported, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(imported["A"], content)
    output = tmp_path / "site" / "output"
    _build(content, output, tmp_path)
    _sync(imported["C"], content)
    _build(content, output, tmp_path, kill_at="build:before-manifest:1")
    assert not (output / MANIFEST).exists()
    assert verify_manifest(output) is None

    _build(content, output, tmp_path)
    assert verify_manifest(output)[1] == []
    assert leftovers(output, allowed={".htaccess"}) == []
