"""Feeds for other programs: iCalendar for meetings, Atom for papers, sitemap.xml and robots.txt."""

from pelican import signals

from plugins.feeds.generator import FeedsGenerator
from plugins.feeds.sitemap import write_sitemap


def get_generators(pelican):
    return FeedsGenerator


def register():
    # Listed after plugins.council in PLUGINS, so our generator runs after CouncilGenerator
    # and finds the graph in the context.
    signals.get_generators.connect(get_generators)
    # The sitemap lists the HTML pages on disk, so it waits until all generators have run.
    signals.finalized.connect(write_sitemap)
