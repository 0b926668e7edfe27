"""The company profile, ``kurt/profile.md``: who we are, what we sell, to whom, in what voice.

The YAML frontmatter holds the fields other commands read (drafts fill
``[Your Product]`` from it); the body is a readable version for people and
agents. Updating a field rewrites its body section only while that section is
still the text Kurt wrote, so a writer's edits are never lost.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from kurt.errors import UsageError

FIELDS = ("company", "website", "docs_url", "blog_url", "products", "audience", "voice")
URL_FIELDS = ("website", "docs_url", "blog_url")


@dataclass
class Profile:
    company: str | None = None
    website: str | None = None
    docs_url: str | None = None
    blog_url: str | None = None
    products: list[str] = field(default_factory=list)
    audience: str | None = None
    voice: str | None = None
    path: Path | None = None

    @property
    def product(self) -> str | None:
        """The main product name ("Your Product"), else the company."""
        return self.products[0] if self.products else self.company

    def to_dict(self) -> dict:
        data = asdict(self)
        data["path"] = str(self.path) if self.path else None
        return data


@dataclass
class ProfileResult:
    profile: Profile
    created: bool
    changed: list[str]
    kept_sections: list[str]  # body sections the user edited, left as they were


def load_profile(ws) -> Profile | None:
    """The workspace's profile, or None when ``kurt profile`` was never run."""
    from kurt.writing import frontmatter

    path = ws.profile_path
    if not path.is_file():
        return None
    data = frontmatter.read(path).data
    return _from_data(data, path)


def save_profile(ws, **values) -> ProfileResult:
    """Create the profile, or set the given fields (None means 'leave as is')."""
    from kurt.fileio import write_atomic
    from kurt.writing import frontmatter
    from kurt.writing.projects import replace_section_body, section_body

    updates = {k: v for k, v in values.items() if v is not None and (v != [] or k != "products")}
    unknown = set(updates) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown profile fields: {sorted(unknown)}")
    for key in URL_FIELDS:
        if key in updates and not str(updates[key]).startswith(("http://", "https://")):
            raise UsageError(
                f"--{key.replace('_', '-')} must be an http(s) URL, e.g. https://example.com"
            )
    path = ws.profile_path
    old = load_profile(ws)
    if old is None:
        profile = _from_data(updates, path)
        write_atomic(path, render_profile(profile))
        return ProfileResult(profile, True, sorted(updates), [])
    new = _from_data({**_data(old), **updates}, path)
    changed = [k for k in FIELDS if getattr(old, k) != getattr(new, k)]
    if not changed:
        return ProfileResult(old, False, [], [])
    text = path.read_text(encoding="utf-8")
    text = frontmatter.set_values(text, {k: getattr(new, k) for k in changed}, path)
    kept = []
    for heading, renderer in _SECTIONS.items():
        if not any(k in changed for k in _SECTION_FIELDS[heading]):
            continue
        current = section_body(text, heading)
        if current is not None and current.strip() != renderer(old).strip():
            kept.append(heading)
            continue
        text = replace_section_body(text, heading, renderer(new))
    write_atomic(path, text)
    return ProfileResult(new, False, changed, kept)


def render_profile(profile: Profile) -> str:
    import yaml

    data = {k: getattr(profile, k) for k in FIELDS}
    head = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)
    sections = "".join(f"## {h}\n\n{r(profile)}\n" for h, r in _SECTIONS.items())
    return f"""---
{head}---

# Company Profile

Kurt and your agents read this file when they write: drafts fill `[Your Product]`
and `[Your Company]` from it. Change it with `kurt profile --company ... --voice ...`
or edit the text below; keep the frontmatter keys.

{sections}## Guidance for Writers and Agents

- Write for the audience above, in the voice above.
- Ground every claim in an ingested source and cite it with `<!-- Source: sources/... -->`.
- Prefer the product names exactly as listed under Products.
"""


def _company(p: Profile) -> str:
    lines = [f"**{p.company}**" if p.company else "(not set: `kurt profile --company NAME`)"]
    for label, value in (("Website", p.website), ("Docs", p.docs_url), ("Blog", p.blog_url)):
        if value:
            lines.append(f"- {label}: {value}")
    return "\n".join(lines[:1] + ([""] + lines[1:] if len(lines) > 1 else [])) + "\n"


def _products(p: Profile) -> str:
    if not p.products:
        return "(not set: `kurt profile --product NAME`)\n"
    return "".join(f"- {name}\n" for name in p.products)


def _audience(p: Profile) -> str:
    return (p.audience or "(not set: `kurt profile --audience \"...\"`)") + "\n"


def _voice(p: Profile) -> str:
    return (p.voice or "(not set: `kurt profile --voice \"...\"`)") + "\n"


_SECTIONS = {"Company": _company, "Products": _products, "Audience": _audience, "Voice": _voice}
_SECTION_FIELDS = {
    "Company": ("company", "website", "docs_url", "blog_url"),
    "Products": ("products",),
    "Audience": ("audience",),
    "Voice": ("voice",),
}


def _data(profile: Profile) -> dict:
    return {k: getattr(profile, k) for k in FIELDS}


def _from_data(data: dict, path: Path | None) -> Profile:
    products = data.get("products") or []
    if isinstance(products, str):
        products = [products]
    text = {k: (str(data[k]) if data.get(k) is not None else None) for k in FIELDS if k != "products"}
    return Profile(products=[str(p) for p in products], path=path, **text)
