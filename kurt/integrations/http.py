"""A small client for the JSON APIs of research and analytics services.

``ApiClient.request`` sends one request and retries it the way the ingestion
client (``kurt.ingest.http.PoliteClient``) does, with the same policy and the
same helpers: on 429, 500, 502, 503, 504, dropped connections and (once) a
timeout, with exponential backoff and jitter, honouring ``Retry-After`` (seconds
or an HTTP date) and, for a 429 without it, ``X-RateLimit-Reset`` (seconds, as
Reddit sends it, or a Unix time). A
service asking to wait longer than ``max_retry_after`` seconds is not waited for:
the response comes back with ``wait_asked`` set, and the message says to try later.

It differs from the polite client where an API is not a web site: requests are
JSON POSTs as well as GETs, error bodies are kept (they say what is wrong), no
robots.txt is read, and the base URL the user configured in kurt.toml is trusted
as it is (an API may well live on a private address). Secrets are sent only in
headers the caller gives, and any secret the caller names is blanked out of every
message, so that no key reaches a terminal or a log.

What a refused request means is the caller's to say (each service has its own
error body), through ``ApiClient.failure``: a ``ServiceError`` whose one line
names the status, the service's own reason, and what to fix.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin

from kurt.errors import KurtError

# One retry policy for the web and for APIs (kurt.ingest.http).
from kurt.ingest.http import (
    BACKOFF_BASE,
    BACKOFF_MAX,
    MAX_TIMEOUT_RETRIES,
    RETRY_STATUSES,
    _connect_reason,
    _parse_retry_after,
    _reason,
)

MAX_DETAIL = 300  # characters of a service's own error message kept in ours


class ServiceError(KurtError):
    """A service could not be used or refused a request: one line, what to fix."""

    code = "service"


@dataclass
class ApiResponse:
    url: str
    status: int
    headers: dict[str, str]  # lower-cased names
    body: bytes
    retries: int = 0
    wait_asked: float | None = None  # Retry-After beyond max_retry_after: not waited for

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def json(self):
        """The body parsed as JSON; None when it is not JSON."""
        try:
            return json.loads(self.body.decode("utf-8", errors="replace"))
        except ValueError:
            return None


@dataclass
class ApiClient:
    """Requests to one service. ``service`` names it in messages; ``setting`` is the
    kurt.toml key of its address and ``key_hint`` says where its key comes from."""

    service: str
    base_url: str
    setting: str
    key_hint: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    timeout: float = 60.0
    retries: int = 3
    max_retry_after: float = 60.0
    secrets: tuple[str, ...] = ()  # blanked out of every message
    transport: object | None = None  # an httpx.BaseTransport, for tests
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    rng: random.Random = field(default_factory=random.Random, repr=False)
    waits: list[float] = field(default_factory=list, repr=False)  # seconds waited, in order
    _http: object | None = field(default=None, repr=False)

    # -- lifecycle -----------------------------------------------------------------

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    def _client(self):
        if self._http is None:
            import httpx

            kwargs = {"transport": self.transport} if self.transport is not None else {}
            self._http = httpx.Client(timeout=httpx.Timeout(self.timeout), follow_redirects=True,
                                      **kwargs)
        return self._http

    def url(self, path: str) -> str:
        """``path`` joined to the base URL (an absolute URL is kept as it is)."""
        if "://" in path:
            return path
        return urljoin(self.base_url.rstrip("/") + "/", path.lstrip("/"))

    # -- requests ------------------------------------------------------------------

    def get(self, path: str, *, params=None, headers=None) -> ApiResponse:
        return self.request("GET", path, params=params, headers=headers)

    def post(self, path: str, *, json_body=None, form=None, headers=None) -> ApiResponse:
        return self.request("POST", path, json_body=json_body, form=form, headers=headers)

    def request(self, method: str, path: str, *, params=None, json_body=None, form=None,
                headers=None) -> ApiResponse:
        """Send the request, retrying what is worth retrying; the last response comes back
        whatever its status (see ``failure``). No answer at all is a ServiceError."""
        import httpx

        url = self.url(path)
        sent = {**self.headers, **(headers or {})}
        retries = timeouts = 0
        while True:
            try:
                response = self._client().request(method, url, params=params, json=json_body,
                                                  data=form, headers=sent)
            except httpx.TimeoutException:
                timeouts += 1
                if timeouts > MAX_TIMEOUT_RETRIES or retries >= self.retries:
                    raise ServiceError(
                        f"{self.service} did not answer within {self.timeout:g} s "
                        f"({retries + 1} tries): try again later, or raise the timeout in "
                        "kurt.toml") from None
                retries += 1
                self.wait(self._backoff(retries))
                continue
            except (httpx.ReadError, httpx.RemoteProtocolError, httpx.WriteError) as exc:
                if retries >= self.retries:
                    raise ServiceError(
                        f"{self.service} dropped the connection {retries + 1} times "
                        f"({self.clean(_short(exc))}): try again later") from None
                retries += 1
                self.wait(self._backoff(retries))
                continue
            except httpx.ConnectError as exc:
                raise ServiceError(
                    f"Cannot reach {self.service} at {self.base_url}: "
                    f"{_connect_reason(url, exc)}: check {self.setting} in kurt.toml and your "
                    "network") from None
            except (httpx.UnsupportedProtocol, httpx.InvalidURL, httpx.LocalProtocolError) as exc:
                raise ServiceError(
                    f"{self.service}: {url} is not a usable URL ({self.clean(_short(exc))}): "
                    f"check {self.setting} in kurt.toml") from None
            except httpx.HTTPError as exc:
                raise ServiceError(f"{self.service}: the request failed "
                                   f"({self.clean(_short(exc))}): try again later") from None
            result = ApiResponse(str(response.url), response.status_code,
                                 {k.lower(): v for k, v in response.headers.items()},
                                 response.content, retries)
            if result.status not in RETRY_STATUSES or retries >= self.retries:
                return result
            asked = retry_after(result)
            if asked is not None and asked > self.max_retry_after:
                result.wait_asked = asked
                return result
            retries += 1
            self.wait(asked if asked is not None else self._backoff(retries))

    def _backoff(self, attempt: int) -> float:
        base = min(BACKOFF_MAX, BACKOFF_BASE * (2 ** (attempt - 1)))
        return min(self.max_retry_after, base * (0.5 + self.rng.random()))

    def wait(self, seconds: float) -> None:
        """Sleep ``seconds`` (recorded in ``waits``): a retry, or a rate-limit window."""
        self.waits.append(seconds)
        self.sleep(seconds)

    # -- failures ------------------------------------------------------------------

    def failure(self, response: ApiResponse, detail: str | None = None, *,
                fix: str | None = None) -> ServiceError:
        """The one-line error for a response that is not a success.

        ``detail`` is the service's own reason (from its error body); ``fix`` replaces
        the default advice for the status (check the key, the address, try later).
        """
        status = response.status
        reason = self.clean(detail or "") or _reason(status)
        what = f"HTTP {status}" + (f": {reason}" if reason else "")
        if status == 429 and response.wait_asked is not None:
            return ServiceError(
                f"{self.service} is rate-limiting ({what}) and asks to wait "
                f"{response.wait_asked:.0f} s, more than max_retry_after "
                f"({self.max_retry_after:g} s): run this again later")
        tried = (f" after {response.retries} retr{'y' if response.retries == 1 else 'ies'}"
                 if response.retries else "")
        if status == 429:
            advice = fix or "wait a few minutes and run this again"
            return ServiceError(f"{self.service} kept rate-limiting{tried} ({what}): {advice}")
        if status >= 500:
            advice = fix or "the service has a problem; try again later"
            return ServiceError(f"{self.service} failed{tried} ({what}): {advice}")
        if status in (401, 403):
            advice = fix or f"check {self.key_hint or 'its key'}"
            return ServiceError(f"{self.service} refused the request ({what}): {advice}")
        if status == 404:
            advice = fix or f"check {self.setting} in kurt.toml"
            return ServiceError(f"{self.service} has nothing at {self.clean(response.url)} "
                                f"({what}): {advice}")
        advice = fix or f"check {self.setting} and the options you gave"
        return ServiceError(f"{self.service} rejected the request ({what}): {advice}")

    def not_json(self, response: ApiResponse) -> ServiceError:
        return ServiceError(
            f"{self.service} answered something that is not its API's JSON (from "
            f"{self.clean(response.url)}): check {self.setting} in kurt.toml")

    def clean(self, text: str) -> str:
        """One line, at most MAX_DETAIL characters, with every known secret blanked out."""
        return redact(text, self.secrets)


EPOCH_RESET = 1_000_000_000  # an X-RateLimit-Reset this large is a time (2001 on), not seconds


def retry_after(response: ApiResponse, *, now: Callable[[], float] = time.time) -> float | None:
    """Seconds a response asks to wait: ``Retry-After``, or for a 429 without it,
    ``X-RateLimit-Reset``: seconds until the window resets, as Reddit sends it, or the
    Unix time it resets at, as other APIs send it."""
    asked = _parse_retry_after(response.headers.get("retry-after"))
    if asked is None and response.status == 429:
        try:
            asked = float(response.headers.get("x-ratelimit-reset", ""))
        except ValueError:
            return None
        if asked >= EPOCH_RESET:
            asked -= now()
        asked = max(0.0, asked)
    return asked


def error_detail(data) -> str | None:
    """The human reason inside the common error bodies of JSON APIs.

    ``{"error": {"message": ...}}`` (OpenAI-compatible, Google), ``{"error": "..."}``
    (Plausible, OAuth with ``error_description``), ``{"detail": ...}`` (PostHog),
    ``{"message": ...}`` (Algolia, Reddit).
    """
    if isinstance(data, str):
        return data.strip() or None
    if not isinstance(data, dict):
        return None
    error = data.get("error")
    if isinstance(error, dict):
        message = error.get("message") or error.get("status")
        if isinstance(message, str) and message.strip():
            return message
    if isinstance(error, str) and error.strip():
        description = data.get("error_description")
        return f"{error}: {description}" if isinstance(description, str) and description else error
    for key in ("detail", "message", "reason"):
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return None


def redact(text: str, secrets: Iterable[str]) -> str:
    text = " ".join(str(text).split())
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return text if len(text) <= MAX_DETAIL else text[:MAX_DETAIL - 3] + "..."


def _short(exc: Exception) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
