"""Where a workspace's store lives: the SQLite file in ``.kurt/`` (the default), or a
PostgreSQL database named by a URL (a team's shared corpus, docs/teams.md).

The URL comes from ``KURT_DATABASE_URL`` first, then from ``[store] url`` in kurt.toml.
A password never comes from kurt.toml (the file is shared, often committed): it comes
from the environment (``KURT_DATABASE_URL``, ``PGPASSWORD``) or ``~/.pgpass``, as every
PostgreSQL client reads them.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit, urlunsplit

from kurt.errors import ConfigError

ENV_URL = "KURT_DATABASE_URL"
SCHEMES = ("postgresql", "postgres")


def is_postgres(url: str | None) -> bool:
    return bool(url) and urlsplit(url).scheme in SCHEMES


def check_url(url: str, *, where: str) -> str:
    """``url`` when it names a PostgreSQL database; ConfigError otherwise (``where`` says
    where it was read, for the message)."""
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        raise ConfigError(
            f"{where}: the store URL {redact(url)!r} is not a PostgreSQL URL: write it as "
            "postgresql://user@host/database, or remove it to keep the SQLite store in .kurt/")
    if not parts.hostname and "host=" not in parts.query:
        raise ConfigError(f"{where}: the store URL {redact(url)!r} names no host: write it as "
                          "postgresql://user@host/database")
    if not parts.path.strip("/"):
        raise ConfigError(f"{where}: the store URL {redact(url)!r} names no database: write it "
                          "as postgresql://user@host/database")
    return url


def check_config_url(url: str, *, where: str) -> str:
    """A URL from kurt.toml: as ``check_url``, and never with a password in it."""
    check_url(url, where=where)
    if urlsplit(url).password is not None or "password=" in urlsplit(url).query:
        raise ConfigError(
            f"{where}: [store] url holds a password; passwords do not belong in kurt.toml: "
            "remove it from the URL and set PGPASSWORD, a ~/.pgpass line, or KURT_DATABASE_URL")
    return url


def store_url(config_url: str = "", *, environ: dict | None = None,
              where: str = "kurt.toml") -> str | None:
    """The PostgreSQL URL of the workspace's store, or None for the SQLite file."""
    env = os.environ if environ is None else environ
    from_env = (env.get(ENV_URL) or "").strip()
    if from_env:
        return check_url(from_env, where=ENV_URL)
    if config_url:
        return check_config_url(config_url, where=where)
    return None


def redact(url: str) -> str:
    """The URL without its password, for messages: the one after the user name, a
    ``password=`` query parameter, or a ``password=`` word of a key=value string."""
    url = _PASSWORD_PARAM.sub(r"\1***", url)
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = (parts.username or "") + ":***"
    return urlunsplit(parts._replace(netloc=f"{user}@{netloc[-1]}"))


# password=VALUE (or sslpassword=) in a query string (up to & or #) or a key=value string (up to a space,
# or the quoted value); the value is replaced, the key kept
_PASSWORD_PARAM = re.compile(r"""(\b(?:ssl)?password\s*=\s*)('(?:[^'\\]|\\.)*'|[^&#\s]*)""",
                             re.IGNORECASE)
