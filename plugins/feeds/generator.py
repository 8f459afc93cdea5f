"""FeedsGenerator: calendars, Atom feeds and robots.txt from the council graph (sitemap.xml: see sitemap.write_sitemap)."""

from __future__ import annotations

import logging
from pathlib import Path

from pelican.generators import Generator

from plugins.council.generator import write_if_changed
from plugins.feeds import atom, ical, sitemap
from plugins.feeds.links import PublicUrlInvalid, absolute, host, public_url

log = logging.getLogger(__name__)

# Without PUBLIC_URL, calendar UIDs still need a domain (RFC 5545 §3.8.4.7 recommends one).
FALLBACK_DOMAIN = "ratsinfo"


class FeedsGenerator(Generator):
    """Runs after CouncilGenerator (PLUGINS order), so the graph is in the context."""

    def generate_context(self):
        try:
            self.base = public_url(self.settings.get("PUBLIC_URL"))
        except PublicUrlInvalid as exc:
            raise RuntimeError(str(exc)) from exc

    def generate_output(self, writer):
        graph = self.context.get("council_graph")
        if graph is None:
            raise RuntimeError("plugins.feeds braucht plugins.council: in PLUGINS davor eintragen")
        output = Path(self.output_path)
        body = self.context.get("council_body")
        self.site_name = body.name if body else self.settings.get("SITENAME", "Ratsinformation")
        if self.base is None:
            log.warning(
                "PUBLIC_URL fehlt: sitemap.xml und die Atom-Feeds (feeds/) werden nicht geschrieben, "
                "Kalender (.ics) tragen keine Links, robots.txt nennt keine Sitemap. "
                'In pelicanconf.py die öffentliche Adresse setzen, z. B. PUBLIC_URL = "https://ratsinfo.stadt.example/"'
            )
        written = self.write_calendars(graph, output)
        if self.base is not None:
            written += self.write_atom_feeds(graph, output)
        sitemap_url = absolute(self.base, "sitemap.xml") if self.base else None
        written += write_if_changed(output / "robots.txt", sitemap.robots(sitemap_url))
        log.info("ratsinfo: %d Kalender- und Feed-Dateien neu geschrieben", written)

    def url(self, obj) -> str | None:
        return absolute(self.base, obj.url) if self.base else None

    def write_calendars(self, graph, output: Path) -> int:
        domain = host(self.base) if self.base else FALLBACK_DOMAIN
        meetings = ical.calendar_meetings(graph.meetings.values())
        written = write_if_changed(output / "kalender/alle.ics", ical.calendar(
            f"kalender-alle@{domain}", f"Sitzungen – {self.site_name}", meetings, domain, self.url))
        for org in graph.organizations.values():
            org_meetings = ical.calendar_meetings(org.meetings)
            if org_meetings:
                written += write_if_changed(output / f"kalender/gremium-{org.id}.ics", ical.calendar(
                    f"kalender-gremium-{org.id}@{domain}", f"Sitzungen: {org.name}", org_meetings, domain, self.url))
        for meeting in meetings:
            written += write_if_changed(output / f"sitzungen/{meeting.id}.ics", ical.calendar(
                f"kalender-sitzung-{meeting.id}@{domain}", meeting.title, [meeting], domain, self.url))
        return written

    def write_atom_feeds(self, graph, output: Path) -> int:
        domain = host(self.base)
        feed = atom.Feed(atom.tag_uri(domain, "vorlagen"), absolute(self.base, "feeds/vorlagen.atom"),
                         f"Neue Vorlagen – {self.site_name}", absolute(self.base, "vorlagen/index.html"), self.site_name)
        papers = atom.newest(graph.papers.values())
        written = write_if_changed(output / "feeds/vorlagen.atom", atom.atom_feed(feed, papers, self.url, domain))
        by_org = atom.papers_by_organization(graph.papers.values())
        for org in graph.organizations.values():
            if org in by_org:
                name = f"gremium-{org.id}"
                feed = atom.Feed(atom.tag_uri(domain, f"vorlagen-{name}"), absolute(self.base, f"feeds/{name}.atom"),
                                 f"Vorlagen: {org.name}", self.url(org), self.site_name)
                written += write_if_changed(output / f"feeds/{name}.atom",
                                            atom.atom_feed(feed, atom.newest(by_org[org]), self.url, domain))
        return written
