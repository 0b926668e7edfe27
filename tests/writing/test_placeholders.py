import re
from dataclasses import dataclass
from importlib.resources import files

import pytest

from kurt.writing.placeholders import Fact, fill_body, fill_variables, mark_example
from kurt.writing.profile import Profile
from kurt.writing.template_parse import find_examples, find_placeholders, parse_template

PROFILE = Profile(company="Quackbase Inc", products=["Quackbase"])
SEED = parse_template(
    files("kurt.resources.templates.formats").joinpath("integration-page.md").read_text("utf-8"),
    name="integration-page")
_COMMENT = re.compile(r"<!--.*?-->")


@dataclass
class Facts:
    """A FactSource with fixed answers (the store-backed one is tested in test_source_facts)."""

    support: Fact | None = None
    menu: Fact | None = None

    def support_url(self, value, kind):
        return self.support

    def menu_path(self, value, target):
        return self.menu if self.menu and target == "API" else None


def _partner_placeholders(text: str) -> list[str]:
    return [p for p in find_placeholders(text) if re.match(r"\[\s*partner", p, re.IGNORECASE)]


def test_the_seed_keeps_no_partner_placeholder_a_variable_can_fill():
    filled = fill_body(SEED.skeleton, {"partner": "Fivetran"}, PROFILE, Facts()).text
    assert _partner_placeholders(SEED.skeleton)  # the seed has them ...
    assert _partner_placeholders(filled) == []  # ... and none is left
    assert "[Partner" not in filled and "[partner" not in filled
    assert "### From Fivetran:" in filled and "### Step 1: Configure Fivetran" in filled
    assert "# Quackbase + Fivetran Integration" in filled


def test_the_seed_menu_path_loses_its_shape_without_a_source():
    filled = fill_body(SEED.skeleton, {"partner": "Fivetran"}, PROFILE, Facts())
    line = next(ln for ln in filled.text.split("\n") if ln.startswith("Navigate to "))
    assert line == ('Navigate to [Fivetran menu path to "API": no source gives it yet] and create '
                    "new credentials:")
    assert "[Partner > Settings > API]" in filled.missing
    assert "- Partner support: [Fivetran support URL]" in filled.text  # still a placeholder
    assert "- Fivetran API docs: [Fivetran docs URL]" in filled.text  # named, still a placeholder


def test_the_seed_takes_the_menu_path_and_support_url_from_sources_with_citations():
    facts = Facts(support=Fact("https://support.fivetran.com/hc", "sources/local/p/fivetran.md", 9),
                  menu=Fact("Settings > API Keys", "sources/local/p/fivetran setup.md", 4))
    filled = fill_body(SEED.skeleton, {"partner": "Fivetran"}, PROFILE, facts)
    assert ("Navigate to Settings > API Keys and create new credentials: "
            "<!-- Source: <sources/local/p/fivetran setup.md>:4 -->") in filled.text
    assert ("- Partner support: https://support.fivetran.com/hc "
            "<!-- Source: sources/local/p/fivetran.md:9 -->") in filled.text
    assert ("- Fivetran API docs: https://support.fivetran.com/hc "
            "<!-- Source: sources/local/p/fivetran.md:9 -->") in filled.text  # "[Partner] API docs: [URL]"
    assert filled.facts == [facts.menu, facts.support, facts.support] and filled.missing == []


def test_example_text_stays_a_placeholder_after_filling():
    filled = fill_body(SEED.skeleton, {"partner": "Fivetran"}, PROFILE, Facts())
    examples = find_examples(filled.text)
    assert len(examples) == filled.examples > 0
    for claim in ("Webhook triggers event to Fivetran", "Navigate to Integrations > Fivetran"):
        assert f"[EXAMPLE: {claim}]" in examples
        assert f"[EXAMPLE: {claim}]" in find_placeholders(filled.text)
    # every line naming the partner is a heading, a bold label, or still visibly unwritten
    for line in filled.text.split("\n"):
        if "Fivetran" not in line or line.startswith("#") or re.fullmatch(r"\*\*[^*]+\*\*", line):
            continue
        assert find_placeholders(_COMMENT.sub("", line)) or "<!-- Source:" in line, line


def test_without_a_profile_the_product_placeholder_stays_and_marks_nothing_else():
    filled = fill_body(SEED.skeleton, {"partner": "Fivetran"}, None, None)
    assert "1. User performs action in [Your Product]" in filled.text
    assert "2. [EXAMPLE: Webhook triggers event to Fivetran]" in filled.text


@pytest.mark.parametrize("text,variables,expected", [
    ("[Partner Platform] / [partner platform]", {"partner": "Stripe Billing"},
     "Stripe Billing / stripe-billing"),
    ("[Partner Company], {{PARTNER_TOOL}}", {"partner": "Stripe"}, "Stripe, Stripe"),
    ("[Partner email] [Partners]", {"partner": "Stripe"}, "[Partner email] [Partners]"),
    ("> — [Name], [Title], [Company]", {}, "> — [Name], [Title], [Company]"),  # a customer
    ("[Title], {{COMPANY_NAME}} and [Your Company]", {}, "[Title], Quackbase Inc and Quackbase Inc"),
    ("[Company] wins", {"company": "Acme"}, "Acme wins"),  # a --var of that name fills it
])
def test_fill_variables(text, variables, expected):
    assert fill_variables(text, variables, PROFILE) == expected


@pytest.mark.parametrize("line,expected", [
    ("2. Navigate to Integrations > Fivetran", "2. [EXAMPLE: Navigate to Integrations > Fivetran]"),
    ("- [ ] Active Fivetran account today", "- [ ] [EXAMPLE: Active Fivetran account today]"),
    ("   * Verify the key in Fivetran  ", "   * [EXAMPLE: Verify the key in Fivetran]  "),
    ("> Fivetran syncs every five minutes", "> [EXAMPLE: Fivetran syncs every five minutes]"),
    ("", ""),
])
def test_mark_example_keeps_list_markers_outside(line, expected):
    assert mark_example(line) == expected


@pytest.mark.parametrize("skeleton,marked", [
    ("Webhook triggers event to [Partner]", True),
    ("## Configure [Partner]", False),  # a heading
    ("**[Partner] API Limits:**", False),  # a bold label
    ("| [Partner] | sync data now |", False),  # a table row
    ("Hi [Partner],", False),  # too short to claim anything
    ("Create a [Partner] account ([Plan level required])", False),  # still a placeholder
    ("Create an account in the dashboard today", False),  # nothing was filled
])
def test_which_filled_lines_become_examples(skeleton, marked):
    filled = fill_body(skeleton, {"partner": "Fivetran"}, None, None)
    assert (filled.examples == 1) is marked
    assert bool(find_examples(filled.text)) is marked
