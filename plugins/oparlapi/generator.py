"""OParlGenerator: the static OParl 1.1 API under oparl/, rewritten into each build's staging
folder and moved into output/ only where its bytes differ (ratsinfo/build.apply_overlay), as the
feeds are."""

from __future__ import annotations

import json
import logging
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican.generators import Generator

from plugins.common import site_today, write_if_changed
from plugins.oparlapi import stamps
from plugins.oparlapi.layout import FOLDER, PAGE_SIZE, SYSTEM, Urls
from plugins.i18n import load_translations
from plugins.oparlapi.objects import CLOSED_ITEM_NAME, Objects, licence_url
from ratsinfo.contracts import OPARL_STATE
from ratsinfo.settings import SettingInvalid, public_address

log = logging.getLogger(__name__)

PRODUCT = "https://github.com/ratsinfo/ratsinfo"


def encode(obj) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


class OParlGenerator(Generator):
    """Runs after CouncilGenerator (PLUGINS order), so the graph is in the context."""

    def generate_context(self):
        graph = self.context.get("council_graph")
        if graph is None:
            raise RuntimeError("plugins.oparlapi braucht plugins.council: in PLUGINS davor eintragen")
        self.base = None
        configured = self.settings.get("PUBLIC_URL")
        if configured:
            try:
                self.base = public_address(configured)
            except SettingInvalid as exc:
                raise RuntimeError(f"PUBLIC_URL: {exc}") from None
        # deploy's server files send oparl/ as JSON with CORS only when there is an API.
        self.context["oparl_api"] = FOLDER if self.base is not None else None

    def generate_output(self, writer):
        if self.base is None:
            log.warning(
                "PUBLIC_URL fehlt: die OParl-Schnittstelle (oparl/) wird nicht geschrieben, denn ihre Ids sind "
                "absolute Adressen. Die öffentliche Adresse in ratsinfo.toml setzen, z. B. "
                'PUBLIC_URL = "https://ratsinfo.stadt.example/", oder mit --public-url angeben')
            return
        output = Path(self.output_path)
        tz = ZoneInfo(self.settings.get("TIMEZONE") or "Europe/Berlin")
        previous = self.settings.get("RATSINFO_PREVIOUS_OUTPUT") or self.output_path
        clock = stamps.Clock(stamps.read_state(Path(previous) if previous else None), self.now(tz))
        urls = Urls(self.base)
        objects = Objects(self.context["council_graph"], urls, clock, tz=tz,
                          web_url=lambda obj: urls.url(obj.url),
                          contact=bool(self.settings.get("PUBLISH_CONTACT_DATA")),
                          licence=licence_url(self.settings.get("DATA_LICENCE")),
                          closed_item_name=load_translations(self.settings)[0].gettext(CLOSED_ITEM_NAME)).build()
        self.context["oparl_objects"] = (objects, self.base)  # the dumps' rows (plugins/opendata)
        pages = {SYSTEM: self.system(urls, objects, clock)}  # stamped before the graves are counted
        graves = clock.tombstones(self.settings.get("OPARL_TOMBSTONE_DAYS"))
        written = 0
        by_type = {name: list(found) for name, found in objects.by_type.items()}
        for url, grave in graves.items():
            # Graves under another address (PUBLIC_URL changed) are not ours to keep.
            if urls.path(url) is not None and grave["type"].rsplit("/", 1)[-1] in by_type:
                by_type[grave["type"].rsplit("/", 1)[-1]].append(grave)
        for type_name, found in by_type.items():
            for obj in found:
                pages[urls.path(obj["id"])] = obj
            pages.update(self.list_pages(urls, type_name, found))
        for path, obj in pages.items():
            written += write_if_changed(output / path, encode(obj))
        write_if_changed(output / OPARL_STATE, clock.state())
        log.info("ratsinfo: OParl-Schnittstelle mit %d Dateien, %d neu geschrieben, %d gelöschte Objekte",
                 len(pages), written, len(graves))

    def now(self, tz) -> datetime:
        """The build's moment: midnight of RATSINFO_TODAY when it is pinned (tests), else now."""
        if self.settings.get("RATSINFO_TODAY"):
            return datetime.combine(site_today(self.settings), time(), tzinfo=tz)
        return datetime.now(tz).replace(microsecond=0)

    def system(self, urls: Urls, objects: Objects, clock) -> dict:
        system = {
            "id": urls.url(SYSTEM), "type": urls.type_of("System"), "oparlVersion": "https://schema.oparl.org/1.1/",
            "body": urls.list_page("Body", 1), "name": self.context.get("portal_name") or "Ratsinformation",
            "website": self.base, "product": PRODUCT, "license": objects.licence,
        }
        system = {k: v for k, v in system.items() if v}
        system["created"], system["modified"] = clock.stamp(system, None)
        return system

    def list_pages(self, urls: Urls, type_name: str, found: list[dict]) -> dict[str, dict]:
        """The external list of a type, PAGE_SIZE entries a page, in a stable order (2-05)."""
        total = max(1, -(-len(found) // PAGE_SIZE))
        pages = {}
        for page in range(1, total + 1):
            links = {"first": urls.list_page(type_name, 1), "last": urls.list_page(type_name, total),
                     "self": urls.list_page(type_name, page)}
            if page > 1:
                links["prev"] = urls.list_page(type_name, page - 1)
            if page < total:
                links["next"] = urls.list_page(type_name, page + 1)
            pages[urls.path(links["self"])] = {
                "data": found[(page - 1) * PAGE_SIZE: page * PAGE_SIZE],
                "pagination": {"totalElements": len(found), "elementsPerPage": PAGE_SIZE,
                               "currentPage": page, "totalPages": total},
                "links": links,
            }
        return pages
