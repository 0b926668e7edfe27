"""Anchored values (kurt.checks.grounding.anchored_values): a value after the very words
the sources write another value after."""

from kurt.checks.grounding.anchored_values import anchored_value
from kurt.checks.grounding.specifics import find_specifics
from kurt.checks.passages import file_passages

SOURCE = """# Streaming

Railway lets HTTP requests run for up to 15 minutes with keep-alive heartbeats, and closes
them after 5 minutes with no data transferred. Send a heartbeat event at least every 5
minutes, and for tasks that outlive the 15-minute cap, reconnect from the last event.
"""


def test_a_value_after_the_words_the_sources_give_another_value_is_reported(check_against):
    sentence = "Requests run for up to 15 minutes, so send a heartbeat at least every {} " \
               "and reconnect from the last event."
    assert check_against(sentence.format("5 minutes"), SOURCE) == []
    assert check_against(sentence.format("15 minutes"), SOURCE) == [
        '"at least every 15 minutes" is not what the sources say: they say '
        '"at least every 5 minutes"']


def _anchored(sentence: str, source: str):
    specific = next(s for s in find_specifics(sentence) if s.quantity is not None
                    and "minute" in s.text)
    return anchored_value(sentence, specific, file_passages("sources/x/s.md", source))


def test_the_evidence_is_the_sources_sentence():
    found = _anchored("Send a heartbeat at least every 15 minutes to keep the event stream.",
                      SOURCE)
    assert found is not None and found.evidence.line_start == 4
    assert found.evidence.quote.startswith("Send a heartbeat event at least every 5")


def test_an_unrelated_sentence_or_a_short_phrase_anchors_nothing():
    # the same three words in a sentence about something else: no content word in common
    assert _anchored("Backups are taken at least every 15 minutes.", SOURCE) is None
    # two values after the words: nothing tells which one the draft means
    two = SOURCE + "\nA heartbeat event at least every 10 minutes suits slow streams.\n"
    assert _anchored("Send a heartbeat event at least every 15 minutes, then reconnect.",
                     two) is None
    assert _anchored("Run it for 15 minutes with a heartbeat event.", SOURCE) is None


def test_a_value_the_sources_write_after_the_last_two_words_stands():
    source = "Idle connections are closed after 60 seconds between requests; requests are " \
             "otherwise closed after 5 minutes with no data transferred.\n"
    sentence = "Requests are closed after {} with nothing transferred between requests."
    assert _anchored(sentence.format("5 minutes"), source) is None
    assert _anchored(sentence.format("9 minutes"), source) is not None
