"""Full-text search: offer the search page when there will be an index (signal
`all_generators_finalized`, before any page is written), then run Pagefind over the finished
output (signal `finalized`)."""

from pelican import signals

from plugins.search.pagefind import offer_search, run_pagefind


def register():
    signals.all_generators_finalized.connect(offer_search)
    # finalized fires after every generator and the static files, so all HTML is there.
    signals.finalized.connect(run_pagefind)
