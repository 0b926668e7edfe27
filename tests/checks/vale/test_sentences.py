import pytest

from kurt.checks.vale.sentences import count_sentences, sentence_spans


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("I went. You came! Did he? Yes.", ["I went.", "You came!", "Did he?", "Yes."]),
    ("The N.B.A. has a team named the Lakers.", ["The N.B.A. has a team named the Lakers."]),
    ("Use a tool, e.g. Python. Then run it.", ["Use a tool, e.g. Python.", "Then run it."]),
    ("Ask Dr. Smith about J. Doe today.", ["Ask Dr. Smith about J. Doe today."]),
    ("this is a sentence. so is this one.", ["this is a sentence. so is this one."]),
    ('He said "Stop." Then he left.', ['He said "Stop."', "Then he left."]),
    ("Version 1.2 is out. Get it (now). Done.", ["Version 1.2 is out.", "Get it (now).", "Done."]),
    ("One line\nand the same sentence.", ["One line\nand the same sentence."]),
    ("  Padded.   Text.  ", ["Padded.", "Text."]),
    ("No final stop", ["No final stop"]),
    ("", []),
])
def test_sentence_spans(text, expected):
    assert sentences(text) == expected


def test_count_sentences():
    assert count_sentences("about that. That is important.") == 2
    assert count_sentences("that that is") == 1
