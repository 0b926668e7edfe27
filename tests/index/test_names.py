"""Candidate names of one page: capitalised runs, titles, "+" headings, anchors, cues."""

from __future__ import annotations

import pytest

from kurt.index.links import extract_links
from kurt.index.names import find_names, title_as_name
from kurt.index.sections import split_sections
from kurt.index.vocabulary import load_vocabulary


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary()


def names(vocab, text, title="Notes on things", url="https://site.test/blog/p"):
    found = find_names(vocab, title=title, sections=split_sections(text, title=title),
                       links=extract_links(text, url))
    return {h.name: h for h in found}


@pytest.mark.parametrize("title, expected", [
    ("Airbyte", "Airbyte"),
    ("Brightwater Sync", "Brightwater Sync"),
    ("dbt", "dbt"),
    ("Airbyte | Quackbase", "Airbyte"),
    ("What is ETL?", None),
    ("How we made queries faster", None),
    ("Pricing plans", None),
    ("Notes on ingestion, part 3", None),
    ("The Data Stack", None),
    ("A Very Long Name Of Five", None),
    ("Page 12", None),
    ("Issue #3", None),
    # the wording of a partner directory's titles around the partner's name
    ("Brinexon for Zephyrix Relay", "Brinexon"),
    ("Brinexon integration | Zephyrix", "Brinexon"),
    ("Sunhollow Data connector for Zephyrix", "Sunhollow Data"),
    ("Connect Brinexon to Zephyrix Relay", "Brinexon"),
    ("Brinexon app", "Brinexon"),
    ("Notes on ingestion for beginners", None),
    ("How to connect things to other things", None),
])
def test_a_title_is_a_name_only_when_it_reads_as_one(title, expected):
    assert title_as_name(title) == expected


def test_a_name_inside_a_sentence_is_a_candidate(vocab):
    found = names(vocab, "# Notes\n\nWe load the raw data with Streamkeep before modeling it.\n")
    assert found["Streamkeep"].mid == 1


def test_a_capitalised_word_that_only_opens_sentences_is_no_candidate(vocab):
    found = names(vocab, "# Notes\n\nLooking back, it worked.\n\nSomewhat surprisingly, nothing broke.\n")
    assert not ({"Looking", "Somewhat"} & set(found))


def test_a_function_word_opening_the_sentence_is_dropped(vocab):
    found = names(vocab, "# Notes\n\nIn Streamkeep, open the settings.\n")
    assert "Streamkeep" in found and "In Streamkeep" not in found


@pytest.mark.parametrize("text", [
    "The launch moved to June at the last minute.\n",
    "Every table is stored as INGESTION output by the SQL layer.\n",
    "We deploy everything on Kubernetes and Docker every day.\n",  # the vocabulary knows them
    "All data is encrypted with AES-256 at rest.\n",
])
def test_months_capitals_and_vocabulary_terms_are_no_candidates(vocab, text):
    assert names(vocab, "# Notes\n\n" + text) == {}


def test_a_plus_heading_names_a_partner_and_a_product(vocab):
    found = names(vocab, "# Tidewell\n\nSyncs data.\n\n## Tidewell + Quackbase Cloud\n\nPaste a token.\n",
                  title="Tidewell")
    assert found["Tidewell"].plus_left and found["Tidewell"].title
    assert found["Quackbase Cloud"].plus_right


def test_a_plus_line_an_extractor_left_as_text_counts_as_the_heading(vocab):
    found = names(vocab, "# Tidewell\n\nSyncs data.\n\nTidewell + Quackbase Cloud\n\nPaste a token.\n",
                  title="Tidewell")
    assert found["Tidewell"].plus_left and found["Quackbase Cloud"].plus_right


