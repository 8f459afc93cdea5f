"""The public address: feeds, calendars and sitemaps need absolute links (plugins/urls.absolute),
our pages never use them."""

from __future__ import annotations

from urllib.parse import urlsplit


class PublicUrlInvalid(ValueError):
    """The PUBLIC_URL setting is not an http(s) address; the message says what to write."""


def public_url(value) -> str | None:
    """The site's public address from the PUBLIC_URL setting, ending in "/", or None if unset."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise PublicUrlInvalid(
            f"PUBLIC_URL {text!r} ist keine Web-Adresse. Die öffentliche Adresse des Portals in "
            'ratsinfo.toml eintragen, z. B. PUBLIC_URL = "https://ratsinfo.stadt.example/", oder mit '
            "--public-url angeben"
        )
    return text if text.endswith("/") else text + "/"


def host(base: str) -> str:
    return urlsplit(base).hostname
