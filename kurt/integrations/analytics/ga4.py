"""Google Analytics 4: page views per page from the Data API, with a service account.

Credentials: the service account's JSON key (``type: service_account``,
``client_email``, ``private_key``, ``private_key_id``, ``token_uri``), read from
the file the variable ``[analytics.ga4] credentials_env`` names (by default
``GOOGLE_APPLICATION_CREDENTIALS``) or from the JSON in that variable itself. A
JWT (``iss`` = client_email, ``scope`` = analytics.readonly, ``aud`` = token_uri,
one hour) is signed RS256 with the private key (PyJWT + cryptography) and
exchanged at ``token_uri`` (``grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer``)
for an access token. Neither the key nor the token is ever written or shown.

``POST {base_url}/v1beta/properties/{property_id}:runReport`` with
``{"dateRanges": [{"startDate", "endDate"}], "dimensions": [{"name"}],
"metrics": [{"name"}], "orderBys", "limit", "offset"}``; the answer has ``rows``
of ``dimensionValues`` and ``metricValues`` (strings) and ``rowCount``, the total,
so reports are read ``page_size`` rows at a time until ``rowCount``, ordered by
the first metric and then every dimension (a total order: rows with as many views
must not change places between two pages). Two reports
per period:

- ``hostName`` and ``pagePath`` with ``screenPageViews`` and ``activeUsers``;
- ``hostName`` and ``landingPage`` with ``sessions`` (entrances), ``bounceRate``
  and ``engagementRate``.

Errors are ``{"error": {"code", "message", "status"}}`` (``PERMISSION_DENIED``:
the service account is not a user of the property; ``INVALID_ARGUMENT``;
``RESOURCE_EXHAUSTED``: quota, retried); the token endpoint answers
``{"error": "invalid_grant", "error_description": ...}``.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from urllib.parse import quote

from kurt.errors import ConfigError, KurtError
from kurt.integrations.analytics.pages import PageTraffic, Period, join_host
from kurt.integrations.http import ApiClient, ServiceError, error_detail

SCOPE = "https://www.googleapis.com/auth/analytics.readonly"
TOKEN_URI = "https://oauth2.googleapis.com/token"
GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer"
PAGE_SIZE = 10_000
TOKEN_LIFETIME = 3600


class ServiceAccount:
    """A service account's key, kept in memory only (its repr shows the email alone)."""

    def __init__(self, email: str, private_key: str, key_id: str | None, token_uri: str):
        self.email = email
        self._private_key = private_key
        self.key_id = key_id
        self.token_uri = token_uri

    def __repr__(self) -> str:
        return f"ServiceAccount({self.email!r})"

    def assertion(self, now: float) -> str:
        """The signed JWT exchanged for an access token."""
        import jwt

        claims = {"iss": self.email, "scope": SCOPE, "aud": self.token_uri,
                  "iat": int(now), "exp": int(now) + TOKEN_LIFETIME}
        headers = {"kid": self.key_id} if self.key_id else None
        try:
            return jwt.encode(claims, self._private_key, algorithm="RS256", headers=headers)
        except (ValueError, TypeError, jwt.PyJWTError) as exc:
            raise KurtError(f"The private_key of the service account {self.email} cannot be "
                            f"used ({type(exc).__name__}): download a new JSON key for it") from None


