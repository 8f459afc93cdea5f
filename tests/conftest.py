"""Shared fixtures, and the test tiers.

Fixtures: the golden mini-site (tests/fixtures/minisite/, a small hand-written council, built once
per session: `mini_content`, `mini_site`), and the demo council as a dump, served over loopback HTTP,
imported and built once (`demo_dump`, `demo_server`, `demo_content`, `demo_site`), and as an SQLite
export written once (`demo_sqlite`; tests that change it change a copy). `texts_read` gives a
new content folder the texts demo_content's import read from the demo's PDFs, for tests that import
the whole demo again but are not about reading texts.

Tiers, as markers set here from what a test uses:
- `browser` (a test takes the `browser` fixture), `apache` (serves through a real Apache),
  `database` (needs the PostgreSQL and MariaDB servers);
- `slow`: a test that takes a fixture of SLOW_FIXTURES (the whole demo council, as dump, import or
  build, or a whole real council: each costs seconds), every test of SLOW_MODULES, and the few
  marked `@pytest.mark.slow` by hand because they cost seconds on their own (the demo written
  through the command line, imports that run into retries and time limits).

`make check` (= `make test-fast`) runs what carries none of these, in under a minute on two cores,
after every change; a test there that needs a few objects of each kind uses the mini-site, not the
demo. `make test` runs everything (CI).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from tests.support.browser import browser  # noqa: F401  (one Chromium for the whole session)
from tests.support.oparl_server import DumpServer

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared" / "oparl-samples"
HUERTGENWALD = SHARED / "oparl-validator-rs" / "test-data" / "cache_huertgenwald"
# The day the demo's meetings are split into past and upcoming; fixed so pages are stable.
DEMO_TODAY = "2026-11-20"


def base_of(folder: Path) -> str:
    system_id = json.loads((folder / "system.json").read_text(encoding="utf-8"))["id"]
    return system_id[: -len("system")]


MINI_SOURCE = PROJECT / "tests" / "fixtures" / "minisite"
# Published as a town would: at a public address, under a base path.
MINI_PUBLIC_URL = "https://ratsinfo.kleinstadt.example/ratsinfo/"
MINI_OVERRIDES = {"RATSINFO_TODAY": DEMO_TODAY, "PUBLIC_URL": MINI_PUBLIC_URL, "BASE_PATH": "/ratsinfo/"}

# Modules that are end-to-end through and through: each import, kill and rebuild there runs the
# whole demo (or Karlsruhe's sample) over HTTP, often twice; test_demo writes the demo again and again.
SLOW_MODULES = {"test_incremental", "test_kill_safety", "test_karlsruhe", "test_demo",
                "test_update"}
# Every other demo_* fixture stands on demo_dump, and demo_sqlite (test_import_sql's sql_demo) is the
# same council as an SQL export: a test that takes one needs the whole demo written (and often imported
# and built). huertgenwald is a whole real council from ../shared, imported over HTTP.
SLOW_FIXTURES = {"demo_written", "demo_dump", "demo_sqlite", "sql_demo", "huertgenwald", "small_city_content"}


def pytest_collection_modifyitems(items):
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        code = getattr(getattr(item, "function", None), "__code__", None)
        names = set(code.co_names) if code else set()
        if "browser" in fixtures:
            item.add_marker(pytest.mark.browser)
        if "apache" in fixtures or "apache_serving" in names:
            item.add_marker(pytest.mark.apache)
        if "scratch_database" in names:
            item.add_marker(pytest.mark.database)
        if item.module.__name__.rsplit(".", 1)[-1] in SLOW_MODULES or SLOW_FIXTURES & fixtures:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory):
    """Resume caches and the importers' private state go to temporary folders, not ~/.cache, ~/.local/state."""
    mp = pytest.MonkeyPatch()
    mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    mp.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))
    mp.delenv("RATSINFO_STATE_DIR", raising=False)
    yield
    mp.undo()


@pytest.fixture(scope="session")
def mini_content(tmp_path_factory) -> Path:
    """A copy of the golden mini-site's content; tests that change it copy it once more."""
    content = tmp_path_factory.mktemp("mini") / "content"
    shutil.copytree(MINI_SOURCE, content)
    return content


@pytest.fixture(scope="session")
def mini_site(mini_content) -> Path:
    """The mini-site built once, with its search index (a tenth of a second at this size)."""
    from ratsinfo.build import build_site

    output = mini_content.parent / "output"
    build_site(mini_content, output, overrides=MINI_OVERRIDES)
    return output


