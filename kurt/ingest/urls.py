"""URLs: normalize them, check what the user typed, and compare sites.

Normalization (one URL, one document):
- scheme and host lower-case, default port (80/443) dropped, empty path -> "/";
- the host in its ASCII (IDNA) form: ``bücher.de`` -> ``xn--bcher-kva.de``;
- dot segments resolved ("/a/./b/../c" -> "/a/c");
- one spelling per character in the path and query (RFC 3986 6.2.2): escapes of
  unreserved characters decoded (``%7Euser`` -> ``~user``), other escapes upper-cased,
  non-ASCII characters and blanks percent-encoded as UTF-8 (``/café`` -> ``/caf%C3%A9``,
  the form a browser sends), so ``/~user`` and ``/%7euser``, ``/café`` and ``/caf%C3%A9``
  are one URL, one document;
- the fragment dropped (it never changes what the server sends);
- tracking parameters (utm_*, gclid, fbclid, ...) dropped; the other query
  parameters are KEPT IN THEIR ORDER: some servers care about order, and sitemaps
  list URLs the way the site writes them, so sorting would invent URLs;
- a ``user:password@`` part dropped: Kurt stores URLs in its database and in the
  frontmatter of sources/ files, so credentials must never reach them.

Every URL that comes from the web rather than from the user (a sitemap or feed
entry, a page's link, a robots.txt ``Sitemap:`` line, a redirect's ``Location``,
a page's canonical URL) goes through :func:`web_url` first: joined to where it
was found, fragment and credentials removed, http(s) only. URLs the user types
go through :func:`check_user_url`, which refuses credentials with a message.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from kurt.errors import UsageError

WEB_SCHEMES = ("http", "https")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_TRACKING = re.compile(
    r"^(utm_[a-z_]+|gclid|dclid|gbraid|wbraid|fbclid|msclkid|mc_cid|mc_eid|_ga|_gl|yclid|igshid)$",
    re.I,
)
_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_TO_ENCODE = re.compile(r"[^\x21-\x7e]")  # non-ASCII, blanks and control characters
_HOSTLIKE = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:\d+)?(/|$)")


def is_http_url(url: str) -> bool:
    """True for an absolute http(s) URL with a host."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)


def normalize_url(url: str) -> str:
    """The canonical form of an http(s) URL (see the module docstring)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = ascii_host((parts.hostname or "").lower().rstrip("."))
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host  # never the user name or password (see the module docstring)
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        netloc += f":{port}"
    path = _remove_dot_segments(_spell(parts.path or "/"))  # "%2E%2E" is a ".." segment too
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        kept = [(k, v) for k, v in pairs if not _TRACKING.match(k)]
        query = _spell(query if len(kept) == len(pairs) else urlencode(kept))
    return urlunsplit((scheme, netloc, path, query, ""))


def ascii_host(host: str) -> str:
    """A host name in its ASCII form: IDNA (UTS 46) for an internationalised name
    (``bücher.de`` -> ``xn--bcher-kva.de``); unchanged when already ASCII or not valid IDNA."""
    if host.isascii():
        return host
    import idna

    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        try:  # IDNA 2003 (Python's codec) accepts some names IDNA 2008 refuses (symbols)
            return host.encode("idna").decode("ascii")
        except UnicodeError:
            return host


def _spell(text: str) -> str:
    """``text`` (a path or query) with one spelling per character: escapes of unreserved
    characters decoded, other escapes upper-cased, non-ASCII characters and blanks
    percent-encoded (UTF-8). Printable ASCII is kept as written (a stray ``%`` too: what
    the server is asked stays what the site wrote)."""
    def escape(match: re.Match) -> str:
        return "".join(f"%{b:02X}" for b in match.group(0).encode("utf-8", "surrogatepass"))

    def escaped(match: re.Match) -> str:
        char = chr(int(match.group(0)[1:], 16))
        return char if char in _UNRESERVED else match.group(0).upper()

    if "%" not in text and not _TO_ENCODE.search(text):
        return text
    out = []
    for piece in re.split(r"(%[0-9a-fA-F]{2})", text):
        if _ESCAPE.fullmatch(piece):
            out.append(escaped(_ESCAPE.fullmatch(piece)))
        elif piece:
            out.append(_TO_ENCODE.sub(escape, piece))
    return "".join(out)


def strip_userinfo(url: str) -> str:
    """``url`` without its ``user:password@`` part (any scheme; unchanged when there is none)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def web_url(href: str, base: str = "") -> str | None:
    """A URL found on the web, made safe to follow and store; None when it is not one.

    ``href`` is joined to ``base`` (where it was found); the fragment and any
    ``user:password@`` are removed. None when the result is not an absolute
    http(s) URL with a host, or is malformed. The rest of the URL is kept as
    written (``normalize_url`` is the step that makes it canonical).
    """
    text = (href or "").strip()
    if not text:
        return None
    try:
        joined = urljoin(base, text) if base else text
        parts = urlsplit(joined)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return None
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.hostname:
        return None
    if any(ch.isspace() for ch in parts.netloc):
        return None
    return strip_userinfo(urlunsplit(parts._replace(fragment="")))


