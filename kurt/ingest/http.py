"""The polite async HTTP layer shared by map and fetch.

``PoliteClient.get`` never raises for network or HTTP problems: they come back as
``HttpResult.error``, one line a person can act on. Politeness, per host:

- robots.txt read once per origin and obeyed (see ``kurt.ingest.robots`` for what
  a missing or broken robots.txt means); ``Crawl-delay`` honoured: two requests to a
  host are written at least ``max(config.min_delay, crawl delay)`` seconds apart
  (the interval), by every worker of a shared store together;
- a concurrency limit per host that starts at ``config.per_host_concurrency``,
  HALVES when the host pushes back (429, 503, timeouts) and grows back by one after
  a run of successes (AIMD, like TCP), both in ``kurt.ingest.pacing``;
  ``config.concurrency`` requests in flight in total;
- retries (``config.retries``) with exponential backoff and jitter on 429, 500,
  502, 503, 504 and dropped connections, honouring ``Retry-After`` (seconds or
  an HTTP date; more than ``MAX_RETRY_AFTER`` seconds: give up); a timeout is
  retried at most ``MAX_TIMEOUT_RETRIES`` time (a server that stalled once
  mostly stalls again, and each try costs a whole timeout);
- ``config.timeout`` per connect/read, plus a total deadline per request: the
  attempts of one request together get ``DEADLINE_FACTOR * timeout`` seconds
  (waits between attempts not counted), so a URL that stalls or trickles costs
  at most about twice the timeout, whatever ``config.retries`` says;
- the body streamed and decoded by us with a hard cap on DECODED bytes (a gzip
  bomb stops at the cap); redirects followed by hand, each hop checked (scheme,
  address, robots, loops, ``config.max_redirects``), the ``Location`` cleaned by
  ``web_url`` (no credentials are ever sent or kept); conditional GET with
  ETag/Last-Modified;
- every request, the first as well as each redirect hop, goes only to a site the
  caller trusts (``trusted``: the sites the user named) or to a public address:
  see ``kurt.ingest.addresses`` (loopback, private, link-local... addresses of
  other hosts are refused, before connecting and again on the connected socket).
"""

from __future__ import annotations

import asyncio
import random
import time
import zlib
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from kurt.ingest import robots as robots_mod
from kurt.ingest.addresses import AddressPolicy, AddressRefused
from kurt.ingest.pacing import HostPace, HostStats, Pace
from kurt.ingest.robots import RobotsPolicy
from kurt.ingest.urls import origin_of, strip_userinfo, web_url

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Iterable

    import httpx

    from kurt.config import IngestConfig

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
PUSHBACK_STATUSES = frozenset({429, 503})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_RETRY_AFTER = 120.0  # seconds: a server asking for longer is given up on
BACKOFF_BASE = 0.5  # seconds: first retry waits about this long (x2 each time, with jitter)
BACKOFF_MAX = 30.0
DEADLINE_FACTOR = 2.0  # time in attempts per request <= DEADLINE_FACTOR * config.timeout
MAX_TIMEOUT_RETRIES = 1  # a timed-out request is tried again at most this often
_LOCATION_ASIDE = "x-kurt-location"  # where _set_location_aside keeps the Location header
DEFAULT_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"


@dataclass
class HttpResult:
    url: str  # as requested
    final_url: str  # after redirects
    status: int | None  # None when there was no HTTP response
    headers: dict[str, str]  # lower-cased names
    body: bytes
    error: str | None  # one-line human reason when it failed
    retries: int = 0
    elapsed: float = 0.0
    redirects: list[str] = field(default_factory=list)  # the hops followed, in order
    timed_out: bool = False  # gave up because the server did not answer in time
    robots_blocked: bool = False  # a robots.txt rule forbids it (not a passing failure)
    robots_unreadable: bool = False  # not requested: the site's robots.txt could not be read
    connect_failed: bool = False  # no connection could be made (DNS, refused, TLS, network)

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        value = self.headers.get("content-type", "")
        return value.split(";", 1)[0].strip().lower()

    @property
    def charset(self) -> str | None:
        value = self.headers.get("content-type", "")
        for param in value.split(";")[1:]:
            name, _, val = param.partition("=")
            if name.strip().lower() == "charset" and val.strip():
                return val.strip().strip("\"'").lower()
        return None


