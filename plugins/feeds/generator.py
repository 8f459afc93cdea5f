"""FeedsGenerator: calendars, Atom feeds and robots.txt from the council graph (sitemap.xml: see sitemap.write_sitemap)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from pelican.generators import Generator

from datetime import timedelta

from plugins.common import site_today, write_if_changed
from plugins.council.depends import meeting_row_deps
from plugins.council.plan import PageSpec
from plugins.feeds import atom, changes, ical, sitemap
from plugins.feeds.links import PublicUrlInvalid, host, public_url
from plugins.urls import absolute, list_page, meeting_calendar
from plugins.feeds.subscriptions import Subscriptions
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
        self.site_name = self.context.get("portal_name") or "Ratsinformation"
        # Calendar and feed texts in the portal's language (plugins/i18n), German without a catalogue.
        translations, self.language = load_translations(self.settings)
        self.gettext = translations.gettext
        # Each calendar and feed is noted where it is decided, and pages offer only those
        # (plugins/feeds/subscriptions.py); the council plan needs them before it plans.
        self.subscriptions = Subscriptions()
        # Calendars go into the council plan: rendered on every core, and only when one of
        # their meetings changed (plugins/council/reuse/fingerprints.py).
        self.context.setdefault("council_extra_specs", []).extend(self.calendar_specs(graph))
        self.atom_feeds = self.plan_atom_feeds(graph) if self.base is not None else []
        self.context["site_subscribe"] = self.subscriptions.site
        self.context["council_offers"] = self.subscriptions.by_object

    def generate_output(self, writer):
        output = Path(self.output_path)
        if self.base is None:
            log.warning(
                "PUBLIC_URL fehlt: sitemap.xml und die Atom-Feeds (feeds/) werden nicht geschrieben, "
                "Kalender (.ics) tragen keine Links, robots.txt nennt keine Sitemap. "
                'Die öffentliche Adresse in ratsinfo.toml setzen, z. B. PUBLIC_URL = "https://ratsinfo.stadt.example/", '
                "oder mit --public-url angeben"
            )
        written = sum(write_if_changed(output / path, produce()) for path, produce in self.atom_feeds)
        if self.base is not None:
            sitemap.note_last_modified(output, self.context["council_graph"])
        sitemap_url = absolute(self.base, "sitemap.xml") if self.base else None
        written += write_if_changed(output / "robots.txt", sitemap.robots(sitemap_url))
        log.info("ratsinfo: %d Feed-Dateien neu geschrieben", written)

    def url(self, obj) -> str | None:
        return absolute(self.base, obj.url) if self.base else None

    def webcal(self, path: str) -> str | None:
        """The calendar's address with the webcal scheme (provisional at IANA; what calendar apps
        register for); None without PUBLIC_URL: a relative link cannot say which host."""
        return "webcal://" + absolute(self.base, path).split("://", 1)[1] if self.base else None

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
        self.subscriptions.offer(None, calendar="kalender/alle.ics", webcal=self.webcal("kalender/alle.ics"))
        for org in graph.organizations.values():
            org_meetings = ical.calendar_meetings(org.meetings)
            if org_meetings:  # a committee that ever met keeps its calendar, even if empty for now
                path = f"kalender/gremium-{org.id}.ics"
                specs.append(spec(path, f"kalender-gremium-{org.id}@{domain}",
                                  self.gettext("Sitzungen: %(organization)s") % {"organization": org.name},
                                  recent(org_meetings), org, salt=repr(since)))
                self.subscriptions.offer(org, calendar=path, webcal=self.webcal(path))
        for meeting in meetings:
            path = meeting_calendar(meeting.id)
            specs.append(spec(path, f"kalender-sitzung-{meeting.id}@{domain}", meeting.title, [meeting]))
            self.subscriptions.offer(meeting, calendar=path)
        return specs

    def plan_atom_feeds(self, graph) -> list[tuple[str, Callable[[], bytes]]]:
        """The Atom feeds (path, bytes at write time): all papers, and one per committee that
        directs or consults any. Only with PUBLIC_URL: a feed needs absolute links."""
        domain = host(self.base)

        def feed(path, name, title, page, papers):
            about = atom.Feed(atom.tag_uri(domain, name), absolute(self.base, path), title, page, self.site_name)
            return path, lambda: atom.atom_feed(about, atom.newest(papers), self.url, domain, self.gettext,
                                                self.language)

        everything = self.gettext("Neue Vorlagen – %(site)s") % {"site": self.site_name}
        feeds = [feed("feeds/vorlagen.atom", "vorlagen", everything, absolute(self.base, list_page("paper")),
                      graph.papers.values())]
        self.subscriptions.offer(None, feed="feeds/vorlagen.atom")
        by_org = atom.papers_by_organization(graph.papers.values())
        for org in graph.organizations.values():
            if org in by_org:
                name = f"gremium-{org.id}"
                feeds.append(feed(f"feeds/{name}.atom", f"vorlagen-{name}",
                                  self.gettext("Vorlagen: %(organization)s") % {"organization": org.name},
                                  self.url(org), by_org[org]))
                self.subscriptions.offer(org, feed=f"feeds/{name}.atom")
        return feeds + self.plan_change_feeds(graph, by_org)

    def plan_change_feeds(self, graph, papers_by_org) -> list[tuple[str, Callable[[], bytes]]]:
        """New agendas, new minutes and all changes (plugins/feeds/changes.py): for the whole council,
        and per committee that ever met or has papers."""
        domain = host(self.base)
        titles = {
            "tagesordnungen": (self.gettext("Neue Tagesordnungen – %(site)s"), self.gettext("Neue Tagesordnungen: %(organization)s")),
            "niederschriften": (self.gettext("Neue Niederschriften – %(site)s"), self.gettext("Neue Niederschriften: %(organization)s")),
            "aenderungen": (self.gettext("Änderungen – %(site)s"), self.gettext("Änderungen: %(organization)s")),
        }

        def feed(path, name, title, page, meetings, papers, kind):
            about = atom.Feed(atom.tag_uri(domain, name), absolute(self.base, path), title, page, self.site_name)
            return path, lambda: changes.changes_feed(about, changes.entries(meetings, papers, kind), self.url,
                                                      domain, self.gettext, self.language)

        feeds = []
        for kind, (everything, per_org) in titles.items():
            feeds.append(feed(f"feeds/{kind}.atom", kind, everything % {"site": self.site_name},
                              absolute(self.base, list_page("meeting")), graph.meetings.values(),
                              graph.papers.values(), kind))
            for org in graph.organizations.values():
                if org.meetings or org in papers_by_org:
                    name = f"gremium-{org.id}-{kind}"
                    feeds.append(feed(f"feeds/{name}.atom", name, per_org % {"organization": org.name},
                                      self.url(org), org.meetings, papers_by_org.get(org, []), kind))
        offered = {"aenderungen": "changes", "tagesordnungen": "agendas", "niederschriften": "minutes"}
        self.subscriptions.offer(None, **{field: f"feeds/{kind}.atom" for kind, field in offered.items()})
        for org in graph.organizations.values():
            if org.meetings or org in papers_by_org:
                self.subscriptions.offer(org, **{field: f"feeds/gremium-{org.id}-{kind}.atom" for kind, field in offered.items()})
        return feeds
