"""Deterministic style measurements."""

from __future__ import annotations

import pytest

from kurt.writing import style


@pytest.mark.parametrize("sentence, passive", [
    ("The token is created by the dashboard.", True),
    ("Refresh tokens may also be rotated.", True),
    ("The file was written to disk.", True),
    ("You create a token in the dashboard.", False),
    ("Railway deploys your service.", False),
    ("The API is fast.", False),
])
def test_passive_voice(sentence, passive):
    assert style.is_passive(sentence) is passive


@pytest.mark.parametrize("sentence, person", [
    ("You will need an API token.", "you"),
    ("Your service restarts.", "you"),
    ("We recommend a project token.", "we"),
    ("I tried it on my laptop.", "i"),
    ("The service restarts.", "third"),
])
def test_person(sentence, person):
    assert style.person_of(sentence) == person


@pytest.mark.parametrize("sentence, imperative", [
    ("Create a project token.", True),
    ("Run the command again.", True),
    ("The command runs again.", False),
])
def test_imperative(sentence, imperative):
    assert style.is_imperative(sentence) is imperative


@pytest.mark.parametrize("word, count", [
    ("cat", 1), ("table", 2), ("deployment", 3), ("configure", 3), ("make", 1),
])
def test_syllables(word, count):
    assert style.syllables(word) == count


def test_fk_grade_rises_with_long_words_and_sentences():
    easy = style.analyze(["The cat sat on the mat. The dog ran to the park."])
    hard = style.analyze(["Comprehensive infrastructure orchestration necessitates sophisticated "
                          "configuration management across heterogeneous deployment environments."])
    assert easy.fk_grade < 3 < 12 < hard.fk_grade


@pytest.mark.parametrize("sentence, good", [
    ("Use the Public API to integrate Railway into your CI/CD pipelines.", True),
    ("Run `railway up` to deploy your service in 30 seconds.", True),
    ("Various things can simply be configured as appropriate.", False),
    ("It is done.", False),
])
def test_score_sentence_separates_clear_from_weak(sentence, good):
    score = style.score_sentence(sentence)
    assert (score.score >= 4 and not score.weaknesses) is good


def test_score_sentence_names_weaknesses():
    score = style.score_sentence("Settings are updated by the system in various ways.")
    assert any("passive" in w for w in score.weaknesses)
    assert any("vague" in w for w in score.weaknesses)


@pytest.mark.parametrize("sentence, literal", [
    ("Use the API.", True),
    ("See the [guide](/x) for more.", False),
    ("Set **this** value.", False),
])
def test_literal_means_no_markup(sentence, literal):
    assert style.score_sentence(sentence).literal is literal


PAGE = """---
title: Troubleshooting
---

Intro sentence for you. We wrote it.

## Step 1: Install

1. Run the installer.
2. Open the app.

```python
import os

def main():
    print(os.getcwd())

if __name__ == "__main__":
    main()
```

```bash
railway up
```

<Image src="x"
alt="Not prose"
/>

## Common errors

The error is fixed by restarting.
"""


def test_analyze_counts_code_steps_and_troubleshooting():
    m = style.analyze([PAGE])
    assert m.code_blocks == 2
    assert m.full_file_ratio == 0.5
    assert m.numbered_items == 2
    assert m.step_headings == 1
    assert m.troubleshooting_headings == 2  # the title and "Common errors"
    assert m.sentences == 5
    assert m.passive_ratio == pytest.approx(1 / 5)
    assert m.person_you == pytest.approx(1 / 5) and m.person_we == pytest.approx(1 / 5)


def test_page_sentences_skip_code_and_tags_and_keep_file_lines():
    found = dict((s, n) for n, s in style.page_sentences(PAGE))
    assert "railway up" not in found
    assert not any("Not prose" in s for s in found)
    lines = PAGE.split("\n")
    for sentence, number in found.items():
        assert sentence in lines[number - 1]


def test_analyze_is_deterministic():
    assert style.analyze([PAGE]).to_dict() == style.analyze([PAGE]).to_dict()
