"""Publish a built site atomically, keep earlier versions, roll back.

The published folder is a symbolic link to one of the releases kept next to
it (`<folder>.versionen/<time>`). Publishing copies the new build into a new
release and then switches the link in one rename, so a visitor sees either
the old or the new site, never a mix. `rollback` switches back.

Which release was live before which is kept in `<folder>.versionen/.verlauf.json`
(oldest first, the live one last). `rollback` goes back along it, so it returns to the
release that was live before, not to the one with the next older name; pruning never
deletes the live release nor the one live before it, and deletes releases that were
rolled away from (bad ones) before good ones.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime
from pathlib import Path

from ratsinfo import portable
from ratsinfo.contracts import BUILD_STATE as STATE_FILE
from ratsinfo.files import write_atomic

KEEP = 3
HISTORY = ".verlauf.json"
ADOPTED = "0000-vorher"


class PublishFailed(Exception):
    pass


def releases_of(target: Path) -> Path:
    return target.parent / f"{target.name}.versionen"


def _switch(target: Path, release: Path):
    """Point `target` at `release`: in one rename where the system allows it. On Windows the old
    link is removed first, so for an instant the target answers 404 (never a mix of versions);
    a run killed in that instant leaves no site until the next publish."""
    link = target.parent / f".{target.name}.umschalten"
    link.unlink(missing_ok=True)
    os.symlink(release, link, target_is_directory=True)
    if not portable.rename_replaces_links() and target.is_symlink():
        _remove_link(target)
    os.replace(link, target)


def _remove_link(link: Path):
    """A link to a folder: os.unlink on POSIX; Windows removes a directory link with rmdir."""
    try:
        os.unlink(link)
    except (IsADirectoryError, PermissionError):
        os.rmdir(link)


def publish(output: Path, target: Path, keep: int = KEEP, scan=None) -> Path:
    """`scan`: folder -> where the takedown ledger's items still appear (ratsinfo/takedown_scan.py);
    a build that still shows one is not published."""
    output, target = Path(output).resolve(), Path(target).absolute()
    if not (output / "index.html").is_file():
        raise PublishFailed(f"{output} ist kein gebautes Portal (index.html fehlt)")
    findings = scan(output) if scan else []
    if findings:
        shown = "; ".join(str(f) for f in findings[:5]) + (" …" if len(findings) > 5 else "")
        raise PublishFailed(f"{output} zeigt noch, was die Löschliste zurückhält ({shown}). Neu bauen "
                            f"(ratsinfo build); es wurde nichts veröffentlicht.")
    releases = releases_of(target)
    # Everything that could refuse is checked before anything is touched.
    _refuse_links_in(output)
    adopt = _target_state(target, releases)
    releases.mkdir(parents=True, exist_ok=True)
    history = _history(target, releases)
    if adopt == "empty":
        os.rmdir(target)
    elif adopt == "build":
        # First publish onto the folder of an earlier `ratsinfo build`: keep it as the oldest version.
        adopted, counter = releases / ADOPTED, 1
        while adopted.exists():
            counter += 1
            adopted = releases / f"{ADOPTED}-{counter}"
        os.replace(target, adopted)
        _switch(target, adopted)
        history.append(adopted.name)
    name = datetime.now().strftime("%Y-%m-%dT%H-%M-%S")
    release, counter = releases / name, 1
    while release.exists() or release.name in history:
        counter += 1
        release = releases / f"{name}-{counter}"
    staging = releases / f".{release.name}.kopie"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        shutil.copytree(output, staging, symlinks=True)
        os.replace(staging, release)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise PublishFailed(f"Kopieren nach {releases} fehlgeschlagen: {exc}") from exc
    history.append(release.name)
    # Recorded before switching: a run killed in between leaves the old release live, and the
    # next run's history (cut at the live release) drops the new one again.
    _write_history(releases, history)
    _switch(target, release)
    _prune(releases, history, keep=keep)
    return release


def purge_releases(target: Path, scan) -> list[str]:
    """After a takedown: every kept release that still shows what the ledger withholds is deleted
    (the live one was checked before it went live). Returns their names; rollback cannot reach them."""
    target = Path(target).absolute()
    releases = releases_of(target)
    current = current_release(target)
    history = _history(target, releases)
    purged = []
    for version in _versions(releases):
        if current is not None and version.name == current.name:
            continue
        if scan(version):
            shutil.rmtree(version)
            purged.append(version.name)
    if purged:
        _write_history(releases, [name for name in history if name not in purged])
    return purged


def current_release(target: Path) -> Path | None:
    target = Path(target).absolute()
    return Path(os.readlink(target)) if target.is_symlink() else None


def _versions(releases: Path) -> list[Path]:
    return sorted(p for p in releases.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith("."))


def _target_state(target: Path, releases: Path) -> str:
    """What stands at `target`: ours ("release"), nothing ("none"), an empty folder ("empty"),
    an earlier `ratsinfo build` ("build"). Anything else is someone else's: refused untouched."""
    if target.is_symlink():
        if not _is_release_link(target, releases):
            raise PublishFailed(
                f"{target} ist eine symbolische Verknüpfung auf {os.readlink(target)}, nicht auf eine Version "
                f"in {releases}. ratsinfo ersetzt sie nicht. Verknüpfung entfernen oder ein anderes Ziel wählen; "
                f"es wurde nichts verändert.")
        return "release"
    if not target.exists():
        _refuse_foreign_releases(releases)
        return "none"
    if not target.is_dir():
        raise PublishFailed(f"{target} ist eine Datei, kein Ordner. Ein anderes Ziel wählen; es wurde nichts verändert.")
    _refuse_foreign_releases(releases)
    if not any(target.iterdir()):
        return "empty"
    if (target / STATE_FILE).is_file() and (target / "index.html").is_file():
        return "build"
    raise PublishFailed(
        f"{target} ist ein Ordner mit Inhalt, den nicht ratsinfo gebaut hat. ratsinfo veröffentlicht, indem "
        f"es das Ziel durch eine symbolische Verknüpfung auf {releases} ersetzt, und würde diesen Inhalt "
        f"verschieben und später löschen. Es wurde nichts verändert. Den Inhalt sichern und den Ordner leeren "
        f"oder ein anderes Ziel wählen (z. B. {target.parent / (target.name + '-portal')}).")


