"""Reuse: what makes a rebuild after a few edits fast, without changing a byte of its output.

- parse_cache.py   the front matter of every content file, kept by its stamp
- snapshot.py      the loaded graph, with the edits since copied onto it
- plan_index.py    the last full planning's plan: which page shows which object
- fingerprints.py  what each page shows, as one number; the build state in output/
- redating.py      a new day of data: only the footer's date replaced
- rebuild.py       which pages this build renders, takes over or re-dates
- cache.py         where these files live, written in the background

Every way a rebuild can take gives the bytes of a build from nothing (tests/test_incremental.py).
"""
