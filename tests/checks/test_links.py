"""links/*: workspace files, anchors, ingested documents, and (with --check-links) the web."""

import pytest

from tests.checks.conftest import BODY, draft_line
from tests.checks.linkserver import link_server


def links(checks, text, **kwargs):
    body = BODY + f"\n{text}\n"
    return [(f.rule, f.line) for f in checks.run(body, rules=["links"], **kwargs).findings], body


def test_the_valid_draft_has_no_link_finding(checks):
    assert checks.run(rules=["links"]).findings == []


@pytest.mark.parametrize("text,rule", [
    ("See [the notes](../research/notes.md).", "links/broken-file"),
    ("See ![a diagram](images/flow.png).", "links/broken-file"),
    ("See [the plan](/projects/p/plan.txt).", "links/broken-file"),
    ("See [limits](#quotas).", "links/anchor"),
    ("See [the plan](../plan.md#no-such-heading).", "links/anchor"),
    ("See [nothing]().", "links/empty"),
    ("See https://docs.example.com/docs/nowhere for more.", "links/not-ingested"),
])
def test_a_link_that_leads_nowhere(checks, text, rule):
    found, body = links(checks, text)
    assert found == [(rule, draft_line(text, body))]


@pytest.mark.parametrize("text", [
    "See [the plan](../plan.md) and [its goal](../plan.md#goal).",
    "See [limits](#limits) and [setup](#setup).",
    "See [pricing](/pricing) on the site.",
    "See <https://docs.example.com/docs/limits> and https://docs.example.com/guides/setup.",
    "See [the guide](https://docs.example.com/guides/setup#install).",
    "Write to [us](mailto:team@example.com).",
    "Run `curl https://docs.example.com/missing` in a terminal.",
    "```bash\ncurl https://docs.example.com/missing\n```",
])
def test_a_link_that_resolves(checks, text):
    assert links(checks, text)[0] == []


def test_a_link_to_a_page_that_is_gone(checks):
    import sqlite3

    with sqlite3.connect(checks.ws.db_path) as conn:
        conn.execute("UPDATE documents SET status = 'GONE', http_status = 410"
                     " WHERE url = 'https://docs.example.com/docs/limits'")
    found, body = links(checks, "See [the limits](https://docs.example.com/docs/limits).")
    assert found == [("links/gone", draft_line("See [the limits]", body))]


def test_external_links_are_requested_only_with_check_links(checks):
    with link_server() as (base, requests):
        text = f"See [ok]({base}/ok), [gone]({base}/gone) and [down]({base}/broken)."
        assert links(checks, text)[0] == []
        assert requests == []
        toml = checks.ws.root / "kurt.toml"
        toml.write_text(toml.read_text().replace("allow_private_addresses = false",
                                                 "allow_private_addresses = true")
                        .replace("retries = 3", "retries = 0"))
        from kurt.workspace import Workspace

        checks.ws = Workspace(checks.ws.root)  # read kurt.toml again
        report = checks.run(BODY + f"\n{text}\n", rules=["links"], check_links=True)
    found = [(f.rule, f.severity, f.message.split(" ")[0]) for f in report.findings]
    assert found == [("links/external", "error", f"{base}/gone"),
                     ("links/external", "warning", f"{base}/broken")]
