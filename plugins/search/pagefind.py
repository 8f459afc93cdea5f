"""Index the built site with the Pagefind CLI.

Only pages that carry `data-pagefind-body` (the detail templates) are indexed,
so lists and navigation stay out of the results. We drive the CLI, not the
Python API, because the API sleeps 0.1 s per call (research/pelican.md §2.5).
"""

from __future__ import annotations

import logging
import subprocess

import pagefind_bin

log = logging.getLogger(__name__)


class SearchIndexFailed(RuntimeError):
    pass


def pagefind_command(site: str) -> list[str]:
    return [
        str(pagefind_bin.get_executable()),
        "--site", site,
        "--output-subdir", "pagefind",
        "--force-language", "de",
        "--silent",
    ]


def run_pagefind(pelican):
    settings = pelican.settings
    if not settings.get("PAGEFIND", True):
        return
    command = pagefind_command(settings["OUTPUT_PATH"])
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SearchIndexFailed(
            f"Pagefind ist fehlgeschlagen (Exit {result.returncode}): {result.stderr.strip() or result.stdout.strip()}"
        )
    log.info("ratsinfo: Suchindex geschrieben")