def test_and_heading_counts_only_for_the_pages_own_name(vocab):
    own = names(vocab, "# Tidewell\n\nText.\n\n## Tidewell and Quackbase Cloud\n\nMore.\n", title="Tidewell")
    other = names(vocab, "# Notes\n\nText.\n\n## Cats and Dogs Forever\n\nMore.\n", title="Notes")
    assert own["Tidewell"].plus_left
    assert not any(h.plus_left for h in other.values())


def test_an_anchor_whose_host_spells_the_name_is_evidence(vocab):
    text = "# Brightwater Sync\n\nText.\n\n[Brightwater Sync documentation](https://docs.brightwatersync.io/x)\n"
    found = names(vocab, text, title="Brightwater Sync")
    assert found["Brightwater Sync"].anchor_domain


def test_an_anchor_to_another_host_is_not(vocab):
    found = names(vocab, "# Maya Lindgren\n\n- [Maya Lindgren on LinkedIn](https://www.linkedin.com/in/x)\n",
                  title="Maya Lindgren")
    assert not found["Maya Lindgren"].anchor_domain


@pytest.mark.parametrize("sentence, company, tech", [
    ("We met the Orbitly team last week.", 1, 0),
    ("We shipped the Orbitly integration today.", 1, 0),
    ("It reads Avrotic files without converting them.", 0, 1),
    ("Call the Avrotic API from a script.", 0, 1),
    ("We compared it with Orbitly last week.", 0, 0),
])
def test_the_word_after_a_name_says_what_it_is(vocab, sentence, company, tech):
    hit = next(iter(names(vocab, f"# Notes\n\nSo far so good. {sentence}\n").values()))
    assert (hit.company_cue, hit.tech_cue) == (company, tech)


def test_possessives_and_link_targets_are_not_part_of_a_name(vocab):
    found = names(vocab, "# Notes\n\nWe liked Orbitly's new look and [the guide](https://orbitly.test/Guide).\n")
    assert "Orbitly" in found and "Guide" not in found


@pytest.mark.parametrize("text", [
    "Run it:\n\n```bash\nexport Token=Value Orbitly\n```\n\nDone.\n",
    "Call `Orbitly.connect()` first.\n",
    "Open <GraphQLTabs\n  query={Orbitly}\n/> here.\n",
    "Then click **Orbitly** in the menu.\n",
    "Choose \"Orbitly\" from the list.\n",
    "See ![Orbitly logo](/logo.png) above.\n",
])
def test_code_tags_images_and_interface_labels_hold_no_names(vocab, text):
    assert "Orbitly" not in names(vocab, "# Notes\n\nSo far so good. " + text)


def test_an_anchor_is_matched_against_the_registrable_name_not_a_subdomain(vocab):
    found = names(vocab, "# Notes\n\nSee the [Docs](https://docs.example.com/x) and [Orbitly](https://www.orbitly.co.uk).\n")
    assert not found.get("Docs") or not found["Docs"].anchor_domain
    assert found["Orbitly"].anchor_domain


def test_lowercase_uses_of_a_capitalised_name_are_counted(vocab):
    found = names(vocab, "# Notes\n\nWe pushed the Image there. Every image is small; images load fast.\n")
    assert found["Image"].lower == 2


def test_a_word_inside_a_title_cased_phrase_is_no_name(vocab):
    found = names(vocab, "# Notes\n\nWe moved to Infrastructure as Code with Streamkeep, Orbitly and Tidewell.\n")
    assert "Code" not in found
    assert {"Streamkeep", "Orbitly", "Tidewell"} <= set(found)


def test_known_names_side_by_side_are_no_new_name(vocab):
    found = names(vocab, "# Notes\n\nThe words were Postgres Docker Redis integration, and then Tidewell.\n")
    assert not any(" " in n for n in found)
    assert "Tidewell" in found


def test_a_possessive_ends_a_name(vocab):
    found = names(vocab, "# Notes\n\nWe opened Tidewell's Orbitly settings page.\n")
    assert "Tidewell" in found and "Tidewell's Orbitly" not in found
