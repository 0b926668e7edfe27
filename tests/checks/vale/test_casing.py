import pytest

from kurt.checks.vale import goregex
from kurt.checks.vale.casing import Vocab, go_title, sentence_case, title_case, to_title

TOKENS = goregex.compile(r"[\p{N}\p{L}*]+[^\s]*")


@pytest.mark.parametrize(("text", "expected"), [
    ("This is a Heading", "This is a heading"),
    ("getting started with Vale server", "Getting started with vale server"),
    ("Top-Level ideas", "Top-level ideas"),
    ("README files", "Readme files"),
    ("Lesson 1: getting started", "Lesson 1: Getting started"),
    ("1. Install The CLI", "1. Install the cli"),
    ("This vs. That", "This vs. that"),
])
def test_sentence_case(text, expected):
    assert sentence_case(text, Vocab([]), TOKENS, [":"]) == expected


def test_sentence_case_keeps_vocabulary_terms_as_written():
    vocab = Vocab(["macOS", "Vale", "[Cc]onfig"])
    assert sentence_case("Using Macos With Vale Config", vocab, TOKENS, []) == \
        "Using macOS with Vale Config"


def test_sentence_case_ignores_a_prefix():
    prefix = goregex.compile(r"^[a-z]\.\s")
    assert sentence_case("b. Next Title Text", Vocab([]), TOKENS, [], prefix) == \
        "b. Next title text"


@pytest.mark.parametrize(("text", "chicago", "expected"), [
    ("the art of war", False, "The Art of War"),
    ("a guide to the galaxy", False, "A Guide to the Galaxy"),
    ("working with the api", False, "Working With the Api"),
    ("working with the api", True, "Working with the Api"),
    ("what it is for", False, "What It Is For"),
    ("step-by-step guide", False, "Step-by-Step Guide"),
])
def test_title_case(text, chicago, expected):
    assert title_case(text, Vocab([]), chicago) == expected


def test_title_case_keeps_vocabulary_terms():
    assert title_case("deploying to kubernetes", Vocab(["Kubernetes"]), False) == \
        "Deploying to Kubernetes"


@pytest.mark.parametrize(("word", "lower", "expected"), [
    ("readme", True, "Readme"), ("README", True, "Readme"), ("gRPC", False, "GRPC"),
    ("'quoted", True, "'Quoted"), ("123", True, "123"),
])
def test_to_title(word, lower, expected):
    assert to_title(word, lower) == expected


def test_go_title_capitalizes_after_every_separator():
    assert go_title("top-level") == "Top-Level"
    assert go_title("client's") == "Client'S"
