"""The code keeps to ratsinfo/contracts.py: every context key, state file and cross-plugin import
it uses is declared there (a source scan; the plugins' own runs are in test_plugins_alone.py)."""

from __future__ import annotations

import ast
import fnmatch
import io
import re
import tokenize
from collections import defaultdict
from pathlib import Path

import jinja2
from jinja2 import meta

from ratsinfo import contracts

PROJECT = Path(__file__).resolve().parent.parent
PLUGINS = PROJECT / "plugins"
TEMPLATES = PROJECT / "theme" / "templates"
# Pelican's shared context, as our plugins reach it (not a PageSpec's own `spec.context`).
CONTEXT_USE = re.compile(r"\b(?:self|generator|pelican)\.context(?:\[|\.get\(|\.setdefault\()\s*\"(\w+)\"(\]\s*=(?!=))?")
SETDEFAULT = re.compile(r"\.context\.setdefault\(\s*\"(\w+)\"")
STATE_PATH = re.compile(r"(_ratsinfo|\.ratsinfo)/([\w.*<>-]+)")


def plugin_of(path: Path) -> str:
    return "plugins." + path.relative_to(PLUGINS).parts[0].removesuffix(".py")


def context_uses() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    writers, readers = defaultdict(set), defaultdict(set)
    for path in PLUGINS.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for match in CONTEXT_USE.finditer(source):
            (writers if match.group(2) else readers)[match.group(1)].add(plugin_of(path))
        for key in SETDEFAULT.findall(source):
            writers[key].add(plugin_of(path))
    return writers, readers


def test_every_context_key_plugins_use_is_declared_with_its_one_writer():
    writers, readers = context_uses()
    used = (set(writers) | set(readers)) - set(contracts.PELICAN_CONTEXT)
    assert used - set(contracts.CONTEXT) == set(), "in ratsinfo/contracts.CONTEXT eintragen"
    for key, declared in contracts.CONTEXT.items():
        assert writers.get(key) == declared.writers, key
        assert readers.get(key, set()) - {*declared.writers, *declared.readers} == set(), key


def _page_variables() -> set[str]:
    """The keys of every dict literal in the council's page plan, and of the context other plugins
    give the pages they add to it (PageSpec(path, template, {...})): a page's own objects."""
    def keys_of(node) -> set[str]:
        return {k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}

    keys = set()
    for node in ast.walk(ast.parse((PLUGINS / "council" / "plan.py").read_text(encoding="utf-8"))):
        if isinstance(node, ast.Dict):
            keys |= keys_of(node)
    for path in PLUGINS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "PageSpec" and len(node.args) > 2
                    and isinstance(node.args[2], ast.Dict)):
                keys |= keys_of(node.args[2])
    return keys


def test_every_context_key_templates_read_is_declared():
    from plugins.council.format import FILTERS

    env = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    env.filters.update(FILTERS)
    macros = {node.name for template in TEMPLATES.glob("*.html")
              for node in env.parse(template.read_text(encoding="utf-8")).find_all(jinja2.nodes.Macro)}
    known = (set(contracts.CONTEXT) | set(contracts.RENDER_VARIABLES) | set(contracts.TEMPLATE_GLOBALS)
             | _page_variables() | macros
             | {"ui_language", "pgettext", "_", "gettext", "ngettext"})
    for template in sorted(TEMPLATES.glob("*.html")):
        free = meta.find_undeclared_variables(env.parse(template.read_text(encoding="utf-8")))
        undeclared = {name for name in free if not name.isupper()} - known
        assert undeclared == set(), f"{template.name}: in ratsinfo/contracts.CONTEXT eintragen"
    # The context keys base.html reads are the ones every page needs.
    base = meta.find_undeclared_variables(env.parse((TEMPLATES / "base.html").read_text(encoding="utf-8")))
    assert {"council_body", "portal_name", "site_subscribe"} <= base


def _strings(path: Path):
    """String literals of a Python file, with the literal after a `/` joined on (a / "b")."""
    source = io.StringIO(path.read_text(encoding="utf-8"))
    tokens = [t for t in tokenize.generate_tokens(source.readline)
              if t.type in (tokenize.STRING, tokenize.OP, tokenize.NAME)]
    for i, token in enumerate(tokens):
        if token.type != tokenize.STRING:
            continue
        text = token.string
        if (i + 2 < len(tokens) and tokens[i + 1].string == "/" and tokens[i + 2].type == tokenize.STRING
                and text.strip("'\"") in (contracts.OUTPUT_STATE_DIR, contracts.CONTENT_STATE_DIR)):
            text = text.strip("'\"") + "/" + tokens[i + 2].string.strip("'\"")
        yield text


def declared(folder: str, name: str) -> bool:
    if folder == contracts.OUTPUT_STATE_DIR:
        return f"{folder}/{name}" in contracts.OUTPUT_FILES
    return any(fnmatch.fnmatch(name, pattern) or name == pattern.split("*")[0] for pattern in contracts.CONTENT_FILES)


def test_every_state_file_the_code_names_is_declared():
    sources = [p for room in ("plugins", "importers", "ratsinfo") for p in (PROJECT / room).rglob("*.py")
               if p.name != "contracts.py"]
    found = set()
    for path in sources:
        for text in _strings(path):
            for folder, name in STATE_PATH.findall(text):
                name = name.rstrip(".")
                if name and not name.startswith("<"):
                    found.add((folder, name, path.relative_to(PROJECT).as_posix()))
    assert found, "the scan finds nothing: it no longer reads the code"
    undeclared = sorted(f for f in found if not declared(f[0], f[1]))
    assert undeclared == [], "in ratsinfo/contracts.py eintragen"


def foreign_imports(plugin: str) -> list[str]:
    """What `plugin` imports from another plugin beyond that plugin's declared public names."""
    wrong = []
    folder = PLUGINS / plugin.split(".", 1)[1]
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("plugins."):
                module = node.module
                if module == plugin or module.startswith(plugin + "."):
                    continue
                public = contracts.PUBLIC.get(module, set())
                wrong += [f"{path.name}: {module}.{a.name}" for a in node.names if a.name not in public]
            elif isinstance(node, ast.Import):
                wrong += [f"{path.name}: import {a.name}" for a in node.names
                          if a.name.startswith("plugins.") and not a.name.startswith(plugin)]
    return wrong


def test_no_plugin_imports_another_plugins_internals():
    plugins = [f"plugins.{p.name}" for p in PLUGINS.iterdir() if (p / "__init__.py").is_file()]
    assert {p: foreign_imports(p) for p in plugins} == {p: [] for p in plugins}


def test_plugins_and_importers_agree_on_the_content_folders():
    from importers.records import KINDS
    from plugins.common import FOLDERS

    assert FOLDERS == KINDS


def test_no_plugin_reads_the_importers_state_folder():
    """What the portal needs of an import (the footer's "Stand der Daten") comes through the
    content format (content/site.yaml), never from the importer's own content/.ratsinfo/."""
    readers = {reader for contract in contracts.CONTENT_FILES.values() for reader in contract.readers}
    assert {r for r in readers if r.startswith(("plugins", "theme"))} == set()
    named = sorted(path.relative_to(PROJECT).as_posix() for path in PLUGINS.rglob("*.py")
                   if any(contracts.CONTENT_STATE_DIR + "/" in text or "CONTENT_STATE_DIR" in text
                          for text in _strings(path)) or "CONTENT_STATE_DIR" in path.read_text(encoding="utf-8"))
    assert named == []
