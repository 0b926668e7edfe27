"""Does a source state a draft's specific? (kurt/checks/grounding/facts.py)

Each row: what the source says, a draft sentence, and whether every specific of
the sentence is backed. Rewording must pass (1,000 / 1k / one thousand, 60 s /
one minute, Postgres / PostgreSQL, 99.9% / 99.9 percent, units spelled out);
a changed value, a swapped name or a wrong command must not.
"""

import pytest

from kurt.checks.grounding.facts import FactsCache, alternatives, read_facts, supports
from kurt.checks.grounding.prose import read_prose
from kurt.checks.grounding.specifics import find_specifics
from kurt.checks.passages import Passage

ROWS = [
    # numbers, reworded
    ("Up to 1,000 builds a day.", "You get up to 1k builds.", True),
    ("Up to 1,000 builds a day.", "You get up to one thousand builds.", True),
    ("Up to 1,000 builds a day.", "You get up to 1,000 builds.", True),
    ("Up to 1,000 builds a day.", "You get up to 2,000 builds.", False),
    ("The API allows 60 requests per minute.", "It allows 60 requests each minute.", True),
    ("The API allows 60 requests per minute.", "It allows 100 requests per minute.", False),
    ("Restarts are capped at 10 restarts. Cron runs every 5 minutes.",
     "The policy stops after 5 restarts.", False),  # 5 is there, but counts minutes
    ("| Plan | **Replicas** |\n| --- | --- |\n| **Pro** | **42** |", "Pro allows 42 replicas.", True),
    # durations and sizes in any unit
    ("The timeout is 300 seconds (5 minutes).", "It waits 5 minutes.", True),
    ("The timeout is 300 seconds.", "It waits five minutes.", True),
    ("The timeout is 300 seconds.", "It waits 10 minutes.", False),
    ("Tokens expire after 12 hours.", "Tokens expire after half a day."[:0] + "Tokens last 12 h.", True),
    ("Tokens stop working half a day later.", "Tokens expire after 24 hours.", False),
    ("Volumes start at 5GB.", "Volumes start at 5 gigabytes.", True),
    ("Volumes start at 5GB.", "Volumes start at 5 GiB.", True),
    ("| Memory (GB) | 8 |", "Each gets 8 GB.", True),  # the unit named in the table
    ("Uptime is 99.9%.", "Uptime is 99.9 percent.", True),
    ("Uptime is 99.9%.", "Uptime is 99.99%.", False),
    ("It is twice as fast.", "It is 2x faster.", True),
    ("Hobby is $5 / month.", "Hobby costs $5 per month.", True),
    ("Hobby is $5 / month.", "Hobby costs 5 dollars a month.", True),
    ("Hobby is $5 / month.", "Hobby costs $8 a month.", False),
    # dates and versions
    ("Migrate before 2024-03-15.", "Migrate before March 2024.", True),
    ("Migrate before January 2024.", "Migrate before March 2024.", False),
    ("It ships PostgreSQL 16.2.", "It runs Postgres 16.", True),
    ("It ships PostgreSQL 16.2.", "It runs Postgres 17.", False),
    ("Nightly window 02:00 - 06:00 UTC.", "It runs from 2:00 to 06:00 UTC.", True),
    ("Nightly window 02:00 - 06:00 UTC.", "It runs from 02:00 to 05:00 UTC.", False),
    # names through the vocabulary's aliases, and names it does not know
    ("Deploy PostgreSQL with one click.", "Deploy Postgres with one click.", True),
    ("Deploy to Railway, not Heroku.", "Unlike Render, it is usage-based.", False),
    ("Buckets run on Tigris's metal servers.", "Buckets run on Backblaze servers.", False),
    ("Buckets run on Tigris's metal servers.", "Buckets run on Tigris hardware.", True),
    ("Formerly called App-Sleeping_.", "It used to be called App Sleeping, the feature.", True),
    ("Use transactional services with HTTPS APIs.", "Send mail through an HTTPS API.", True),
    # code: variables, flags, commands (in the sources' code), scopes, endpoints
    ("Set `RAILWAY_TOKEN` in CI.", "Set RAILWAY_TOKEN in CI.", True),
    ("Set `RAILWAY_TOKEN` in CI.", "Set `RAILWAY_API_TOKEN` in CI.", False),
    ("Run `railway up --detach`.", "Run `railway up --detach` from CI.", True),
    ("Run `railway up --detach`.", "Run `railway up --detached` from CI.", False),
    ("Run `railway logs` to see them.", "Run `railway log` to see them.", False),
    ("The Railway log explorer shows logs.", "Run `railway log` to see them.", False),  # not code
    ("```\nrailway volume browse\nrailway volume files\n```", "Use `railway volume files`.", True),
    ("```\nrailway volume browse\nrailway volume files\n```", "Use `railway volume ls`.", False),
    ("```\nnpm install pg\n```", "Run `npm install express` first.", False),  # a package
    ("```\nnpm install pg\nnpm install express\n```", "Run `npm install express` first.", True),
    ("Run `npm run build`, then `npm run start:backend`.", "Start with `npm run start:backend`.",
     True),
    ("Run `npm run build`, then `npm run start:backend`.", "Start with `npm run start:api`.",
     False),
    ("Use the `read:packages` scope.", "Use the `read:packages` scope.", True),
    ("Use the `read:packages` scope.", "Use the `repo:read` scope.", False),
    ("POST https://backboard.railway.com/graphql/v2", "Send GET /graphql/v2 requests.", False),
    ("POST https://backboard.railway.com/graphql/v2", "Send POST /graphql/v2 requests.", True),
    ("`POST /tasks` creates a task; `GET /tasks/:id` reads it.", "Call `GET /tasks` to create one.",
     False),  # the method the sources give that very path
    ("`POST /tasks` creates a task; `GET /tasks/:id` reads it.", "Call `POST /tasks` to create one.",
     True),
    ("GET /v1/projects/{projectId}", "Call `GET /v1/projects/:id` first.", True),
    ("Set `healthcheckPath` under `deploy`.", "Set `deploy.healthcheckPath`.", True),
    ("Set `healthcheckPath` under `deploy`.", "Set `deploy.healthcheckUrl`.", False),
    ('{"deploy": {"startCommand": "npm start"}}', "Set `deploy.startCommand`.", True),
    ("Secondaries run with `super_read_only` on.", "Secondaries run with `read_only` on.", False),
    ("Set `NO_CACHE=1` on the service.", "Set `NO_CACHE=true` on the service.", False),
    ("Set `NO_CACHE=1` on the service.", "Set `NO_CACHE=1` there.", True),
    ("Add `--mount=type=cache,id=s/<id>-cache,target=/cache`.", "Add `--mount=type=bind`.", False),
    ("Add `--mount=type=cache,id=s/<id>-cache,target=/cache`.", "Add `--mount=type=cache`.", True),
    ("The scope list must contain `openid`; add `profile` for the name.",
     "The list must always contain `profile`.", True),
    ("Offline access needs `offline_access` and a consent prompt.",
     "Offline access needs the `offline` scope.", False),  # a word of prose is no code literal
    ("Filter by record type, such as `A` or `AAAA`.", "`aaaa` works as well.", True),
    ('<Args args={[{ name: "filter", type: "String" }]} />', "It accepts `filter` too.", True),
    ("Apply at https://railway.com/open-source to join.", "Apply at railway.com/oss to join.", False),
    ("Apply at https://railway.com/open-source to join.", "Apply at railway.com/open-source.", True),
    ("Domains look like `abc.up.railway.app`.", "Domains end in `railway.app`.", False),
    ("Domains look like `*.up.railway.app`.", "A host under up.railway.app.", True),
    ("```js\nconditions: [['content-length-range', 5_000, 2_000_000]]\n```",
     "Uploads are limited to between 5,000 bytes and 2 MB.", True),
    ('```json\n{"MaxAgeSeconds": 3000}\n```', "The preflight is cached for 3000 seconds.", True),
    ("Match the client with `ipv4.src` and its IP.", "Match `ip.src`.", False),  # "ip" is prose
    ('Write `{"bypass": true}` to skip the cache.', "Set `bypass: true` to skip it.", True),
    ("Filter by source IP.", "Filter by source and destination IPs.", True),
    ("Usage is billed by the minute.", "Usage is billed per second.", False),
    ("Usage is billed by the minute.", "Usage is billed per-minute.", True),
    ("Buckets cost $0.015 per GB-month.", "You pay per GB each month.", True),
    ("Plans are billed monthly.", "You pay per month.", True),
    ("Memory (per GB / min) and egress (per MB).", "Memory is billed per MB / min.", True),
    ("```bash\nrailway waf under-attack enable --service web\n```", "Run `railway waf enable`.", False),
    ("```bash\nrailway waf under-attack enable --service web\n```",
     "Run `railway waf under-attack enable`.", True),
    ("```bash\nnpm install react react-dom\n```", "Run `npm install express`.", False),  # packages
    ("Expire it after 1, 3, 12, or 24 hours.", "It can expire after 12 hours.", True),  # a list's unit
    ("If you stored 10 GBs for 15 days, you pay for 5 GB.", "Store 10 GB for 10 days.", False),
    ("If you stored 10 GBs for 15 days, you pay for 5 GB.", "Store 10 GB for 15 days.", True),
    ("The move ends in 2025.", "The move ends on July 1st, 2025.", False),  # more precise
    ("The move ends in July 2025.", "The move ends on July 1st, 2025.", False),
    ("Volumes moved on March 14th.", "Volumes moved on March 14th, 2025.", True),
    ("It started on January 1st, 2025.", "It started in January 2025.", True),
    ("Press `CMD + K` to search.", "Press `CMD + P` to search.", False),
    ("See railway.com/pricing for plans.", "See https://railway.com/pricing for plans.", True),
    ("Deploy [it](https://railway.com/new/template/bun-starter).",
     "Deploy from `https://railway.com/new/template/bun`.", False),  # a longer last segment
    ("See railway.com/pricing/plans for plans.", "See railway.com/pricing for them.", True),
]