def _is_release_link(target: Path, releases: Path) -> bool:
    """The link points at a release of ours (compared resolved: /var/www may be a link to /srv/www)."""
    pointed = Path(os.readlink(target))
    try:
        return releases.is_dir() and os.path.samefile(pointed.parent, releases)
    except OSError:
        return False


def _refuse_foreign_releases(releases: Path):
    """A `.versionen` folder without our history, while the target is not our link: not ours to prune."""
    if releases.is_dir() and not (releases / HISTORY).is_file() and any(releases.iterdir()):
        raise PublishFailed(
            f"{releases} gibt es schon, aber nicht von ratsinfo publish. ratsinfo würde darin alte Versionen "
            f"löschen. Den Ordner umbenennen oder ein anderes Ziel wählen; es wurde nichts verändert.")


def _refuse_links_in(output: Path):
    """A symbolic link in a release would be served by the web server wherever it points."""
    folders = [str(output)]
    while folders:  # scandir: whether an entry is a link costs no system call per file
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_symlink():
                    raise PublishFailed(
                        f"{entry.path} ist eine symbolische Verknüpfung (auf {os.readlink(entry.path)}). Ein "
                        f"gebautes Portal enthält keine; der Webserver würde damit Dateien außerhalb des Portals "
                        f"ausliefern. Es wurde nichts veröffentlicht. Verknüpfung entfernen und neu bauen.")
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)


def _history(target: Path, releases: Path) -> list[str]:
    """Release names in the order they went live, up to the live one (which is last)."""
    current = current_release(target)
    existing = {v.name for v in _versions(releases)} if releases.is_dir() else set()
    try:
        recorded = json.loads((releases / HISTORY).read_text(encoding="utf-8"))
        history = [name for name in recorded if isinstance(name, str)]
    except (OSError, ValueError, TypeError):
        # Published before the history was kept: the releases older than the live one, by name.
        history = sorted(existing)
        if current is not None and current.name in history:
            history = history[: history.index(current.name) + 1]
    history = [name for name in history if name in existing]
    if current is not None:
        if current.name in history:
            history = history[: history.index(current.name) + 1]
        elif current.name in existing:
            history.append(current.name)
    return history


def _write_history(releases: Path, history: list[str]):
    write_atomic(releases / HISTORY, json.dumps(history, ensure_ascii=False).encode("utf-8"),
                 temp_name=f".{HISTORY}.tmp")


def rollback(target: Path) -> Path:
    target = Path(target).absolute()
    current = current_release(target)
    releases = releases_of(target)
    if current is None or not _is_release_link(target, releases):
        raise PublishFailed(f"{target} wurde nicht mit ratsinfo publish veröffentlicht")
    history = _history(target, releases)
    if len(history) < 2:
        raise PublishFailed("Es gibt keine frühere Version zum Zurückschalten")
    previous = releases / history[-2]
    _write_history(releases, history[:-1])
    _switch(target, previous)
    return previous


def _prune(releases: Path, history: list[str], keep: int):
    """Keep `keep` releases, at least the live one and the one live before it. Releases that are
    no longer in the history (rolled away from) go first, then the oldest of the history."""
    protected = set(history[-2:])
    rolled_away = [v.name for v in _versions(releases) if v.name not in history]
    candidates = rolled_away + [name for name in history if name not in protected]
    excess = len(rolled_away) + len(history) - max(keep, 2)
    for name in candidates[: max(0, excess)]:
        shutil.rmtree(releases / name, ignore_errors=True)
    remaining = [name for name in history if (releases / name).is_dir()]
    if remaining != history:
        _write_history(releases, remaining)
