"""A deterministic generated docs site: ``generate_synthetic_site``.

Pages are built from their index on request, so a site of many thousand
pages costs nothing until it is crawled (used by the benchmarks).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from kurt.sample_site.pages import PageMeta, iso_utc, slugify
from kurt.sample_site.site import Site

_SECTIONS = (
    "getting-started", "deployments", "databases", "networking", "observability",
    "security", "integrations", "billing", "cli", "api", "storage", "scaling",
    "ci-cd", "configuration", "troubleshooting", "migrations", "teams", "templates",
)
_TECH = (
    "PostgreSQL", "Redis", "Docker", "Kubernetes", "Node.js", "Python", "Go", "Rust",
    "MySQL", "MongoDB", "Nginx", "Terraform", "GraphQL", "Kafka", "RabbitMQ", "Django",
    "Rails", "FastAPI", "Next.js", "React", "OpenTelemetry", "Prometheus", "Grafana",
    "S3", "Elasticsearch", "ClickHouse", "Celery", "Sidekiq", "gRPC", "WebSockets",
)
_NOUNS = (
    "service", "deployment", "environment", "volume", "replica", "domain", "certificate",
    "variable", "secret", "webhook", "queue", "worker", "cron job", "build", "region",
    "snapshot", "backup", "connection pool", "health check", "load balancer", "cache",
    "token", "workspace", "project", "pipeline", "log drain", "metric", "alert", "proxy",
)
_VERBS = (
    "configure", "deploy", "scale", "monitor", "migrate", "secure", "debug", "connect",
    "provision", "rotate", "restore", "optimize", "automate", "inspect", "isolate",
)
_ADJ = (
    "private", "public", "managed", "ephemeral", "persistent", "horizontal", "zero-downtime",
    "encrypted", "regional", "scheduled", "incremental", "idempotent", "resilient", "shared",
)
_FILLER = (
    "In practice", "By default", "For production workloads", "When you are ready",
    "Under the hood", "As a rule of thumb", "If something goes wrong", "For most teams",
)
_AUTHORS = ("Ada Lovelace", "Grace Hopper", "Linus Torvalds", "Barbara Liskov", "Ken Thompson")
_CODE = {
    "python": 'import os\nimport redis\n\nclient = redis.Redis.from_url(os.environ["REDIS_URL"])\nclient.set("{noun}", "{adj}")\nprint(client.get("{noun}"))\n',
    "javascript": 'const express = require("express");\nconst app = express();\n\napp.get("/{slug}", (req, res) => res.json({{ ok: true }}));\napp.listen(process.env.PORT || 3000);\n',
    "bash": "docker build -t {slug} .\ndocker run -p 8080:8080 --env-file .env {slug}\nkubectl rollout status deployment/{slug}\n",
    "sql": "CREATE TABLE {table} (\n  id BIGSERIAL PRIMARY KEY,\n  created_at TIMESTAMPTZ DEFAULT now()\n);\nCREATE INDEX ON {table} (created_at);\n",
    "yaml": "services:\n  {slug}:\n    image: postgres:16\n    environment:\n      POSTGRES_DB: {table}\n    ports:\n      - \"5432:5432\"\n",
    "go": 'package main\n\nimport "net/http"\n\nfunc main() {{\n\thttp.HandleFunc("/{slug}", func(w http.ResponseWriter, r *http.Request) {{ w.Write([]byte("ok")) }})\n\thttp.ListenAndServe(":8080", nil)\n}}\n',
}


@dataclass
class SyntheticSource:
    """A deterministic generated docs site; pages are built from their index."""

    n_pages: int
    seed: int = 0
    _paths: list[str] = field(default_factory=list, repr=False)
    _index: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._paths = [self._path_for(i) for i in range(self.n_pages)]
        self._index = {p: i for i, p in enumerate(self._paths)}

    def _rng(self, i: int, salt: int = 0) -> random.Random:
        return random.Random((self.seed * 1_000_003 + i) * 31 + salt)

    def _section(self, i: int) -> str:
        block = (i - 1) // 100
        name = _SECTIONS[block % len(_SECTIONS)]
        return name if block < len(_SECTIONS) else f"{name}-{block // len(_SECTIONS) + 1}"

    def _title(self, i: int) -> str:
        if i == 0:
            return "Acme Cloud Documentation"
        r = self._rng(i, 1)
        return f"How to {r.choice(_VERBS)} a {r.choice(_ADJ)} {r.choice(_NOUNS)} with {r.choice(_TECH)}"

    def _path_for(self, i: int) -> str:
        if i == 0:
            return "/"
        words = slugify(self._title(i).removeprefix("How to "))
        return f"/docs/{self._section(i)}/{words}-{i}"

    def paths(self) -> list[str]:
        return list(self._paths)

    def meta(self, path: str) -> PageMeta | None:
        i = self._index.get(path)
        if i is None:
            return None
        r = self._rng(i, 2)
        modified = 1704067200 + (i * 7919 % 365) * 86400 + r.randrange(86400)
        return PageMeta(
            path=path,
            title=self._title(i),
            description=f"Learn how to {self._title(i)[7:].lower()} on Acme Cloud." if i else "Guides and reference for Acme Cloud.",
            date=iso_utc(modified)[:10],
            author=r.choice(_AUTHORS),
            modified=float(modified),
        )

    def version(self, path: str) -> object:
        return self.seed

    def resolve_file(self, from_path: str, target: str) -> str | None:
        return None

    def _link(self, i: int) -> str:
        return f"[{self._title(i)}]({self._paths[i]})"

    def markdown(self, path: str) -> str | None:
        i = self._index.get(path)
        if i is None:
            return None
        r = self._rng(i, 3)
        n = self.n_pages
        children = [c for c in range(10 * i + 1, 10 * i + 11) if c < n]
        others = [r.randrange(n) for _ in range(4)] if n > 1 else []
        target_words = r.randint(300, 1180)
        tech = r.sample(_TECH, 4)
        parts = [f"# {self._title(i)}\n"]
        words = 0

        def sentence() -> str:
            t, noun = r.choice(tech), r.choice(_NOUNS)
            s = (f"{r.choice(_FILLER)}, you can {r.choice(_VERBS)} each {r.choice(_ADJ)} {noun} "
                 f"that talks to {t} without changing application code, and the {r.choice(_NOUNS)} "
                 f"keeps working while {r.choice(_TECH)} {r.choice(('restarts', 'scales', 'fails over', 'reconnects'))}.")
            return s

        def paragraph() -> str:
            nonlocal words
            text = " ".join(sentence() for _ in range(r.randint(1, 4)))
            if others and r.random() < 0.4:
                text += f" See {self._link(r.choice(others))} for details."
            words += len(text.split())
            return text + "\n"

        parts.append(paragraph())
        lang = r.choice(list(_CODE))
        slug = path.rstrip("/").rsplit("/", 1)[-1] or "app"
        code = _CODE[lang].format(noun=r.choice(_NOUNS).replace(" ", "_"), adj=r.choice(_ADJ),
                                  slug=slug[:30], table=r.choice(_NOUNS).replace(" ", "_") + "s")
        sections = ["Overview", "Prerequisites", "Configuration", "Deploying", "Monitoring", "Troubleshooting"]
        for h, heading in enumerate(sections):
            parts.append(f"## {heading}\n")
            parts.append(paragraph())
            if h == 1:
                parts.append("".join(f"- {r.choice(tech)} {r.randint(1, 16)}.{r.randint(0, 9)} or newer\n" for _ in range(4)))
            elif h == 2:
                parts.append(f"```{lang}\n{code}```\n")
                parts.append("| Setting | Default | Description |\n|---|---|---|\n" + "".join(
                    f"| `{slugify(r.choice(_NOUNS)).upper().replace('-', '_')}` | `{r.randint(1, 500)}` | "
                    f"Controls the {r.choice(_ADJ)} {r.choice(_NOUNS)}. |\n" for _ in range(4)))
            elif h == 3:
                parts.append("".join(f"{k}. {r.choice(_VERBS).capitalize()} the {r.choice(_NOUNS)}.\n" for k in range(1, 5)))
            while words < target_words * (h + 1) / len(sections):
                if r.random() < 0.3:
                    parts.append(f"### {r.choice(_VERBS).capitalize()} the {r.choice(_NOUNS)}\n")
                parts.append(paragraph())
        if children:
            parts.append("## In this section\n")
            parts.append("".join(f"- {self._link(c)}\n" for c in children))
        if others:
            parts.append("## Related pages\n")
            parts.append("".join(f"- {self._link(o)}\n" for o in sorted(set(others))))
        return "\n".join(parts)


def generate_synthetic_site(n_pages: int, *, seed: int = 0, sitemap_chunk: int = 100, **options: Any) -> Site:
    """A deterministic generated docs site of ``n_pages`` pages (built on request)."""
    options.setdefault("name", "Acme Cloud Docs")
    return Site(SyntheticSource(n_pages, seed), sitemap_chunk=sitemap_chunk, **options)