@pytest.mark.parametrize("source, draft, backed", ROWS, ids=[r[1] for r in ROWS])
def test_supports(vocabulary, source, draft, backed):
    facts = read_facts(Passage("sources/s.md", 1, source.count("\n") + 1, source), vocabulary)
    specifics = []
    for unit in read_prose(draft).units:
        specifics += find_specifics(unit.text, code=unit.code, urls=unit.urls,
                                    vocabulary=vocabulary)
    assert specifics, "the draft sentence states no specific"
    result = all(supports(facts, s, vocabulary) for s in specifics)
    assert result is backed, [(s.kind, s.text) for s in specifics
                              if not supports(facts, s, vocabulary)]


def test_list_numbers_in_sources_are_not_facts(vocabulary):
    facts = read_facts(Passage("s.md", 1, 2, "1. Open the settings\n2. Click save"), vocabulary)
    [specific] = [s for u in read_prose("It exits with 2 when it fails.").units
                  for s in find_specifics(u.text)]
    assert not supports(facts, specific)


def test_alternatives_name_what_the_source_says():
    source = "The API allows 60 requests per minute and 5 builds at once."
    facts = read_facts(Passage("s.md", 1, 1, source))
    [specific] = [s for u in read_prose("It allows 100 requests per minute.").units
                  for s in find_specifics(u.text) if s.kind == "number"]
    assert alternatives(facts, facts, specific) == ["60 requests per minute"]


def test_facts_cache_reads_each_passage_once(vocabulary):
    cache = FactsCache(vocabulary)
    a = Passage("a.md", 1, 1, "Hobby is $5.")
    b = Passage("b.md", 1, 1, "Pro is $20.")
    assert cache.group([a, b]) is cache.group([b, a])
    assert cache.passage(a) is cache.passage(Passage("a.md", 1, 1, "ignored", "draft"))


def test_markdown_escapes_in_the_sources_are_the_characters_they_escape(check_against):
    source = "- Wildcards cannot be nested (e.g., `\\*.\\*.yourdomain.com`).\n"
    assert check_against("Wildcards can't be nested (`*.*.yourdomain.com`).", source) == []
    assert check_against("Wildcards can't be nested (`*.*.ourdomain.com`).", source) == [
        'Identifier "*.*.ourdomain.com" is not in the sources']