@dataclass
class _Hop:
    """One request/response without redirects (after retries)."""

    status: int | None
    headers: dict[str, str]
    body: bytes
    error: str | None
    retries: int = 0
    timed_out: bool = False
    connect_failed: bool = False
    refused: str | None = None  # the address it connected to is not public (see addresses)


class _Retry(Exception):
    """A retryable failure of one attempt."""

    def __init__(self, reason: str, *, status: int | None = None, headers=None, pushback=False,
                 timeout=False):
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.headers = headers or {}
        self.pushback = pushback
        self.timeout = timeout


class PoliteClient:
    """An async HTTP client that behaves well towards the sites it visits."""

    def __init__(self, config: IngestConfig, *, trusted: Iterable[str] = (),
                 transport: httpx.AsyncBaseTransport | None = None,
                 sleep=asyncio.sleep, clock=time.monotonic, rng: random.Random | None = None,
                 shared_budget=None):
        """``trusted``: URLs of the sites the user named; only those may be on a loopback,
        private or link-local address (unless ``config.allow_private_addresses``).
        ``shared_budget``: hosts' intervals kept across workers (kurt.ingest.host_budget)."""
        self.config = config
        self._shared = shared_budget
        self.addresses = AddressPolicy(trusted, allow_private=config.allow_private_addresses)
        self._transport = transport
        self._sleep = sleep
        self._clock = clock
        self._rng = rng or random.Random()
        self._client: httpx.AsyncClient | None = None
        self._global: asyncio.Semaphore | None = None
        self._hosts: dict[str, HostPace] = {}
        self._robots: dict[str, RobotsPolicy] = {}
        self._robots_locks: dict[str, asyncio.Lock] = {}

    # -- lifecycle ---------------------------------------------------------

    async def __aenter__(self) -> PoliteClient:
        import httpx

        size = max(1, self.config.concurrency)
        kwargs = {}
        if self._transport is not None:
            kwargs["transport"] = self._transport
        self._client = httpx.AsyncClient(
            headers={"User-Agent": self.config.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(self.config.timeout),
            limits=httpx.Limits(max_connections=size, max_keepalive_connections=size),
            follow_redirects=False,
            event_hooks={"response": [_set_location_aside]},
            http1=True,
            http2=False,
            **kwargs,
        )
        self._global = asyncio.Semaphore(size)
        return self

    async def __aexit__(self, *exc_info) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    @property
    def stats(self) -> dict[str, HostStats]:
        """Per-host counters (requests, retries, slowdowns, current limit)."""
        return {host: state.stats for host, state in self._hosts.items()}

    @property
    def user_agent_token(self) -> str:
        return robots_mod.product_token(self.config.user_agent)

    # -- public API --------------------------------------------------------

    async def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
                  check_robots: bool = True, max_bytes: int | None = None,
                  accept: str | None = None, truncate: bool = False,
                  method: str = "GET") -> HttpResult:
        """GET ``url`` politely; every failure is ``HttpResult.error``, never an exception.

        ``truncate``: a body larger than ``max_bytes`` comes back cut to it (with the
        "response larger" error) instead of empty, as robots.txt wants (RFC 9309 2.5).
        ``method="HEAD"`` asks for the headers only (the body is empty), with the same
        robots.txt, redirects, retries and backoff; robots.txt itself is always a GET.
        """
        assert self._client is not None, "use 'async with PoliteClient(...)'"
        method = method.upper()
        if method not in ("GET", "HEAD"):
            raise ValueError(f"method must be GET or HEAD, not {method!r}")
        started = self._clock()
        cap = self.config.max_bytes if max_bytes is None else max_bytes
        headers = {"Accept": accept or DEFAULT_ACCEPT}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        url = strip_userinfo(url)  # credentials are never sent (nor kept in a result)
        current = url
        seen = {url}
        hops: list[str] = []
        total_retries = 0

        def result(status, hdrs, body, error, *, timed_out=False, robots_blocked=False,
                   robots_unreadable=False, connect_failed=False) -> HttpResult:
            return HttpResult(url=url, final_url=current, status=status, headers=hdrs or {},
                              body=body, error=error, retries=total_retries,
                              elapsed=self._clock() - started, redirects=hops,
                              timed_out=timed_out, robots_blocked=robots_blocked,
                              robots_unreadable=robots_unreadable, connect_failed=connect_failed)

        while True:
            problem = self._check_scheme(current)
            if problem:
                return result(None, {}, b"", problem)
            refused = await self.addresses.check(current)
            if refused:
                return result(None, {}, b"", _refused(current, refused, redirected=bool(hops)))
            if check_robots and self.config.respect_robots:
                policy = await self.robots(current)
                decision = policy.decide(current)
                if not decision.allowed:  # a rule, robots.txt unreadable, or no connection
                    return result(None, {}, b"", decision.reason,
                                  robots_blocked=decision.rule is not None,
                                  robots_unreadable=decision.held_back,
                                  connect_failed=policy.unreachable is not None)
            hop = await self._request(current, headers, cap, truncate, method)
            total_retries += hop.retries
            if hop.refused:
                return result(None, {}, b"", _refused(current, hop.refused, redirected=bool(hops)))
            if hop.error is not None or hop.status not in REDIRECT_STATUSES:
                error = hop.error
                if error is None and hop.status is not None and not (
                    200 <= hop.status < 300 or hop.status == 304
                ):
                    error = f"HTTP {hop.status} {_reason(hop.status)}".rstrip()
                return result(hop.status, hop.headers, hop.body, error, timed_out=hop.timed_out,
                              connect_failed=hop.connect_failed)
            location = hop.headers.get("location", "").strip()
            if not location:
                return result(hop.status, hop.headers, b"",
                              f"HTTP {hop.status} redirect without a Location header")
            target = web_url(location, current)
            if target is None:  # javascript:, mailto:, no host, malformed...
                bad = _joined(current, location)
                return result(hop.status, hop.headers, b"", f"redirect to {_shown(bad)} refused: "
                              f"{self._check_scheme(strip_userinfo(bad)) or 'not a valid URL'}")
            if target in seen:
                current_before = current
                current = target
                return result(hop.status, hop.headers, b"",
                              f"redirect loop at {target} (from {current_before})")
            if len(hops) >= self.config.max_redirects:
                return result(hop.status, hop.headers, b"",
                              f"too many redirects (more than {self.config.max_redirects})")
            hops.append(target)
            seen.add(target)
            current = target

    async def robots(self, url: str) -> RobotsPolicy:
        """The robots.txt policy of ``url``'s origin, fetched once per origin."""
        origin = origin_of(url)
        cached = self._robots.get(origin)
        if cached is not None:
            return cached
        lock = self._robots_locks.setdefault(origin, asyncio.Lock())
        async with lock:
            cached = self._robots.get(origin)
            if cached is None:
                cached = await self._load_robots(origin)
                self._robots[origin] = cached
                delay = cached.crawl_delay
                host = self._host(origin + "/")
                host.interval = max(self.config.min_delay, delay or 0.0)
        return cached

    # -- internals -----------------------------------------------------------

    async def _load_robots(self, origin: str) -> RobotsPolicy:
        """Read ``origin``'s robots.txt; what each outcome means: see ``kurt.ingest.robots``."""
        ua = self.config.user_agent
        res = await self.get(origin + "/robots.txt", check_robots=False, truncate=True,
                             max_bytes=robots_mod.MAX_ROBOTS_BYTES, accept="text/plain,*/*;q=0.5")
        where = f"{origin}/robots.txt"
        status = res.status
        cut = bool(res.error and res.error.startswith("response larger"))
        if status is not None and 200 <= status < 300 and (res.error is None or cut):
            text = robots_mod.decode_robots(res.body)  # UTF-8 whatever the header says (2.3)
            policy = robots_mod.parse_robots(text, origin=origin, user_agent=ua, status=status)
            policy.note = f"{where}: HTTP {status}" + (" (read its first 500 KiB)" if cut else "")
            return policy
        if res.connect_failed:  # the page requests would fail the same way: say why
            return robots_mod.unreachable(origin, ua, res.error or "could not connect")
        if status is not None and (300 <= status < 400 or (400 <= status < 500 and status != 429)):
            return robots_mod.allow_all(origin, ua, status,
                                        f"{where}: {res.error or status} (no rules: all allowed)")
        # 5xx, 429, a timeout, a dropped connection, an undecodable body: a passing state.
        why = res.error or f"HTTP {status}"
        if res.timed_out:
            why = f"no answer in time; [ingest] timeout is {self.config.timeout:g} s"
        return robots_mod.unreadable(origin, ua, status, why)

    def _check_scheme(self, url: str) -> str | None:
        try:
            parts = urlsplit(url)
        except ValueError as exc:
            return f"invalid URL {url!r}: {exc}"
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            return f"unsupported URL scheme '{scheme or '(none)'}': only http and https"
        if not parts.hostname:
            return f"invalid URL {url!r}: no host name"
        return None

    def _host(self, url: str) -> HostPace:
        parts = urlsplit(url)
        key = parts.netloc.lower()
        host = self._hosts.get(key)
        if host is None:
            host = HostPace(self.config.per_host_concurrency, self.config.min_delay)
            self._hosts[key] = host
        return host

    async def _request(self, url: str, headers: dict[str, str], cap: int,
                       truncate: bool = False, method: str = "GET") -> _Hop:
        """One URL, no redirects, with retries and backoff (see the module docstring)."""
        host = self._host(url)
        retries = timeouts = 0
        budget = DEADLINE_FACTOR * self.config.timeout  # seconds left for attempts
        while True:
            netloc = urlsplit(url).netloc.lower()
            start = await host.acquire(self._clock, self._sleep, self._shared, netloc)
            try:
                assert self._global is not None
                async with self._global:
                    # Held up for a slot: a new start now, before taking a connection (the
                    # request is checked again as it is written, see Pace).
                    pace = Pace(host, start, netloc, clock=self._clock, sleep=self._sleep,
                                 shared=self._shared, before=self.addresses.tracer(url))
                    await pace.on_time()
                    pace.waited = 0.0
                    host.stats.requests += 1
                    began = self._clock()
                    try:
                        hop = await self._attempt(url, headers, cap, budget, truncate, method,
                                                  pace)
                    except _Retry as retry:
                        failure = retry
                        budget -= max(0.0, self._clock() - began - pace.waited)
                    else:
                        host.success()
                        hop.retries = retries
                        return hop
            finally:
                await host.release()
            if failure.pushback:
                host.pushback()
            wait, give_up = self._backoff(failure, retries)
            if failure.timeout:
                timeouts += 1
                if timeouts > MAX_TIMEOUT_RETRIES or budget < 0.1 * self.config.timeout:
                    give_up = give_up or _gave_up(failure.reason, retries)
            if give_up or retries >= self.config.retries:
                reason = give_up or _gave_up(failure.reason, retries)
                return _Hop(failure.status, failure.headers, b"", reason, retries, failure.timeout)
            retries += 1
            host.stats.retries += 1
            await self._sleep(wait)

    def _backoff(self, failure: _Retry, attempt: int) -> tuple[float, str | None]:
        """(seconds to wait, reason to give up instead)."""
        retry_after = _parse_retry_after(failure.headers.get("retry-after"))
        if retry_after is not None:
            if retry_after > MAX_RETRY_AFTER:
                return 0.0, (f"{failure.reason}: the server asks to wait {retry_after:.0f} s "
                             f"(Retry-After), more than {MAX_RETRY_AFTER:.0f} s; try again later")
            return retry_after, None
        base = min(BACKOFF_MAX, BACKOFF_BASE * (2 ** attempt))
        return base * (0.5 + self._rng.random()), None

    async def _attempt(self, url: str, headers: dict[str, str], cap: int, deadline: float,
                       truncate: bool = False, method: str = "GET",
                       pace: Pace | None = None) -> _Hop:
        """One HTTP exchange within ``deadline`` seconds (not counting a wait for a new start
        at the write, see ``kurt.ingest.pacing.Pace``); raises _Retry for retryable failures."""
        import httpx

        assert self._client is not None
        timeout = self.config.timeout
        deadline = max(deadline, 0.001)
        try:
            async with asyncio.timeout(deadline) as limit:
                if pace is not None:
                    pace.timeout = limit
                    extensions = {"trace": pace}
                else:
                    tracer = self.addresses.tracer(url)
                    extensions = {"trace": tracer} if tracer is not None else None
                async with self._client.stream(method, url, headers=headers,
                                               extensions=extensions) as resp:
                    hdrs = {k.lower(): v for k, v in resp.headers.items()}
                    if _LOCATION_ASIDE in hdrs:
                        hdrs["location"] = hdrs.pop(_LOCATION_ASIDE)
                    status = resp.status_code
                    if status in RETRY_STATUSES:
                        raise _Retry(f"HTTP {status} {_reason(status)}".rstrip(), status=status,
                                     headers=hdrs,
                                     pushback=status in PUSHBACK_STATUSES)
                    if not (200 <= status < 300) or method == "HEAD":
                        return _Hop(status, hdrs, b"", None)
                    body, error = await _read_capped(resp, hdrs, cap, truncate)
                    return _Hop(status, hdrs, body, error)
        except _Retry:
            raise
        except AddressRefused as exc:
            return _Hop(None, {}, b"", str(exc), refused=str(exc))
        except TimeoutError:
            total = DEADLINE_FACTOR * timeout
            raise _Retry(f"timeout: no complete response within {total:g}s (total deadline)",
                         pushback=True, timeout=True) from None
        except httpx.TimeoutException:
            raise _Retry(f"timeout after {timeout:g}s", pushback=True, timeout=True) from None
        except httpx.ConnectError as exc:
            return _Hop(None, {}, b"", _connect_reason(url, exc), connect_failed=True)
        except (httpx.ReadError, httpx.RemoteProtocolError, httpx.WriteError) as exc:
            raise _Retry(f"connection dropped by the server ({_short(exc)})") from None
        except httpx.UnsupportedProtocol as exc:
            return _Hop(None, {}, b"", f"unsupported URL scheme: {_short(exc)}")
        except (httpx.InvalidURL, httpx.LocalProtocolError) as exc:
            return _Hop(None, {}, b"", f"invalid URL {url!r}: {_short(exc)}")
        except httpx.HTTPError as exc:
            return _Hop(None, {}, b"", f"HTTP failure: {_short(exc)}")
        except (OSError, ValueError) as exc:  # socket-level surprises (e.g. bad IPv6 literal)
            return _Hop(None, {}, b"", f"request failed: {_short(exc)}")


