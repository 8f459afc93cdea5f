"""Two small file helpers the council rooms and other plugins share.

Everything else that makes rebuilds fast is in plugins/council/reuse/. These two move to
plugins/common.py (issue 15), with the other helpers plugins share.
"""

from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing(path: Path):
    """A file handle whose bytes become `path` at once when the block ends, or never: a reader
    sees the old file or the new one, not half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-")
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def json_lines(data) -> str:
    """JSON with one entry per line, so that two builds' files can be compared with diff.
    Not indent=: that takes Python's slow encoder (0.1 s per 100,000 entries)."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",\n", ":")) + "\n"
