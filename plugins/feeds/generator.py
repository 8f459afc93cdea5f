"""FeedsGenerator: calendars, Atom feeds and robots.txt from the council graph (sitemap.xml: see sitemap.write_sitemap)."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlsplit

from pelican.generators import Generator

from datetime import timedelta

from plugins.council.generator import site_today, write_if_changed
from plugins.council.pages import PageSpec, meeting_row_deps
from plugins.feeds import atom, ical, sitemap
from plugins.feeds.links import PublicUrlInvalid, absolute, host, public_url
from plugins.i18n import load_translations

log = logging.getLogger(__name__)

# Calendar UIDs need a domain (RFC 5545 §3.8.4.7 recommends one); this one when the source names none.
FALLBACK_DOMAIN = "ratsinfo"


def uid_domain(body) -> str:
    """The right-hand side of every calendar UID: the host the meetings' ids come from (the
    council's OParl server, from the body's `source`), as RFC 5545 §3.8.4.7 suggests. Never
    the portal's PUBLIC_URL: a town that sets or changes it later would otherwise see every
    subscribed meeting twice, once under each UID. The source is shown on every page already."""
    source = getattr(body, "source", None) or ""
    parts = urlsplit(source)
    return parts.hostname if parts.scheme in ("http", "https") and parts.hostname else FALLBACK_DOMAIN


class FeedsGenerator(Generator):
    """Runs after CouncilGenerator (PLUGINS order), so the graph is in the context."""

    def generate_context(self):
        try:
            self.base = public_url(self.settings.get("PUBLIC_URL"))
        except PublicUrlInvalid as exc:
            raise RuntimeError(str(exc)) from exc
        graph = self.context.get("council_graph")
        if graph is None:
            raise RuntimeError("plugins.feeds braucht plugins.council: in PLUGINS davor eintragen")
        body = self.context.get("council_body")
        self.site_name = body.name if body else self.settings.get("SITENAME", "Ratsinformation")
        # Calendar and feed texts in the portal's language (plugins/i18n), German without a catalogue.
        translations, self.language = load_translations(self.settings)
        self.gettext = translations.gettext
        # Calendars go into the council plan: rendered on every core, and only when one of
        # their meetings changed (plugins/council/incremental.py).
        self.context.setdefault("council_extra_specs", []).extend(self.calendar_specs(graph))

    def generate_output(self, writer):
        graph = self.context["council_graph"]
        output = Path(self.output_path)
        if self.base is None:
            log.warning(
                "PUBLIC_URL fehlt: sitemap.xml und die Atom-Feeds (feeds/) werden nicht geschrieben, "
                "Kalender (.ics) tragen keine Links, robots.txt nennt keine Sitemap. "
                'In pelicanconf.py die öffentliche Adresse setzen, z. B. PUBLIC_URL = "https://ratsinfo.stadt.example/"'
            )
        written = 0
        if self.base is not None:
            written += self.write_atom_feeds(graph, output)
        sitemap_url = absolute(self.base, "sitemap.xml") if self.base else None
        written += write_if_changed(output / "robots.txt", sitemap.robots(sitemap_url))
        log.info("ratsinfo: %d Feed-Dateien neu geschrieben", written)

    def url(self, obj) -> str | None:
        return absolute(self.base, obj.url) if self.base else None

    def calendar_specs(self, graph) -> list[PageSpec]:
        """kalender/alle.ics, one calendar per committee and one per meeting, as planned files."""
        domain = uid_domain(self.context.get("council_body"))
        past_days = self.settings.get("CALENDAR_PAST_DAYS")
        since = site_today(self.settings) - timedelta(days=past_days) if past_days is not None else None

        def spec(path, uid, name, meetings, *others, salt=""):
            # An event shows its meeting, agenda and location (all in the meeting's file) and
            # the names of its committees; the calendar's name may be a committee's.
            return PageSpec(path, "ics", depends_on=meeting_row_deps(meetings) | frozenset(o.key for o in others),
                            produce=lambda: ical.calendar(uid, name, meetings, domain, self.url, self.gettext),
                            salt=salt)

        def recent(meetings):
            return [m for m in meetings if since is None or ical.in_berlin(m.start).date() >= since]

        meetings = ical.calendar_meetings(graph.meetings.values())
        everything = self.gettext("Sitzungen – %(site)s") % {"site": self.site_name}
        specs = [spec("kalender/alle.ics", f"kalender-alle@{domain}", everything,
                      recent(meetings), salt=repr(since))]
        for org in graph.organizations.values():
            org_meetings = ical.calendar_meetings(org.meetings)
            if org_meetings:  # a committee that ever met keeps its calendar, even if empty for now
                specs.append(spec(f"kalender/gremium-{org.id}.ics", f"kalender-gremium-{org.id}@{domain}",
                                  self.gettext("Sitzungen: %(organization)s") % {"organization": org.name},
                                  recent(org_meetings), org, salt=repr(since)))
        for meeting in meetings:
            specs.append(spec(f"sitzungen/{meeting.id}.ics", f"kalender-sitzung-{meeting.id}@{domain}",
                              meeting.title, [meeting]))
        return specs

    def write_atom_feeds(self, graph, output: Path) -> int:
        domain = host(self.base)
        feed = atom.Feed(atom.tag_uri(domain, "vorlagen"), absolute(self.base, "feeds/vorlagen.atom"),
                         self.gettext("Neue Vorlagen – %(site)s") % {"site": self.site_name},
                         absolute(self.base, "vorlagen/index.html"), self.site_name)
        papers = atom.newest(graph.papers.values())
        written = write_if_changed(output / "feeds/vorlagen.atom",
                                   atom.atom_feed(feed, papers, self.url, domain, self.gettext, self.language))
        by_org = atom.papers_by_organization(graph.papers.values())
        for org in graph.organizations.values():
            if org in by_org:
                name = f"gremium-{org.id}"
                feed = atom.Feed(atom.tag_uri(domain, f"vorlagen-{name}"), absolute(self.base, f"feeds/{name}.atom"),
                                 self.gettext("Vorlagen: %(organization)s") % {"organization": org.name},
                                 self.url(org), self.site_name)
                written += write_if_changed(output / f"feeds/{name}.atom",
                                            atom.atom_feed(feed, atom.newest(by_org[org]), self.url, domain,
                                                           self.gettext, self.language))
        return written