async def _read_capped(resp, headers: dict[str, str], cap: int,
                       truncate: bool = False) -> tuple[bytes, str | None]:
    """Read and decode the body, stopping as soon as the DECODED size exceeds ``cap``.

    A body whose Content-Length is over ``cap`` is not read at all, unless ``truncate``:
    then, as for a body found too large while reading, its first ``cap`` bytes come back.
    """
    too_big = f"response larger than {_human(cap)} (max_bytes)"
    length = headers.get("content-length", "")
    encoding = headers.get("content-encoding", "identity").strip().lower()
    if encoding in ("", "identity") and length.isdigit() and int(length) > cap and not truncate:
        return b"", too_big
    if encoding in ("gzip", "x-gzip"):
        decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        decoder = _DeflateDecoder()
    elif encoding in ("", "identity"):
        decoder = None
    else:
        return b"", f"unsupported content encoding '{encoding}'"
    parts: list[bytes] = []
    total = 0
    try:
        async for chunk in resp.aiter_raw():
            if decoder is None:
                pieces = [chunk]
            else:
                pieces = []
                data = chunk
                while data:
                    out = decoder.decompress(data, cap - total + 1)
                    pieces.append(out)
                    total_now = total + sum(len(p) for p in pieces)
                    if total_now > cap:
                        break
                    data = decoder.unconsumed_tail
            for piece in pieces:
                total += len(piece)
                parts.append(piece)
            if total > cap:
                return b"".join(parts)[:cap], too_big
    except zlib.error as exc:
        return b"".join(parts), f"corrupt {encoding} body: {exc}"
    return b"".join(parts), None


