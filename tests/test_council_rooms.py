"""The rooms of plugins/council import only rooms upstream of them (docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

COUNCIL = Path(__file__).resolve().parent.parent / "plugins" / "council"

# Room of each module, in the order data flows; a room may import its own and earlier rooms.
# Helpers any room may use: problems, links, format (the model's N_), incremental (moving to
# plugins/common.py).
ROOMS = ["model", "loading", "plan", "reuse", "render", "generator"]
ROOM_OF = {
    "graph": "model", "history": "model", "reading": "loading", "values": "loading", "loading": "loading", "withhold": "loading",
    "plan": "plan", "depends": "plan", "factions": "plan", "paths": "plan", "shards": "plan", "search_entries": "plan",
    "document_text": "plan", "diffs": "plan", "months": "plan",
    "reuse": "reuse", "render": "render", "generator": "generator",
}
HELPERS = {"problems", "links", "format", "incremental"}


def council_imports(path: Path) -> set[str]:
    """The council modules a module imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("plugins.council"):
            below = node.module.split(".")[2:]
            found.update(below[:1] or [alias.name for alias in node.names])
    return found


def test_each_room_imports_only_rooms_upstream():
    reaching_back = []
    for path in sorted(COUNCIL.rglob("*.py")):
        name = path.relative_to(COUNCIL).parts[0].removesuffix(".py")
        if name == "__init__" or name in HELPERS:
            continue
        room = ROOMS.index(ROOM_OF[name])
        for imported in council_imports(path) - HELPERS:
            # render.py takes write_if_changed from generator.py until it moves to plugins/common.py.
            if (name, imported) == ("render", "generator"):
                continue
            if ROOMS.index(ROOM_OF[imported]) > room:
                reaching_back.append(f"{path.relative_to(COUNCIL)} importiert {imported}")
    assert not reaching_back, reaching_back


def test_no_council_module_is_over_400_lines():
    long = {str(p.relative_to(COUNCIL)): n for p in COUNCIL.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert not long, long
