"""Names of projects and drafts: lowercase slugs that can never leave the workspace."""

from __future__ import annotations

import re

from kurt.errors import UsageError

_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")


def slugify(text: str) -> str:
    """'Stripe Payments' -> 'stripe-payments'; '' when nothing usable is left."""
    value = re.sub(r"[^a-z0-9]+", "-", str(text).strip().lower())
    return value.strip("-")[:80].strip("-")


def validate_name(value: str, what: str = "name") -> str:
    """Return ``value`` when it is a lowercase slug; otherwise raise UsageError with a suggestion.

    A slug has lowercase letters, digits and single inner hyphens, so it can
    never hold a path separator, ``..`` or a hidden-file dot.
    """
    if value is None or not str(value).strip():
        raise UsageError(f"Give a {what}: lowercase letters, digits and hyphens, e.g. 'q3-launch'")
    value = str(value)
    if _SLUG.match(value) and "--" not in value:
        return value
    suggestion = slugify(value)
    hint = f": try '{suggestion}'" if suggestion else ""
    raise UsageError(
        f"'{value}' is not a valid {what}: use lowercase letters, digits and hyphens"
        f" (no '/', '..' or spaces){hint}"
    )
