"""Shared pieces for the grounding tests: the built-in vocabulary and prose helpers."""

import pytest


@pytest.fixture(scope="session")
def vocabulary():
    from kurt.index.vocabulary import load_vocabulary

    return load_vocabulary()


@pytest.fixture
def specifics_of(vocabulary):
    """``specifics_of(markdown)`` -> [(kind, text, normalised)] of the first prose unit."""
    from kurt.checks.grounding.prose import read_prose
    from kurt.checks.grounding.specifics import find_specifics

    def run(markdown: str):
        out = []
        for unit in read_prose(markdown).units:
            for s in find_specifics(unit.text, code=unit.code, urls=unit.urls,
                                    vocabulary=vocabulary):
                norm = s.key
                if s.quantity is not None:
                    norm = (s.quantity.dimension, round(s.quantity.value, 9))
                elif s.date is not None:
                    norm = (s.date.year, s.date.month, s.date.day)
                out.append((s.kind, s.text, norm))
        return out

    return run


@pytest.fixture
def check_against():
    """``check_against(body, source, path)`` -> the grounding/specific messages of a draft
    whose one section is ``body`` and cites the source ``source`` stored at ``path``."""
    from kurt.checks.grounding import check_specifics
    from kurt.checks.passages import SectionSources, file_passages

    def run(body: str, source: str, path: str = "sources/docs.example.com/source.md",
            vocabulary=None) -> list[str]:
        text = "---\nstatus: draft\n---\n\n# Guide\n\n" + body + "\n"
        sections = [SectionSources(1, text.count("\n") + 1, None, file_passages(path, source))]
        return [f.message for f in check_specifics(text, "projects/p/drafts/d.md", sections,
                                                   vocabulary=vocabulary)]
    return run


@pytest.fixture
def against_themselves(vocabulary):
    """``against_themselves(pages)`` -> the grounding/specific findings of each markdown file
    checked against its own passages ("page:line: message"): what the draft reader reads, the
    source reader must read in the same file."""
    from kurt.checks.grounding import check_specifics
    from kurt.checks.passages import SectionSources, file_passages

    def run(pages) -> list[str]:
        found = []
        for page in pages:
            text = page.read_text(encoding="utf-8")
            sections = [SectionSources(1, 10**6, None, file_passages(page.name, text))]
            found += [f"{page.name}:{f.line}: {f.message}"
                      for f in check_specifics(text, page.name, sections, vocabulary=vocabulary)]
        return found

    return run
