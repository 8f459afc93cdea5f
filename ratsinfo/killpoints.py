"""Named points where a test can kill a run, to prove that a killed run loses nothing.

A run killed by SIGKILL or a power cut stops between two instructions; which two
cannot be chosen from outside without a timing. So the import and the build call
`kill_point("name")` where a kill matters (between two files moved, before the
state is written …). With `RATSINFO_TEST_KILL_AT=<name>:<n>` in the environment,
the n-th call of that name sends SIGKILL to the calling process: no `finally`,
no cleanup, as with a real kill (tests/test_kill_safety.py). Without it the
call costs one dictionary lookup.

The points: import:before-staging, import:staged-file (an attachment downloaded),
import:applied-file (a file written, moved or deleted in content/), import:before-state
(importers/content.py); build:page (Pelican wrote a page into the staging folder),
build:before-apply, build:overlay-move (a file moved into output/), build:swap (between
the two renames of a full build) (ratsinfo/build.py), build:dumps-patched (a table patched
into the dumps' database slot, in the writers' child: plugins/opendata), build:before-manifest (the site is in
place, SHA256SUMS not yet written: ratsinfo/manifest.py).
"""

from __future__ import annotations

import os
import signal

ENVIRONMENT = "RATSINFO_TEST_KILL_AT"
_seen: dict[str, int] = {}


def kill_point(name: str):
    wanted = os.environ.get(ENVIRONMENT)
    if not wanted:
        return
    point, _, count = wanted.rpartition(":")
    if point != name:
        return
    _seen[name] = _seen.get(name, 0) + 1
    if _seen[name] == int(count):
        # SIGKILL, not an exception: nothing of ours may run after this point.
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
