"""What the operating system offers beyond plain Python, decided in one place.

ratsinfo runs on Linux and on Windows hosts (IIS intranets, docs/deploy.md). Where Windows
lacks a POSIX feature, the code takes a path without it. RATSINFO_PORTABLE=1 takes those
paths on Linux too: a test switch, so that the build without fork and fcntl is built and
compared with the usual one here (tests/test_portable.py).
"""

from __future__ import annotations

import os


def forced() -> bool:
    """RATSINFO_PORTABLE=1: behave as on Windows (no fork, no fcntl, no resource limits)."""
    return os.environ.get("RATSINFO_PORTABLE", "") not in ("", "0")


def can_fork() -> bool:
    """Worker pools that share the graph by fork, and snapshot writers in the background."""
    return hasattr(os, "fork") and not forced()


def fcntl():
    """The fcntl module (flock), or None on Windows."""
    if forced():
        return None
    try:
        import fcntl
    except ImportError:
        return None
    return fcntl


def resource():
    """The resource module (RLIMIT_CPU, RLIMIT_AS), or None on Windows."""
    if forced():
        return None
    try:
        import resource
    except ImportError:
        return None
    return resource


def select_takes_pipes() -> bool:
    """select() waits on pipes on POSIX; on Windows it takes sockets only."""
    return os.name == "posix" and not forced()


def rename_replaces_links() -> bool:
    """os.replace onto an existing link to a folder: one atomic rename on POSIX; Windows
    (MoveFileEx) refuses to replace a directory link, so the old one goes first."""
    return os.name == "posix" and not forced()
