"""Local servers on 127.0.0.1 speaking the wire formats of the research and analytics APIs.

Each server records its requests and answers from a small data set the test
gives it, the way the real service would (pagination, filters, date ranges),
including the service's own error bodies. ``script`` queues canned answers
``(status, headers, body)`` served before the real ones: 429s with
``Retry-After``, 5xx, refusals; ``None`` drops the connection without an answer.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from tests.loopback import LoopbackServer


class JsonApiServer:
    """A threaded HTTP server; subclasses implement ``answer(request)``."""

    def __init__(self):
        self.requests: list[dict] = []
        self.script: list[tuple[int, dict, object]] = []
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _handle(self, method):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                request = {"method": method, "path": parts.path,
                           "query": {k: v[-1] for k, v in parse_qs(parts.query).items()},
                           "headers": {k.lower(): v for k, v in self.headers.items()},
                           "raw": raw}
                content_type = self.headers.get("Content-Type", "")
                if raw and "json" in content_type:
                    request["json"] = json.loads(raw)
                elif raw and "form" in content_type:
                    request["form"] = {k: v[-1] for k, v in parse_qs(raw.decode()).items()}
                api.requests.append(request)
                answer = api.script.pop(0) if api.script else api.answer(request)
                if answer is None:  # drop the connection without an answer
                    self.close_connection = True
                    return
                status, headers, body = answer
                data = body if isinstance(body, bytes) else (
                    body.encode() if isinstance(body, str) else json.dumps(body).encode())
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if "Content-Type" not in headers:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self._handle("GET")

            def do_POST(self):
                self._handle("POST")

        self.server = LoopbackServer(("127.0.0.1", 0), Handler).start()
        self.base_url = self.server.base

    def answer(self, request: dict):  # pragma: no cover - subclasses
        raise NotImplementedError

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


def bearer(request: dict) -> str | None:
    value = request["headers"].get("authorization", "")
    return value[7:] if value.startswith("Bearer ") else None


# -- Hacker News (Algolia) ---------------------------------------------------------------

class HackerNewsServer(JsonApiServer):
    """``GET /api/v1/search`` and ``/search_by_date`` over ``hits`` (Algolia hit dicts)."""

    def __init__(self, hits: list[dict]):
        self.hits = hits
        super().__init__()
        self.api_url = self.base_url + "/api/v1"

    def answer(self, request):
        if request["path"] not in ("/api/v1/search", "/api/v1/search_by_date"):
            return 404, {}, {"message": "Not Found", "status": 404}
        q = request["query"]
        try:
            per_page = int(q.get("hitsPerPage", 20))
            page = int(q.get("page", 0))
        except ValueError:
            return 400, {}, {"message": "Invalid value for hitsPerPage", "status": 400}
        if not 0 < per_page <= 1000:
            return 400, {}, {"message": f"Invalid value for \"hitsPerPage\": {per_page}", "status": 400}
        tags = q.get("tags", "")
        kinds = tags.strip("()").split(",") if tags else ["story", "comment"]
        words = q.get("query", "").lower().split()
        found = [h for h in self.hits if h["_tags"][0] in kinds
                 and all(w in json.dumps(h).lower() for w in words)]
        for condition in filter(None, q.get("numericFilters", "").split(",")):
            name, op, value = re.match(r"(\w+)(>=|<=|>|<|=)(\d+)", condition).groups()
            test = {">=": int.__ge__, "<=": int.__le__, ">": int.__gt__, "<": int.__lt__,
                    "=": int.__eq__}[op]
            found = [h for h in found if h.get(name) is not None and test(h[name], int(value))]
        if request["path"].endswith("search_by_date"):
            found.sort(key=lambda h: -h["created_at_i"])
        pages = (len(found) + per_page - 1) // per_page
        return 200, {}, {"hits": found[page * per_page:(page + 1) * per_page], "page": page,
                         "nbHits": len(found), "nbPages": pages, "hitsPerPage": per_page,
                         "query": q.get("query", ""), "params": request["path"]}


def hn_story(object_id: int, title: str, url: str | None, points: int, day: str, comments: int = 3):
    created = _epoch(day)
    return {"objectID": str(object_id), "title": title, "url": url, "author": "pg",
            "points": points, "num_comments": comments, "created_at": f"{day}T12:00:00Z",
            "created_at_i": created, "story_text": None if url else "<p>Ask &amp; tell</p>",
            "_tags": ["story", "author_pg", f"story_{object_id}"]}


def hn_comment(object_id: int, story_id: int, story_title: str, text: str, day: str):
    return {"objectID": str(object_id), "comment_text": text, "author": "dang",
            "points": None, "story_id": story_id, "story_title": story_title,
            "created_at": f"{day}T08:00:00Z", "created_at_i": _epoch(day),
            "_tags": ["comment", "author_dang", f"story_{story_id}"]}


def _epoch(day: str) -> int:
    from datetime import UTC, datetime

    return int(datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC).timestamp())


# -- Reddit --------------------------------------------------------------------------------

class RedditServer(JsonApiServer):
    """``/search.json`` and ``/r/NAME/search.json`` listings with ``after`` cursors.

    Like Reddit, a request with a generic User-Agent is answered 429; ``private``
    subreddits answer 403 with a reason; unknown ones redirect to a subreddit search.
    ``remaining`` is what ``x-ratelimit-remaining`` says on each success.
    """

    def __init__(self, posts: list[dict], *, private=(), remaining: float = 99.0, reset: int = 1):
        self.posts = posts
        self.private = set(private)
        self.remaining = remaining
        self.reset = reset
        super().__init__()

    def answer(self, request):
        agent = request["headers"].get("user-agent", "")
        if not agent or agent.startswith(("python-httpx", "python-requests")):
            return 429, {}, {"message": "Too Many Requests", "error": 429}
        path = request["path"]
        if path == "/subreddits/search.json":
            return 200, {}, {"kind": "Listing", "data": {"after": None, "children": [
                {"kind": "t5", "data": {"display_name": "something"}}]}}
        match = re.fullmatch(r"/r/(\w+)/(search|hot|new|top)\.json", path)
        name = match.group(1) if match else None
        listing = match.group(2) if match and match.group(2) != "search" else None
        if name in self.private:
            return 403, {}, {"reason": "private", "message": "Forbidden", "error": 403}
        if name is not None and not any(p["subreddit"].lower() == name.lower() for p in self.posts):
            return 302, {"Location": f"/subreddits/search.json?q={name}"}, b""
        if path != "/search.json" and name is None:
            return 404, {}, {"message": "Not Found", "error": 404}
        q = request["query"]
        words = q.get("q", "").lower().split()
        found = [p for p in self.posts if all(w in (p["title"] + p["selftext"]).lower() for w in words)
                 and (name is None or p["subreddit"].lower() == name.lower())]
        if (listing or q.get("sort")) == "new":
            found.sort(key=lambda p: -p["created_utc"])
        elif (listing or q.get("sort")) == "top":
            found.sort(key=lambda p: -p["score"])
        limit = min(int(q.get("limit", 25)), 100)
        start = 0
        if q.get("after"):
            ids = [f"t3_{p['id']}" for p in found]
            start = ids.index(q["after"]) + 1
        chunk = found[start:start + limit]
        after = f"t3_{chunk[-1]['id']}" if chunk and start + limit < len(found) else None
        headers = {"x-ratelimit-remaining": str(self.remaining),
                   "x-ratelimit-used": "1", "x-ratelimit-reset": str(self.reset)}
        return 200, headers, {"kind": "Listing", "data": {
            "after": after, "dist": len(chunk), "before": None,
            "children": [{"kind": "t3", "data": p} for p in chunk]}}


def reddit_post(post_id: str, title: str, subreddit: str, *, url: str | None = None,
                score: int = 10, day: str = "2025-01-10", selftext: str = ""):
    permalink = f"/r/{subreddit}/comments/{post_id}/{title.lower().replace(' ', '_')[:20]}/"
    return {"id": post_id, "name": f"t3_{post_id}", "title": title, "permalink": permalink,
            "url": url or f"https://www.reddit.com{permalink}", "is_self": url is None,
            "score": score, "num_comments": 4, "created_utc": float(_epoch(day)),
            "subreddit": subreddit, "author": "someone", "selftext": selftext}


# -- analytics: one small traffic data set shared by the three providers ----------------------

class Traffic:
    """Page views per day: ``pages[(host, path)] = (views a day before split, after)``."""

    def __init__(self, pages: dict[tuple[str, str], tuple[int, int]], split: date):
        self.pages = pages
        self.split = split

    def views(self, host: str, path: str, start: date, end: date) -> int:
        before, after = self.pages[(host, path)]
        total, day = 0, start
        while day <= end:
            total += before if day < self.split else after
            day += timedelta(days=1)
        return total

    def rows(self, start: date, end: date, *, shuffle_ties: int | None = None):
        """(host, path, views, visitors, entrances, bounce rate) with views > 0, most first.

        ``shuffle_ties``: a seed; pages with as many views come in an order drawn from it,
        as a column store sorting on views alone gives them (a request that orders only by
        a metric may get them in another order on its next page)."""
        found = []
        for (host, path) in self.pages:
            views = self.views(host, path, start, end)
            if views:
                found.append((host, path, views, views // 2, views // 4, 0.5))
        if shuffle_ties is None:
            found.sort(key=lambda r: (-r[2], r[0], r[1]))
        else:
            import random

            draw = random.Random(shuffle_ties)
            found.sort(key=lambda r: (-r[2], draw.random()))
        return found


class PlausibleServer(JsonApiServer):
    """``POST /api/v2/query``: Stats API v2 over a ``Traffic`` data set for ``site_id``."""

    KNOWN = {"visitors", "visits", "pageviews", "bounce_rate", "visit_duration", "views_per_visit"}

    def __init__(self, traffic: Traffic, *, site_id: str, key: str):
        self.traffic, self.site_id, self.key = traffic, site_id, key
        super().__init__()

    def answer(self, request):
        if request["path"] != "/api/v2/query":
            return 404, {}, {"error": "Not found"}
        body = request.get("json") or {}
        if bearer(request) != self.key or body.get("site_id") != self.site_id:
            return 401, {}, {"error": "Invalid API key or site ID. Please make sure you're using "
                                      "a valid API key with access to the site you've requested."}
        for metric in body.get("metrics", []):
            if metric not in self.KNOWN:
                return 400, {}, {"error": f"#/metrics/0: Invalid metric \"{metric}\""}
        start, end = (date.fromisoformat(d) for d in body["date_range"])
        dimension = body["dimensions"][0]
        for name, _ in body.get("order_by") or []:
            if name not in body["metrics"] and name not in body["dimensions"]:
                return 400, {}, {"error": f"Invalid order_by entry '{name}'. Entry is not a queried "
                                          "metric or dimension."}
        # Without an order_by naming the dimension, rows with equal metrics come in any order.
        ordered = [dimension, "asc"] in (body.get("order_by") or [])
        rows = self.traffic.rows(start, end, shuffle_ties=None if ordered else len(self.requests))
        results = []
        for host, path, views, visitors, entrances, bounce in rows:
            if host != self.site_id:
                continue
            values = {"pageviews": views, "visitors": visitors, "visits": entrances,
                      "bounce_rate": bounce * 100, "visit_duration": 61}
            if dimension == "visit:entry_page" and not entrances:
                continue
            results.append({"dimensions": [path], "metrics": [values[m] for m in body["metrics"]]})
        page = body.get("pagination", {"limit": 10000, "offset": 0})
        chunk = results[page["offset"]:page["offset"] + page["limit"]]
        meta = {"total_rows": len(results)} if body.get("include", {}).get("total_rows") else {}
        return 200, {}, {"results": chunk, "meta": meta, "query": body}


class PostHogServer(JsonApiServer):
    """``POST /api/projects/ID/query/``: HogQL over a ``Traffic`` data set; paging by LIMIT/OFFSET."""

    def __init__(self, traffic: Traffic, *, project_id: str, key: str, sessions: bool = True):
        self.traffic, self.project_id, self.key, self.sessions = traffic, project_id, key, sessions
        super().__init__()

    def answer(self, request):
        match = re.fullmatch(r"/api/projects/([^/]+)/query/", request["path"])
        if not match:
            return 404, {}, {"type": "invalid_request", "code": "not_found", "detail": "Not found.", "attr": None}
        if bearer(request) != self.key:
            return 401, {}, {"type": "authentication_error", "code": "authentication_failed",
                             "detail": "Personal API key found in request Authorization header is invalid.",
                             "attr": None}
        if match.group(1) != self.project_id:
            return 403, {}, {"type": "authentication_error", "code": "permission_denied",
                             "detail": "You don't have access to the project.", "attr": None}
        query = request["json"]["query"]
        if query.get("kind") != "HogQLQuery":
            return 400, {}, {"type": "validation_error", "code": "invalid_input",
                             "detail": "Unknown query kind", "attr": "kind"}
        sql = query["query"]
        days = re.findall(r"toDateTime\('(\d{4}-\d\d-\d\d) 00:00:00'\)", sql)
        start, end = date.fromisoformat(days[0]), date.fromisoformat(days[1]) - timedelta(days=1)
        limit = int(re.search(r"LIMIT (\d+)", sql).group(1))
        offset = int(re.search(r"OFFSET (\d+)", sql).group(1))
        ordered = re.search(r"ORDER BY \w+ DESC, \w+", sql)  # else ties come in any order
        rows = self.traffic.rows(start, end, shuffle_ties=None if ordered else len(self.requests))
        if "FROM sessions" in sql:
            if not self.sessions:
                return 400, {}, {"type": "validation_error", "code": "query_error",
                                 "detail": "Unknown table `sessions`.", "attr": None}
            results = [[f"https://{h}{p}?ref=x", e, b] for h, p, _, _, e, b in rows if e]
            columns = ["url", "entrances", "bounce_rate"]
        else:
            results = [[h, p, v, u] for h, p, v, u, _, _ in rows]
            columns = ["host", "path", "pageviews", "visitors"]
        chunk = results[offset:offset + limit]
        # A query with its own LIMIT is run as it is: PostHog's paginator (hasMore, limit,
        # offset in the answer) only wraps queries without one (HogQLQueryRunner).
        return 200, {}, {"results": chunk, "columns": columns, "types": [], "is_cached": False}


class GA4Server(JsonApiServer):
    """``POST /token`` (a JWT bearer grant, signature checked with ``public_key``) and
    ``POST /v1beta/properties/ID:runReport`` over a ``Traffic`` data set."""

    def __init__(self, traffic: Traffic, *, property_id: str, public_key, email: str):
        self.traffic, self.property_id, self.public_key, self.email = traffic, property_id, public_key, email
        self.tokens: set[str] = set()
        super().__init__()
        self.token_uri = self.base_url + "/token"

    def answer(self, request):
        if request["path"] == "/token":
            return self._token(request)
        match = re.fullmatch(r"/v1beta/properties/([^/:]+):runReport", request["path"])
        if not match:
            return 404, {}, {"error": {"code": 404, "message": "Not found", "status": "NOT_FOUND"}}
        if bearer(request) not in self.tokens:
            return 401, {}, {"error": {"code": 401, "message": "Request had invalid authentication "
                                       "credentials.", "status": "UNAUTHENTICATED"}}
        if match.group(1) != self.property_id:
            return 403, {}, {"error": {"code": 403, "message": "User does not have sufficient "
                                       "permissions for this property.", "status": "PERMISSION_DENIED"}}
        body = request["json"]
        dims = [d["name"] for d in body["dimensions"]]
        metrics = [m["name"] for m in body["metrics"]]
        if not set(metrics) <= {"screenPageViews", "activeUsers", "sessions", "bounceRate", "engagementRate"}:
            return 400, {}, {"error": {"code": 400, "message": f"Field {metrics[0]} is not a valid metric.",
                                       "status": "INVALID_ARGUMENT"}}
        span = body["dateRanges"][0]
        # Without orderBys on the dimensions, rows with equal metrics come in any order.
        by = [o["dimension"]["dimensionName"] for o in body.get("orderBys") or [] if "dimension" in o]
        rows = self.traffic.rows(date.fromisoformat(span["startDate"]), date.fromisoformat(span["endDate"]),
                                 shuffle_ties=None if by == dims else len(self.requests))
        out = []
        for host, path, views, users, entrances, bounce in rows:
            page = path if dims[1] == "pagePath" else path + "?utm_source=news"
            if dims[1] == "landingPage" and not entrances:
                continue
            values = {"screenPageViews": views, "activeUsers": users, "sessions": entrances,
                      "bounceRate": bounce, "engagementRate": 1 - bounce}
            out.append({"dimensionValues": [{"value": host}, {"value": page}],
                        "metricValues": [{"value": str(values[m])} for m in metrics]})
        limit, offset = int(body.get("limit", 10000)), int(body.get("offset", 0))
        return 200, {}, {"dimensionHeaders": [{"name": d} for d in dims],
                         "metricHeaders": [{"name": m, "type": "TYPE_FLOAT" if m.endswith("Rate") else "TYPE_INTEGER"}
                                           for m in metrics],
                         "rows": out[offset:offset + limit], "rowCount": len(out),
                         "metadata": {"currencyCode": "USD", "timeZone": "UTC"},
                         "kind": "analyticsData#runReport"}

    def _token(self, request):
        import jwt

        form = request.get("form") or {}
        if form.get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer":
            return 400, {}, {"error": "unsupported_grant_type", "error_description": "Invalid grant_type"}
        try:
            claims = jwt.decode(form.get("assertion", ""), self.public_key, algorithms=["RS256"],
                                audience=self.token_uri)
        except jwt.PyJWTError:
            return 400, {}, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}
        if claims.get("iss") != self.email or "analytics.readonly" not in claims.get("scope", ""):
            return 400, {}, {"error": "invalid_scope", "error_description": "Bad issuer or scope."}
        token = f"ya29.token-{len(self.tokens) + 1}"
        self.tokens.add(token)
        return 200, {}, {"access_token": token, "expires_in": 3599, "token_type": "Bearer"}


def service_account(token_uri: str, email: str = "kurt@proj.iam.gserviceaccount.com"):
    """(key file dict, public key) of a throwaway RSA service account."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    info = {"type": "service_account", "project_id": "proj", "private_key_id": "abc123",
            "private_key": pem, "client_email": email, "client_id": "1",
            "token_uri": token_uri}
    return info, key.public_key()
