"""ratsinfo/files.py, the one atomic write: the bytes arrive whole, once, with the right mode."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

from tests.conftest import PROJECT

# Writes one file through `replacing` and lists every open() of its temporary file (audit events).
WRITE = """
import json, sys
from pathlib import Path
opened = []
sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == "open" and ".ziel" in str(args[0]) else None)
from ratsinfo.files import replacing
with replacing(Path(sys.argv[1]) / "ziel.md") as handle:
    handle.write(b"Inhalt")
print(json.dumps(opened))
"""


def test_replacing_writes_through_the_handle_of_its_temporary_file(tmp_path):
    """Opening the temporary file a second time by name truncates it, and on ext4 a truncated
    file's close starts writing it out: 150 instead of 57 µs per file, +18 % CPU for a city's
    import (benchmarks/REFACTOR-2026-12.md). The file from mkstemp is written through its own handle."""
    result = subprocess.run([sys.executable, "-c", WRITE, str(tmp_path)], capture_output=True, text=True,
                            env=dict(os.environ, PYTHONPATH=str(PROJECT)))
    assert result.returncode == 0, result.stderr
    opened = json.loads(result.stdout)
    assert len(opened) == 1, opened  # mkstemp's own open, nothing after it
    assert (tmp_path / "ziel.md").read_bytes() == b"Inhalt"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ziel.md"]


def test_a_private_file_is_its_owners_a_page_is_readable_by_the_web_server(tmp_path):
    from ratsinfo.files import write_atomic

    before = os.umask(0o022)
    try:
        write_atomic(tmp_path / "privat.json", b"{}", private=True)
        write_atomic(tmp_path / "seite.html", b"<p>", temp_name=".seite.html.tmp")
    finally:
        os.umask(before)
    assert stat.S_IMODE((tmp_path / "privat.json").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "seite.html").stat().st_mode) == 0o644
