"""Real headless Chromium (Debian's) through Playwright, and a static server for built sites."""

from __future__ import annotations

import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.loopback import FolderServer

CHROMIUM = "/usr/bin/chromium"
# Without these, Chromium tries to reach Google's hosts, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@contextmanager
def serve_site(site: Path, tmp_path: Path, subpath: str = "ratsinfo"):
    """Serve `site` at http://127.0.0.1:PORT/<subpath>/, as an intranet mirror would."""
    root = tmp_path / "webroot"
    root.mkdir()
    (root / subpath).symlink_to(Path(site).resolve(), target_is_directory=True)  # make screenshots passes "output"
    with FolderServer(root) as server:
        yield f"{server.url}{subpath}/"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).is_file() or shutil.which("chromium") is None:
        pytest.skip("Chromium fehlt (apt-get install chromium); .ci/run installiert es")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