def check_user_url(url: str) -> str:
    """A URL typed by the user, checked and normalized; UsageError says what is wrong.

    A bare host such as ``docs.example.com/guides`` gets ``https://``.
    """
    text = (url or "").strip()
    if not text:
        raise UsageError("Give a URL, e.g. https://docs.example.com")
    if "://" not in text and _HOSTLIKE.match(text):
        text = "https://" + text
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise UsageError(f"'{url}' is not a valid URL ({exc}): check it") from None
    scheme = parts.scheme.lower()
    if scheme not in WEB_SCHEMES:
        if not scheme:
            raise UsageError(f"'{url}' is not a URL: start it with https:// (or http://)")
        raise UsageError(
            f"unsupported URL scheme '{scheme}' in '{url}': only http and https URLs can be mapped"
            + ("; for local files use 'kurt content map folder PATH'" if scheme == "file" else "")
        )
    if not parts.hostname:
        raise UsageError(f"'{url}' has no host name: use a URL like https://docs.example.com")
    if any(ch.isspace() for ch in text):
        raise UsageError(f"'{url}' contains spaces: quote or encode them (%20)")
    if parts.username is not None or parts.password is not None:
        raise UsageError(
            f"'{parts.hostname}': URLs with a user name or password are refused, because Kurt "
            "stores URLs in its database and in sources/ files: give the URL without them"
        )
    return normalize_url(text)


def host_of(url: str) -> str:
    """Lower-case host name in its ASCII (IDNA) form, without port ('' when there is none)."""
    try:
        return ascii_host((urlsplit(url).hostname or "").lower().rstrip("."))
    except ValueError:
        return ""


def domain_of(url: str) -> str:
    """The document domain: the host name without a leading 'www.' (no port)."""
    host = host_of(url)
    return host[4:] if host.startswith("www.") else host


def origin_of(url: str) -> str:
    """scheme://host[:port] with the port only when it is not the default one."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = host_of(url)
    if ":" in host:  # an IPv6 literal keeps its brackets (RFC 3986 3.2.2)
        host = f"[{host}]"
    port = parts.port
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        return f"{scheme}://{host}:{port}"
    return f"{scheme}://{host}"


def site_key(url: str) -> tuple[str, int | None] | None:
    """What identifies a URL's site: (domain without 'www.', explicit non-default port);
    None for a URL without a host or with a bad port."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    domain = domain_of(url)
    if not domain:
        return None
    # http and https of one host are one site; an explicit non-default port is not
    return domain, None if port == _DEFAULT_PORTS.get(parts.scheme.lower()) else port


def same_site(a: str, b: str) -> bool:
    """Same host, treating 'www.example.com' and 'example.com' (and http/https) as one site."""
    key = site_key(a)
    return key is not None and key == site_key(b)


def under_prefix(url: str, prefix: str) -> bool:
    """True when ``url`` is on the site of ``prefix`` and its path starts with prefix's folder."""
    if not same_site(url, prefix):
        return False
    folder = prefix_folder(prefix)
    return urlsplit(url).path.startswith(folder)


def prefix_folder(url: str) -> str:
    """The folder part of a URL's path: '/docs/guide' and '/docs/' -> '/docs/'... but '/' stays."""
    path = urlsplit(url).path or "/"
    if path.endswith("/"):
        return path
    last = path.rsplit("/", 1)[-1]
    if "." in last:  # a file such as /docs/index.html or /sitemap.xml
        return path.rsplit("/", 1)[0] + "/"
    return path + "/" if path != "/" else "/"


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A URL glob as a regex, with the same meaning as the document filters' globs.

    ``*`` (or ``**``) matches anything including '/', ``?`` one character, case
    does not matter, and a pattern without a scheme that does not start with ``*``
    may match anywhere before its start ("/blog/*" matches https://x.com/blog/a).
    """
    out = []
    for ch in pattern:
        if ch == "*":
            if not out or out[-1] != ".*":
                out.append(".*")
        elif ch == "?":
            out.append(".")
        else:
            out.append(re.escape(ch))
    body = "".join(out)
    if not pattern.startswith(("http://", "https://", "*", "file:")):
        body = ".*" + body
    return re.compile(body + r"\Z", re.I | re.S)


def url_selected(url: str, include: tuple[re.Pattern[str], ...] | list, exclude) -> bool:
    """Include globs (any must match, when given) and exclude globs (none may match)."""
    if include and not any(rx.match(url) for rx in include):
        return False
    return not any(rx.match(url) for rx in exclude)


def _remove_dot_segments(path: str) -> str:
    if "." not in path:
        return path
    output: list[str] = []
    segments = path.split("/")
    for i, segment in enumerate(segments):
        if segment == ".":
            if i == len(segments) - 1:
                output.append("")
            continue
        if segment == "..":
            if len(output) > 1:
                output.pop()
            if i == len(segments) - 1:
                output.append("")
            continue
        output.append(segment)
    result = "/".join(output)
    if not result.startswith("/"):
        result = "/" + result
    return result
