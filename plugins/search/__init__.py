"""Full-text search: run Pagefind over the finished output (signal `finalized`)."""

from pelican import signals

from plugins.search.pagefind import run_pagefind


def register():
    # finalized fires after every generator and the static files, so all HTML is there.
    signals.finalized.connect(run_pagefind)