def load_credentials(value: str, variable: str) -> ServiceAccount:
    """A service account from the variable's value: a key file's path, or the JSON itself."""
    text = value.strip()
    where = f"the JSON in {variable}"
    if not text.startswith("{"):
        path = Path(text).expanduser()
        where = f"{path} (named by {variable})"
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise KurtError(f"{variable} names {path}, which does not exist: set it to the path "
                            "of the service account's JSON key file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise KurtError(f"Cannot read {where}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        data = json.loads(text)
    except ValueError:
        raise KurtError(f"{where} is not JSON: it must be a service account's key file "
                        "(Google Cloud console > IAM > Service accounts > Keys > JSON)") from None
    if not isinstance(data, dict) or data.get("type") != "service_account":
        kind = data.get("type") if isinstance(data, dict) else None
        raise KurtError(f"{where} is not a service account key (type: {kind or 'none'}): "
                        "create a JSON key for a service account")
    missing = [k for k in ("client_email", "private_key") if not isinstance(data.get(k), str)]
    if missing:
        raise KurtError(f"{where} lacks {', '.join(missing)}: download a new JSON key")
    token_uri = data.get("token_uri") if isinstance(data.get("token_uri"), str) else TOKEN_URI
    return ServiceAccount(data["client_email"], data["private_key"], data.get("private_key_id"),
                          token_uri)


class GA4:
    name = "ga4"

    def __init__(self, client: ApiClient, token_client: ApiClient, account: ServiceAccount,
                 property_id: str, *, page_size: int = PAGE_SIZE, clock=time.time):
        self.client = client
        self.token_client = token_client
        self.account = account
        self.property_id = property_id
        self.page_size = page_size
        self.clock = clock
        self.notes: list[str] = []
        self._token: tuple[str, float] | None = None  # (access token, expiry)

    def close(self) -> None:
        self.client.close()
        self.token_client.close()

    def page_traffic(self, period: Period) -> list[PageTraffic]:
        rows = []
        for (host, path), (views, users) in self._report(
                period, ["hostName", "pagePath"], ["screenPageViews", "activeUsers"]):
            if path and path != "(not set)":
                rows.append(PageTraffic(join_host(host, path), pageviews=int(views or 0),
                                        visitors=_int(users)))
        for (host, page), (sessions, bounce, engaged) in self._report(
                period, ["hostName", "landingPage"], ["sessions", "bounceRate", "engagementRate"]):
            if page and page != "(not set)":
                rows.append(PageTraffic(join_host(host, page), entrances=_int(sessions),
                                        bounce_rate=bounce, engagement_rate=engaged))
        return rows

    def _report(self, period: Period, dimensions: list[str], metrics: list[str]):
        offset = 0
        path = f"v1beta/properties/{quote(self.property_id, safe='')}:runReport"
        while True:
            body = {"dateRanges": [{"startDate": period.start.isoformat(),
                                    "endDate": period.end.isoformat()}],
                    "dimensions": [{"name": d} for d in dimensions],
                    "metrics": [{"name": m} for m in metrics],
                    # a total order, so that no row is lost or read twice across pages
                    "orderBys": [{"metric": {"metricName": metrics[0]}, "desc": True},
                                 *({"dimension": {"dimensionName": d}} for d in dimensions)],
                    "limit": str(self.page_size), "offset": str(offset)}
            response = self.client.post(path, json_body=body,
                                        headers={"Authorization": f"Bearer {self.token()}"})
            data = response.json()
            if not response.ok:
                raise self._failure(response, data)
            if not isinstance(data, dict):
                raise self.client.not_json(response)
            rows = data.get("rows") or []
            for row in rows:
                dims = [v.get("value") for v in row.get("dimensionValues") or []]
                values = [_number(v.get("value")) for v in row.get("metricValues") or []]
                if len(dims) == len(dimensions) and len(values) == len(metrics):
                    yield dims, values
            offset += len(rows)
            total = data.get("rowCount")
            if not rows or not isinstance(total, int) or offset >= total:
                return

    def token(self) -> str:
        """An access token for the service account, fetched once and kept until it expires."""
        now = self.clock()
        if self._token is not None and self._token[1] - 60 > now:
            return self._token[0]
        response = self.token_client.post(self.account.token_uri, form={
            "grant_type": GRANT_TYPE, "assertion": self.account.assertion(now)})
        data = response.json()
        if not response.ok:
            detail = error_detail(data)
            if response.status in (400, 401, 403):
                raise ServiceError(
                    f"Google refused the service account {self.account.email} "
                    f"(HTTP {response.status}: {self.token_client.clean(detail or 'no reason given')}): "
                    f"check the key in {self.token_client.key_hint}; a deleted or disabled key "
                    "must be replaced by a new one")
            raise self.token_client.failure(response, detail)
        token = data.get("access_token") if isinstance(data, dict) else None
        if not isinstance(token, str) or not token:
            raise self.token_client.not_json(response)
        lifetime = data.get("expires_in") if isinstance(data.get("expires_in"), int | float) else 3600
        self._token = (token, now + float(lifetime))
        self.client.secrets = (*self.client.secrets, token)
        return token

    def _failure(self, response, data):
        detail = error_detail(data)
        error = data.get("error") if isinstance(data, dict) else None
        status = error.get("status") if isinstance(error, dict) else None
        if status and detail and status not in detail:
            detail = f"{status}: {detail}"
        if response.status == 403:
            return self.client.failure(response, detail, fix=(
                f"add the service account {self.account.email} to the GA4 property "
                f"{self.property_id} as a Viewer (Admin > Property access management), and "
                "enable the Google Analytics Data API in its Google Cloud project"))
        if response.status == 401:
            self._token = None
            return self.client.failure(response, detail, fix=(
                f"check the service account key in {self.client.key_hint}"))
        if response.status == 404:
            return self.client.failure(response, detail, fix=(
                f"check [analytics.ga4] property_id ({self.property_id}): the numeric id of a "
                "GA4 property, not a G- measurement id"))
        return self.client.failure(response, detail)


def from_config(ws, *, transport=None, sleep=time.sleep, clock=time.time) -> GA4:
    config = ws.config.analytics
    settings = config.ga4
    if not settings.property_id:
        raise ConfigError("Google Analytics 4 is not configured: set [analytics.ga4] property_id "
                          "(the property's numeric id) in kurt.toml")
    variable = settings.credentials_env
    value = ws.secret(variable)
    if not value:
        raise KurtError(f"No credentials for Google Analytics 4: set {variable} in the environment "
                        "or in .env to the path of a service account's JSON key file (the "
                        "variable is named by [analytics.ga4] credentials_env)", code="service")
    account = load_credentials(value, variable)
    hint = f"{variable} (named by [analytics.ga4] credentials_env)"
    common = {"timeout": config.timeout, "retries": config.retries,
              "max_retry_after": config.max_retry_after, "transport": transport, "sleep": sleep,
              "key_hint": hint}
    client = ApiClient("Google Analytics Data API", settings.base_url, "[analytics.ga4] base_url",
                       headers={"Content-Type": "application/json"}, **common)
    token_client = ApiClient("Google's token endpoint", account.token_uri,
                             f"the token_uri of the key file in {variable}", **common)
    return GA4(client, token_client, account, settings.property_id, clock=clock)


def _number(value):
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() and "." not in str(value) else number


def _int(value) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
