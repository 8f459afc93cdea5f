"""The webmaster's command line: every command explains itself."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("args", [[], ["import"], ["import", "oparl"], ["import", "sql"], ["build"], ["check"],
                                  ["publish"], ["rollback"], ["update"], ["demo"]])
def test_every_command_has_german_help(args):
    result = subprocess.run([sys.executable, "-m", "ratsinfo.cli", *args, "--help"],
                            capture_output=True, text=True, check=True)
    assert "Aufruf: ratsinfo" in result.stdout and "Optionen" in result.stdout
    assert any(word in result.stdout.lower() for word in ("ordner", "importiert", "portal", "demo"))


def test_import_of_missing_source_is_a_clear_error(tmp_path):
    result = subprocess.run([sys.executable, "-m", "ratsinfo.cli", "import", "oparl", str(tmp_path / "fehlt"),
                             "--content", str(tmp_path / "content")], capture_output=True, text=True)
    assert result.returncode == 2
    assert "Import abgebrochen" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "content").exists()


@pytest.mark.slow
def test_demo_import_build_in_scratch_folders(tmp_path):
    run = lambda *a: subprocess.run([sys.executable, "-m", "ratsinfo.cli", *a], capture_output=True,
                                    text=True, check=True, cwd=tmp_path)
    run("demo", "--out", "dump")
    run("import", "oparl", "dump", "--content", "inhalt", "--no-files")
    result = run("build", "--content", "inhalt", "--output", "site")
    assert "Portal gebaut" in result.stdout
    assert (tmp_path / "site" / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dump", "inhalt", "site"]


@pytest.mark.slow
def test_demo_writes_the_town_at_city_scale(tmp_path):
    """The benchmarks' city from the command line: the demo town grown to N papers."""
    result = subprocess.run([sys.executable, "-m", "ratsinfo.cli", "demo", "--papers", "120", "--out",
                             str(tmp_path / "stadt")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Paper 120" in result.stdout
    refused = subprocess.run([sys.executable, "-m", "ratsinfo.cli", "demo", "--papers", "120", "--sqlite",
                              str(tmp_path / "x.sqlite")], capture_output=True, text=True)
    assert refused.returncode == 2 and not (tmp_path / "x.sqlite").exists()