class _DeflateDecoder:
    """'deflate' is zlib-wrapped by the spec but raw deflate in the wild: accept both."""

    def __init__(self):
        self._obj = zlib.decompressobj()
        self._first = True

    @property
    def unconsumed_tail(self) -> bytes:
        return self._obj.unconsumed_tail

    def decompress(self, data: bytes, max_length: int) -> bytes:
        if self._first:
            self._first = False
            try:
                return self._obj.decompress(data, max_length)
            except zlib.error:
                self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
        return self._obj.decompress(data, max_length)


async def _set_location_aside(response) -> None:
    """httpx response hook: hide ``Location`` from httpx, which would parse it (to offer
    ``next_request``) and fail on a ``javascript:`` target with an error naming the
    page instead of the target. ``get`` reads, checks and follows it itself."""
    headers = response.headers
    headers.pop(_LOCATION_ASIDE, None)  # a server's own header of that name means nothing
    if "location" in headers:
        headers[_LOCATION_ASIDE] = headers.pop("location")


def _refused(url: str, reason: str, *, redirected: bool) -> str:
    """The error of a request refused by the address policy (a redirect names its target;
    the URL requested is the one the error is recorded against)."""
    return f"redirect to {_shown(url)} refused: {reason}" if redirected else f"refused: {reason}"


