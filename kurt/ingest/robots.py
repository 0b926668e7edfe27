"""robots.txt: parse it and answer "may this user agent fetch this URL?" (RFC 9309).

Reading the file (RFC 9309 section 2):

- bytes are UTF-8 (2.3): a byte-order mark is dropped, invalid bytes become U+FFFD; at
  most ``MAX_ROBOTS_BYTES`` (500 KiB, 2.5) are parsed, and a line cut by that limit is
  dropped (half a rule could allow more than the whole one);
- lines end with CR, LF or CRLF; ``#`` starts a comment; keys are case-insensitive;
  ``key value`` without the colon is accepted when it is exactly two words, and the
  usual misspellings of ``disallow`` and ``user-agent`` are read as such (erring on the
  side of the site owner, like Google's parser);
- a group is one or more ``User-agent`` lines followed by ``Allow``/``Disallow`` lines;
  only an ``Allow``/``Disallow`` line ends the list of agents, so a ``Crawl-delay``,
  ``Sitemap`` or unknown line between two ``User-agent`` lines does not split the group
  (2.2.4: other records must not interfere); blank lines are ignored; rules before the
  first ``User-agent`` line belong to no group and are ignored;
- a ``User-agent`` line's product token is its leading run of letters, ``-`` and ``_``
  (``KurtBot/1.0`` and ``KurtBot (+url)`` name ``KurtBot``; ``Mozilla/5.0 (compatible;
  KurtBot)`` names ``Mozilla``), ``*`` (alone or followed by a space) names every agent,
  and matching is case-insensitive and exact (2.2.1): ``Kurt`` does not name ``KurtBot``;
- every group naming our product token applies, merged into one (2.2.1); if none does,
  every ``*`` group does, merged; if there is neither, nothing is disallowed.

Matching (2.2.2, 2.2.3): a rule is matched against the URL's path and query (``/``
when the path is empty; the fragment is dropped); the longest matching rule wins, counted
in octets of its percent-encoded form, and ``Allow`` wins a tie; ``*`` matches any run
of characters and a final ``$`` anchors the end; ``Disallow:`` with no path allows all,
and a path missing its leading ``/`` gets one. Both sides are brought to one
percent-encoded form before comparing: non-ASCII characters (and spaces, controls and
other characters a URI may not hold) are UTF-8 percent-encoded, escapes of unreserved
characters (``%7E`` -> ``~``) are decoded, other escapes are kept with upper-case hex
(``%2f`` -> ``%2F``, which never equals ``/``), and reserved characters such as ``?``,
``=`` and ``&`` stay as they are on both sides. A literal ``*`` or ``$`` in a URL equals
``%2A``/``%24`` in a rule, as RFC 9309 2.2.3 shows. ``/robots.txt`` is always allowed.

What an unreadable robots.txt means (decided here, applied by PoliteClient):

- 2xx: the rules apply;
- 3xx that lead nowhere (too many redirects, a loop) and 4xx other than 429 (404, 410,
  even 401/403): "unavailable", no rules, everything is allowed (2.3.1.2, 2.3.1.3);
- 5xx, 429, a timeout, a connection the server dropped, a body that cannot be decoded:
  "unreachable", complete disallow (2.3.1.4). This is a passing state: the policy
  holds for this run only (``RobotsPolicy.unreadable``), the pages it holds back keep
  their status, the reason says so, and the next run asks again;
- no connection at all (DNS failure, connection refused, TLS or network error): also
  a complete disallow, as RFC 9309 asks for network errors, but the pages are not
  reported as held back by robots.txt: their request would fail the same way, so they
  fail with that real network reason (``RobotsPolicy.unreachable``), as if requested.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

MAX_ROBOTS_BYTES = 500 * 1024  # RFC 9309 2.5: parse at least 500 KiB
MAX_CRAWL_DELAY = 60.0  # seconds; a larger Crawl-delay is clamped to this

_USER_AGENT_KEYS = frozenset({"user-agent", "useragent", "user agent", "user_agent"})
_DISALLOW_KEYS = frozenset({"disallow", "dissallow", "dissalow", "disalow", "diasllow",
                            "disallaw"})
_ALLOW_KEYS = frozenset({"allow"})
_SITEMAP_KEYS = frozenset({"sitemap", "site-map"})
_CRAWL_DELAY_KEYS = frozenset({"crawl-delay", "crawl delay", "crawldelay", "crawl_delay"})
_KNOWN_KEYS = _USER_AGENT_KEYS | _DISALLOW_KEYS | _ALLOW_KEYS | _SITEMAP_KEYS | _CRAWL_DELAY_KEYS

_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_RESERVED = frozenset(":/?#[]@!$&'()*+,;=")
_HEX = frozenset("0123456789abcdefABCDEF")
_IDENTIFIER = re.compile(r"[A-Za-z_-]+")
_NEWLINE = re.compile(r"\r\n|\r|\n")
_PLAIN = re.compile(r"[A-Za-z0-9._~:/?\[\]@!&'()+,;=-]*")  # nothing to encode in these


@dataclass
class Rule:
    allow: bool
    path: str  # the pattern, percent-encoded like the URLs it is compared with

    def __str__(self) -> str:
        return f"{'Allow' if self.allow else 'Disallow'}: {self.path}"

    def matches(self, target: str) -> bool:
        """Does this rule's pattern match ``target`` (an encoded path and query)?"""
        return _matches(self.path, target)


