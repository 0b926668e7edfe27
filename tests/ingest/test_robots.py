import pytest

from kurt.ingest.robots import parse_robots, product_token

UA = "KurtBot/0.1 (+https://github.com/kurt-content/kurt)"
ROBOTS = """\
# comment
User-agent: BadBot
Disallow: /

User-agent: KurtBot
User-agent: OtherBot
Disallow: /private/
Allow: /private/public-page
Disallow: /*.pdf$
Crawl-delay: 2.5

User-agent: *
Disallow: /

Sitemap: https://x.com/sitemap.xml
Sitemap: https://x.com/news-sitemap.xml
"""


def policy(text=ROBOTS, ua=UA):
    return parse_robots(text, origin="https://x.com", user_agent=ua)


@pytest.mark.parametrize("path,allowed", [
    ("/docs/a", True),
    ("/private/secret", False),
    ("/private/public-page", True),
    ("/files/report.pdf", False),
    ("/files/report.pdf?x=1", True),
    ("/robots.txt", True),
])
def test_specific_group_longest_match(path, allowed):
    assert policy().allows("https://x.com" + path) is allowed


def test_sitemap_lines_and_crawl_delay():
    p = policy()
    assert p.sitemaps == ["https://x.com/sitemap.xml", "https://x.com/news-sitemap.xml"]
    assert p.crawl_delay == 2.5


def test_other_agents_fall_back_to_star():
    p = policy(ua="SomeBot/1.0")
    decision = p.decide("https://x.com/docs/a")
    assert not decision.allowed and decision.agent == "*"
    assert "blocked by robots.txt for user agent SomeBot" in decision.reason


def test_blocked_user_agent_is_named():
    decision = policy(ua="BadBot/2").decide("https://x.com/anything")
    assert decision.reason == "robots.txt blocks user agent BadBot from the whole site (Disallow: /)"


def test_empty_disallow_allows_everything():
    assert policy("User-agent: *\nDisallow:\n").allows("https://x.com/a")


def test_no_robots_rules_allow_all():
    assert policy("").allows("https://x.com/a")


@pytest.mark.parametrize("ua,token", [(UA, "KurtBot"), ("Mozilla/5.0 (X11)", "Mozilla"), ("", "*")])
def test_product_token(ua, token):
    assert product_token(ua) == token