def _joined(base: str, location: str) -> str:
    try:
        return urljoin(base, location)
    except ValueError:
        return location


def _shown(url: str, limit: int = 200) -> str:
    """A URL as an error message shows it: no credentials, at most ``limit`` characters."""
    text = " ".join(strip_userinfo(url).split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _gave_up(reason: str, retries: int) -> str:
    if not retries:
        return reason
    if reason.startswith("HTTP "):
        return f"{reason} after {retries} retries"
    return f"{reason} ({retries} retries)"


def _parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


_DNS_HINTS = ("name or service not known", "nodename nor servname", "temporary failure in name",
              "no address associated", "getaddrinfo failed", "name resolution", "errno -2",
              "errno -3", "errno -5", "errno 8", "errno 11001")


def _connect_reason(url: str, exc: BaseException) -> str:
    chain: list[BaseException] = []
    link: BaseException | None = exc
    while link is not None and len(chain) < 10:  # the OS error sits at the end of the chain
        chain.append(link)
        link = link.__cause__ or link.__context__
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        parts = urlsplit(url)
        return f"connection refused by {parts.netloc}"
    low = " | ".join(f"{e!s} {e!r}" for e in chain).lower()
    parts = urlsplit(url)
    host = parts.hostname or url
    if any(hint in low for hint in _DNS_HINTS):
        return f"DNS lookup failed for {host}"
    if "refused" in low or "errno 111" in low:
        return f"connection refused by {parts.netloc}"
    if "ssl" in low or "certificate" in low or "tls" in low:
        return f"TLS/SSL error with {host}: {_short(exc)}"
    if "unreachable" in low:
        return f"network unreachable for {host}"
    return f"could not connect to {parts.netloc}: {_short(exc)}"


def _short(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]


def _human(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000} MB"
    if n >= 1000 and n % 1000 == 0:
        return f"{n // 1000} kB"
    return f"{n} bytes"


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
