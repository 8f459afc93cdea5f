"""Content errors are reported, not swallowed: an impossible date, a reference to an object that is
not there, a text file that is missing. Each is a warning with file and line; `build --strict`
makes them a failed build that leaves output/ as it was."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from plugins.council.loading import load_graph
from plugins.council.problems import content_problems


@pytest.fixture
def content(mini_content, tmp_path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(mini_content, copy)
    return copy


def edit(path: Path, old: str, new: str) -> int:
    """Replace `old` once; the line (from 1) on which `new` now stands."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text[:text.index(new)].count("\n") + 1


def problems_of(content: Path) -> list[str]:
    return content_problems(load_graph(content))


def test_demo_content_has_no_problems(demo_content):
    assert problems_of(demo_content) == []


def test_mini_content_has_no_problems(mini_content):
    assert problems_of(mini_content) == []


def test_impossible_date_is_reported_with_file_and_line(content):
    meeting = content / "meetings" / "1.md"
    line = edit(meeting, "start: '2026-03-12T18:00:00+01:00'", "start: '2025-02-30T17:00:00+01:00'")
    assert problems_of(content) == [
        f"{meeting}, Zeile {line}: start '2025-02-30T17:00:00+01:00' ist kein mögliches Datum; "
        "die Angabe wird weggelassen. Die Zeile korrigieren oder neu importieren."]


def test_unquoted_impossible_date_is_reported_not_a_traceback(content):
    # YAML reads an unquoted 2024-12-32 as a date and fails inside the parser (ValueError).
    paper = content / "papers" / "1.md"
    line = edit(paper, "date: '2026-02-02'", "date: 2024-02-30")
    [problem] = problems_of(content)
    assert problem.startswith(f"{paper}, Zeile {line}: date '2024-02-30' ist kein mögliches Datum")


def test_reference_to_missing_object_is_reported_with_file_and_line(content):
    meeting = content / "meetings" / "1.md"
    line = edit(meeting, "organizations: ['1']", "organizations: ['999']")
    [problem] = problems_of(content)
    assert problem.startswith(f"{meeting}, Zeile {line}: organizations verweist auf Gremium '999'")
    assert "dieses Objekt fehlt im Inhaltsordner" in problem


def test_consultation_of_missing_agenda_item_is_reported_and_stays_closed(content):
    paper = content / "papers" / "1.md"
    line = edit(paper, "agenda_item: '4'", "agenda_item: '4500'")
    graph = load_graph(content)
    [problem] = content_problems(graph)
    assert problem.startswith(f"{paper}, Zeile {line}: agenda_item verweist auf Tagesordnungspunkt '4500'")
    # Fail closed as before: a consultation whose item cannot be found public is not shown as public.
    assert [c.public for c in graph.papers["1"].consultations][0] is False


def test_missing_text_file_is_reported_with_file_and_line(content):
    document = content / "files" / "3.md"
    (content / "files" / "3.txt").unlink()
    line = document.read_text(encoding="utf-8").splitlines().index("text: 3.txt") + 1
    [problem] = problems_of(content)
    assert problem.startswith(f"{document}, Zeile {line}: text nennt 3.txt, die Datei fehlt")


def build(content: Path, output: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ratsinfo.cli", "build", "--content", str(content),
                           "--output", str(output), *options], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)})


def test_build_warns_and_strict_build_fails_keeping_output(content, tmp_path):
    output = tmp_path / "output"
    meeting = content / "meetings" / "1.md"
    line = edit(meeting, "organizations: ['1']", "organizations: ['999']")
    warned = build(content, output)
    assert warned.returncode == 0
    assert f"{meeting}, Zeile {line}:" in warned.stderr

    before = (output / "index.html").read_bytes()
    # A later edit elsewhere: the build takes its graph from the snapshot, the problem stays known.
    edit(content / "meetings" / "2.md", "\nname: ", "\nname: Geändert – ")
    strict = build(content, output, "--strict")
    assert strict.returncode == 2
    assert f"{meeting}, Zeile {line}:" in strict.stderr and "--strict" in strict.stderr
    assert "Traceback" not in strict.stderr
    assert (output / "index.html").read_bytes() == before
