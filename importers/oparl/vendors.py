"""What differs per vendor when we talk to a server (not what it sends: that is quirks.py).

The vendor is recognised from the System object, as meine-stadt-transparent's
`get_loader_from_system` does (research/oparl.md S24, C12, M15).
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit


def vendor_of(system: dict | None) -> str:
    if not isinstance(system, dict):
        return "unbekannt"
    signature = " ".join(
        str(system.get(key, "")) for key in ("vendor", "product", "contactName", "name")
    ).lower()
    if "somacos" in signature or "sitzungsmanagementsystem session" in signature:
        return "somacos"
    if "cc-egov" in signature or "allris" in signature:
        return "cc-egov"
    if "sternberg" in signature or "sitzungsdienst.net" in signature or "sd.net" in signature:
        return "sternberg"
    return "unbekannt"


def filter_value(moment: datetime) -> str:
    # Whole seconds: SessionNet (Wuppertal) rejects microseconds (M2).
    return moment.replace(microsecond=0).isoformat()


def with_filters(url: str, filters: dict[str, str], vendor: str) -> str:
    """`url` with the filters set (kept or re-added: some servers drop them from links.next, G1).

    The spec wants the values URL-encoded, but SessionNet answers 404 to an
    encoded `modified_since` and needs the raw value (M1, MST SomacosLoader).
    """
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in filters]
    query += list(filters.items())
    if vendor == "somacos":
        encoded = "&".join(f"{quote(k)}={v}" for k, v in query)
    else:
        encoded = urlencode(query)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, encoded, parts.fragment))
