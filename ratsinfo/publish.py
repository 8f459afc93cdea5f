"""Publish a built site atomically, keep earlier versions, roll back.

The published folder is a symbolic link to one of the releases kept next to
it (`<folder>.versionen/<time>`). Publishing copies the new build into a new
release and then switches the link in one rename, so a visitor sees either
the old or the new site, never a mix. `rollback` switches back.
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path

KEEP = 3


class PublishFailed(Exception):
    pass


def releases_of(target: Path) -> Path:
    return target.parent / f"{target.name}.versionen"


def _switch(target: Path, release: Path):
    link = target.parent / f".{target.name}.umschalten"
    link.unlink(missing_ok=True)
    os.symlink(release, link, target_is_directory=True)
    os.replace(link, target)


def publish(output: Path, target: Path, keep: int = KEEP) -> Path:
    output, target = Path(output).resolve(), Path(target).absolute()
    if not (output / "index.html").is_file():
        raise PublishFailed(f"{output} ist kein gebautes Portal (index.html fehlt)")
    releases = releases_of(target)
    releases.mkdir(parents=True, exist_ok=True)
    if target.exists() and not target.is_symlink():
        # First publish onto a plain folder: keep it as the oldest version.
        os.replace(target, releases / "0000-vorher")
        _switch(target, releases / "0000-vorher")
    name = datetime.now().strftime("%Y-%m-%dT%H-%M-%S")
    release, counter = releases / name, 1
    while release.exists():
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
    _switch(target, release)
    _prune(releases, current=release, keep=keep)
    return release


def current_release(target: Path) -> Path | None:
    target = Path(target).absolute()
    return Path(os.readlink(target)) if target.is_symlink() else None


def _versions(releases: Path) -> list[Path]:
    return sorted(p for p in releases.iterdir() if p.is_dir() and not p.name.startswith("."))


def rollback(target: Path) -> Path:
    target = Path(target).absolute()
    current = current_release(target)
    if current is None:
        raise PublishFailed(f"{target} wurde nicht mit ratsinfo publish veröffentlicht")
    versions = _versions(releases_of(target))
    older = [v for v in versions if v.name < current.name and v != current]
    if not older:
        raise PublishFailed("Es gibt keine frühere Version zum Zurückschalten")
    _switch(target, older[-1])
    return older[-1]


def _prune(releases: Path, current: Path, keep: int):
    versions = [v for v in _versions(releases) if v != current]
    for old in versions[: max(0, len(versions) - (keep - 1))]:
        shutil.rmtree(old, ignore_errors=True)
