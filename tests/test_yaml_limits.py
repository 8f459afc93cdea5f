"""YAML from content/ and from mappings cannot make ratsinfo run out of memory (issue 13).

A "billion laughs" file: ten levels, each a list of nine aliases of the level
below, 9^9 leaves from ~1 KB. Whatever walks or prints such a value expands it.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

import boundedyaml
from importers.content import read_front_matter
from importers.errors import ImportFailed
from importers.sql.mapping import DEFAULT_MAPPING, MappingError, load_mapping

# The build below runs under this address-space limit: a regression fails with
# MemoryError instead of taking the machine down.
MEMORY_LIMIT = 2 * 1024 ** 3


def laughs(levels: int = 9) -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, levels + 1):
        below = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{below}]")
    return "\n".join(lines) + "\n"


def laughing_paper(folder: Path) -> Path:
    path = folder / "papers" / "1.md"
    path.parent.mkdir(parents=True)
    path.write_text(f"---\nid: '1'\nsource: https://ris.example/papers/1\n{laughs()}name: *a9\n---\n",
                    encoding="utf-8")
    return path


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def test_build_of_content_with_nested_aliases_stops_with_a_message_naming_the_file(tmp_path):
    content = tmp_path / "content"
    paper = laughing_paper(content)
    result = subprocess.run(
        [sys.executable, "-m", "ratsinfo.cli", "build", "--content", str(content),
         "--output", str(tmp_path / "output")],
        capture_output=True, text=True, preexec_fn=_limit_memory, cwd=tmp_path,
    )
    assert result.returncode == 2, result.stderr[-2000:]
    assert str(paper) in result.stderr
    assert "YAML-Aliase" in result.stderr
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    assert not (tmp_path / "output").exists()


def test_import_refuses_a_previous_content_file_with_nested_aliases(tmp_path):
    paper = laughing_paper(tmp_path)
    with pytest.raises(ImportFailed, match="YAML-Aliase") as caught:
        read_front_matter(paper)
    assert str(paper) in str(caught.value)


def test_mapping_with_nested_aliases_is_refused_naming_file_and_line(tmp_path):
    mapping = tmp_path / "zuordnung.yaml"
    mapping.write_text(DEFAULT_MAPPING.read_text(encoding="utf-8") + "\nx-spass:\n"
                       + "".join("  " + line + "\n" for line in laughs().splitlines()), encoding="utf-8")
    with pytest.raises(MappingError, match=r"zuordnung\.yaml, Zeile \d+: mehr als 16 YAML-Aliase"):
        load_mapping(mapping)


def test_a_few_aliases_in_a_hand_written_file_are_still_read():
    text = "gremium: &rat Stadtrat\nsitzung: {gremium: *rat}\nvorlage: {gremium: *rat}\n"
    assert boundedyaml.load(text, "hand.yaml") == {
        "gremium": "Stadtrat", "sitzung": {"gremium": "Stadtrat"}, "vorlage": {"gremium": "Stadtrat"}}


def test_gender_star_in_text_is_not_taken_for_an_alias():
    text = "name: 'Bürger*innenversammlung'\ntext: Mitarbeiter*innen * Beschluss\n"
    assert boundedyaml.load(text, "x.md", max_aliases=0)["name"] == "Bürger*innenversammlung"


def test_content_written_by_the_importer_never_holds_an_alias():
    from importers.content import render_front_matter

    shared = ["1", "2"]
    written = render_front_matter({"id": "7", "organizations": shared, "participants": shared})
    assert b"&" not in written and b"*" not in written
    assert boundedyaml.load(written.decode().split("---\n")[1], "x.md", max_aliases=0)["participants"] == shared
