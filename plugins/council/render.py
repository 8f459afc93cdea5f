"""Rendering the page plan into output/: templates filled on every core, only changed bytes
written, published documents linked into dateien/.

Like Pelican's writers: it knows nothing of how the plan was made nor why a page is rendered.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import shutil
import sys
from pathlib import Path

import jinja2
from jinja2 import FileSystemBytecodeCache

from plugins.common import write_if_changed
from plugins.council.links import warn_skipped
from plugins.council.plan import PageSpec
from plugins.council.reuse.cache import cache_root
from ratsinfo import portable

# Below this many pages, forking costs more than it saves.
PARALLEL_FROM = 400
_WORK = None


class Renderer:
    """Renders PageSpecs with the shared Pelican context and writes them below `output`."""

    def __init__(self, get_template, context: dict, site: dict, output: Path, compare_with: Path | None):
        self.get_template = get_template
        self.context = context
        self.site = site
        self.output = output
        # In an overlay, the previous output/: a page with the same bytes there is not written.
        self.compare_with = compare_with

    def render_bytes(self, spec: PageSpec) -> bytes:
        if spec.produce is not None:
            return spec.produce()
        template = self.get_template(spec.template)
        depth = spec.path.count("/")
        context = {**self.context, "site": self.site, "root": "../" * depth, "page_path": spec.path,
                   # The navigation entry the page is under: base.html marks it.
                   "page_nav": spec.nav}
        context.update(spec.context)
        if spec.load:
            context.update(spec.load(spec.context))
        return template.render(context).encode("utf-8")

    def render(self, spec: PageSpec) -> int:
        return self.write(spec.path, self.render_bytes(spec))

    def write(self, path: str, payload: bytes) -> int:
        """In an overlay, a page whose bytes equal those in output/ is not written at all."""
        if self.compare_with is not None:
            try:
                old = self.compare_with / path
                if old.stat().st_size == len(payload) and old.read_bytes() == payload:
                    return 0
            except (FileNotFoundError, NotADirectoryError):
                pass
        return write_if_changed(self.output / path, payload)

    def render_all(self, specs: list[PageSpec], workers: int) -> int:
        """Render on every core: forked workers share the graph without copying it."""
        workers = min(workers, os.cpu_count() or 1)
        if workers < 2 or len(specs) < PARALLEL_FROM or not portable.can_fork():
            return sum(self.render(spec) for spec in specs)
        global _WORK
        _WORK = (self, specs)
        chunks = [range(i, len(specs), workers) for i in range(workers)]
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                return sum(pool.map(_render_chunk, chunks))
        finally:
            _WORK = None


def _render_chunk(indices) -> int:
    renderer, specs = _WORK
    return sum(renderer.render(specs[i]) for i in indices)


def copy_attachments(files, source_dir: Path, folder: str, output: Path,
                     compare_with: Path | None) -> tuple[list[str], int]:
    """Published documents into dateien/, as hard links (no second copy on disk)."""
    paths, copied = [], 0
    for f in files:
        # A takedown's replacement (plugins/council/withhold.py) lies in the site folder, not in files/.
        source = (Path(f.media_source) if f.media_source else source_dir / f.media) if f.media else None
        if source is None or source.is_symlink():  # listed as a real file, made a link since
            if source is not None:
                warn_skipped(str(source))
            continue
        paths.append(f"{folder}/{f.media}")
        places = [output / folder / f.media] + ([compare_with / folder / f.media] if compare_with else [])
        if not any(_same_file(source, place) for place in places):
            dest = output / folder / f.media
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.unlink(missing_ok=True)
            try:
                os.link(source, dest)
            except OSError:
                shutil.copy2(source, dest)
            copied += 1
    return paths, copied


def _same_file(source: Path, copy: Path) -> bool:
    try:
        a, b = source.stat(), copy.stat()
    except FileNotFoundError:
        return False
    return a.st_ino == b.st_ino and a.st_dev == b.st_dev or (a.st_size == b.st_size and b.st_mtime >= a.st_mtime)


def template_cache(env) -> FileSystemBytecodeCache:
    """Compiled templates in our cache folder: compiling them took longer than rendering the few
    pages a small change needs. Jinja checks each template's source; how it compiles depends on
    the environment too (autoescape, gettext style, extensions), so that is part of the folder."""
    shape = repr((jinja2.__version__, env.autoescape, getattr(env, "newstyle_gettext", None),
                  sorted(env.extensions), sys.version_info[:2]))
    folder = cache_root() / f"vorlagen-{hashlib.sha1(shape.encode()).hexdigest()[:16]}"
    folder.mkdir(parents=True, exist_ok=True)
    return FileSystemBytecodeCache(str(folder))
