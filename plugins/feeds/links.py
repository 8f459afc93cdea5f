"""The public address: feeds, calendars and sitemaps need absolute links (plugins/urls.absolute),
our pages never use them."""

from __future__ import annotations

from urllib.parse import urlsplit

from ratsinfo.settings import SettingInvalid, public_address


class PublicUrlInvalid(ValueError):
    """The PUBLIC_URL setting is not an http(s) address; the message says what to write."""


def public_url(value) -> str | None:
    """The site's public address from the PUBLIC_URL setting, ending in "/", or None if unset;
    checked by the same rule as in ratsinfo.toml and --public-url (ratsinfo/settings.py)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return public_address(value)
    except SettingInvalid as exc:
        raise PublicUrlInvalid(
            f"PUBLIC_URL: {exc}. Die öffentliche Adresse des Portals in ratsinfo.toml eintragen, z. B. "
            'PUBLIC_URL = "https://ratsinfo.stadt.example/", oder mit --public-url angeben'
        ) from None


def host(base: str) -> str:
    return urlsplit(base).hostname
