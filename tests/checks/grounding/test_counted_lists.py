"""grounding/specific: a count the draft's own list contradicts
(kurt/checks/grounding/counted_lists.py)."""

import pytest

from kurt.checks.grounding.counted_lists import miscounts

BULLETS = "The `status` field takes one of {} values:\n\n- `BUILDING`: building.\n" \
          "- `DEPLOYING`: deploying,\n  then running.\n- `FAILED`: it failed.\n" \
          "  - a nested note\n\nAfter the list."


def counts(text):
    return [(m.text, m.listed) for m in miscounts(text)]


def test_a_count_above_a_bullet_list_must_match_it():
    assert counts(BULLETS.format("three")) == []
    assert counts(BULLETS.format("four")) == [("four", 3)]
    assert counts(BULLETS.format("2")) == [("2", 3)]


def test_a_count_before_an_inline_list_must_match_it():
    line = ("The lifecycle has {} steps: someone posts a question, Railway marks it eligible, "
            "the community replies, and Railway pays out. The usual bounty is $15.")
    assert counts(line.format("four")) == []
    assert counts(line.format("five")) == [("five", 4)]
    assert counts("There are three kinds of actor: a user, Railway staff, and the Railway "
                  "system itself, for instance during automatic backups.") == []


@pytest.mark.parametrize("text", [
    "Railway bills close to the ~50 hours it's actually processing something:\n\n- a\n- b",
    "Your December 21 invoice includes:\n\n- a\n- b",
    "This declares six replicas: two each in US East, EU West, and Southeast Asia.",
    "Pick one of three plans: Hobby, Pro and Enterprise or a custom one.",  # no ", and"
    "Two commands: `railway up`, which deploys, and `railway logs`, which tails logs.",
    "```text\nfour steps:\n- a\n```",
])
def test_what_is_not_a_count_of_listed_items_is_left_alone(text):
    assert counts(text) == []


def test_an_items_manner_is_not_another_item():
    # "vertically, by giving ..., and horizontally, by adding ...": two items and their how
    assert miscounts("Scale in two directions: vertically, by giving a service more "
                     "resources, and horizontally, by adding replicas.") == []
