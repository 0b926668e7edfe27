"""ApiClient against a local server: retries, Retry-After, and one-line failures."""

from __future__ import annotations

import socket

import pytest

from kurt.integrations.http import ApiClient, ServiceError, error_detail, retry_after
from tests.integrations.servers import JsonApiServer


class Echo(JsonApiServer):
    def answer(self, request):
        return 200, {}, {"ok": True, "path": request["path"], "json": request.get("json")}


@pytest.fixture
def server():
    with Echo() as api:
        yield api


def client(base_url, **kw) -> ApiClient:
    kw.setdefault("sleep", lambda s: None)
    return ApiClient("Example API", base_url, "[example] base_url", key_hint="EXAMPLE_KEY", **kw)


def test_a_post_sends_json_and_the_configured_headers(server):
    with client(server.base_url, headers={"Authorization": "Bearer k-1"}) as api:
        response = api.post("v1/things", json_body={"a": 1})
    assert response.ok and response.json()["json"] == {"a": 1}
    assert server.requests[0]["path"] == "/v1/things"
    assert server.requests[0]["headers"]["authorization"] == "Bearer k-1"


def test_429_is_retried_after_the_seconds_retry_after_asks(server):
    server.script = [(429, {"Retry-After": "2"}, {"message": "slow down"}),
                     (503, {"Retry-After": "1"}, "down")]
    api = client(server.base_url)
    response = api.get("x")
    assert response.ok and response.retries == 2
    assert api.waits == [2.0, 1.0]
    assert len(server.requests) == 3


def test_a_429_without_retry_after_waits_for_the_rate_limit_reset(server):
    server.script = [(429, {"X-RateLimit-Reset": "3"}, {"message": "Too Many Requests"})]
    api = client(server.base_url)
    assert api.get("x").ok
    assert api.waits == [3.0]


def test_5xx_without_retry_after_backs_off_exponentially(server):
    server.script = [(502, {}, "bad gateway")] * 2
    api = client(server.base_url, retries=3, max_retry_after=100)
    assert api.get("x").ok
    first, second = api.waits
    assert 0.25 <= first <= 0.75 and 0.5 <= second <= 1.5


def test_retry_after_longer_than_the_cap_is_not_waited_for(server):
    server.script = [(429, {"Retry-After": "600"}, {"message": "quota"})]
    api = client(server.base_url, max_retry_after=5)
    response = api.get("x")
    assert response.status == 429 and response.wait_asked == 600 and api.waits == []
    message = str(api.failure(response, "quota"))
    assert "asks to wait 600 s" in message and "max_retry_after (5 s)" in message
    assert "\n" not in message


def test_persistent_5xx_fails_after_the_retries_with_the_reason(server):
    server.script = [(500, {}, {"detail": "boom"})] * 4
    api = client(server.base_url, retries=3)
    response = api.get("x")
    assert response.status == 500 and response.retries == 3 and len(api.waits) == 3
    message = str(api.failure(response, error_detail(response.json())))
    assert message == ("Example API failed after 3 retries (HTTP 500: boom): the service has "
                       "a problem; try again later")


@pytest.mark.parametrize("status, advice", [
    (401, "check EXAMPLE_KEY"),
    (403, "check EXAMPLE_KEY"),
    (404, "check [example] base_url in kurt.toml"),
    (400, "check [example] base_url and the options you gave"),
])
def test_refusals_say_what_to_fix(server, status, advice):
    server.script = [(status, {}, {"error": {"message": "nope"}})]
    api = client(server.base_url)
    response = api.get("x")
    message = str(api.failure(response, error_detail(response.json())))
    assert advice in message and f"HTTP {status}: nope" in message
    assert api.waits == []  # a refusal is not retried


def test_no_server_is_one_line_naming_the_setting():
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ServiceError) as caught:
        client(f"http://127.0.0.1:{port}").get("x")
    message = str(caught.value)
    assert message.startswith(f"Cannot reach Example API at http://127.0.0.1:{port}")
    assert "check [example] base_url in kurt.toml" in message


def test_a_timeout_is_retried_once_then_fails(server):
    import time

    class Slow(JsonApiServer):
        def answer(self, request):
            time.sleep(1.0)
            return 200, {}, {}

    with Slow() as slow:
        api = client(slow.base_url, timeout=0.2)
        with pytest.raises(ServiceError, match="did not answer within 0.2 s \\(2 tries\\)"):
            api.get("x")
    assert len(slow.requests) == 2


def test_secrets_never_appear_in_messages(server):
    server.script = [(401, {}, {"error": {"message": "Invalid key sk-secret-123 given"}})]
    api = client(server.base_url, secrets=("sk-secret-123",))
    response = api.get("x")
    message = str(api.failure(response, error_detail(response.json())))
    assert "sk-secret-123" not in message and "***" in message


@pytest.mark.parametrize("body, detail", [
    ({"error": {"code": 403, "message": "No access", "status": "PERMISSION_DENIED"}}, "No access"),
    ({"error": "invalid_grant", "error_description": "Invalid JWT Signature."},
     "invalid_grant: Invalid JWT Signature."),
    ({"error": "Invalid API key or site ID."}, "Invalid API key or site ID."),
    ({"type": "authentication_error", "detail": "Bad key", "attr": None}, "Bad key"),
    ({"message": "Forbidden", "error": 403}, "Forbidden"),
    (None, None),
    ([1, 2], None),
])
def test_error_detail_reads_the_common_error_bodies(body, detail):
    assert error_detail(body) == detail


def test_retry_after_reads_an_http_date():
    from datetime import UTC, datetime, timedelta
    from email.utils import format_datetime

    from kurt.integrations.http import ApiResponse

    when = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    asked = retry_after(ApiResponse("u", 503, {"retry-after": when}, b""))
    assert 25 <= asked <= 31


def test_a_dropped_connection_is_retried(server):
    server.script = [None]
    api = client(server.base_url)
    assert api.get("x").status == 200 and len(api.waits) == 1 and len(server.requests) == 2


def test_a_connection_dropped_every_time_is_one_line_to_try_later(server):
    server.script = [None] * 3
    with pytest.raises(ServiceError, match="dropped the connection 3 times .*: try again later"):
        client(server.base_url, retries=2).get("x")


@pytest.mark.parametrize("reset, asked", [
    ("3", 3.0),  # seconds until the window resets (Reddit)
    ("1750000042", 42.0),  # the Unix time it resets at
    ("1749999000", 0.0),  # a time already past
    ("soon", None),
])
def test_x_ratelimit_reset_is_seconds_or_a_unix_time(reset, asked):
    from kurt.integrations.http import ApiResponse

    response = ApiResponse("u", 429, {"x-ratelimit-reset": reset}, b"")
    assert retry_after(response, now=lambda: 1_750_000_000.0) == asked
