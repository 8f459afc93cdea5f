"""Which calendars and feeds this build writes: pages offer exactly those, and nothing else.

Templates used to guess (organization.html linked a feed for every committee once PUBLIC_URL
was set, FeedsGenerator writes one only for committees with papers: five broken links in the
demo, and `ratsinfo update` failed on every run). Now FeedsGenerator notes each file as it
decides to write it, and hands the notes on through the Pelican context:

- `site_subscribe`: the whole site's calendar and feed, for every page (base.html, lists);
  it is part of every page's fingerprint (plugins/council/reuse/fingerprints.py).
- `council_offers`: per object key, its page's calendar and feed; the page plan
  (plugins/council/plan.py) puts it into that page's context as `subscribe` and into its
  fingerprint, so a page re-renders when its link appears or goes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Subscribe:
    """Paths relative to the site root of what a page may offer to subscribe; None: not written."""

    calendar: str | None = None   # an iCalendar file (.ics)
    feed: str | None = None       # an Atom feed (.atom) of new papers
    changes: str | None = None    # the Atom feed of changes (plugins/feeds/changes.py)
    agendas: str | None = None    # the Atom feed of new agendas
    minutes: str | None = None    # the Atom feed of new minutes
    # The calendar as webcal:// (absolute, so only with PUBLIC_URL): a click subscribes in
    # Apple Kalender and Outlook instead of downloading the file once.
    webcal: str | None = None

    def __bool__(self) -> bool:
        return bool(self.calendar or self.feed or self.changes or self.agendas or self.minutes)


class Subscriptions:
    """The calendars and feeds of one build, noted by the code that writes them."""

    def __init__(self):
        self.site = Subscribe()
        self.by_object: dict[tuple[str, str], Subscribe] = {}

    def offer(self, obj, **paths: str):
        """`obj`'s page (None: every page) offers these files (calendar=…, feed=…)."""
        if obj is None:
            self.site = replace(self.site, **paths)
        else:
            self.by_object[obj.key] = replace(self.by_object.get(obj.key, Subscribe()), **paths)
