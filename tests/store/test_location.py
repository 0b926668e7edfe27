"""Where the store lives: [store] url in kurt.toml, KURT_DATABASE_URL, never a password in
the file (kurt.store.location)."""

from __future__ import annotations

import pytest

from kurt.errors import ConfigError
from kurt.store.location import redact, store_url


def test_no_url_means_the_sqlite_file():
    assert store_url("", environ={}) is None


def test_the_url_of_kurt_toml():
    assert store_url("postgresql://kurt@db/corpus", environ={}) == "postgresql://kurt@db/corpus"


def test_the_environment_wins_over_kurt_toml():
    env = {"KURT_DATABASE_URL": "postgresql://ci:s3cret@db2/corpus"}
    assert store_url("postgresql://kurt@db/corpus", environ=env) == env["KURT_DATABASE_URL"]


@pytest.mark.parametrize("url", ["postgresql://kurt:s3cret@db/corpus",
                                 "postgresql://kurt@db/corpus?password=s3cret"])
def test_a_password_in_kurt_toml_is_refused(url):
    with pytest.raises(ConfigError, match="passwords do not belong in kurt.toml") as caught:
        store_url(url, environ={})
    assert "s3cret" not in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("url, message", [
    ("mysql://kurt@db/corpus", "is not a PostgreSQL URL"),
    ("postgresql:///corpus", "names no host"),
    ("postgresql://kurt@db", "names no database"),
])
def test_urls_kurt_cannot_use_are_named(url, message):
    with pytest.raises(ConfigError, match=message):
        store_url(url, environ={})


def test_redact_hides_the_password():
    assert redact("postgresql://kurt:s3cret@db:5432/corpus") == "postgresql://kurt:***@db:5432/corpus"
    assert redact("postgresql://kurt@db/corpus") == "postgresql://kurt@db/corpus"


@pytest.mark.parametrize("url", [
    "postgresql://kurt@db/corpus?sslmode=require&password=s3cret",
    "postgresql://kurt@db/corpus?PASSWORD=s3cret#x",
    "host=db password=s3cret dbname=corpus",
    "host=db password='s3 cret' dbname=corpus",
    "postgresql://kurt@db/corpus?sslpassword=s3cret",
])
def test_redact_hides_a_password_given_as_a_parameter(url):
    assert "s3" not in redact(url) and "password=***" in redact(url).lower()


@pytest.mark.parametrize("where", ["kurt.toml", "env"])
def test_a_url_kurt_cannot_use_never_shows_its_password(where):
    url = "host=db password=s3cret dbname=corpus"  # libpq's key=value form, not a URL
    with pytest.raises(ConfigError, match="is not a PostgreSQL URL") as caught:
        if where == "env":
            store_url("", environ={"KURT_DATABASE_URL": url})
        else:
            store_url(url, environ={})
    assert "s3cret" not in str(caught.value)
