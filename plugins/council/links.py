"""Symbolic links in content/ are never read, copied or linked into output/.

Whoever may write to content/ (an editor of the hand-written pages, a shared folder, a
script) could otherwise publish any file the build can read by linking to it
(`content/files/1.pdf -> /etc/passwd`, a linked folder of another council). A link to a
single file is skipped with a warning naming it: what it points to is withheld, never
guessed at. A linked folder of council data (content/files …) stops the build, because
skipping it would publish a site without its documents or meetings.

Council data is listed in plugins/council/loading.py (list_folder); Pelican reads the
hand-written pages and copies files they link with {static}: those are kept away from
links here, through Pelican's own settings and signals.
"""

from __future__ import annotations

import glob
import logging
import os

log = logging.getLogger(__name__)


def warn_skipped(path: str):
    if os.path.basename(path) == "..":
        log.warning("%s führt aus dem Inhaltsordner heraus: ratsinfo veröffentlicht es nicht.", path)
        return
    log.warning("%s ist eine symbolische Verknüpfung (auf %s): ratsinfo liest und veröffentlicht sie nicht. "
                "Die Datei selbst an diese Stelle kopieren, wenn sie veröffentlicht werden soll.",
                path, _target(path))


def _target(path: str) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "?"


def linked_part(root: str, relative: str) -> str | None:
    """The first part of `relative` (below `root`) that is a symbolic link or leads out of `root`
    (`..`), as a path below root; None if every part is a real file or folder inside it."""
    current = root
    walked = []
    for part in relative.replace("\\", "/").split("/"):
        if part in ("", "."):
            continue
        walked.append(part)
        if part == "..":
            return "/".join(walked)
        current = os.path.join(current, part)
        if os.path.islink(current):
            return "/".join(walked)
    return None


def keep_pelican_from_links(pelican):
    """Signal `initialized`: before Pelican lists the hand-written pages (and any static
    paths), exclude every link inside them. Pelican walks these folders following links."""
    settings = pelican.settings
    content = settings["PATH"]
    folders = set(settings.get("PAGE_PATHS") or []) | set(settings.get("ARTICLE_PATHS") or []) | set(
        settings.get("STATIC_PATHS") or [])
    linked_files, linked_folders = set(), set()
    for folder in sorted(folders):
        through = linked_part(content, folder)
        if through is not None:
            linked_folders.add(through)
            continue
        for parent, dirs, files in os.walk(os.path.join(content, folder)):  # does not follow links
            relative = os.path.relpath(parent, content).replace(os.sep, "/")
            for name in dirs:
                if os.path.islink(os.path.join(parent, name)):
                    linked_folders.add(f"{relative}/{name}")
            linked_files.update(f"{relative}/{name}" for name in files if os.path.islink(os.path.join(parent, name)))
    for path in sorted(linked_files | linked_folders):
        warn_skipped(os.path.join(content, path))
    # Folders by path; single files only by name (Pelican's IGNORE_FILES), so a file of the same
    # name elsewhere in these folders is skipped too: withheld, with the warning above.
    for key in ("PAGE_EXCLUDES", "ARTICLE_EXCLUDES", "STATIC_EXCLUDES"):
        settings[key] = list(settings.get(key) or []) + sorted(linked_folders)
    # Pelican excludes only folders it finds while walking, not the one it starts from.
    for key in ("PAGE_PATHS", "ARTICLE_PATHS", "STATIC_PATHS"):
        settings[key] = [f for f in settings.get(key) or [] if linked_part(content, f) is None]
    settings["IGNORE_FILES"] = list(settings.get("IGNORE_FILES") or []) + sorted(
        {glob.escape(path.rsplit("/", 1)[-1]) for path in linked_files})


def drop_linked_static_files(generator):
    """Signal `static_generator_finalized`: files a page links with {static} or {attach} are
    copied by Pelican wherever they are; drop those reached through a link or leading out."""
    content = generator.settings["PATH"]
    kept = []
    for static in generator.staticfiles:
        through = linked_part(content, os.path.relpath(static.source_path, content))
        if through is None:
            kept.append(static)
        else:
            warn_skipped(os.path.join(content, through))
    generator.staticfiles = kept
    generator.context["staticfiles"] = kept
