"""Which network addresses Kurt connects to: public ones, and the sites the user named.

A page, sitemap, feed or robots.txt is content from the web: the URLs it holds
(links, ``<loc>`` entries, ``Sitemap:`` lines, a redirect's ``Location``) can
point anywhere, such as the cloud metadata service at 169.254.169.254, an admin
page on another port of this machine, or the office router. ``AddressPolicy``
decides, for each request, whether Kurt may connect:

- a site the user named is TRUSTED: the URL given to ``kurt content map``,
  ``add`` or ``fetch`` (or a ``--urls-file`` line, or ``--sitemap``), and every
  site with documents already in the workspace. Its address is never checked,
  so ``http://127.0.0.1:8000`` or an intranet name keep working. "Site" means
  what :func:`kurt.ingest.urls.same_site` means: the host with or without
  ``www.``, http or https, and the same explicit port;
- any other host must be PUBLIC: an IP address written in the URL (including
  odd IPv4 forms such as ``2130706433`` or ``127.1``) is checked before anything
  is sent (:meth:`AddressPolicy.refusal`). A host NAME is checked twice
  (:meth:`AddressPolicy.check`): before the request, Kurt resolves it and
  refuses when an address it resolves to is not public, so no connection is
  made; then an httpx ``trace`` hook (:meth:`AddressPolicy.tracer`) checks the
  address the socket is ACTUALLY connected to, after the TCP handshake and
  before a byte is sent, and closes it when that one is not public. The second
  check is what makes it robust: a DNS answer that changes between the two
  (DNS rebinding) is still caught, because the address checked is the one in use;
- ``[ingest] allow_private_addresses = true`` in kurt.toml turns the check off
  (an intranet whose pages redirect from one internal host to another).

Not public: loopback, private (RFC 1918, IPv6 unique local), link-local,
unspecified, multicast, shared (100.64/10), reserved and documentation ranges,
i.e. whatever ``ipaddress`` does not call global, with IPv4-mapped IPv6
addresses judged by their IPv4 address.

Behind an HTTP proxy (``HTTPS_PROXY``...), the proxy resolves host names, so only
addresses written in URLs are checked.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

from kurt.ingest.urls import site_key

SETTING_HINT = ("Kurt goes to such addresses only on sites you name "
                "(or with [ingest] allow_private_addresses = true in kurt.toml)")
_ODD_IPV4 = frozenset("0123456789abcdefx.")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefused(Exception):
    """Raised inside a request when the address it would use is not public."""


def non_public_reason(address: IPAddress) -> str | None:
    """What kind of non-public address ``address`` is ('a loopback address'...), or None."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return non_public_reason(address.ipv4_mapped)
    if address.is_unspecified:
        return "an unspecified address"
    if address.is_loopback:
        return "a loopback address (this machine)"
    if address.is_link_local:
        return "a link-local address (where clouds serve instance metadata)"
    if address.is_multicast:
        return "a multicast address"
    if address.is_private:
        return "a private address"
    if not address.is_global or (address.version == 6 and int(address) >> 32 == 0):
        return "a non-public address"  # ... or ::a.b.c.d, the deprecated IPv4-compatible form
    return None


def literal_address(host: str) -> IPAddress | None:
    """The IP address a host name spells, if it is one ('127.1' and '0x7f000001' too)."""
    host = host.strip("[]").lower()
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if host and set(host) <= _ODD_IPV4 and host[0].isdigit():
        try:  # the forms inet_aton and getaddrinfo accept: 127.1, 2130706433, 0177.0.0.1, 0x7f.1
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


class AddressPolicy:
    """Which sites are trusted, and whether non-public addresses are allowed at all."""

    def __init__(self, trusted: Iterable[str] = (), *, allow_private: bool = False):
        self.allow_private = allow_private
        self._sites = {site_key(url) for url in trusted if url} - {None}
        self._resolved: dict[tuple[str, int], str | None] = {}  # (host, port) -> refusal

    def trusts(self, url: str) -> bool:
        """True when ``url`` may reach any address: its site is trusted, or all are."""
        return self.allow_private or site_key(url) in self._sites

    def refusal(self, url: str) -> str | None:
        """Why ``url`` must not be requested, judged from the URL alone (no DNS); None if it may."""
        return None if self.trusts(url) else _literal_refusal(url)

    async def check(self, url: str) -> str | None:
        """Why ``url`` must not be requested (its host is, or resolves to, a non-public
        address of an untrusted site); None when it may. Sends nothing to the host."""
        if self.trusts(url):
            return None
        literal = _literal_refusal(url)
        if literal is not None:
            return literal
        try:
            parts = urlsplit(url)
            host, port = parts.hostname or "", parts.port
        except ValueError:
            return None
        if not host or literal_address(host) is not None:
            return None  # a public IP address: refusal() said all there is to say
        port = port or (443 if parts.scheme.lower() == "https" else 80)
        if (host, port) not in self._resolved:  # once per host: the trace hook guards each connection
            self._resolved[(host, port)] = await _resolved_refusal(host, port)
        return self._resolved[(host, port)]

    def tracer(self, url: str):
        """An httpx ``trace`` extension that checks the address a request to ``url`` actually
        connects to; None when no check is needed (a trusted site)."""
        if self.trusts(url):
            return None
        try:
            import httpx

            host = httpx.URL(url).raw_host.decode("ascii").lower()
        except (ValueError, UnicodeError, httpx.InvalidURL):
            return None
        return _Tracer(host)


class _Tracer:
    """The httpx/httpcore ``trace`` callback of one request to an untrusted host.

    ``check`` judged the addresses the name resolved to before the request; this
    judges the one the socket is connected to, after the TCP handshake and before
    a byte is sent (TLS or HTTP), so an answer that changed in between (DNS
    rebinding) is caught too.
    """

    def __init__(self, host: str):
        self.host = host
        self.direct = False  # the connection being made goes to the host itself (no proxy)

    async def __call__(self, event: str, info: dict) -> None:
        if event == "connection.connect_tcp.started":
            # Through a proxy, the connection goes to the proxy, which resolves the name itself.
            self.direct = str(info.get("host", "")).lower() == self.host
        elif event == "connection.connect_tcp.complete" and self.direct:
            stream = info.get("return_value")
            peer = stream.get_extra_info("server_addr") if stream is not None else None
            address = _ip(peer[0]) if peer else None
            reason = non_public_reason(address) if address is not None else None
            if reason is not None:
                await stream.aclose()
                raise AddressRefused(f"{self.host} is connected to {address}, {reason}; "
                                     f"{SETTING_HINT}")


def _literal_refusal(url: str) -> str | None:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return None  # the request itself reports the malformed URL
    address = literal_address(host)
    reason = non_public_reason(address) if address is not None else None
    return f"{host} is {reason}; {SETTING_HINT}" if reason else None


async def _resolved_refusal(host: str, port: int) -> str | None:
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return None  # the request reports the DNS failure in its own words
    for info in infos:
        address = _ip(info[4][0])
        reason = non_public_reason(address) if address is not None else None
        if reason is not None:
            return f"{host} resolves to {address}, {reason}; {SETTING_HINT}"
    return None


def _ip(value) -> IPAddress | None:
    try:
        return ipaddress.ip_address(str(value).split("%", 1)[0])  # drop an IPv6 zone (%eth0)
    except ValueError:
        return None
