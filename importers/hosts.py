"""From which hosts attachments may be fetched: the one rule for every download path.

A feed names the addresses of its files (`accessUrl`), and whatever we fetch we
publish. A feed that points at `http://10.0.0.5/personal.pdf` or at a cloud
metadata address (169.254.169.254) would make the importer copy an intranet
document onto the public portal (issue 13). So an attachment is fetched only

- over http(s), and over https when the source is https (no downgrade),
- from the source's own host name or a host the webmaster allows (`--allow-host`),
- from addresses that are public, or of the same kind as the source's own: a
  loopback, private or link-local address only when the source itself has one
  (a test server on 127.0.0.1, an RIS in the intranet).

Host names are checked before anything is sent; addresses are checked when the
connection is made (GuardedBackend), on the very address connected to, so a
name that resolves to something else the second time (DNS rebinding) gains
nothing. Redirects are followed by the caller hop by hop, each hop checked here.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urlsplit

import httpcore
import httpx

# What kind of address a host has. Only PUBLIC is always fine; the others only
# when the source has the same kind; NEVER not at all (0.0.0.0 reaches this
# machine, multicast and reserved ranges are no place for a document).
PUBLIC, LOOPBACK, PRIVATE, LINK_LOCAL, NEVER = "öffentlich", "Loopback", "privat", "link-local", "unzulässig"


class HostRefused(Exception):
    """An attachment address the rule does not allow; nothing was sent to it."""

    def __init__(self, url: str, reason: str):
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


def address_kind(address: str) -> str:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # fe80::1%eth0: the zone is no part of the kind
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped  # ::ffff:10.0.0.5 is 10.0.0.5
    if ip.is_unspecified or ip.is_multicast or ip.is_reserved:
        return NEVER
    if ip.is_loopback:
        return LOOPBACK
    if ip.is_link_local:
        return LINK_LOCAL
    if ip.is_private or not ip.is_global:  # RFC 1918, fc00::/7, 100.64.0.0/10 …
        return PRIVATE
    return PUBLIC


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (a literal address is itself)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").rstrip(".").lower()


@dataclass
class HostPolicy:
    """The rule for one source. `resolver` is socket-based; tests may hand in a table."""

    source_url: str
    allowed_hosts: frozenset[str] = frozenset()
    resolver: Callable[[str, int], list[str]] = resolve
    _source_kinds: set[str] | None = field(default=None, init=False, repr=False)

    def __post_init__(self):
        self.allowed_hosts = frozenset(h.strip().rstrip(".").lower() for h in self.allowed_hosts if h.strip())
        self.source_host = _host(self.source_url)
        self.source_https = urlsplit(self.source_url).scheme.lower() == "https"

    def check_url(self, url: str, came_from: str | None = None):
        """Scheme and host name of an attachment URL or of a redirect hop; no traffic."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise HostRefused(url, f"nur http und https werden geladen, nicht {scheme or 'ohne Schema'}")
        downgrade = self.source_https or (came_from and urlsplit(came_from).scheme.lower() == "https")
        if scheme == "http" and downgrade:
            raise HostRefused(url, "von https auf http herabgestuft")
        if parts.username or parts.password:
            raise HostRefused(url, "Adresse mit Benutzername oder Passwort")
        host = _host(url)
        if host != self.source_host and host not in self.allowed_hosts:
            raise HostRefused(url, f"Host {host or '(leer)'} ist weder der Host der Quelle ({self.source_host}) "
                                   "noch mit --allow-host erlaubt")

    def source_kinds(self) -> set[str]:
        if self._source_kinds is None:
            parts = urlsplit(self.source_url)
            try:
                addresses = self.resolver(self.source_host, parts.port or 443)
            except OSError:
                addresses = []  # then only public addresses pass: the safe side
            self._source_kinds = {address_kind(a) for a in addresses}
        return self._source_kinds

    def addresses(self, host: str, port: int) -> list[str]:
        """The addresses to connect to for `host`; refused unless every one of them passes."""
        addresses = self.resolver(host, port)
        if not addresses:
            raise HostRefused(host, "Host hat keine Adresse")
        allowed = self.source_kinds() - {NEVER}
        for address in addresses:
            kind = address_kind(address)
            if kind != PUBLIC and kind not in allowed:
                raise HostRefused(f"{host} ({address})", f"Adresse ist {kind}, die der Quelle nicht: Dokumente "
                                  "aus internen Netzen nur von einer Quelle im selben Netz")
        return addresses


class GuardedBackend(httpcore.SyncBackend):
    """Connects only to addresses the policy passed, and to exactly those."""

    def __init__(self, policy: HostPolicy):
        self.policy = policy

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        try:
            addresses = self.policy.addresses(host, port)
        except OSError as exc:  # the name does not resolve: a network error like any other
            raise httpcore.ConnectError(f"{host}: {exc}") from exc
        last_error: Exception | None = None
        for address in addresses:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:  # try the host's next address
                last_error = exc
        raise last_error

    def connect_unix_socket(self, *args, **kwargs):
        raise HostRefused("unix socket", "nicht erlaubt")


class _GuardedTransport(httpx.HTTPTransport):
    def __init__(self, policy: HostPolicy):
        super().__init__(trust_env=False)
        # No proxy, on purpose: a proxy would connect to addresses we never see.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(), network_backend=GuardedBackend(policy),
            max_connections=10, max_keepalive_connections=5,
        )


def guarded_client(policy: HostPolicy, timeout: float, user_agent: str) -> httpx.Client:
    """An httpx client for attachments: never follows redirects itself, connects only
    where `policy` allows (redirects: the caller checks each hop with check_url)."""
    return httpx.Client(transport=_GuardedTransport(policy), timeout=timeout, follow_redirects=False,
                        headers={"User-Agent": user_agent}, trust_env=False)