@dataclass
class Group:
    agents: list[str] = field(default_factory=list)  # lower-case product tokens, '*', or ''
    rules: list[Rule] = field(default_factory=list)
    crawl_delay: float | None = None


@dataclass
class RobotsDecision:
    allowed: bool
    rule: Rule | None = None  # the rule that decided, None when no rule matched
    agent: str = "*"  # the group that applied: our token, or '*'
    reason: str = ""  # one line, empty when allowed
    held_back: bool = False  # robots.txt could not be read: the URL waits for a later run


@dataclass
class RobotsPolicy:
    """The robots.txt rules of one origin, as they apply to one user agent."""

    origin: str
    user_agent: str  # our full User-Agent string
    status: int | None = None  # HTTP status of robots.txt, None when unreachable
    groups: list[Group] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    unreadable: str | None = None  # why robots.txt could not be read (5xx, timeout): all waits
    unreachable: str | None = None  # the network reason no connection could be made
    note: str = ""  # how the file was obtained, e.g. "robots.txt: HTTP 404 (no rules)"

    @property
    def token(self) -> str:
        return product_token(self.user_agent)

    def _applicable(self) -> tuple[list[Rule], str, float | None]:
        """(the merged rules, the agent they were written for, the crawl delay)."""
        token = self.token.lower()
        chosen = [g for g in self.groups if token != "*" and token in g.agents]
        agent = self.token
        if not chosen:
            chosen = [g for g in self.groups if "*" in g.agents]
            agent = "*"
        rules = [rule for group in chosen for rule in group.rules]
        delays = [g.crawl_delay for g in chosen if g.crawl_delay is not None]
        return rules, agent, (max(delays) if delays else None)

    def decide(self, url: str) -> RobotsDecision:
        token = self.token
        if self.unreachable:
            return RobotsDecision(False, None, "*", self.unreachable)
        if self.unreadable:
            return RobotsDecision(False, None, "*", self.unreadable, held_back=True)
        target = match_target(url)
        if target.split("?", 1)[0] == "/robots.txt":
            return RobotsDecision(True)
        rules, agent, _delay = self._applicable()
        best: Rule | None = None
        for rule in rules:
            if not rule.matches(target):
                continue
            if best is None or len(rule.path) > len(best.path) or (
                    len(rule.path) == len(best.path) and rule.allow and not best.allow):
                best = rule
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
        delay = self._applicable()[2]
        return None if delay is None else min(delay, MAX_CRAWL_DELAY)


def product_token(user_agent: str) -> str:
    """Our product token (RFC 9309 2.2.1): 'KurtBot/0.1 (+https://...)' -> 'KurtBot'.

    The leading run of letters, '-' and '_' of the User-Agent string; '*' when it has none.
    """
    found = _IDENTIFIER.match(user_agent.strip())
    return found.group(0) if found else "*"


def agent_token(value: str) -> str:
    """The product token a ``User-agent`` line names, lower-cased: '*', or '' for none."""
    value = value.strip()
    if value == "*" or value.startswith(("* ", "*\t")):
        return "*"
    found = _IDENTIFIER.match(value)
    return found.group(0).lower() if found else ""


def decode_robots(body: bytes) -> str:
    """robots.txt bytes -> text: UTF-8, BOM dropped, invalid bytes replaced, at most 500 KiB.

    A file longer than ``MAX_ROBOTS_BYTES`` is cut there, and the line the cut went
    through is dropped.
    """
    if len(body) > MAX_ROBOTS_BYTES:
        body = body[:MAX_ROBOTS_BYTES]
        last = max(body.rfind(b"\n"), body.rfind(b"\r"))
        body = body[:last + 1] if last >= 0 else b""
    return body.decode("utf-8", errors="replace").removeprefix("\ufeff")


