"""Build the site: Pelican with our plugins and Pagefind, into a staging folder, then swap.

A failed build leaves the last good output/ untouched.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from ratsinfo import PROJECT_ROOT

SETTINGS_FILE = PROJECT_ROOT / "pelicanconf.py"


class BuildFailed(Exception):
    pass


@dataclass
class BuildResult:
    output: Path
    pages: int
    seconds: float


def build_site(content: Path, output: Path, overrides: dict | None = None) -> BuildResult:
    from pelican import Pelican
    from pelican.settings import read_settings

    content, output = Path(content).resolve(), Path(output).resolve()
    if not content.is_dir():
        raise BuildFailed(f"Inhaltsordner {content} gibt es nicht. Erst importieren: ratsinfo import oparl URL")
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = output.parent / f".{output.name}.neu-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    started = time.monotonic()
    settings = read_settings(
        str(SETTINGS_FILE),
        override={
            "PATH": str(content), "OUTPUT_PATH": str(staging), "RATSINFO_PREVIOUS_OUTPUT": str(output),
            **(overrides or {}),
        },
    )
    _quiet_pelican()
    try:
        Pelican(settings).run()
    except Exception as exc:  # Pelican and plugins raise anything; the webmaster gets one message
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildFailed(f"Bauen fehlgeschlagen, {output} bleibt unverändert: {exc}") from exc
    _swap(staging, output)
    pages = sum(1 for _ in output.rglob("*.html"))
    return BuildResult(output, pages, time.monotonic() - started)


def _swap(staging: Path, output: Path):
    previous = output.parent / f".{output.name}.alt-{os.getpid()}"
    if output.exists():
        os.replace(output, previous)
    os.replace(staging, output)
    shutil.rmtree(previous, ignore_errors=True)


def _quiet_pelican():
    # Pelican logs every generator at INFO and prints a summary that counts blog
    # articles (always 0 here); the webmaster wants our summary, and warnings.
    from pelican.log import console

    console.quiet = True
    logging.getLogger("pelican").setLevel(logging.WARNING)
