"""kurt.ingest.addresses: which addresses Kurt may connect to, and the connected-socket check."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from http.server import BaseHTTPRequestHandler

import httpx
import pytest

from kurt.ingest.addresses import (
    AddressPolicy,
    AddressRefused,
    literal_address,
    non_public_reason,
)
from tests.loopback import LoopbackServer


@pytest.mark.parametrize("address,kind", [
    ("127.0.0.1", "loopback"),
    ("127.8.9.10", "loopback"),
    ("::1", "loopback"),
    ("10.1.2.3", "private"),
    ("172.16.0.1", "private"),
    ("192.168.1.1", "private"),
    ("fd00::1", "private"),
    ("169.254.169.254", "link-local"),
    ("fe80::1", "link-local"),
    ("0.0.0.0", "unspecified"),
    ("::", "unspecified"),
    ("224.0.0.1", "multicast"),
    ("239.255.255.250", "multicast"),
    ("ff02::1", "multicast"),
    ("100.64.0.1", "non-public"),  # carrier-grade NAT (shared address space)
    ("192.0.2.1", "private"),  # documentation range: not a place to connect to
    ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped IPv6 judged by its IPv4 address
    ("::ffff:169.254.169.254", "link-local"),
    ("::127.0.0.1", "non-public"),  # IPv4-compatible (deprecated)
])
def test_non_public_addresses_are_named(address, kind):
    reason = non_public_reason(ipaddress.ip_address(address))
    assert reason is not None and kind in reason


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700::1111", "1.1.1.1"])
def test_public_addresses_pass(address):
    assert non_public_reason(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize("host,expected", [
    ("127.0.0.1", "127.0.0.1"),
    ("[::1]", "::1"),
    ("2130706433", "127.0.0.1"),  # one decimal number
    ("127.1", "127.0.0.1"),  # short form
    ("0177.0.0.1", "127.0.0.1"),  # octal
    ("0x7f.0.0.1", "127.0.0.1"),  # hexadecimal
    ("0xa9fea9fe", "169.254.169.254"),
    ("docs.example.com", None),
    ("localhost", None),  # a name: resolved at request time, not here
    ("1.2.3.4.5", None),
])
def test_literal_address_reads_what_the_resolver_would(host, expected):
    found = literal_address(host)
    assert (str(found) if found else None) == expected


@pytest.mark.parametrize("url,trusted", [
    ("http://127.0.0.1:8000/docs/a", True),
    ("https://127.0.0.1:8000/x", True),  # http and https of one site
    ("http://127.0.0.1:8001/secret", False),  # another port is another site
    ("http://127.0.0.1/", False),
    ("http://169.254.169.254/latest/", False),
])
def test_trust_follows_the_sites_the_user_named(url, trusted):
    policy = AddressPolicy(["http://127.0.0.1:8000/docs/"])
    assert policy.trusts(url) is trusted


def test_www_and_bare_host_are_one_trusted_site():
    policy = AddressPolicy(["https://intranet.example"])
    assert policy.trusts("https://www.intranet.example/a")
    assert not policy.trusts("https://wiki.intranet.example/a")


@pytest.mark.parametrize("url,needle", [
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
    ("http://127.0.0.1:9/x", "127.0.0.1 is a loopback address"),
    ("http://[::1]:9/x", "::1 is a loopback address"),
    ("http://2130706433/", "2130706433 is a loopback address"),
    ("http://10.0.0.7/", "10.0.0.7 is a private address"),
    ("http://0.0.0.0:8080/", "0.0.0.0 is an unspecified address"),
])
def test_untrusted_literal_addresses_are_refused_without_dns(url, needle):
    reason = AddressPolicy().refusal(url)
    assert reason is not None and reason.startswith(needle)
    assert "allow_private_addresses = true" in reason


@pytest.mark.parametrize("url", ["http://93.184.215.14/", "https://docs.example.com/"])
def test_public_or_named_hosts_pass_the_literal_check(url):
    assert AddressPolicy().refusal(url) is None


def test_allow_private_turns_the_check_off():
    policy = AddressPolicy(allow_private=True)
    assert policy.refusal("http://169.254.169.254/") is None
    assert asyncio.run(policy.check("http://localhost:9/")) is None
    assert policy.tracer("http://localhost:9/") is None


def test_a_name_resolving_to_loopback_is_refused_before_connecting():
    reason = asyncio.run(AddressPolicy().check("http://localhost:9/secret"))
    assert reason is not None and reason.startswith("localhost resolves to ")
    assert "a loopback address" in reason


def test_a_trusted_name_is_not_resolved_or_refused():
    assert asyncio.run(AddressPolicy(["http://localhost:9"]).check("http://localhost:9/x")) is None


def test_an_unresolvable_name_is_left_to_the_request():
    assert asyncio.run(AddressPolicy().check("http://no-such-host.invalid/")) is None


class _Counting(BaseHTTPRequestHandler):
    requests = 0

    def do_GET(self):  # noqa: N802
        type(self).requests += 1
        self.send_response(200)
        self.send_header("Content-Length", "6")
        self.end_headers()
        self.wfile.write(b"secret")

    def log_message(self, *args):
        pass


@pytest.fixture
def loopback_server():
    handler = type("C", (_Counting,), {"requests": 0})
    server = LoopbackServer(("127.0.0.1", 0), handler).start()
    try:
        yield handler, server.server_address[1]
    finally:
        server.stop()


def test_the_connected_socket_is_checked_before_a_byte_is_sent(loopback_server):
    """What catches DNS rebinding: whatever a name resolved to when it was checked, the
    address the socket actually reached is judged before the request is written."""
    handler, port = loopback_server
    url = f"http://localhost:{port}/secret"  # a name: the trace hook judges the socket's peer
    tracer = AddressPolicy().tracer(url)
    assert tracer is not None

    async def run():
        async with httpx.AsyncClient(trust_env=False) as client:
            return await client.get(url, extensions={"trace": tracer})

    with pytest.raises(AddressRefused, match=r"localhost is connected to (127\.0\.0\.1|::1), a loopback"):
        asyncio.run(run())
    assert handler.requests == 0


def test_the_trace_hook_skips_trusted_sites_and_proxied_connections(loopback_server):
    handler, port = loopback_server
    assert AddressPolicy([f"http://127.0.0.1:{port}"]).tracer(f"http://127.0.0.1:{port}/") is None
    # the hook ignores connections to another host (a proxy resolves names itself)
    tracer = AddressPolicy().tracer("http://docs.example.com/")

    async def run():
        await tracer("connection.connect_tcp.started", {"host": "127.0.0.1", "port": port})
        sock = socket.create_connection(("127.0.0.1", port))
        try:
            await tracer("connection.connect_tcp.complete", {"return_value": _Peer(sock)})
        finally:
            sock.close()

    asyncio.run(run())  # no AddressRefused: the peer is the proxy, not the site


class _Peer:
    def __init__(self, sock):
        self.sock = sock

    def get_extra_info(self, name):
        return self.sock.getpeername() if name == "server_addr" else None

    async def aclose(self):
        self.sock.close()
