"""robots.txt: parse it and answer "may this user agent fetch this URL?".

Follows RFC 9309: groups of ``User-agent`` lines, the most specific group for
our product token wins (else ``*``), the longest matching ``Allow``/``Disallow``
rule wins (``Allow`` on a tie), ``*`` and ``$`` wildcards, percent-encoding
normalized. ``Crawl-delay`` and ``Sitemap`` lines are read too.

What an unreadable robots.txt means (decided here, used by PoliteClient):

- 2xx: the rules apply.
- 4xx (404, 410, even 401/403): no rules, everything is allowed (RFC 9309 2.3.1.3).
- 5xx or 429 after retries: the site is treated as disallowed *for this run only*
  (RFC 9309 2.3.1.4: "assume complete disallow"); the reason says so and the next
  run asks again, so a passing outage never blocks a site forever.
- no HTTP response at all (DNS failure, connection refused, timeout): allowed, so
  the page request itself runs and reports the real network reason instead of a
  misleading "blocked by robots.txt".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urlsplit

MAX_ROBOTS_BYTES = 500 * 1024  # RFC 9309: parse at least 500 KiB
MAX_CRAWL_DELAY = 60.0  # seconds; a larger Crawl-delay is clamped to this


@dataclass
class Rule:
    allow: bool
    path: str  # the pattern as written (normalized)

    def __str__(self) -> str:
        return f"{'Allow' if self.allow else 'Disallow'}: {self.path}"


@dataclass
class Group:
    agents: list[str] = field(default_factory=list)  # lower-case product tokens
    rules: list[Rule] = field(default_factory=list)
    crawl_delay: float | None = None


@dataclass
class RobotsDecision:
    allowed: bool
    rule: Rule | None = None  # the rule that decided, None when no rule matched
    agent: str = "*"  # the group that applied: our token, or '*'
    reason: str = ""  # one line, empty when allowed


@dataclass
class RobotsPolicy:
    """The robots.txt rules of one origin, as they apply to one user agent."""

    origin: str
    user_agent: str  # our full User-Agent string
    status: int | None = None  # HTTP status of robots.txt, None when unreachable
    groups: list[Group] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    disallow_all_reason: str | None = None  # set when robots.txt failed with 5xx
    note: str = ""  # how the file was obtained, e.g. "robots.txt: HTTP 404 (no rules)"

    @property
    def token(self) -> str:
        return product_token(self.user_agent)

    def _group(self) -> Group | None:
        token = self.token.lower()
        best: Group | None = None
        best_len = -1
        star: Group | None = None
        for group in self.groups:
            for agent in group.agents:
                if agent == "*":
                    star = star or group
                elif agent == token:
                    if len(agent) > best_len:
                        best, best_len = group, len(agent)
        return best or star

    def decide(self, url: str) -> RobotsDecision:
        token = self.token
        if self.disallow_all_reason:
            return RobotsDecision(False, None, "*", self.disallow_all_reason)
        parts = urlsplit(url)
        path = _normalize_path(parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if path == "/robots.txt":
            return RobotsDecision(True)
        group = self._group()
        if group is None:
            return RobotsDecision(True)
        agent = token if "*" not in group.agents else "*"
        best: Rule | None = None
        best_len = -1
        for rule in group.rules:
            if not rule.path:
                continue  # "Disallow:" with no path allows everything
            if _matches(rule.path, path):
                length = len(rule.path)
                if length > best_len or (length == best_len and rule.allow and best and not best.allow):
                    best, best_len = rule, length
        if best is None or best.allow:
            return RobotsDecision(True, best, agent)
        if agent != "*" and best.path in ("/", "/*"):
            reason = f"robots.txt blocks user agent {token} from the whole site ({best})"
        else:
            reason = f"blocked by robots.txt for user agent {token} (rule '{best}' for {agent})"
        return RobotsDecision(False, best, agent, reason)

    def allows(self, url: str) -> bool:
        return self.decide(url).allowed

    @property
    def crawl_delay(self) -> float | None:
        group = self._group()
        if group is None or group.crawl_delay is None:
            return None
        return min(group.crawl_delay, MAX_CRAWL_DELAY)


def product_token(user_agent: str) -> str:
    """'KurtBot/0.1 (+https://...)' -> 'KurtBot'."""
    token = user_agent.strip().split("/")[0].split()[0] if user_agent.strip() else "*"
    return re.sub(r"[^A-Za-z_-]", "", token) or "*"


def parse_robots(text: str, *, origin: str, user_agent: str, status: int | None = 200) -> RobotsPolicy:
    """Parse robots.txt text (lenient: unknown lines and junk are ignored)."""
    policy = RobotsPolicy(origin=origin, user_agent=user_agent, status=status)
    current: Group | None = None
    in_agents = False  # True while reading consecutive User-agent lines
    for raw in text[:MAX_ROBOTS_BYTES].splitlines():
        line = raw.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        key, value = line.split(":", 1)
        key = key.strip().lower().replace("_", "-")
        value = value.strip()
        if key in ("user-agent", "useragent"):
            if not in_agents or current is None:
                current = Group()
                policy.groups.append(current)
            current.agents.append(value.lower().split("/")[0].strip() or "*")
            in_agents = True
            continue
        if key == "sitemap":
            if value:
                policy.sitemaps.append(value)
            continue
        in_agents = False
        if current is None:
            continue  # rules before any User-agent line
        if key in ("allow", "disallow"):
            current.rules.append(Rule(key == "allow", _normalize_pattern(value)))
        elif key == "crawl-delay":
            try:
                delay = float(value)
            except ValueError:
                continue
            if delay >= 0:
                current.crawl_delay = delay
    return policy


def allow_all(origin: str, user_agent: str, status: int | None, note: str) -> RobotsPolicy:
    return RobotsPolicy(origin=origin, user_agent=user_agent, status=status, note=note)


def disallow_all(origin: str, user_agent: str, status: int | None, reason: str) -> RobotsPolicy:
    return RobotsPolicy(origin=origin, user_agent=user_agent, status=status,
                        disallow_all_reason=reason, note=reason)


def _normalize_path(path: str) -> str:
    # Compare percent-encoded forms: decode what is safe, re-encode consistently.
    return quote(unquote(path), safe="/%*$:@&=+,;!~'()")


def _normalize_pattern(pattern: str) -> str:
    if not pattern:
        return ""
    if not pattern.startswith(("/", "*")):
        pattern = "/" + pattern
    return _normalize_path(pattern)


def _matches(pattern: str, path: str) -> bool:
    if "*" not in pattern and not pattern.endswith("$"):
        return path.startswith(pattern)
    anchored = pattern.endswith("$")
    body = pattern[:-1] if anchored else pattern
    regex = ".*".join(re.escape(part) for part in body.split("*"))
    return re.match(regex + ("$" if anchored else ""), path) is not None
