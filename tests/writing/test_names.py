import pytest

from kurt.errors import UsageError
from kurt.writing.names import slugify, validate_name


@pytest.mark.parametrize("name", ["stripe", "q3-launch", "a", "integration-page-2"])
def test_valid_names_pass(name):
    assert validate_name(name) == name


@pytest.mark.parametrize(
    "name", ["", "  ", "../x", "a/b", "..", ".hidden", "Stripe", "a b", "a\\b", "-a", "a-", "a--b", "x" * 81]
)
def test_invalid_names_are_refused(name):
    with pytest.raises(UsageError):
        validate_name(name, "project name")


def test_refusal_suggests_a_slug():
    with pytest.raises(UsageError, match="try 'stripe-payments'"):
        validate_name("Stripe Payments")


@pytest.mark.parametrize(
    "text,slug", [("Stripe", "stripe"), ("Next.js App", "next-js-app"), ("../etc", "etc"), ("", "")]
)
def test_slugify(text, slug):
    assert slugify(text) == slug
