"""OParlGenerator: the static OParl 1.1 API under oparl/, written into each build's staging folder
(plugins/oparlapi/writing.py: in a child process, unchanged files as links to the old ones) and
moved into output/ only where its bytes differ (ratsinfo/build.apply_overlay)."""

from __future__ import annotations

import logging
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican.generators import Generator

from plugins import background
from plugins.common import site_today, write_if_changed
from plugins.oparlapi import stamps, writing
from plugins.oparlapi.layout import FOLDER, PAGE_SIZE, SYSTEM, Urls
from plugins.i18n import load_translations
from plugins.oparlapi.objects import CLOSED_ITEM_NAME, Objects, licence_url
from plugins.oparlapi.writing import ApiFiles, encode
from ratsinfo.contracts import OPARL_STATE
from ratsinfo.settings import SettingInvalid, public_address

log = logging.getLogger(__name__)

PRODUCT = "https://github.com/ratsinfo/ratsinfo"


class IdCollision(Exception):
    """Two API objects would be written to one file; the message names both."""


def check_unique_ids(urls: Urls, by_type: dict[str, list[dict]]):
    """Every object at its own address, also ignoring case (IIS, Windows shares): ids made of
    content ids can meet (paper `v-top` and the consultation of item `1` of paper `v`), and the
    second file would silently replace the first."""
    seen: dict[str, dict] = {}
    for found in by_type.values():
        for obj in found:
            key = obj["id"].lower()
            other = seen.setdefault(key, obj)
            if other is not obj:
                raise IdCollision(
                    f"Zwei Objekte der OParl-Schnittstelle hätten dieselbe Adresse {urls.path(obj['id'])}: "
                    f"{_describe(urls, other)} und {_describe(urls, obj)}. Eine der Inhaltsdateien umbenennen (Id) "
                    "oder in der Quelle korrigieren und neu bauen. Es wurde nichts geschrieben.")


def _describe(urls: Urls, obj: dict) -> str:
    """An object in words: its type and the objects it belongs to."""
    owners = [f"{label} {urls.path(obj[key]) or obj[key]}" for key, label in (
        ("paper", "Vorlage"), ("meeting", "Sitzung"), ("person", "Person"), ("agendaItem", "Tagesordnungspunkt"))
        if isinstance(obj.get(key), str)]
    return obj["type"].rsplit("/", 1)[-1] + (f" ({', '.join(owners)})" if owners else f" {urls.path(obj['id'])}")


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
        if self.base is None:
            return
        # The objects are made and written in a child process that starts before the pages are
        # rendered (plugins/background.py); the dumps take the same objects (plugins/opendata).
        tz = ZoneInfo(self.settings.get("TIMEZONE") or "Europe/Berlin")
        previous = Path(self.settings.get("RATSINFO_PREVIOUS_OUTPUT") or self.output_path)
        clock = stamps.Clock(stamps.read_state(previous), self.now(tz))
        urls = Urls(self.base)
        graph = self.context["council_graph"]
        contact, licence = bool(self.settings.get("PUBLISH_CONTACT_DATA")), licence_url(self.settings.get("DATA_LICENCE"))
        closed = load_translations(self.settings)[0].gettext(CLOSED_ITEM_NAME)
        objects = background.share(lambda: Objects(graph, urls, clock, tz=tz, web_url=lambda obj: urls.url(obj.url),
                                                   contact=contact, licence=licence,
                                                   closed_item_name=closed).build())
        self.context["oparl_objects"] = (objects, self.base)  # the dumps' rows (plugins/opendata)
        output = Path(self.output_path)
        background.queue(lambda: self.write(output, previous, clock, urls, objects()), self.written,
                         "OParl-Schnittstelle")

    def generate_output(self, writer):
        if self.base is None:
            log.warning(
                "PUBLIC_URL fehlt: die OParl-Schnittstelle (oparl/) wird nicht geschrieben, denn ihre Ids sind "
                "absolute Adressen. Die öffentliche Adresse in ratsinfo.toml setzen, z. B. "
                'PUBLIC_URL = "https://ratsinfo.stadt.example/", oder mit --public-url angeben')

    def write(self, output: Path, previous: Path | None, clock, urls: Urls, objects: Objects) -> dict:
        """Every file of the API and its state (in the child process, plugins/background.py)."""
        system = self.system(urls, objects, clock)  # stamped before the graves are counted
        graves = clock.tombstones(self.settings.get("OPARL_TOMBSTONE_DAYS"))
        by_type = {name: list(found) for name, found in objects.by_type.items()}
        for url, grave in graves.items():
            # Graves under another address (PUBLIC_URL changed) are not ours to keep.
            if urls.path(url) is not None and grave["type"].rsplit("/", 1)[-1] in by_type:
                by_type[grave["type"].rsplit("/", 1)[-1]].append(grave)
        check_unique_ids(urls, by_type)
        files = ApiFiles(output, previous, overlay=bool(self.settings.get("RATSINFO_OVERLAY")))
        files.put(SYSTEM, encode(system) + b"\n")
        for type_name, found in by_type.items():
            # Each object encoded once: its own file and its list page take the same bytes.
            encoded = [encode(obj) for obj in found]
            for obj, blob in zip(found, encoded):
                files.put(urls.path(obj["id"]), blob + b"\n")
            for path, blob in self.list_pages(urls, type_name, encoded):
                files.put(path, blob)
        write_if_changed(output / OPARL_STATE, clock.state(files.paths))
        return {"files": len(files.paths), "written": files.written, "graves": len(clock.graves),
                "vouched": files.vouched}

    @staticmethod
    def written(result: dict):
        writing.hand_on(result)
        log.info("ratsinfo: OParl-Schnittstelle mit %d Dateien, %d neu geschrieben, %d gelöschte Objekte",
                 result["files"], result["written"], result["graves"])

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

    def list_pages(self, urls: Urls, type_name: str, encoded: list[bytes]):
        """The external list of a type, PAGE_SIZE entries a page, in a stable order (2-05): (path,
        bytes) of each page, its entries spliced from the objects' own encoding."""
        total = max(1, -(-len(encoded) // PAGE_SIZE))
        for page in range(1, total + 1):
            links = {"first": urls.list_page(type_name, 1), "last": urls.list_page(type_name, total),
                     "self": urls.list_page(type_name, page)}
            if page > 1:
                links["prev"] = urls.list_page(type_name, page - 1)
            if page < total:
                links["next"] = urls.list_page(type_name, page + 1)
            rest = encode({"pagination": {"totalElements": len(encoded), "elementsPerPage": PAGE_SIZE,
                                          "currentPage": page, "totalPages": total}, "links": links})
            data = b",".join(encoded[(page - 1) * PAGE_SIZE: page * PAGE_SIZE])
            yield urls.path(links["self"]), b'{"data":[' + data + b"]," + rest[1:] + b"\n"