@pytest.fixture(scope="session")
def demo_written(tmp_path_factory) -> tuple[Path, dict]:
    """The demo dump written once for the session, with write_demo's counts (tests/test_demo.py
    checks both). Tests that change a dump change a copy."""
    from ratsinfo.demo import write_demo

    folder = tmp_path_factory.mktemp("demo-oparl")
    return folder, write_demo(folder)


@pytest.fixture(scope="session")
def demo_dump(demo_written) -> Path:
    return demo_written[0]


@pytest.fixture(scope="session")
def demo_sqlite(tmp_path_factory) -> Path:
    """The demo as an SQLite export (ratsinfo.demo.write_demo_sqlite), written once for the session:
    two seconds of CPU each time. Tests that change the database change a copy (copy_of)."""
    from ratsinfo.demo import write_demo_sqlite

    path = tmp_path_factory.mktemp("demo-sqlite") / "muldenau.sqlite"
    write_demo_sqlite(path)
    written = hashlib.sha256(path.read_bytes()).hexdigest()
    yield path
    # The tests run as root in CI, where a read-only mode would not stop a write: compare instead.
    changed = hashlib.sha256(path.read_bytes()).hexdigest() != written
    assert not changed, "ein Test hat demo_sqlite statt einer Kopie geändert"


def copy_of(path: Path, target: Path) -> Path:
    """A writable copy of a shared file (demo_sqlite) at `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, target)
    return target


@pytest.fixture(scope="session")
def demo_server(demo_dump):
    with DumpServer(demo_dump, base_of(demo_dump)) as server:
        yield server


@pytest.fixture(scope="session")
def demo_content(demo_server, tmp_path_factory) -> Path:
    from importers.oparl import import_oparl

    content = tmp_path_factory.mktemp("demo-content")
    # The hand-written pages (Impressum …) sit beside imported data, as in the checkout.
    shutil.copytree(PROJECT / "content" / "pages", content / "pages")
    import_oparl(demo_server.url + "system", content, show_progress=False)
    return content


@pytest.fixture(scope="session")
def demo_texts(demo_content) -> Path:
    """The texts the import of demo_content read from the demo's PDFs: the importer's private text
    cache (importers/files.read_text, kept by the sha256 of a file's bytes)."""
    from importers.content import TEXT_CACHE
    from importers.state import state_path

    cache = state_path(demo_content) / TEXT_CACHE
    assert any(cache.rglob("*.json")), f"kein Textspeicher in {cache}"
    return cache


@pytest.fixture(scope="session")
def texts_read(demo_texts):
    """texts_read(content) -> content: a new content folder starts with the demo's texts already read,
    as if an earlier import had read them. For tests of fetching, retries and increments that import
    the whole demo: they need not run pdftotext (and OCR) on its 400 PDFs again, which demo_content
    does for real. Not for tests of reading texts (limits, OCR) or of the text cache itself.
    `state_home`: the XDG_STATE_HOME of the importing process, where it is not this one's."""
    from importers.content import TEXT_CACHE
    from importers.state import state_dir

    def seed(content: Path, state_home: Path | None = None) -> Path:
        with pytest.MonkeyPatch.context() as env:
            if state_home is not None:
                env.setenv("XDG_STATE_HOME", str(state_home))
            shutil.copytree(demo_texts, state_dir(content) / TEXT_CACHE)
        return content

    return seed


@pytest.fixture(scope="session")
def small_city_content(tmp_path_factory) -> Path:
    """The demo town grown to 80 papers instead of the Muldenau demo (ratsinfo.demo.write_demo with
    papers): every kind of object, terms and committees over several years, documents with their
    text instead of PDFs, about a third of the demo's pages. For tests that build many times and
    need a whole council's shape rather than the demo's own records."""
    from importers.oparl import import_oparl
    from ratsinfo.demo import write_demo

    folder = tmp_path_factory.mktemp("small-city")
    write_demo(folder / "dump", papers=80)
    content = folder / "content"
    shutil.copytree(PROJECT / "content" / "pages", content / "pages")
    import_oparl(str(folder / "dump"), content, show_progress=False)
    return content


@pytest.fixture(scope="session")
def demo_site(demo_content, tmp_path_factory) -> Path:
    from ratsinfo.build import build_site

    output = tmp_path_factory.mktemp("demo-site") / "output"
    # Served under /ratsinfo/ in the browser and Apache tests, like an intranet mirror.
    build_site(demo_content, output, overrides={"RATSINFO_TODAY": DEMO_TODAY, "BASE_PATH": "/ratsinfo/"})
    return output


@pytest.fixture(scope="session")
def huertgenwald() -> Path:
    if not (HUERTGENWALD / "system.json").is_file():
        pytest.skip("../shared/oparl-samples fehlt: Hürtgenwald-Daten nicht verfügbar")
    return HUERTGENWALD