def parse_robots(text: str, *, origin: str, user_agent: str, status: int | None = 200) -> RobotsPolicy:
    """Parse robots.txt text (lenient: unknown lines and junk are ignored; see the docstring)."""
    policy = RobotsPolicy(origin=origin, user_agent=user_agent, status=status)
    current: Group | None = None
    closed = False  # an Allow/Disallow line was read: the next User-agent line starts a group
    for raw in _NEWLINE.split(text.removeprefix("\ufeff")[:MAX_ROBOTS_BYTES]):
        parsed = _key_value(raw.split("#", 1)[0].strip())
        if parsed is None:
            continue
        key, value = parsed
        if key in _USER_AGENT_KEYS:
            if current is None or closed:
                current, closed = Group(), False
                policy.groups.append(current)
            current.agents.append(agent_token(value))
        elif key in _SITEMAP_KEYS:
            if value:
                policy.sitemaps.append(value)
        elif current is None:
            continue  # a rule before any User-agent line belongs to no group
        elif key in _ALLOW_KEYS or key in _DISALLOW_KEYS:
            closed = True
            if value:  # "Disallow:" with no path disallows nothing
                current.rules.append(Rule(key in _ALLOW_KEYS, encode_pattern(value)))
        elif key in _CRAWL_DELAY_KEYS:
            try:
                delay = float(value)
            except ValueError:
                continue
            if math.isfinite(delay) and delay >= 0:
                current.crawl_delay = delay
    return policy


def allow_all(origin: str, user_agent: str, status: int | None, note: str) -> RobotsPolicy:
    return RobotsPolicy(origin=origin, user_agent=user_agent, status=status, note=note)


def unreadable(origin: str, user_agent: str, status: int | None, why: str) -> RobotsPolicy:
    """robots.txt could not be read (5xx, 429, timeout...): everything waits for a later run."""
    reason = (f"robots.txt of {origin} could not be read ({why}): nothing on this site is "
              "fetched until it can be (RFC 9309); run the same command again later")
    return RobotsPolicy(origin=origin, user_agent=user_agent, status=status, unreadable=reason,
                        note=reason)


def unreachable(origin: str, user_agent: str, reason: str) -> RobotsPolicy:
    """No connection to the host at all: every URL fails with that network ``reason``."""
    return RobotsPolicy(origin=origin, user_agent=user_agent, status=None, unreachable=reason,
                        note=f"{origin}/robots.txt: {reason}")


def match_target(url: str) -> str:
    """The part of ``url`` rules are matched against: its encoded path and query."""
    url = url.split("#", 1)[0]
    parts = urlsplit(url)
    target = parts.path or "/"
    if "?" in url:
        target += "?" + parts.query
    return _encode(target, pattern=False)


def encode_pattern(value: str) -> str:
    """A rule's path as written -> its encoded pattern (a final '$' kept as the anchor)."""
    anchored = value.endswith("$")
    body = value[:-1] if anchored else value
    if not body.startswith(("/", "*")):
        body = "/" + body
    return _encode(body, pattern=True) + ("$" if anchored else "")


def _key_value(line: str) -> tuple[str, str] | None:
    if not line:
        return None
    key, sep, value = line.partition(":")
    key = " ".join(key.lower().split())
    if sep and key in _KNOWN_KEYS:
        return key, value.strip()
    words = line.split()  # "Disallow /x", "Sitemap https://x.com/s.xml": no colon after the key
    if len(words) == 2 and words[0].lower() in _KNOWN_KEYS:
        return words[0].lower(), words[1]
    if len(words) == 3 and " ".join(words[:2]).lower() in _KNOWN_KEYS:
        return " ".join(words[:2]).lower(), words[2]
    return (key, value.strip()) if sep else None


def _encode(text: str, *, pattern: bool) -> str:
    """One percent-encoded form for rules and URLs (see the module docstring)."""
    if _PLAIN.fullmatch(text):
        return text
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "%":
            pair = text[i + 1:i + 3]
            if len(pair) == 2 and pair[0] in _HEX and pair[1] in _HEX:
                decoded = chr(int(pair, 16))
                out.append(decoded if decoded in _UNRESERVED else "%" + pair.upper())
                i += 3
                continue
            out.append("%25")
        elif ch == "*":
            out.append("*" if pattern else "%2A")
        elif ch == "$":
            out.append("%24")  # a final '$' (the anchor) was taken off before
        elif ch in _UNRESERVED or ch in _RESERVED:
            out.append(ch)
        else:
            out.extend(f"%{byte:02X}" for byte in ch.encode("utf-8", errors="replace"))
        i += 1
    return "".join(out)


def _matches(pattern: str, target: str) -> bool:
    """``*`` matches any run of characters, a final ``$`` the end; anchored at the start.

    Linear, no backtracking: each literal piece is found at its leftmost place, which
    leaves the most room for what follows (so no regex a hostile file could make slow).
    """
    anchored = pattern.endswith("$")
    if anchored:
        pattern = pattern[:-1]
    pieces = pattern.split("*")
    if len(pieces) == 1:
        return target == pattern if anchored else target.startswith(pattern)
    first, *middle, last = pieces
    if not target.startswith(first):
        return False
    pos = len(first)
    for piece in middle:
        if piece:
            found = target.find(piece, pos)
            if found < 0:
                return False
            pos = found + len(piece)
    if anchored:
        return len(target) - len(last) >= pos and target.endswith(last)
    return target.find(last, pos) >= 0
