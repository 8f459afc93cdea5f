"""A third-party OParl client reads our static API: Meine Stadt Transparent (MST) 0.2.14 imports
the demo council from a plain web server and from Apache with the generated .htaccess, and its
database then holds as many objects of each kind as our content/.

MST runs in its own venv, never in the project's: tests/support/mst_env.sh installs it into a
cache folder that outlives the test run (~/.cache/ratsinfo-ci/, or RATSINFO_MST_ENV). .ci/run
calls the script before the tests; the fixture here calls it too, so that a developer's `make test`
works the same way (the first time it takes one to two minutes, later nothing). Where it cannot
install (no network, Debian packages missing and not root) the tests skip with the script's
reason; under CI they fail instead, as the Apache tests do without Apache.

One build of the demo serves both runs: it is built for http://127.0.0.1:PORT/ratsinfo/, and the
loopback server and then Apache listen on that port in turn. MST leaves the machine for nothing:
`--skip-body-extra` (no map data), `--skip-files` (no download into its object store; MST reads
files only embedded in papers and meetings, which carry no `text`, and would extract it from the
download: docs/opendata.md), an `--ags` of our choice (no Wikidata lookup), and its geocoder points
at the served site, where it finds nothing.
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import tempfile
from pathlib import Path

import pytest

from importers.content import read_front_matter
from ratsinfo.build import build_site
from tests.conftest import DEMO_TODAY, PROJECT
from tests.support.loopback import FolderServer

pytestmark = pytest.mark.slow

SCRIPT = PROJECT / "tests" / "support" / "mst_env.sh"
# Read when the module is collected: the session fixture private_cache points XDG_CACHE_HOME at a
# temporary folder, and MST would be installed anew in every run.
MST_ENV = Path(os.environ.get("RATSINFO_MST_ENV") or Path(
    os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ratsinfo-ci" / "mst-0.2.14")
# MST's table (mainapp_<kind>) for each kind, and what MST itself calls a defect of the server.
KINDS = ("body", "legislativeterm", "organization", "person", "membership", "meeting", "agendaitem",
         "paper", "consultation", "file")
COMPLAINTS = ("bug in the OParl implementation", "THIS IS BAD", "Mismatch between url and id", "Traceback")
# MST saves object by object, and SQLite syncs each save to disk: minutes for the demo on a disk,
# half a minute in memory. Its database lies here where the machine has a tmpfs.
MEMORY = Path("/dev/shm")


@pytest.fixture(scope="module")
def mst() -> Path:
    """The venv with MST's importer and an empty migrated database, template.sqlite3."""
    done = subprocess.run(["bash", str(SCRIPT)], env={**os.environ, "RATSINFO_MST_ENV": str(MST_ENV)},
                          capture_output=True, text=True)
    if done.returncode != 0:
        reason = f"Meine Stadt Transparent ließ sich nicht installieren ({SCRIPT.name}): {done.stderr[-1500:]}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return MST_ENV


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def published(demo_content, tmp_path_factory) -> tuple[Path, int]:
    """The demo built once for http://127.0.0.1:PORT/ratsinfo/: (its folder, PORT)."""
    port = _free_port()
    site = tmp_path_factory.mktemp("mst-root") / "ratsinfo"
    build_site(demo_content, site, overrides={
        "RATSINFO_TODAY": DEMO_TODAY, "BASE_PATH": "/ratsinfo/", "PAGEFIND": False,
        "PUBLIC_URL": f"http://127.0.0.1:{port}/ratsinfo/"})
    return site, port


def content_counts(content: Path) -> dict[str, int]:
    """How many objects of each kind our content/ holds (non-public agenda items included: the
    API lists them as the meeting pages do, by number)."""
    def fronts(kind: str) -> list[dict]:
        return [read_front_matter(p) for p in sorted((content / kind).glob("*.md"))]
    meetings, papers, persons = fronts("meetings"), fronts("papers"), fronts("persons")
    return {
        "body": len(fronts("bodies")), "legislativeterm": len(fronts("terms")),
        "organization": len(fronts("organizations")), "person": len(persons),
        "membership": sum(len(p.get("memberships") or []) for p in persons),
        "meeting": len(meetings), "agendaitem": sum(len(m.get("agenda") or []) for m in meetings),
        "agendaitem not public": sum(1 for m in meetings for i in m.get("agenda") or [] if i.get("public") is not True),
        "paper": len(papers), "consultation": sum(len(p.get("consultations") or []) for p in papers),
        "file": len(list((content / "files").glob("*.md"))),
    }


def mst_import(venv: Path, base: str, work: Path) -> tuple[dict[str, int], str]:
    """`mst-manage import` of our Body into a fresh copy of MST's empty database: how many objects
    of each kind from `base` it holds afterwards, and its log."""
    in_memory = MEMORY.is_dir() and os.access(MEMORY, os.W_OK)
    with tempfile.TemporaryDirectory(prefix="ratsinfo-mst-", dir=MEMORY if in_memory else work) as scratch:
        return _import_into(venv, base, work, Path(scratch) / "mst.sqlite3")


def _import_into(venv: Path, base: str, work: Path, database: Path) -> tuple[dict[str, int], str]:
    shutil.copyfile(venv / "template.sqlite3", database)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env |= {"REAL_HOST": "localhost", "SECRET_KEY": "ratsinfo-test", "ENV_PATH": str(work / "keine.env"),
            "DATABASE_URL": f"sqlite:///{database}", "ELASTICSEARCH_ENABLED": "False", "NO_LOG_FILES": "True",
            "NOMINATIM_URL": base + "keine-geocodierung"}
    done = subprocess.run([str(venv / "bin" / "mst-manage"), "import", base + "oparl/body/1", "--skip-body-extra",
                           "--skip-files", "--ags", "09999000"], cwd=work, env=env, capture_output=True, text=True)
    log = done.stdout + done.stderr
    assert done.returncode == 0, log[-5000:]
    with sqlite3.connect(database) as db:
        counts = {kind: db.execute(f"SELECT count(*) FROM mainapp_{kind} WHERE oparl_id LIKE ? AND NOT deleted",
                                   (base + "%",)).fetchone()[0] for kind in KINDS}
        counts["agendaitem not public"] = db.execute(
            "SELECT count(*) FROM mainapp_agendaitem WHERE oparl_id LIKE ? AND NOT public", (base + "%",)).fetchone()[0]
    return counts, log


def test_mst_imports_the_demo_from_a_plain_web_server(mst, published, demo_content, tmp_path):
    site, port = published
    with FolderServer(site.parent, port) as server:
        counts, log = mst_import(mst, server.url + "ratsinfo/", tmp_path)
    assert counts == content_counts(demo_content)
    assert [line for line in log.splitlines() if any(c in line for c in COMPLAINTS)] == []


def test_mst_imports_the_demo_through_apache(mst, published, demo_content, tmp_path):
    from tests.support.apache import apache_serving

    site, port = published
    with apache_serving(site, port=port) as base:
        counts, log = mst_import(mst, base, tmp_path)
    assert counts == content_counts(demo_content)
    assert [line for line in log.splitlines() if any(c in line for c in COMPLAINTS)] == []
