"""Where the importers keep their private state: outside content/, for the importing account only.

content/ holds only what may be published, and is often shared (a web server's
document root, a network share, a repository). What an importer remembers for
its next run (the raw objects of incremental runs, the marks of withheld agenda
items) is bookkeeping of one installation and stays out of it:

  $RATSINFO_STATE_DIR/<digest>/                 when set, else
  $XDG_STATE_HOME/ratsinfo/<digest>/            else ~/.local/state/ratsinfo/<digest>/

<digest> stands for the resolved content folder, so two portals on one machine
keep apart. Folders are created with mode 0700 (docs/content-format.md).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

ENV = "RATSINFO_STATE_DIR"


def state_base() -> Path:
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    xdg = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(xdg) / "ratsinfo"


def state_path(content_dir: Path, base: Path | None = None) -> Path:
    """Where the private state of one content folder lies (under `base`, else state_base()); not created."""
    resolved = str(Path(content_dir).resolve())
    return (base or state_base()) / hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:16]


def state_dir(content_dir: Path) -> Path:
    """The private state folder of one content folder; created, and closed to other accounts."""
    folder = state_path(content_dir)
    for path in (folder.parent, folder):
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        # mkdir's mode is bent by the umask and leaves existing folders alone.
        os.chmod(path, 0o700)
    return folder
